import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SeededRandom } from '@purchase/core';
import { verifyBundle } from '@purchase/inference';
import type { FeatureMatrix } from '@purchase/features';
import { loadModel } from '@purchase/models';
import { CANDIDATES, GBDT_TUNING_DEFAULTS, MLP_HIDDEN_LAYERS, MLP_TUNING_DEFAULTS, RF_TUNING_DEFAULTS, type GbdtTuning, type MlpTuning, type RfTuning } from './candidates';
import { sessionsTraining } from '../test-fixtures/sessions-training';
import { trainAndPublish } from './train-and-publish';
import { tuneCandidate } from './tune-candidate';

function matrix(data: Float32Array, rows: number, cols: number): FeatureMatrix {
  return { data, rows, cols, columnNames: Array.from({ length: cols }, (_, j) => `x${j}`) };
}

/**
 * 1,500 rows of 6 binary columns; a purchase when an odd number of the first five are 1, 5% of
 * labels flipped. A five-way interaction with no lower-order signal: a sum of trees of the default
 * depth 4 cannot represent it at all, trees of depth 6 and more isolate every cell.
 */
function interactionData(): { X: FeatureMatrix; y: Uint8Array } {
  const random = new SeededRandom(5);
  const rows = 1_500;
  const cols = 6;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    let parity = 0;
    for (let j = 0; j < cols; j++) {
      const bit = random.nextInt(2);
      data[i * cols + j] = bit;
      if (j < 5) parity ^= bit;
    }
    y[i] = parity ^ (random.next() < 0.05 ? 1 : 0);
  }
  return { X: matrix(data, rows, cols), y };
}

/**
 * 600 rows of 20 uniform columns; a purchase when x0 > 0.5, 5% of labels flipped: one split on one
 * column is the whole signal. The default forest (depth 12, leaves of 2, sqrt(20) = 4 features per
 * split) grows deep trees on the 19 noise columns and the flipped labels; a shallow forest does not.
 */
function oneStepData(): { X: FeatureMatrix; y: Uint8Array } {
  const random = new SeededRandom(3);
  const rows = 600;
  const cols = 20;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) data[i * cols + j] = random.next();
    y[i] = (data[i * cols] > 0.5 ? 1 : 0) ^ (random.next() < 0.05 ? 1 : 0);
  }
  return { X: matrix(data, rows, cols), y };
}

/**
 * 200 rows of 2 columns uniform on [-1, 1]; a purchase inside the circle of radius sqrt(0.5), 5% of
 * labels flipped. On 100 fitting rows an epoch is 2 batches of 64: at the default learning rate
 * (1e-3) the net has not found the circle before the noisy held-out loss of 100 rows stops it
 * (patience 15); a learning rate several times higher gets there first.
 */
function circleData(): { X: FeatureMatrix; y: Uint8Array } {
  const random = new SeededRandom(3);
  const rows = 200;
  const data = new Float32Array(rows * 2);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    data[2 * i] = 2 * random.next() - 1;
    data[2 * i + 1] = 2 * random.next() - 1;
    y[i] = (data[2 * i] ** 2 + data[2 * i + 1] ** 2 < 0.5 ? 1 : 0) ^ (random.next() < 0.05 ? 1 : 0);
  }
  return { X: matrix(data, rows, 2), y };
}

const options = (X: FeatureMatrix) => ({ seed: 42, featureNames: [...X.columnNames], onProgress: () => undefined });

/** 50 draws from seed 1 twice: the same configurations, each checked by `inside`. */
function drawTwice<T>(sample: (random: SeededRandom) => T, inside: (t: T) => void): T[] {
  const a = new SeededRandom(1);
  const b = new SeededRandom(1);
  const draws: T[] = [];
  for (let i = 0; i < 50; i++) {
    const t = sample(a);
    expect(sample(b)).toEqual(t);
    inside(t);
    draws.push(t);
  }
  return draws;
}

