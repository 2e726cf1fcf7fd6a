import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { LOG_LOSS_EPS, logLoss } from '@purchase/core';

describe('logLoss against scikit-learn', () => {
  it.each(fixtureCases.filter(([, c]) => c.logLoss !== undefined))('%s', (_, c) => {
    expectClose(logLoss(labelsOf(c), scoresOf(c)), c.logLoss!);
  });
});

describe('logLoss', () => {
  it('clips at float64 epsilon: a certain wrong answer costs -ln(2^-52) nats, not Infinity', () => {
    expect(LOG_LOSS_EPS).toBe(2 ** -52);
    expect(logLoss(Uint8Array.from([1]), Float64Array.from([0]))).toBeCloseTo(52 * Math.LN2, 12);
    expect(logLoss(Uint8Array.from([0, 1]), Float64Array.from([1, 0]))).toBeCloseTo(52 * Math.LN2, 10);
    expect(logLoss(Uint8Array.from([1, 0]), Float64Array.from([1, 0]))).toBeCloseTo(0, 14);
  });

  it('is ln 2 for a coin flip', () => {
    expect(logLoss(Uint8Array.from([0, 1, 1]), Float64Array.from([0.5, 0.5, 0.5]))).toBeCloseTo(Math.LN2, 15);
  });

  it('needs probabilities', () => {
    expect(() => logLoss(Uint8Array.from([0, 1]), Float64Array.from([0.5, 2]))).toThrow(
      'scores[1] is 2, log loss needs probabilities in [0, 1]',
    );
  });
});
