import { rocAuc } from './roc-auc';

describe('rocAuc', () => {
  it('counts each positive-negative pair ordered right as 1 and each tie as 1/2', () => {
    // Positives 0.3 0.8 0.4, negatives 0.1 0.4. Pairs: 0.3>0.1 (1), 0.3<0.4 (0), 0.8>0.1 (1),
    // 0.8>0.4 (1), 0.4>0.1 (1), 0.4=0.4 (1/2): 4.5 of 6.
    expect(rocAuc(Uint8Array.of(0, 0, 1, 1, 1), Float64Array.of(0.1, 0.4, 0.3, 0.8, 0.4))).toBe(4.5 / 6);
    expect(rocAuc(Uint8Array.of(0, 1, 1), Float32Array.of(1, 2, 3))).toBe(1);
    expect(rocAuc(Uint8Array.of(0, 1, 1), Float64Array.of(1, 1, 1))).toBe(0.5);
    expect(rocAuc(Uint8Array.of(1, 1, 0), Float64Array.of(1, 2, 3))).toBe(0);
  });

  it('refuses a single class and inputs that are not labels and finite scores', () => {
    expect(() => rocAuc(Uint8Array.of(1, 1), Float64Array.of(1, 2))).toThrow(new Error('y has only positive (1) labels, ROC AUC needs both classes'));
    expect(() => rocAuc(Uint8Array.of(0, 1), Float64Array.of(1))).toThrow(new Error('y has 2 labels, scores has 1 values'));
    expect(() => rocAuc(Uint8Array.of(0, 1), Float64Array.of(1, NaN))).toThrow(new Error('scores[1] is NaN, scores must be finite numbers'));
  });
});