describe('the search spaces', () => {
  it('draw gbdt configurations inside the space, reproducibly from the seed', () => {
    drawTwice(CANDIDATES.gbdt.search!.sample, (t: GbdtTuning) => {
      expect(t.maxDepth).toBeGreaterThanOrEqual(2);
      expect(t.maxDepth).toBeLessThanOrEqual(8);
      expect(t.learningRate).toBeGreaterThanOrEqual(0.01);
      expect(t.learningRate).toBeLessThanOrEqual(0.3);
      expect(t.subsample).toBeGreaterThanOrEqual(0.5);
      expect(t.colsampleByTree).toBeLessThanOrEqual(1);
    });
  });

  it('draw random forest configurations inside the space, reproducibly from the seed', () => {
    const draws = drawTwice(CANDIDATES.rf.search!.sample, (t: RfTuning) => {
      expect(Number.isInteger(t.maxDepth) && t.maxDepth >= 3 && t.maxDepth <= 16).toBe(true);
      expect(Number.isInteger(t.minSamplesLeaf) && t.minSamplesLeaf >= 1 && t.minSamplesLeaf <= 50).toBe(true);
      expect(typeof t.maxFeatures === 'number' && t.maxFeatures >= 0.1 && t.maxFeatures < 0.9).toBe(true);
    });
    // Log-uniform: a leaf size below 7 (about the geometric middle of 1..50) about half the time.
    expect(draws.filter((t) => t.minSamplesLeaf < 7).length).toBeGreaterThan(15);
    expect(new Set(draws.map((t) => t.maxDepth)).size).toBeGreaterThan(8);
  });

  it('draw dense net configurations inside the space, reproducibly from the seed', () => {
    const draws = drawTwice(CANDIDATES.mlp.search!.sample, (t: MlpTuning) => {
      expect(MLP_HIDDEN_LAYERS).toContainEqual(t.hiddenLayers);
      expect(t.dropout).toBeGreaterThanOrEqual(0);
      expect(t.dropout).toBeLessThan(0.5);
      expect(t.learningRate).toBeGreaterThanOrEqual(3e-4);
      expect(t.learningRate).toBeLessThanOrEqual(1e-2);
      expect(t.l2).toBeGreaterThanOrEqual(1e-6);
      expect(t.l2).toBeLessThanOrEqual(1e-2);
    });
    expect(new Set(draws.map((t) => t.hiddenLayers.join('-'))).size).toBe(MLP_HIDDEN_LAYERS.length);
  });
});

describe('tuneCandidate', () => {
  it('finds a deeper gbdt with a clearly lower out-of-fold log loss than the defaults where the signal is a deep interaction', async () => {
    const { X, y } = interactionData();
    const { search, outOfFold } = await tuneCandidate('gbdt', X, y, { folds: 3, repeats: 1 }, 8, options(X));
    expect(search.trials).toHaveLength(9);
    expect(search.trials[0].hyperparameters).toEqual(GBDT_TUNING_DEFAULTS);
    const best = search.trials[search.best];
    expect(best.logLoss).toBe(Math.min(...search.trials.map((t) => t.logLoss)));
    // Measured with seed 42: the defaults 0.692 (the prior's 0.693: nothing learned), depth 8 0.560.
    expect(search.trials[0].logLoss).toBeGreaterThan(0.68);
    expect(best.logLoss).toBeLessThan(search.trials[0].logLoss - 0.1);
    expect(best.hyperparameters.maxDepth).toBeGreaterThan(GBDT_TUNING_DEFAULTS.maxDepth);
    expect(outOfFold.raw).toHaveLength(y.length);
  }, 120_000);

  it('finds a shallower forest with a lower out-of-fold log loss than the defaults where one split is the whole signal', async () => {
    const { X, y } = oneStepData();
    const { search } = await tuneCandidate('rf', X, y, { folds: 3, repeats: 1 }, 4, options(X));
    expect(search.trials[0].hyperparameters).toEqual(RF_TUNING_DEFAULTS);
    const best = search.trials[search.best];
    // Measured with seed 42: the defaults 0.310, depth 3 0.269 (the labels' own noise: 0.199).
    expect(best.logLoss).toBeLessThan(search.trials[0].logLoss - 0.03);
    expect(best.hyperparameters.maxDepth).toBeLessThan(RF_TUNING_DEFAULTS.maxDepth);
    // A forest does not stop early: no steps, and the report names none.
    expect(search.trials.every((t) => t.steps === undefined)).toBe(true);
  }, 60_000);

  it('finds a faster-learning dense net with a clearly lower out-of-fold log loss than the defaults where the defaults stop before they learn', async () => {
    const { X, y } = circleData();
    const { search } = await tuneCandidate('mlp', X, y, { folds: 2, repeats: 1 }, 8, options(X));
    expect(search.trials).toHaveLength(9);
    expect(search.trials[0].hyperparameters).toEqual(MLP_TUNING_DEFAULTS);
    const best = search.trials[search.best];
    expect(best.logLoss).toBe(Math.min(...search.trials.map((t) => t.logLoss)));
    // Measured with seed 42 on wasm: the defaults 0.545 (stopped at epoch 80), learning rate 5.7e-3 0.427.
    expect(best.logLoss).toBeLessThan(search.trials[0].logLoss - 0.08);
    expect(best.hyperparameters.learningRate).toBeGreaterThan(3 * MLP_TUNING_DEFAULTS.learningRate);
  }, 60_000);

  it('refuses a candidate without a search space', async () => {
    const { X, y } = circleData();
    await expect(tuneCandidate('lr', X, y, { folds: 3, repeats: 1 }, 2, options(X))).rejects.toThrow('lr has no search space: --tune leaves it as it is');
  });
});

