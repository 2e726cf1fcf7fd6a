import { bootstrapIntervals } from './bootstrap-intervals';
import { quantileOfSorted } from './quantile';
import { rocAuc, SeededRandom } from '@purchase/core';
import { metricsAtThreshold } from './threshold-metrics';

/** Labels and tied scores: positives score higher on average. */
function sample(n: number, seed: number): { y: Uint8Array; scores: Float64Array } {
  const rng = new SeededRandom(seed);
  const y = new Uint8Array(n);
  const scores = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(10) < 3 ? 1 : 0;
    scores[i] = Math.min(20, rng.nextInt(15) + 6 * y[i]) / 20;
  }
  return { y, scores };
}

/**
 * The textbook bootstrap, written the slow obvious way (materialise each resample, recompute the
 * metrics from scratch) with the same draws: positives first, then negatives, one nextInt each.
 */
function naiveBootstrap(y: Uint8Array, scores: Float64Array, threshold: number, resamples: number, seed: number, level: number) {
  const pos = [...y.keys()].filter((i) => y[i] === 1);
  const neg = [...y.keys()].filter((i) => y[i] === 0);
  const rng = new SeededRandom(seed);
  const aucs: number[] = [];
  const f1s: number[] = [];
  for (let r = 0; r < resamples; r++) {
    const rows = [...pos.map(() => pos[rng.nextInt(pos.length)]), ...neg.map(() => neg[rng.nextInt(neg.length)])];
    const ry = Uint8Array.from(rows, (i) => y[i]);
    const rs = Float64Array.from(rows, (i) => scores[i]);
    aucs.push(rocAuc(ry, rs));
    f1s.push(metricsAtThreshold(ry, rs, threshold).f1);
  }
  const a = 1 - level;
  const ci = (v: number[]) => {
    const s = Float64Array.from(v).sort();
    return [quantileOfSorted(s, a / 2), quantileOfSorted(s, 1 - a / 2)];
  };
  return { auc: ci(aucs), f1: ci(f1s) };
}

describe('bootstrapIntervals', () => {
  const { y, scores } = sample(400, 11);

  it('equals the textbook stratified percentile bootstrap with the same draws', () => {
    const fast = bootstrapIntervals(y, scores, { threshold: 0.5, seed: 9, resamples: 200, level: 0.9 });
    const slow = naiveBootstrap(y, scores, 0.5, 200, 9, 0.9);
    expect(fast.rocAuc.lower).toBeCloseTo(slow.auc[0], 12);
    expect(fast.rocAuc.upper).toBeCloseTo(slow.auc[1], 12);
    expect(fast.f1.lower).toBeCloseTo(slow.f1[0], 12);
    expect(fast.f1.upper).toBeCloseTo(slow.f1[1], 12);
  });

  it('reports the full-sample values as the estimates and brackets them', () => {
    const b = bootstrapIntervals(y, scores, { threshold: 0.5, seed: 1 });
    expect(b.rocAuc.estimate).toBe(rocAuc(y, scores));
    expect(b.f1.estimate).toBeCloseTo(metricsAtThreshold(y, scores, 0.5).f1, 15);
    expect(b.rocAuc.lower).toBeLessThan(b.rocAuc.estimate);
    expect(b.rocAuc.upper).toBeGreaterThan(b.rocAuc.estimate);
    expect(b.f1.lower).toBeLessThan(b.f1.estimate);
    expect(b.f1.upper).toBeGreaterThan(b.f1.estimate);
    expect([b.level, b.resamples, b.seed, b.threshold]).toEqual([0.95, 1000, 1, 0.5]);
  });

  it('is deterministic for a seed and changes with the seed', () => {
    const a = bootstrapIntervals(y, scores, { threshold: 0.4, seed: 42, resamples: 300 });
    const b = bootstrapIntervals(y, scores, { threshold: 0.4, seed: 42, resamples: 300 });
    const c = bootstrapIntervals(y, scores, { threshold: 0.4, seed: 43, resamples: 300 });
    expect(b).toEqual(a);
    expect(c.rocAuc.lower).not.toBe(a.rocAuc.lower);
  });

  it('narrows as the sample grows (about 1 / sqrt(n))', () => {
    const small = sample(100, 3);
    const large = sample(1600, 3);
    const w = (s: { y: Uint8Array; scores: Float64Array }) => {
      const b = bootstrapIntervals(s.y, s.scores, { threshold: 0.5, seed: 2, resamples: 200 });
      return b.rocAuc.upper - b.rocAuc.lower;
    };
    const ratio = w(small) / w(large);
    expect(ratio).toBeGreaterThan(2.8); // sqrt(16) = 4
    expect(ratio).toBeLessThan(5.5);
  });

  it('resamples a split of at most sampleRows rows whole, exactly as without the option', () => {
    const plain = bootstrapIntervals(y, scores, { threshold: 0.5, seed: 4, resamples: 300 });
    expect(bootstrapIntervals(y, scores, { threshold: 0.5, seed: 4, resamples: 300, sampleRows: 400 })).toEqual(plain);
    expect(plain.sample).toBeUndefined();
  });

  it('m out of n: the estimates of all rows, about the width of the full bootstrap, for the cost of m rows', () => {
    const big = sample(40_000, 5);
    const full = bootstrapIntervals(big.y, big.scores, { threshold: 0.5, seed: 8, resamples: 400 });
    const m = bootstrapIntervals(big.y, big.scores, { threshold: 0.5, seed: 8, resamples: 400, sampleRows: 4_000 });
    expect(m.sample).toEqual({ rows: 4_000, of: 40_000 });
    expect([m.rocAuc.estimate, m.f1.estimate]).toEqual([full.rocAuc.estimate, full.f1.estimate]);
    for (const metric of ['rocAuc', 'f1'] as const) {
      const width = (b: typeof m) => b[metric].upper - b[metric].lower;
      // A 4,000-row bootstrap unscaled would be sqrt(10) ~ 3.2 times wider.
      expect(width(m) / width(full)).toBeGreaterThan(0.75);
      expect(width(m) / width(full)).toBeLessThan(1.33);
      expect(m[metric].lower).toBeLessThan(m[metric].estimate);
      expect(m[metric].upper).toBeGreaterThan(m[metric].estimate);
    }
    expect(() => bootstrapIntervals(y, scores, { threshold: 0.5, seed: 1, sampleRows: 1 })).toThrow('sampleRows must be an integer >= 2, got 1');
  });

  it('rejects bad options and a one-class sample', () => {
    expect(() => bootstrapIntervals(y, scores, { threshold: 0.5, seed: 1, resamples: 0 })).toThrow(
      'resamples must be an integer >= 1, got 0',
    );
    expect(() => bootstrapIntervals(y, scores, { threshold: 0.5, seed: 1, level: 1 })).toThrow('level must be a number in (0, 1), got 1');
    expect(() => bootstrapIntervals(y, scores, { threshold: NaN, seed: 1 })).toThrow('threshold is NaN');
    expect(() => bootstrapIntervals(y, scores, { threshold: 0.5, seed: 0.5 })).toThrow('seed must be an integer, got 0.5');
    expect(() => bootstrapIntervals(Uint8Array.from([1, 1]), Float64Array.from([0.2, 0.3]), { threshold: 0.5, seed: 1 })).toThrow(
      'y has only positive (1) labels, a bootstrap interval of ROC AUC needs both classes',
    );
  });
});
