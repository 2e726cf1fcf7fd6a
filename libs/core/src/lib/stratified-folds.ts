import { SeededRandom } from './seeded-random';

/**
 * The fold (0 .. folds - 1) of every row, stratified by label: each class is shuffled by the seed
 * and dealt round-robin, so every fold holds about 1/folds of each class. Throws when a class has
 * fewer rows than folds (a fold would miss it).
 */
export function stratifiedFolds(y: Uint8Array, folds: number, seed: number): Int32Array {
  if (!Number.isInteger(folds) || folds < 2) throw new Error(`folds must be an integer >= 2, got ${folds}`);
  const random = new SeededRandom(seed);
  const fold = new Int32Array(y.length);
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < y.length; i++) if (y[i] === label) rows.push(i);
    if (rows.length < folds) throw new Error(`${folds} stratified folds need at least ${folds} rows of each class; class ${label} has ${rows.length}`);
    random.shuffleInPlace(rows);
    rows.forEach((row, k) => (fold[row] = k % folds));
  }
  return fold;
}
