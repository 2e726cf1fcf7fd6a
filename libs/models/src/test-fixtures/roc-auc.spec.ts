import { rocAuc } from './roc-auc';

describe('rocAuc (test support)', () => {
  it('counts the share of positive-negative pairs ranked correctly, ties as one half', () => {
    // Pairs (pos, neg): (0.35, 0.1) yes, (0.35, 0.4) no, (0.8, 0.1) yes, (0.8, 0.4) yes -> 3/4.
    expect(rocAuc(Uint8Array.from([0, 0, 1, 1]), [0.1, 0.4, 0.35, 0.8])).toBe(0.75);
    expect(rocAuc(Uint8Array.from([0, 1, 0, 1]), [0.5, 0.5, 0.2, 0.9])).toBe(0.875);
    expect(rocAuc(Uint8Array.from([1, 0]), [0.2, 0.9])).toBe(0);
  });
});
