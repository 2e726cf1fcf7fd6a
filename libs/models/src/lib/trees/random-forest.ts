import type { FitOptions, Matrix } from '../model';
import { checkFitInputs } from '../check-model-inputs';
import { MAX_BINS } from './quantile-bins';
import { checkBoolean, checkChoice, checkHyperparameters, checkNumber, countPositives, LOG_LOSS_EPS, rocAuc, SeededRandom } from '@purchase/core';
import { TREE_INPUTS, TreeEnsemble } from './tree-ensemble';
import { TreeGrower } from './tree-grower';
import { TreeModel } from './tree-model';
import type { TreeModelDocument } from './tree-model-format';
import type { TreeNodes } from './tree-nodes';
import { TrainingRows } from './training-rows';

export interface RandomForestOptions {
  /** Trees. Default 100. */
  nEstimators?: number;
  /** Deepest level (root = 0); 0 for no limit. Default 12, which keeps a forest on a million rows in memory. */
  maxDepth?: number;
  /** Most leaves per tree; 0 for no limit. Default 0. */
  maxLeaves?: number;
  /** Least (bootstrap-weighted) rows in a leaf. Default 1. */
  minSamplesLeaf?: number;
  /** Features drawn for each split: 'sqrt' or 'log2' of the column count, 'all', or a share in (0, 1]. Default 'sqrt'. */
  maxFeatures?: 'sqrt' | 'log2' | 'all' | number;
  /** Each tree learns from a bootstrap sample (and the forest gets an out-of-bag score). Default true. */
  bootstrap?: boolean;
  /** Most bins per feature (a missing value gets one more). Default 255. */
  maxBins?: number;
  /** Seeds the bootstrap and the feature draws. Default 0. */
  seed?: number;
  /**
   * Threads to fit on: not a hyperparameter (the model is the same for any number of threads, and
   * it is not saved). Default: all cores (os.availableParallelism()).
   */
  threads?: number;
}

export type RandomForestHyperparameters = Required<Omit<RandomForestOptions, 'threads'>>;

/** Scores on the rows each tree did not see, averaged over the trees that did not see them. */
export interface OutOfBagScore {
  /** ROC AUC of the out-of-bag probabilities. */
  auc: number;
  /** Share of rows whose out-of-bag probability is on the right side of 0.5. */
  accuracy: number;
  /** Training rows left out by at least one tree (the rows scored). */
  rows: number;
}

export interface RandomForestTraining {
  trees: number;
  trainingRows: number;
  trainingPrior: number;
  /** Features drawn per split. */
  featuresPerSplit: number;
  /** Null without bootstrap. */
  outOfBag: OutOfBagScore | null;
}

const DEFAULTS: RandomForestHyperparameters = {
  nEstimators: 100,
  maxDepth: 12,
  maxLeaves: 0,
  minSamplesLeaf: 1,
  maxFeatures: 'sqrt',
  bootstrap: true,
  maxBins: MAX_BINS,
  seed: 0,
};

function hyperparametersFrom(options: Omit<RandomForestOptions, 'threads'>): RandomForestHyperparameters {
  const h = checkHyperparameters(options, DEFAULTS);
  checkNumber('nEstimators', h.nEstimators, { min: 1, integer: true });
  checkNumber('maxDepth', h.maxDepth, { min: 0, integer: true });
  checkNumber('maxLeaves', h.maxLeaves, { min: 0, integer: true });
  if (h.maxLeaves === 1) throw new Error('maxLeaves must be 0 (no limit) or at least 2, got 1');
  checkNumber('minSamplesLeaf', h.minSamplesLeaf, { min: 0, minExclusive: true });
  if (typeof h.maxFeatures === 'number') checkNumber('maxFeatures', h.maxFeatures, { min: 0, max: 1, minExclusive: true });
  else checkChoice('maxFeatures', h.maxFeatures, ['sqrt', 'log2', 'all']);
  checkBoolean('bootstrap', h.bootstrap);
  checkNumber('maxBins', h.maxBins, { min: 2, max: MAX_BINS, integer: true });
  checkNumber('seed', h.seed, { min: -(2 ** 31), max: 2 ** 32 - 1, integer: true });
  return h;
}

function featuresPerSplit(maxFeatures: RandomForestHyperparameters['maxFeatures'], cols: number): number {
  if (maxFeatures === 'all') return cols;
  if (maxFeatures === 'sqrt') return Math.max(1, Math.floor(Math.sqrt(cols)));
  if (maxFeatures === 'log2') return Math.max(1, Math.floor(Math.log2(cols)));
  return Math.max(1, Math.round(maxFeatures * cols));
}

/**
 * A random forest on the boosted trees' histogram learner: each tree fits the labels by least
 * squares (gradient -y, hessian 1 per bootstrap draw, no L2 penalty), so its split gain is the Gini
 * decrease and its leaves hold the share of positives; the forest's probability is their mean.
 */
