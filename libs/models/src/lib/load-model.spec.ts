import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { loadModel } from './load-model';
import { GradientBoostedTrees } from './trees/gradient-boosted-trees';
import { LogisticRegression } from './tfjs/logistic-regression';
import type { Matrix } from './model';

describe('loadModel', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'load-model-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  // x0 decides the label; x1 is noise.
  const rows = 200;
  const data = new Float32Array(rows * 2);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    data[2 * i] = (i % 20) / 20;
    data[2 * i + 1] = ((i * 7) % 13) / 13;
    y[i] = data[2 * i] > 0.5 ? 1 : 0;
  }
  const X: Matrix = { data, rows, cols: 2 };

  it('loads a saved tree model and a saved tfjs model by what their directory holds', async () => {
    const trees = new GradientBoostedTrees({ nEstimators: 5, maxDepth: 2, seed: 1 });
    await trees.fit(X, y);
    await trees.save(path.join(dir, 'trees'));
    const lr = new LogisticRegression();
    await lr.fit(X, y);
    await lr.save(path.join(dir, 'lr'));

    const loadedTrees = await loadModel(path.join(dir, 'trees'));
    const loadedLr = await loadModel(path.join(dir, 'lr'));
    expect(loadedTrees.kind).toBe('gbdt');
    expect(loadedLr.kind).toBe('logistic_regression');
    expect(loadedTrees.predictProba(X)).toEqual(trees.predictProba(X));
    expect(loadedLr.predictProba(X)).toEqual(lr.predictProba(X));
    lr.dispose();
    loadedLr.dispose();
  });

  it('says what it expected when a directory holds no model', async () => {
    const empty = path.join(dir, 'empty');
    await mkdir(empty);
    await expect(loadModel(empty)).rejects.toThrow(
      `${empty} holds no model: expected model.json (tfjs layers format) or trees.json (trees)`,
    );
  });
});
