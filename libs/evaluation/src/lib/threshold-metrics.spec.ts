import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { confusionAt, metricsAtThreshold, metricsFromCounts } from './threshold-metrics';

describe('metricsAtThreshold against scikit-learn', () => {
  it.each(fixtureCases)('%s', (_, c) => {
    const m = metricsAtThreshold(labelsOf(c), scoresOf(c), c.threshold);
    const e = c.atThreshold;
    expect([m.tp, m.fp, m.tn, m.fn]).toEqual([e.tp, e.fp, e.tn, e.fn]);
    expectClose([m.accuracy, m.precision, m.recall, m.f1], [e.accuracy, e.precision, e.recall, e.f1]);
    expect(m.threshold).toBe(c.threshold);
  });
});

describe('metricsAtThreshold', () => {
  const y = Uint8Array.from([1, 1, 0, 0, 0]);
  const scores = Float64Array.from([0.9, 0.4, 0.6, 0.2, 0.4]);

  it('predicts 1 for score >= threshold (a score equal to the threshold counts as positive)', () => {
    expect(confusionAt(y, scores, 0.4)).toEqual({ tp: 2, fp: 2, tn: 1, fn: 0 });
    expect(confusionAt(y, scores, 0.41)).toEqual({ tp: 1, fp: 1, tn: 2, fn: 1 });
  });

  it('computes the ratios by hand: tp 1, fp 1, tn 2, fn 1', () => {
    expect(metricsAtThreshold(y, scores, 0.5)).toEqual({
      threshold: 0.5,
      tp: 1,
      fp: 1,
      tn: 2,
      fn: 1,
      accuracy: 3 / 5,
      precision: 1 / 2,
      recall: 1 / 2,
      f1: 1 / 2,
    });
  });

  it('gives 0, not NaN, where a denominator is zero (scikit-learn zero_division=0)', () => {
    const m = metricsAtThreshold(y, scores, Infinity);
    expect([m.precision, m.recall, m.f1]).toEqual([0, 0, 0]);
    const none = metricsFromCounts({ tp: 0, fp: 0, tn: 3, fn: 0 }, 0.5);
    expect([none.precision, none.recall, none.f1, none.accuracy]).toEqual([0, 0, 0, 1]);
  });

  it('rejects a NaN threshold', () => {
    expect(() => metricsAtThreshold(y, scores, NaN)).toThrow('threshold is NaN');
  });
});
