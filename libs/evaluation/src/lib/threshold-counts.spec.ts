import { thresholdCounts } from './threshold-counts';

describe('thresholdCounts', () => {
  it('accumulates tp and fp per distinct score, highest first, keeping ties together', () => {
    const y = Uint8Array.from([1, 0, 1, 0, 1, 0]);
    const scores = Float64Array.from([0.9, 0.9, 0.5, 0.5, 0.5, 0.1]);
    const c = thresholdCounts(y, scores);
    expect(Array.from(c.thresholds)).toEqual([0.9, 0.5, 0.1]);
    expect(Array.from(c.tps)).toEqual([1, 3, 3]);
    expect(Array.from(c.fps)).toEqual([1, 2, 3]);
    expect([c.positives, c.negatives]).toEqual([3, 3]);
  });

  it('validates its inputs', () => {
    expect(() => thresholdCounts(Uint8Array.from([1]), Float64Array.from([0.1, 0.2]))).toThrow(
      'y has 1 labels, scores has 2 values',
    );
  });
});
