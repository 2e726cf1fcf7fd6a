import { stratifiedFolds } from './stratified-folds';

describe('stratifiedFolds', () => {
  const y = Uint8Array.from({ length: 103 }, (_, i) => (i % 4 === 0 ? 1 : 0));

  it('puts every row in one fold, each fold holding its share of each class', () => {
    const fold = stratifiedFolds(y, 5, 7);
    for (let k = 0; k < 5; k++) {
      const rows = [...fold.keys()].filter((i) => fold[i] === k);
      const positives = rows.filter((i) => y[i] === 1).length;
      expect([5, 6]).toContain(positives); // 26 positives over 5 folds
      expect([15, 16]).toContain(rows.length - positives); // 77 negatives
    }
  });

  it('is reproducible from the seed, and another seed deals other folds', () => {
    expect(stratifiedFolds(y, 5, 7)).toEqual(stratifiedFolds(y, 5, 7));
    expect(stratifiedFolds(y, 5, 8)).not.toEqual(stratifiedFolds(y, 5, 7));
  });

  it('refuses folds a class cannot fill', () => {
    expect(() => stratifiedFolds(Uint8Array.from([1, 1, 0, 0, 0]), 3, 0)).toThrow('3 stratified folds need at least 3 rows of each class; class 1 has 2');
    expect(() => stratifiedFolds(y, 1, 0)).toThrow('folds must be an integer >= 2, got 1');
  });
});
