import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FitProgress, Matrix } from '../model';
import { GradientBoostedTrees } from './gradient-boosted-trees';
import { loadTreeModel } from './load-tree-model';
import { logLoss, NotFittedError, rocAuc } from '@purchase/core';
import { syntheticClassification } from '../../test-fixtures/synthetic-classification';
import type { TreeJson } from './tree-model-format';
import { ROWS_PER_THREAD } from './training-rows';

function matrix(rows: number[][]): Matrix {
  return { data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length };
}

const auc = (p: Float32Array, y: Uint8Array) => rocAuc(y, p);
const leafCount = (t: TreeJson) => t.feature.filter((f) => f === -1).length;
function depth(t: TreeJson, node = 0): number {
  return t.feature[node] === -1 ? 0 : 1 + Math.max(depth(t, t.left[node]), depth(t, t.right[node]));
}

describe('GradientBoostedTrees on a dataset checked by hand', () => {
  // x = 1..6, y = 0 0 0 1 0 1. Prior 1/3, so the base score is logit(1/3) = ln(1/2) and every row
  // starts at p = 1/3: g = p - y = 1/3 for negatives and -2/3 for positives, h = p(1-p) = 2/9.
  // G = 4/3 - 4/3 = 0, so the parent term G^2/(H+1) is 0. With lambda = 1, splitting after k rows:
  //   k=1: (1/3)^2/(2/9+1) + (1/3)^2/(10/9+1) = 1/11 + 1/19 = 0.1435
  //   k=2: (2/3)^2/(4/9+1) + (2/3)^2/(8/9+1)  = 4/13 + 4/17 = 0.5430
  //   k=3: 1^2/(2/3+1) + 1^2/(2/3+1)          = 3/5 + 3/5  = 1.2     <- best: x <= 3.5
  //   k=4: 1/17 + 1/13 = 0.1357;  k=5: 4/19 + 4/11 = 0.5742
  // Leaves: -G/(H+lambda) * learningRate = -(1)/(5/3) * 0.5 = -0.3 (left), +0.3 (right).
  const X = matrix([[1], [2], [3], [4], [5], [6]]);
  const y = Uint8Array.from([0, 0, 0, 1, 0, 1]);
  const options = { nEstimators: 1, maxDepth: 1, learningRate: 0.5, minChildWeight: 0 };

  it('finds the best split, its gain and the leaf values', async () => {
    const model = new GradientBoostedTrees(options);
    await model.fit(X, y);
    const doc = model.toJSON();
    expect(doc.baseScore).toBeCloseTo(Math.log(0.5), 12);
    expect(doc.binCuts).toEqual([[1.5, 2.5, 3.5, 4.5, 5.5]]);
    const tree = doc.trees[0];
    expect(tree.feature).toEqual([0, -1, -1]);
    expect(tree.splitBin).toEqual([2, 0, 0]);
    expect(tree.gain[0]).toBeCloseTo(1.2, 6);
    expect(tree.value[1]).toBeCloseTo(-0.3, 6);
    expect(tree.value[2]).toBeCloseTo(0.3, 6);
    expect(tree.cover[0]).toBeCloseTo(6 * (2 / 9), 6);
    // p = 1 / (1 + 2 e^{0.3}) on the left, 1 / (1 + 2 e^{-0.3}) on the right.
    const p = model.predictProba(matrix([[1], [3.5], [3.6], [100]]));
    expect(Array.from(p).map((v) => +v.toFixed(5))).toEqual([0.27029, 0.27029, 0.40296, 0.40296]);
  });

  it('makes no split minChildWeight forbids, and then predicts the training prior', async () => {
    // The best split leaves H = 2/3 on each side, below minChildWeight 0.7; every other split has a
    // side below 0.7 too, so the tree is one leaf with value -G/(H+1) = 0.
    const model = new GradientBoostedTrees({ ...options, minChildWeight: 0.7 });
    await model.fit(X, y);
    expect(model.toJSON().trees[0].feature).toEqual([-1]);
    expect(Array.from(model.predictProba(X)).every((v) => Math.abs(v - 1 / 3) < 1e-6)).toBe(true);
  });

  it('makes no split that does not pay gamma', async () => {
    const split = new GradientBoostedTrees({ ...options, gamma: 1.19 });
    await split.fit(X, y);
    expect(split.toJSON().trees[0].gain[0]).toBeCloseTo(1.2 - 1.19, 6);
    const none = new GradientBoostedTrees({ ...options, gamma: 1.21 });
    await none.fit(X, y);
    expect(none.toJSON().trees[0].feature).toEqual([-1]);
  });
});

