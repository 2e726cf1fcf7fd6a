import { SeededRandom } from '@purchase/core';
import type { Matrix } from '../model';
import { syntheticClassification } from '../../test-fixtures/synthetic-classification';
import { GradientBoostedTrees } from './gradient-boosted-trees';
import { RandomForest } from './random-forest';
import { treeDepth } from './padded-trees';
import { treeFromJson } from './tree-model-format';

/** The synthetic rows with a 4th column no split can use (constant), and a row count that leaves rows outside the blocks of eight. */
function fixture(rows: number, seed: number): { X: Matrix; y: Uint8Array } {
  const { X, y } = syntheticClassification(rows, seed, 0.1);
  const data = new Float32Array(rows * 4);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < 3; c++) data[r * 4 + c] = X.data[r * 3 + c];
    data[r * 4 + 3] = 0.5;
  }
  return { X: { data, rows, cols: 4 }, y };
}

function withColumn(X: Matrix, column: number, values: Float32Array): Matrix {
  const data = X.data.slice();
  for (let r = 0; r < X.rows; r++) data[r * X.cols + column] = values[r];
  return { ...X, data };
}

/** Replacement values: the column shuffled, or new values with NaN, ±Infinity and the column's own values mixed in. */
function replacements(X: Matrix, column: number, random: SeededRandom): Float32Array[] {
  const own = Float32Array.from({ length: X.rows }, (_, r) => X.data[r * X.cols + column]);
  const shuffled = own.slice();
  random.shuffleInPlace(shuffled);
  const mixed = Float32Array.from(own, (v) => {
    const pick = random.nextInt(6);
    return pick === 0 ? NaN : pick === 1 ? Infinity : pick === 2 ? -Infinity : pick === 3 ? v : random.next() * 4 - 2;
  });
  return [shuffled, mixed];
}

describe('columnReplacementScorer (tree models)', () => {
  const { X, y } = fixture(1203, 4);
  const test = fixture(1003, 5).X;

  it.each([
    ['boosted trees', () => new GradientBoostedTrees({ nEstimators: 40, maxDepth: 4, subsample: 0.8, colsampleByTree: 0.7, seed: 3 })],
    ['boosted trees, lossguide', () => new GradientBoostedTrees({ nEstimators: 15, growPolicy: 'lossguide', maxDepth: 6, maxLeaves: 11, seed: 3 })],
    ['forest', () => new RandomForest({ nEstimators: 25, maxDepth: 7, seed: 3 })],
  ])('%s: every replaced column scores exactly as predictProba of the modified matrix', async (_name, create) => {
    const model = create();
    await model.fit(X, y);
    const scorer = model.columnReplacementScorer(test);
    if (scorer === null) throw new Error('expected a scorer for trees of bounded depth');
    const random = new SeededRandom(11);
    for (let column = 0; column < test.cols; column++) {
      for (const values of replacements(test, column, random)) {
        const expected = model.predictProba(withColumn(test, column, values));
        expect(scorer.predictProbaWithColumn(column, values)).toEqual(expected);
      }
    }
    // The column no split uses changes nothing; the intact column gives the intact scores.
    const intact = model.predictProba(test);
    expect(scorer.predictProbaWithColumn(3, new Float32Array(test.rows).fill(NaN))).toEqual(intact);
    expect(scorer.predictProbaWithColumn(0, Float32Array.from({ length: test.rows }, (_, r) => test.data[r * 4]))).toEqual(intact);
    // Scoring leaves nothing behind: a later call is unaffected by an earlier one.
    const values = replacements(test, 1, random)[1];
    const first = scorer.predictProbaWithColumn(1, values);
    scorer.predictProbaWithColumn(2, replacements(test, 2, random)[0]);
    expect(scorer.predictProbaWithColumn(1, values)).toEqual(first);
  });

  it('says exactly what is wrong with a column or its values', async () => {
    const model = new GradientBoostedTrees({ nEstimators: 3, maxDepth: 2 });
    await model.fit(X, y);
    const scorer = model.columnReplacementScorer(test);
    if (scorer === null) throw new Error('expected a scorer');
    expect(() => scorer.predictProbaWithColumn(4, new Float32Array(test.rows))).toThrow('column must be an integer in [0, 3], got 4');
    expect(() => scorer.predictProbaWithColumn(1, new Float32Array(7))).toThrow('7 values for column 1, X has 1003 rows');
    expect(() => model.columnReplacementScorer({ data: new Float32Array(6), rows: 2, cols: 3 })).toThrow('X has 3 columns, the model was fitted on 4');
  });

  it('has no faster way (null) for trees too deep for the complete layout', async () => {
    const model = new GradientBoostedTrees({ nEstimators: 2, growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 200, minChildWeight: 0, seed: 1 });
    const big = fixture(6000, 6);
    await model.fit(big.X, big.y);
    expect(Math.max(...model.toJSON().trees.map((t) => treeDepth(treeFromJson(t))))).toBeGreaterThan(12);
    expect(model.columnReplacementScorer(test)).toBeNull();
  });
});