export class RandomForest extends TreeModel<RandomForestHyperparameters, RandomForestTraining> {
  readonly kind = 'random_forest' as const;
  protected readonly modelName = 'RandomForest';

  constructor(options: RandomForestOptions = {}) {
    const { threads, ...hyperparameters } = options;
    super(hyperparametersFrom(hyperparameters), threads);
  }

  /** Validation data, if given, only feeds progress: a forest does not stop early. */
  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<void> {
    const positives = checkFitInputs(X, y, options, TREE_INPUTS);
    const h = this.hyperparameters;
    const n = X.rows;
    const cols = X.cols;
    const perSplit = featuresPerSplit(h.maxFeatures, cols);

    const validation = options.onProgress ? options.validation : undefined;
    // Gradients -y * draws and hessians = draws are integers already: scale 1.
    const rows = await TrainingRows.open(X, { maxBins: h.maxBins, seed: h.seed, threads: this.threads, gradScale: 1, validation: validation?.X });
    const cuts = rows.cuts;
    try {
      const grower = new TreeGrower(rows, {
        growPolicy: 'depthwise',
        maxDepth: h.maxDepth,
        maxLeaves: h.maxLeaves,
        minChildWeight: h.minSamplesLeaf,
        lambda: 0,
        gamma: 0,
        leafScale: 1,
        featuresPerSplit: perSplit,
      });
      rows.startForest(validation?.y, LOG_LOSS_EPS);
      const { rowIndex, gradPairs, oobList, oobSum, oobTrees } = rows.s;
      const random = new SeededRandom(h.seed);
      const draws = new Uint32Array(n);
      const features = Int32Array.from({ length: cols }, (_, f) => f);

      const trees: TreeNodes[] = [];
      for (let t = 0; t < h.nEstimators; t++) {
        let nRows = 0;
        let nOut = 0;
        if (h.bootstrap) {
          draws.fill(0);
          for (let i = 0; i < n; i++) draws[random.nextInt(n)]++;
        } else {
          draws.fill(1);
        }
        // Drawn rows to rowIndex, the others to oobList, without a branch (a third are not drawn).
        for (let r = 0; r < n; r++) {
          const w = draws[r];
          const drawn = +(w !== 0);
          rowIndex[nRows] = r;
          oobList[nOut] = r;
          nRows += drawn;
          nOut += 1 - drawn;
          gradPairs[2 * r] = -y[r] * w;
          gradPairs[2 * r + 1] = w;
        }
        const tree = grower.grow(nRows, features, cols, random).nodes;
        trees.push(tree);
        rows.setTree(tree, false);
        rows.addOutOfBag(nOut);

        if (options.onProgress) {
          const validationLoss = validation ? rows.forestValidationStep(t + 1) : undefined;
          options.onProgress({ step: t + 1, totalSteps: h.nEstimators, validationLoss });
        }
        // Lets progress reach a terminal, and a server answer requests, while a long fit runs.
        await new Promise<void>((resolve) => setImmediate(resolve));
      }

      this.setFitted(new TreeEnsemble('random_forest', cuts, trees, 0), options.featureNames, {
        trees: trees.length,
        trainingRows: n,
        trainingPrior: positives / n,
        featuresPerSplit: perSplit,
        outOfBag: h.bootstrap ? outOfBagScore(oobSum, oobTrees, y) : null,
      });
    } finally {
      await rows.close();
    }
  }

  /** The out-of-bag score of the last fit; null before fit or without bootstrap. */
  get outOfBag(): OutOfBagScore | null {
    return this.trainingFacts?.outOfBag ?? null;
  }

  /** Rebuilds a fitted forest from a validated document of kind "random_forest". */
  static fromJSON(doc: TreeModelDocument): RandomForest {
    if (doc.kind !== 'random_forest') throw new Error(`expected a "random_forest" model, got "${doc.kind}"`);
    const model = new RandomForest(doc.hyperparameters as RandomForestOptions);
    model.setFitted(TreeEnsemble.fromDocument(doc), doc.featureNames, doc.training as unknown as RandomForestTraining);
    return model;
  }
}

function outOfBagScore(sum: Float64Array, trees: Uint32Array, y: Uint8Array): OutOfBagScore {
  let rows = 0;
  for (let r = 0; r < y.length; r++) if (trees[r] > 0) rows++;
  const scores = new Float64Array(rows);
  const labels = new Uint8Array(rows);
  let correct = 0;
  for (let r = 0, i = 0; r < y.length; r++) {
    if (trees[r] === 0) continue;
    const p = sum[r] / trees[r];
    scores[i] = p;
    labels[i++] = y[r];
    if (p > 0.5 === (y[r] === 1)) correct++;
  }
  const positives = countPositives(labels);
  const bothClasses = positives > 0 && positives < labels.length;
  return { auc: bothClasses ? rocAuc(labels, scores) : NaN, accuracy: rows > 0 ? correct / rows : NaN, rows };
}