describe('GradientBoostedTrees with missing values', () => {
  // x = 1 for negatives, 2 for positives; the rows with x missing are all `missingLabel`. The split
  // x <= 1.5 separates the known rows; the missing ones must follow the side of their own label.
  const rows = (missingLabel: number) => {
    const x = [1, 1, 1, 1, 2, 2, 2, 2, NaN, NaN, NaN, NaN];
    const y = [0, 0, 0, 0, 1, 1, 1, 1, missingLabel, missingLabel, missingLabel, missingLabel];
    return { X: matrix(x.map((v) => [v])), y: Uint8Array.from(y) };
  };

  it.each([
    [0, 1],
    [1, 0],
  ])('sends missing values left when they look like the left side (missing label %i -> defaultLeft %i)', async (label, expected) => {
    const { X, y } = rows(label);
    const model = new GradientBoostedTrees({ nEstimators: 1, maxDepth: 1, learningRate: 1, minChildWeight: 0 });
    await model.fit(X, y);
    const tree = model.toJSON().trees[0];
    expect(tree.feature[0]).toBe(0);
    expect(tree.defaultLeft[0]).toBe(expected);
    const [pNaN, pLeft, pRight] = model.predictProba(matrix([[NaN], [1], [2]]));
    expect(pNaN).toBe(label === 0 ? pLeft : pRight);
  });

  it('with no missing value in training, sends unseen ones to the side with more hessian', async () => {
    const X = matrix([[1], [1], [1], [1], [1], [2], [2]]);
    const model = new GradientBoostedTrees({ nEstimators: 1, maxDepth: 1, learningRate: 1, minChildWeight: 0 });
    await model.fit(X, Uint8Array.from([0, 0, 0, 0, 0, 1, 1]));
    expect(model.toJSON().trees[0].defaultLeft[0]).toBe(1);
  });
});

