import type { FitOptions, Matrix } from '../model';
import { checkFitInputs } from '../check-model-inputs';
import { MAX_BINS } from './quantile-bins';
import { checkChoice, checkHyperparameters, checkNumber, SeededRandom } from '@purchase/core';
import { TREE_INPUTS, TreeEnsemble } from './tree-ensemble';
import { TreeGrower, type GrowPolicy } from './tree-grower';
import { TreeModel } from './tree-model';
import type { TreeModelDocument } from './tree-model-format';
import type { TreeNodes } from './tree-nodes';
import { gradientScale, TrainingRows } from './training-rows';

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
  /**
   * Threads to fit on: not a hyperparameter (the model is the same for any number of threads, and
   * it is not saved). Default: all cores (os.availableParallelism()).
   */
  threads?: number;
}

export type GradientBoostedTreesHyperparameters = Required<Omit<GradientBoostedTreesOptions, 'threads'>>;

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

function hyperparametersFrom(options: Omit<GradientBoostedTreesOptions, 'threads'>): GradientBoostedTreesHyperparameters {
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
 * XGBoost "hist" algorithm written over typed arrays, fitted on every core (the `threads` option;
 * the model is the same for any number). See docs/benchmarks.md for its speed and accuracy beside
 * XGBoost itself.
 */
export class GradientBoostedTrees extends TreeModel<GradientBoostedTreesHyperparameters, GradientBoostedTreesTraining> {
  readonly kind = 'gbdt' as const;
  protected readonly modelName = 'GradientBoostedTrees';

  constructor(options: GradientBoostedTreesOptions = {}) {
    const { threads, ...hyperparameters } = options;
    super(hyperparametersFrom(hyperparameters), threads);
  }

  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<void> {
    const positives = checkFitInputs(X, y, options, TREE_INPUTS);
    const h = this.hyperparameters;
    const n = X.rows;
    const cols = X.cols;
    const prior = positives / n;
    const baseScore = logit(prior);

    const validation = options.validation;
    const rows = await TrainingRows.open(X, { maxBins: h.maxBins, seed: h.seed, threads: this.threads, gradScale: gradientScale(n), validation: validation?.X });
    const cuts = rows.cuts;
    try {
      const grower = new TreeGrower(rows, {
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
      const nTreeFeatures = Math.max(1, Math.round(h.colsampleByTree * cols));
      const features = Int32Array.from({ length: cols }, (_, f) => f);
      const featurePool = new Int32Array(cols);
      let bestIteration = -1;
      let bestLoss = Infinity;
      let stoppedEarly = false;

      const trees: TreeNodes[] = [];
      rows.startBoosting(y, baseScore, validation?.y);
      for (let round = 0; round < h.nEstimators; round++) {
        const nRows = rows.sampleRows(h.subsample, random.nextUint32() | 0);
        if (nTreeFeatures < cols) random.sampleWithoutReplacement(cols, nTreeFeatures, featurePool, features);
        const grown = grower.grow(nRows, features, nTreeFeatures, random);
        const tree = grown.nodes;
        trees.push(tree);
        // The grower knows which leaf each row it learned from ended in; the rows outside the
        // subsample walk down the tree. Then every row's margin and gradients move in one pass.
        rows.setTree(tree, true);
        rows.assignLeaves(grown.rows, nRows);
        const trainLoss = rows.boostStep(options.onProgress !== undefined);

        let validationLoss: number | undefined;
        if (validation) {
          validationLoss = rows.validationStep();
          if (validationLoss < bestLoss) {
            bestLoss = validationLoss;
            bestIteration = round;
          } else if (h.earlyStoppingRounds > 0 && round - bestIteration >= h.earlyStoppingRounds) {
            stoppedEarly = true;
          }
        }
        options.onProgress?.({ step: round + 1, totalSteps: h.nEstimators, trainLoss, validationLoss });
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
    } finally {
      await rows.close();
    }
  }

  /** Rebuilds a fitted model from a validated document of kind "gbdt". */
  static fromJSON(doc: TreeModelDocument): GradientBoostedTrees {
    if (doc.kind !== 'gbdt') throw new Error(`expected a "gbdt" model, got "${doc.kind}"`);
    const model = new GradientBoostedTrees(doc.hyperparameters as GradientBoostedTreesOptions);
    model.setFitted(TreeEnsemble.fromDocument(doc), doc.featureNames, doc.training as unknown as GradientBoostedTreesTraining);
    return model;
  }
}

/** log(p / (1 - p)): the margin of a constant prediction p. */
function logit(p: number): number {
  return Math.log(p / (1 - p));
}