describe('trainAndPublish with --tune', () => {
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'tune-candidate-'));
  });
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('searches every listed candidate with a search space, trains each with its chosen configuration and records every trial', async () => {
    const result = await trainAndPublish(sessionsTraining(path.join(work, 'models'), { models: ['lr', 'gbdt', 'rf'], select: 'roc_auc', resamples: 20, cvFolds: 3, tune: 3 }));
    const metrics = result.metrics.models;
    expect(metrics.lr.tuning).toBeUndefined();
    const tuning = metrics.gbdt.tuning!;
    expect(tuning).toMatchObject({ folds: 3, repeats: 1, stepUnit: 'trees', space: CANDIDATES.gbdt.search!.bounds });
    expect(tuning.trials).toHaveLength(4);
    expect(tuning.trials[0].hyperparameters).toEqual({ ...GBDT_TUNING_DEFAULTS });
    const chosen = tuning.trials[tuning.best];
    expect(chosen.logLoss).toBe(Math.min(...tuning.trials.map((t) => t.logLoss)));
    const rf = metrics.rf.tuning!;
    expect(rf.trials).toHaveLength(4);
    expect(rf.trials[0].hyperparameters).toEqual({ ...RF_TUNING_DEFAULTS });
    expect(rf.stepUnit).toBeUndefined();
    // The served models are built with the chosen values, gbdt refitted to the chosen trial's mean stopping step.
    await verifyBundle(result.bundle.dir);
    const described = async (name: string) => {
      const model = await loadModel(path.join(result.bundle.dir, 'candidates', name));
      const hyperparameters = model.describe().hyperparameters;
      model.dispose();
      return hyperparameters;
    };
    expect(await described('gbdt')).toMatchObject({ ...chosen.hyperparameters, nEstimators: chosen.steps });
    expect(await described('rf')).toMatchObject({ ...rf.trials[rf.best].hyperparameters, nEstimators: 200 });
    const stored = JSON.parse(await readFile(path.join(result.bundle.dir, 'metrics.json'), 'utf8')).models;
    expect(stored.gbdt.tuning).toEqual(tuning);
    expect(stored.rf.tuning).toEqual(rf);
    const md = await readFile(path.join(result.bundle.dir, 'report.md'), 'utf8');
    expect(md).toContain('## Hyperparameter search (gbdt)');
    expect(md).toContain('## Hyperparameter search (rf)');
    expect(md).not.toContain('## Hyperparameter search (lr)');
    expect(md).toContain('the defaults and 3 random configurations, each cross-validated on the same 3 stratified folds x 1 of train + validation');
    expect(md).toContain(`Search space: ${CANDIDATES.rf.search!.bounds}.`);
    // The model card names the selected model's chosen values.
    const selected = result.metrics.models[result.selected].tuning;
    if (selected) expect(md).toMatch(/- Hyperparameters: (the defaults, the best|trial \d) of a seeded random search of 4 configurations \(3-fold x 1 cross-validation/);
    else expect(md).not.toContain('- Hyperparameters:');
  }, 180_000);

  it('refuses a search when no listed model has a search space', async () => {
    await expect(trainAndPublish(sessionsTraining(path.join(work, 'none'), { models: ['lr'], tune: 2 }))).rejects.toThrow(
      'tune searches the hyperparameters of mlp, gbdt, rf, but models lists none of them: lr',
    );
  });
});