describe('GradientBoostedTrees training', () => {
  const train = syntheticClassification(1500, 1, 0.1);
  const test = syntheticClassification(1500, 2, 0.1);

  it('learns the synthetic signal', async () => {
    const model = new GradientBoostedTrees({ nEstimators: 40, maxDepth: 3 });
    await model.fit(train.X, train.y);
    // The Bayes AUC of this process is about 0.88 (without missing cells); noise-free trees get close.
    expect(auc(model.predictProba(test.X), test.y)).toBeGreaterThan(0.8);
  });

  it('stops early on validation log-loss and keeps the best iteration', async () => {
    // Pure noise: validation loss only gets worse after the first rounds, so fitting must stop.
    const noise = syntheticClassification(400, 3);
    const labels = Uint8Array.from(syntheticClassification(400, 4).y);
    const validation = { X: syntheticClassification(400, 5).X, y: syntheticClassification(400, 6).y };
    const events: FitProgress[] = [];
    const model = new GradientBoostedTrees({ nEstimators: 200, learningRate: 0.3, earlyStoppingRounds: 5 });
    await model.fit(noise.X, labels, { validation, onProgress: (p) => events.push(p) });

    const t = model.training!;
    expect(t.stoppedEarly).toBe(true);
    expect(t.roundsRun).toBe(t.bestIteration! + 1 + 5);
    expect(t.trees).toBe(t.bestIteration! + 1);
    expect(model.toJSON().trees).toHaveLength(t.trees);
    expect(events).toHaveLength(t.roundsRun);
    const losses = events.map((e) => e.validationLoss!);
    expect(Math.min(...losses)).toBe(t.bestValidationLoss);
    expect(losses.indexOf(t.bestValidationLoss!)).toBe(t.bestIteration);
    // The kept model scores the best round's loss (within float32 output rounding).
    expect(logLoss(validation.y, model.predictProba(validation.X))).toBeCloseTo(t.bestValidationLoss!, 5);
  });

  it('reports progress once per tree, with a falling training loss', async () => {
    const events: FitProgress[] = [];
    await new GradientBoostedTrees({ nEstimators: 5 }).fit(train.X, train.y, { onProgress: (p) => events.push(p) });
    expect(events.map((e) => e.step)).toEqual([1, 2, 3, 4, 5]);
    expect(events.every((e) => e.totalSteps === 5 && e.validationLoss === undefined)).toBe(true);
    const losses = events.map((e) => e.trainLoss!);
    expect(losses.every((l, i) => i === 0 || l < losses[i - 1])).toBe(true);
  });

  it.each([
    ['depthwise', {}],
    ['depthwise on a subsample', { subsample: 0.7 }],
    ['lossguide', { growPolicy: 'lossguide' as const, maxDepth: 0, maxLeaves: 12 }],
  ])('keeps, %s, training margins equal to what the fitted trees predict', async (_how, options) => {
    // The booster moves each row's margin from where the grower left the row, not by traversal:
    // its last reported training loss must be the loss of the model's own predictions.
    let last: FitProgress | undefined;
    const model = new GradientBoostedTrees({ nEstimators: 12, ...options });
    await model.fit(train.X, train.y, { onProgress: (p) => (last = p) });
    expect(logLoss(train.y, model.predictProba(train.X))).toBeCloseTo(last!.trainLoss!, 5);
  });

  it('grows the same trees from the same seed, and others from another seed', async () => {
    const options = { nEstimators: 8, subsample: 0.7, colsampleByTree: 0.67, seed: 11 };
    const fit = async (seed: number) => {
      const model = new GradientBoostedTrees({ ...options, seed });
      await model.fit(train.X, train.y);
      return JSON.stringify(model.toJSON().trees);
    };
    const a = await fit(11);
    expect(await fit(11)).toBe(a);
    expect(await fit(12)).not.toBe(a);
  });

  it('grows depth-wise within maxDepth and leaf-wise within maxLeaves', async () => {
    const depthwise = new GradientBoostedTrees({ nEstimators: 10, maxDepth: 3 });
    await depthwise.fit(train.X, train.y);
    const lossguide = new GradientBoostedTrees({ nEstimators: 10, growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 6 });
    await lossguide.fit(train.X, train.y);

    expect(Math.max(...depthwise.toJSON().trees.map(depth))).toBe(3);
    expect(Math.max(...lossguide.toJSON().trees.map(leafCount))).toBe(6);
    expect(auc(depthwise.predictProba(test.X), test.y)).toBeGreaterThan(0.8);
    expect(auc(lossguide.predictProba(test.X), test.y)).toBeGreaterThan(0.8);
  });

  it('splits, leaf-wise, the leaf whose best split gains most', async () => {
    // Depth-wise to depth 2 shows the two children's best gains; lossguide with 3 leaves makes one
    // of those two splits: the larger.
    const d2 = new GradientBoostedTrees({ nEstimators: 1, maxDepth: 2 });
    await d2.fit(train.X, train.y);
    const lg = new GradientBoostedTrees({ nEstimators: 1, growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 3 });
    await lg.fit(train.X, train.y);
    const full = d2.toJSON().trees[0];
    const three = lg.toJSON().trees[0];
    const [l, r] = [full.left[0], full.right[0]];
    const bigger = full.gain[l] >= full.gain[r] ? 'left' : 'right';
    expect(leafCount(three)).toBe(3);
    expect(three.feature[three[bigger][0]]).toBe(full.feature[full[bigger][0]]);
    expect(three.gain[three[bigger][0]]).toBe(Math.max(full.gain[l], full.gain[r]));
  });

  it('ranks features by gain and counts their splits', async () => {
    const model = new GradientBoostedTrees({ nEstimators: 20, maxDepth: 3 });
    await model.fit(train.X, train.y);
    const { gain, totalGain, splits } = model.featureImportance();
    expect(gain.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(gain[0]).toBeGreaterThan(gain[1]);
    expect(gain[1]).toBeGreaterThan(gain[2]);
    expect(gain[2]).toBeLessThan(0.1);
    const trees = model.toJSON().trees;
    const innerNodes = trees.reduce((n, t) => n + t.feature.filter((f) => f >= 0).length, 0);
    expect(splits.reduce((a, b) => a + b, 0)).toBe(innerNodes);
    expect(totalGain[0] / gain[0]).toBeCloseTo(totalGain[1] / gain[1], 6);
  });
});

describe('GradientBoostedTrees on several threads', () => {
  // Enough rows for two threads (one per ROWS_PER_THREAD rows), with missing values.
  const big = syntheticClassification(3 * ROWS_PER_THREAD, 11, 0.1);
  const validation = syntheticClassification(5000, 12, 0.1);

  it.each([
    ['depthwise, subsampled, with validation', { nEstimators: 12, maxDepth: 5, subsample: 0.7, colsampleByTree: 0.67, seed: 5 }],
    ['lossguide', { nEstimators: 8, growPolicy: 'lossguide' as const, maxDepth: 0, maxLeaves: 20, seed: 6 }],
  ])('saves the same model, byte for byte, on one thread and on two: %s', async (_how, options) => {
    const saved: string[] = [];
    const losses: (number | undefined)[][] = [];
    for (const threads of [1, 2]) {
      const model = new GradientBoostedTrees({ ...options, threads });
      const events: FitProgress[] = [];
      await model.fit(big.X, big.y, { validation, onProgress: (p) => events.push(p) });
      saved.push(JSON.stringify(model.toJSON()));
      losses.push(events.flatMap((e) => [e.trainLoss, e.validationLoss]));
    }
    expect(saved[1]).toBe(saved[0]);
    expect(losses[1]).toEqual(losses[0]);
    // The thread count is no hyperparameter: nothing of it is saved.
    expect(saved[0]).not.toContain('threads');
  });

  it('checks the thread count', () => {
    expect(() => new GradientBoostedTrees({ threads: 0 })).toThrow('threads must be an integer >= 1, got 0');
  });
});

describe('GradientBoostedTrees persistence', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'gbdt-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('loads a saved model that predicts bit-identically and describes itself the same', async () => {
    const { X, y } = syntheticClassification(800, 7, 0.15);
    const model = new GradientBoostedTrees({ nEstimators: 15, subsample: 0.8, seed: 3 });
    await model.fit(X, y, { featureNames: ['a', 'b', 'c'] });
    await model.save(path.join(dir, 'm'));
    await model.save(path.join(dir, 'm')); // replacing an existing model works too

    const loaded = await loadTreeModel(path.join(dir, 'm'));
    expect(loaded).toBeInstanceOf(GradientBoostedTrees);
    const probe = syntheticClassification(500, 8, 0.3).X;
    expect(Buffer.from(loaded.predictProba(probe).buffer)).toEqual(Buffer.from(model.predictProba(probe).buffer));
    expect(loaded.describe()).toEqual(model.describe());
    expect(loaded.describe().featureNames).toEqual(['a', 'b', 'c']);
    const doc = JSON.parse(await readFile(path.join(dir, 'm', 'trees.json'), 'utf8'));
    expect([doc.format, doc.formatVersion, doc.kind, doc.inputWidth]).toEqual(['purchase-tree-ensemble', 1, 'gbdt', 3]);
  });
});

