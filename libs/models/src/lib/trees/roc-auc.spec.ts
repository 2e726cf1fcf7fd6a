import { rocAuc } from './roc-auc';

describe('rocAuc', () => {
  it('counts each positive-negative pair ordered right as 1 and each tie as 1/2', () => {
    // Positives 0.3 0.8 0.4, negatives 0.1 0.4. Pairs: 0.3>0.1 (1), 0.3<0.4 (0), 0.8>0.1 (1),
    // 0.8>0.4 (1), 0.4>0.1 (1), 0.4=0.4 (1/2): 4.5 of 6.
    expect(rocAuc(Float64Array.of(0.1, 0.4, 0.3, 0.8, 0.4), Uint8Array.of(0, 0, 1, 1, 1))).toBe(4.5 / 6);
    expect(rocAuc(Float64Array.of(1, 2, 3), Uint8Array.of(0, 1, 1))).toBe(1);
    expect(rocAuc(Float64Array.of(1, 1, 1), Uint8Array.of(0, 1, 1))).toBe(0.5);
  });

  it('is NaN with a single class', () => {
    expect(rocAuc(Float64Array.of(1, 2), Uint8Array.of(1, 1))).toBeNaN();
  });
});
