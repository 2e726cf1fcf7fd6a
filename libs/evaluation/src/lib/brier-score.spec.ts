import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { brierScore } from './brier-score';

describe('brierScore', () => {
  it.each(fixtureCases.filter(([, c]) => c.brier !== undefined))('matches brier_score_loss: %s', (_, c) => {
    expectClose(brierScore(labelsOf(c), scoresOf(c)), c.brier!);
  });

  it('is the mean squared error of the probabilities, by hand', () => {
    // (0.2)^2 + (0.4)^2 + (1)^2 = 0.04 + 0.16 + 1 over 3
    expect(brierScore(Uint8Array.from([0, 1, 0]), Float64Array.from([0.2, 0.6, 1]))).toBeCloseTo(1.2 / 3, 15);
  });

  it('needs probabilities', () => {
    expect(() => brierScore(Uint8Array.from([0]), Float64Array.from([-1]))).toThrow(
      'scores[0] is -1, the Brier score needs probabilities in [0, 1]',
    );
  });
});