describe('GradientBoostedTrees errors', () => {
  const { X, y } = syntheticClassification(50, 9);

  it('rejects X of another width than it was fitted on', async () => {
    const model = new GradientBoostedTrees({ nEstimators: 2 });
    await model.fit(X, y);
    expect(() => model.predictProba(matrix([[1, 2]]))).toThrow('X has 2 columns, the model was fitted on 3');
  });

  it('refuses to predict before fit', () => {
    expect(() => new GradientBoostedTrees().predictProba(X)).toThrow(NotFittedError);
    expect(() => new GradientBoostedTrees().predictProba(X)).toThrow(
      'GradientBoostedTrees is not fitted, call fit() or load a saved model first',
    );
  });

  it('checks hyperparameters at construction', () => {
    expect(() => new GradientBoostedTrees({ learningRate: 0 })).toThrow('learningRate must be a number in (0, 1], got 0');
    expect(() => new GradientBoostedTrees({ maxBins: 256 })).toThrow('maxBins must be an integer in [2, 255], got 256');
    expect(() => new GradientBoostedTrees({ nEstimators: 2.5 })).toThrow('nEstimators must be an integer >= 1, got 2.5');
    expect(() => new GradientBoostedTrees({ growPolicy: 'best' as 'lossguide' })).toThrow(
      'growPolicy must be one of "depthwise", "lossguide", got "best"',
    );
    expect(() => new GradientBoostedTrees({ max_depth: 3 } as object)).toThrow(
      'unknown hyperparameter "max_depth" (known: nEstimators, learningRate, maxDepth, maxLeaves, growPolicy, minChildWeight, lambda, gamma, subsample, colsampleByTree, maxBins, earlyStoppingRounds, seed)',
    );
  });

  it('checks what fit is given', async () => {
    const model = new GradientBoostedTrees();
    await expect(model.fit(X, y.subarray(1))).rejects.toThrow('y has 49 labels, X has 50 rows');
    await expect(model.fit(X, new Uint8Array(50))).rejects.toThrow('y has only negative (0) labels, fitting needs both classes');
    await expect(model.fit({ ...X, rows: 51 }, y)).rejects.toThrow('X.data has 150 values, 51 rows x 3 columns need 153');
    await expect(model.fit(X, y, { featureNames: ['a'] })).rejects.toThrow('featureNames has 1 names, X has 3 columns');
    await expect(model.fit(X, y, { validation: { X: matrix([[1, 2]]), y: Uint8Array.of(1) } })).rejects.toThrow(
      'validation X has 2 columns, X has 3',
    );
    const twos = Uint8Array.from(y, (v) => v * 2);
    await expect(model.fit(X, twos)).rejects.toThrow(/^y\[\d+\] is 2, labels must be 0 or 1$/);
  });
});
