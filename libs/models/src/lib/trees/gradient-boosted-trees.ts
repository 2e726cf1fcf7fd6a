import type { FitOptions, Matrix } from '../model';
import { addTreeOnBins, assignLeavesOnBins } from './tree-on-bins';
import { checkFitInputs } from '../check-model-inputs';
import { logit, meanLogLoss, startGradients, stepGradients } from './logistic-loss';
import { binColumns, fitBinCuts, MAX_BINS, missingBin } from './quantile-bins';
import { checkChoice, checkHyperparameters, checkNumber, SeededRandom } from '@purchase/core';
import { TREE_INPUTS, TreeEnsemble } from './tree-ensemble';
import { TreeGrower, type GrowPolicy } from './tree-grower';
import { TreeModel } from './tree-model';
import type { TreeModelDocument } from './tree-model-format';
import type { TreeNodes } from './tree-nodes';

export interface GradientBoostedTreesOptions {
  /** Boosting rounds (trees), at most. Default 100. */
  nEstimators?: number;
  /** Shrinks each tree's leaf values. Default 0.1. */
  learningRate?: number;
  /** Deepest level (root = 0); 0 for no limit. Default 6. */
  maxDepth?: number;
  /** Most leaves per tree; 0 for no limit. Default 0 (depthwise), set it for lossguide. */
  maxLeaves?: number;
  /** 'depthwise' (level by level) or 'lossguide' (best leaf first). Default 'depthwise'. */
  growPolicy?: GrowPolicy;
  /** Least hessian sum in a child. Default 1. */
  minChildWeight?: number;
  /** L2 penalty on leaf values. Default 1. */
  lambda?: number;
  /** Least loss reduction for a split. Default 0. */
  gamma?: number;
  /** Share of rows each tree learns from, drawn anew per tree. Default 1. */
  subsample?: number;
  /** Share of features each tree may split on, drawn anew per tree. Default 1. */
  colsampleByTree?: number;
  /** Most bins per feature (a missing value gets one more). Default 255. */
  maxBins?: number;
  /**
   * With validation data, stop after this many rounds without a lower validation log-loss and keep
   * the trees up to the best round; 0 never stops early. Default 20.
   */
  earlyStoppingRounds?: number;
  /** Seeds the row and feature sampling. Default 0. */
  seed?: number;
}

export type GradientBoostedTreesHyperparameters = Required<GradientBoostedTreesOptions>;

/** What fit() learned beyond the trees themselves. */
export interface GradientBoostedTreesTraining {
  /** Rounds actually run (fewer than nEstimators when stopped early). */
  roundsRun: number;
  /** Trees kept: bestIteration + 1 with validation data, else roundsRun. */
  trees: number;
  /** 0-based round with the lowest validation log-loss; null without validation data. */
  bestIteration: number | null;
  bestValidationLoss: number | null;
  stoppedEarly: boolean;
  /** Share of positive labels in the training rows; the base score is its logit. */
  trainingPrior: number;
  trainingRows: number;
}

const DEFAULTS: GradientBoostedTreesHyperparameters = {
  nEstimators: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 0,
  growPolicy: 'depthwise',
  minChildWeight: 1,
  lambda: 1,
  gamma: 0,
  subsample: 1,
  colsampleByTree: 1,
  maxBins: MAX_BINS,
  earlyStoppingRounds: 20,
  seed: 0,
};

function hyperparametersFrom(options: GradientBoostedTreesOptions): GradientBoostedTreesHyperparameters {
  const h = checkHyperparameters(options, DEFAULTS);
  checkNumber('nEstimators', h.nEstimators, { min: 1, integer: true });
  checkNumber('learningRate', h.learningRate, { min: 0, max: 1, minExclusive: true });
  checkNumber('maxDepth', h.maxDepth, { min: 0, integer: true });
  checkNumber('maxLeaves', h.maxLeaves, { min: 0, integer: true });
  if (h.maxLeaves === 1) throw new Error('maxLeaves must be 0 (no limit) or at least 2, got 1');
  checkChoice('growPolicy', h.growPolicy, ['depthwise', 'lossguide']);
  checkNumber('minChildWeight', h.minChildWeight, { min: 0 });
  checkNumber('lambda', h.lambda, { min: 0 });
  checkNumber('gamma', h.gamma, { min: 0 });
  checkNumber('subsample', h.subsample, { min: 0, max: 1, minExclusive: true });
  checkNumber('colsampleByTree', h.colsampleByTree, { min: 0, max: 1, minExclusive: true });
  checkNumber('maxBins', h.maxBins, { min: 2, max: MAX_BINS, integer: true });
  checkNumber('earlyStoppingRounds', h.earlyStoppingRounds, { min: 0, integer: true });
  checkNumber('seed', h.seed, { min: -(2 ** 31), max: 2 ** 32 - 1, integer: true });
  return h;
}

/**
 * Gradient-boosted decision trees for binary log-loss, second order, on quantile histograms: the
 * XGBoost "hist" algorithm written over typed arrays. See docs/benchmarks.md for its speed and
 * accuracy beside XGBoost itself.
 */
export class GradientBoostedTrees extends TreeModel<GradientBoostedTreesHyperparameters, GradientBoostedTreesTraining> {
  readonly kind = 'gbdt' as const;
  protected readonly modelName = 'GradientBoostedTrees';

