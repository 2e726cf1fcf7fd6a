import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FitProgress, Matrix } from '../model';
import { loadTreeModel } from './load-tree-model';
import { RandomForest } from './random-forest';
import { rocAuc } from '@purchase/core';
import { syntheticClassification } from '../../test-fixtures/synthetic-classification';
import { ROWS_PER_THREAD } from './training-rows';

const auc = (p: Float32Array, y: Uint8Array) => rocAuc(y, p);

describe('RandomForest', () => {
  it('grows a least-squares tree whose leaves hold the share of positives (checked by hand)', async () => {
    // x = 1..6, y = 0 0 0 1 0 1; gradient -y, hessian 1, no penalty. Splitting after k rows gains
    // S_L^2/n_L + S_R^2/n_R - S^2/n (S = positives), the Gini decrease:
    //   k=3: 0/3 + 4/3 - 4/6 = 2/3 (best);  k=4: 1/4 + 1/2 - 2/3 = 1/12;  k=5: 1/5 + 1/1 - 2/3 = 8/15
    // Leaves: 0/3 positives left, 2/3 right.
    const X: Matrix = { data: Float32Array.of(1, 2, 3, 4, 5, 6), rows: 6, cols: 1 };
    const forest = new RandomForest({ nEstimators: 1, bootstrap: false, maxFeatures: 'all', maxDepth: 1 });
    await forest.fit(X, Uint8Array.of(0, 0, 0, 1, 0, 1));
    const tree = forest.toJSON().trees[0];
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.splitBin[0]).toBe(2);
    expect(tree.gain[0]).toBeCloseTo(2 / 3, 6);
    expect(tree.value.slice(1)).toEqual([0, 2 / 3]);
    expect(Array.from(forest.predictProba(X))).toEqual([0, 0, 0, 2 / 3, 2 / 3, 2 / 3].map(Math.fround));
    expect(forest.outOfBag).toBeNull();
  });

  const train = syntheticClassification(1500, 1, 0.1);
  const test = syntheticClassification(1500, 2, 0.1);

  it('scores itself out of bag close to its score on unseen data', async () => {
    const forest = new RandomForest({ nEstimators: 30, maxDepth: 8, seed: 1 });
    await forest.fit(train.X, train.y);
    const oob = forest.outOfBag!;
    const testAuc = auc(forest.predictProba(test.X), test.y);
    expect(testAuc).toBeGreaterThan(0.78);
    expect(oob.auc).toBeGreaterThan(0.7);
    expect(oob.auc).toBeLessThan(0.95);
    expect(Math.abs(oob.auc - testAuc)).toBeLessThan(0.04);
    expect(oob.accuracy).toBeGreaterThan(0.6);
    expect(oob.accuracy).toBeLessThan(0.95);
    // A row is out of a bootstrap with chance (1 - 1/n)^n ~ 0.37: with 30 trees almost every row is scored.
    expect(oob.rows).toBeGreaterThan(1490);
    expect(oob.rows).toBeLessThanOrEqual(1500);
    expect(forest.describe().training).toMatchObject({ trees: 30, featuresPerSplit: 1, trainingRows: 1500 });
  });

  it('gives probabilities in [0, 1], the same ones from the same seed', async () => {
    const fit = async (seed: number) => {
      const forest = new RandomForest({ nEstimators: 5, seed });
      await forest.fit(train.X, train.y);
      return forest.predictProba(test.X);
    };
    const a = await fit(4);
    expect(a.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(await fit(4)).toEqual(a);
    expect(await fit(5)).not.toEqual(a);
  });

  it('ranks the informative feature first', async () => {
    const forest = new RandomForest({ nEstimators: 10, maxDepth: 4, maxFeatures: 'all' });
    await forest.fit(train.X, train.y);
    const { gain } = forest.featureImportance();
    expect(gain[0]).toBeGreaterThan(gain[1]);
    expect(gain[1]).toBeGreaterThan(gain[2]);
  });

  it('loads a saved forest that predicts bit-identically', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'forest-'));
    try {
      const forest = new RandomForest({ nEstimators: 8, maxFeatures: 0.5 });
      await forest.fit(train.X, train.y);
      await forest.save(dir);
      const loaded = await loadTreeModel(dir);
      expect(loaded).toBeInstanceOf(RandomForest);
      expect(Buffer.from(loaded.predictProba(test.X).buffer)).toEqual(Buffer.from(forest.predictProba(test.X).buffer));
      expect(loaded.describe()).toEqual(forest.describe());
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('saves the same forest, byte for byte, on one thread and on two', async () => {
    const big = syntheticClassification(3 * ROWS_PER_THREAD, 13, 0.1);
    const validation = syntheticClassification(5000, 14, 0.1);
    const saved: string[] = [];
    const losses: (number | undefined)[][] = [];
    for (const threads of [1, 2]) {
      const forest = new RandomForest({ nEstimators: 6, maxDepth: 10, seed: 2, threads });
      const events: FitProgress[] = [];
      await forest.fit(big.X, big.y, { validation, onProgress: (p) => events.push(p) });
      saved.push(JSON.stringify(forest.toJSON()));
      losses.push(events.map((e) => e.validationLoss));
    }
    expect(saved[1]).toBe(saved[0]);
    expect(losses[1]).toEqual(losses[0]);
    // The validation log-loss of the forest so far: a mean of more trees is a better one.
    const [first, last] = [losses[0][0]!, losses[0][5]!];
    expect(last).toBeGreaterThan(0);
    expect(last).toBeLessThan(first);
  });

  it('checks its hyperparameters', () => {
    expect(() => new RandomForest({ maxFeatures: 'half' as 'sqrt' })).toThrow('maxFeatures must be one of "sqrt", "log2", "all", got "half"');
    expect(() => new RandomForest({ maxFeatures: 1.5 })).toThrow('maxFeatures must be a number in (0, 1], got 1.5');
    expect(() => new RandomForest({ minSamplesLeaf: 0 })).toThrow('minSamplesLeaf must be a number > 0, got 0');
  });
});
