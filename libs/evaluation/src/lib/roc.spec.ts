import fc from 'fast-check';
import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { rocAuc } from '@purchase/core';
import { rocAucFromCounts, rocCurve } from './roc';
import { thresholdCounts } from './threshold-counts';

describe('ROC against scikit-learn', () => {
  it.each(fixtureCases)('%s: roc_auc_score and roc_curve', (_, c) => {
    const y = labelsOf(c);
    const scores = scoresOf(c);
    expectClose(rocAuc(y, scores), c.rocAuc);
    for (const [curve, expected] of [
      [rocCurve(y, scores), c.roc],
      [rocCurve(y, scores, { dropIntermediate: true }), c.rocDropIntermediate],
    ] as const) {
      expectClose(curve.fpr, expected.fpr);
      expectClose(curve.tpr, expected.tpr);
      // scikit-learn 1.2 puts max + 1 first; we (and scikit-learn 1.3+) put Infinity.
      expect(curve.thresholds[0]).toBe(Infinity);
      expectClose(curve.thresholds.slice(1), expected.thresholds);
    }
  });

  it('reads the float32 case as a Float32Array, so the 32-bit radix path is the one checked', () => {
    const c = fixtureCases.find(([name]) => name.startsWith('float32'))![1];
    expect(scoresOf(c)).toBeInstanceOf(Float32Array);
    expect(c.y.length).toBeGreaterThan(1024);
  });
});

describe('rocAuc', () => {
  it('equals the Mann-Whitney statistic: P(score+ > score-) + P(tie) / 2 (property, heavy ties)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 6 })), { minLength: 2, maxLength: 60 }),
        (rows) => {
          const y = Uint8Array.from(rows.map((r) => r[0]));
          const scores = Float64Array.from(rows.map((r) => r[1] / 6));
          const pos = rows.filter((r) => r[0] === 1).map((r) => r[1]);
          const neg = rows.filter((r) => r[0] === 0).map((r) => r[1]);
          fc.pre(pos.length > 0 && neg.length > 0);
          let wins = 0;
          for (const p of pos) for (const n of neg) wins += p > n ? 1 : p === n ? 0.5 : 0;
          expectClose(rocAuc(y, scores), wins / (pos.length * neg.length), 1e-12);
        },
      ),
      { numRuns: 200, seed: 3 },
    );
  });

  it('has the same bits from the threshold counts as from rocAuc (what evaluateScores uses), float32 and float64, heavy ties', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 40 })), { minLength: 2, maxLength: 3000 }),
        fc.boolean(),
        (rows, single) => {
          const y = Uint8Array.from(rows.map((r) => r[0]));
          fc.pre(y.includes(0) && y.includes(1));
          const values = rows.map((r) => Math.sqrt(r[1]) / 7);
          const scores = single ? Float32Array.from(values) : Float64Array.from(values);
          expect(rocAucFromCounts(thresholdCounts(y, scores))).toBe(rocAuc(y, scores));
        },
      ),
      { numRuns: 200, seed: 5 },
    );
    expect(() => rocAucFromCounts(thresholdCounts(Uint8Array.from([1, 1]), Float64Array.from([0.1, 0.2])))).toThrow(
      'y has only positive (1) labels, ROC AUC needs both classes',
    );
  });

  it('is undefined with one class, and says which', () => {
    expect(() => rocAuc(Uint8Array.from([0, 0]), Float64Array.from([0.1, 0.2]))).toThrow(
      'y has only negative (0) labels, ROC AUC needs both classes',
    );
    expect(() => rocCurve(Uint8Array.from([1, 1]), Float64Array.from([0.1, 0.2]))).toThrow(
      'y has only positive (1) labels, the ROC curve needs both classes',
    );
  });
});
