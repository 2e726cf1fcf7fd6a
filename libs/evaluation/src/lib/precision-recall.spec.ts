import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { averagePrecision, precisionRecallCurve } from './precision-recall';

describe('precision-recall against scikit-learn', () => {
  it.each(fixtureCases)('%s: average_precision_score and precision_recall_curve', (_, c) => {
    const y = labelsOf(c);
    const scores = scoresOf(c);
    expectClose(averagePrecision(y, scores), c.averagePrecision);
    const curve = precisionRecallCurve(y, scores);
    expectClose(curve.precision, c.pr.precision);
    expectClose(curve.recall, c.pr.recall);
    expectClose(curve.thresholds, c.pr.thresholds);
  });
});

describe('precisionRecallCurve with dropIntermediate', () => {
  // Scores 0.9..0.1; only some thresholds change recall.
  const y = Uint8Array.from([1, 0, 0, 0, 1, 0, 0, 1, 0]);
  const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1]);

  it('keeps the ends and every point next to a change of recall, as scikit-learn 1.3+', () => {
    const full = precisionRecallCurve(y, scores);
    const dropped = precisionRecallCurve(y, scores, { dropIntermediate: true });
    expect(full.thresholds).toHaveLength(9);
    // tps by threshold 0.9..0.1: 1 1 1 1 2 2 2 3 3. Recall is flat on both sides of 0.8, 0.7 and 0.4.
    expect(dropped.thresholds).toEqual([0.1, 0.2, 0.3, 0.5, 0.6, 0.9]);
    expect(dropped.recall).toEqual([1, 1, 2 / 3, 2 / 3, 1 / 3, 1 / 3, 0]);
    expect(dropped.recall[dropped.recall.length - 1]).toBe(0);
    expect(dropped.precision[dropped.precision.length - 1]).toBe(1);
  });

  it('needs a positive', () => {
    expect(() => averagePrecision(Uint8Array.from([0, 0]), Float64Array.from([0.1, 0.2]))).toThrow(
      'y has only negative (0) labels, average precision needs at least one positive (1)',
    );
    expect(() => precisionRecallCurve(Uint8Array.from([0]), Float64Array.from([0.1]))).toThrow(
      'y has only negative (0) labels, the precision-recall curve needs at least one positive (1)',
    );
  });
});