  constructor(options: GradientBoostedTreesOptions = {}) {
    super(hyperparametersFrom(options));
  }

  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<void> {
    const positives = checkFitInputs(X, y, options, TREE_INPUTS);
    const h = this.hyperparameters;
    const n = X.rows;
    const cols = X.cols;
    const prior = positives / n;
    const baseScore = logit(prior);

    const cuts = fitBinCuts(X, h.maxBins, h.seed);
    const columns = binColumns(X, cuts);
    const missing = Int32Array.from(cuts, missingBin);
    const grower = new TreeGrower(columns, cuts, n, {
      growPolicy: h.growPolicy,
      maxDepth: h.maxDepth,
      maxLeaves: h.maxLeaves,
      minChildWeight: h.minChildWeight,
      lambda: h.lambda,
      gamma: h.gamma,
      leafScale: h.learningRate,
      featuresPerSplit: 0,
    });
    const random = new SeededRandom(h.seed);
    const rowIndex = grower.rowIndex;
    const margin = new Float64Array(n).fill(baseScore);
    const gradPairs = new Float32Array(2 * n);
    const expNegMargin = new Float64Array(n);
    const leafOf = new Int32Array(n);
    const nTreeFeatures = Math.max(1, Math.round(h.colsampleByTree * cols));
    const leftOut = new Uint32Array(h.subsample < 1 ? n : 0);
    const features = Int32Array.from({ length: cols }, (_, f) => f);
    const featurePool = new Int32Array(cols);

    const validation = options.validation;
    const valColumns = validation ? binColumns(validation.X, cuts) : null;
    const valMargin = validation ? new Float64Array(validation.X.rows).fill(baseScore) : null;
    let bestIteration = -1;
    let bestLoss = Infinity;
    let stoppedEarly = false;

    const trees: TreeNodes[] = [];
    startGradients(margin, y, expNegMargin, gradPairs);
    for (let round = 0; round < h.nEstimators; round++) {
      const nRows = drawRows(h.subsample, random, rowIndex, leftOut, n);
      const nLeftOut = n - nRows;
      if (nTreeFeatures < cols) random.sampleWithoutReplacement(cols, nTreeFeatures, featurePool, features);

      const grown = grower.grow(gradPairs, nRows, features, nTreeFeatures, random);
      const tree = grown.nodes;
      // The grower knows which leaf each row it learned from ended in; rows outside the
      // subsample go through the tree on their bins. Then margins and gradients move in one
      // sequential pass.
      grower.assignLeaves(grown, leafOf);
      if (nLeftOut > 0) assignLeavesOnBins(tree, columns, missing, leftOut, nLeftOut, leafOf);
      stepGradients(leafOf, tree.value, margin, expNegMargin, y, gradPairs);
      trees.push(tree);

      let validationLoss: number | undefined;
      if (validation && valColumns && valMargin) {
        addTreeOnBins(tree, valColumns, missing, null, validation.X.rows, valMargin);
        validationLoss = meanLogLoss(valMargin, validation.y);
        if (validationLoss < bestLoss) {
          bestLoss = validationLoss;
          bestIteration = round;
        } else if (h.earlyStoppingRounds > 0 && round - bestIteration >= h.earlyStoppingRounds) {
          stoppedEarly = true;
        }
      }
      options.onProgress?.({ step: round + 1, totalSteps: h.nEstimators, trainLoss: meanLogLoss(margin, y), validationLoss });
      // Lets progress reach a terminal, and a server answer requests, while a long fit runs.
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (stoppedEarly) break;
    }

    const roundsRun = trees.length;
    if (validation) trees.length = bestIteration + 1;
    this.setFitted(new TreeEnsemble('gbdt', cuts, trees, baseScore), options.featureNames, {
      roundsRun,
      trees: trees.length,
      bestIteration: validation ? bestIteration : null,
      bestValidationLoss: validation ? bestLoss : null,
      stoppedEarly,
      trainingPrior: prior,
      trainingRows: n,
    });
  }

  /** Rebuilds a fitted model from a validated document of kind "gbdt". */
  static fromJSON(doc: TreeModelDocument): GradientBoostedTrees {
    if (doc.kind !== 'gbdt') throw new Error(`expected a "gbdt" model, got "${doc.kind}"`);
    const model = new GradientBoostedTrees(doc.hyperparameters as GradientBoostedTreesOptions);
    model.setFitted(TreeEnsemble.fromDocument(doc), doc.featureNames, doc.training as unknown as GradientBoostedTreesTraining);
    return model;
  }
}

/**
 * Writes the rows one tree learns from into rowIndex (ascending) and the others into leftOut;
 * returns how many learn. Without subsampling every row learns, in order.
 */
function drawRows(subsample: number, random: SeededRandom, rowIndex: Uint32Array, leftOut: Uint32Array, n: number): number {
  if (subsample === 1) {
    for (let r = 0; r < n; r++) rowIndex[r] = r;
    return n;
  }
  let nRows = 0;
  let nOut = 0;
  for (let r = 0; r < n; r++) {
    if (random.next() < subsample) rowIndex[nRows++] = r;
    else leftOut[nOut++] = r;
  }
  return nRows;
}
