import {
  DenseNet,
  GradientBoostedTrees,
  LogisticRegression,
  RandomForest,
  type BinaryClassifier,
  type GradientBoostedTreesHyperparameters,
  type ModelDescription,
} from '@purchase/models';

/** The hyperparameters of the boosted trees that a search (--tune) may change. */
export type GbdtTuning = Pick<GradientBoostedTreesHyperparameters, 'maxDepth' | 'learningRate' | 'minChildWeight' | 'lambda' | 'subsample' | 'colsampleByTree'>;

/** What the gbdt candidate trains with unless a search chose otherwise. */
export const GBDT_TUNING_DEFAULTS: GbdtTuning = { maxDepth: 4, learningRate: 0.05, minChildWeight: 1, lambda: 1, subsample: 0.8, colsampleByTree: 0.8 };

/**
 * The models a training can run, in training order, with the hyperparameters this project trains
 * them with; `steps` names what one step of their fit progress counts. A model that stops early on
 * validation data says after how many steps it stopped (`stoppedAt`), and `create(seed, steps)`
 * builds it to run exactly that many without validation data: the refit after cross-validation.
 */
export const CANDIDATES = {
  lr: {
    label: 'logistic regression (tfjs, L2, C = 1)',
    steps: 'iterations',
    create: () => new LogisticRegression({ C: 1 }),
  },
  mlp: {
    label: 'dense net 64-32 ReLU (tfjs, Adam, early stopping)',
    steps: 'epochs',
    create: (seed: number, steps?: number) =>
      new DenseNet({ hiddenLayers: [64, 32], dropout: 0.1, l2: 1e-4, learningRate: 1e-3, batchSize: 64, epochs: steps ?? 150, patience: 15, seed }),
    stoppedAt: (d: ModelDescription) => numberOr(d.training?.bestEpoch),
  },
  gbdt: {
    label: 'gradient-boosted trees (histogram, depth 4, early stopping)',
    steps: 'trees',
    create: (seed: number, steps?: number, tuned?: GbdtTuning) =>
      new GradientBoostedTrees({ nEstimators: steps ?? 300, ...GBDT_TUNING_DEFAULTS, ...tuned, earlyStoppingRounds: 30, seed }),
    stoppedAt: (d: ModelDescription) => numberOr(d.training?.trees),
  },
  rf: {
    label: 'random forest (200 trees, sqrt features)',
    steps: 'trees',
    create: (seed: number) => new RandomForest({ nEstimators: 200, maxDepth: 12, minSamplesLeaf: 2, seed }),
  },
} satisfies Record<string, CandidateDefinition>;

interface CandidateDefinition {
  label: string;
  steps: string;
  /** `tuned`: hyperparameters a search chose (only the boosted trees take them). */
  create: (seed: number, steps?: number, tuned?: GbdtTuning) => BinaryClassifier;
  stoppedAt?: (description: ModelDescription) => number | undefined;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** After how many steps a fitted candidate stopped early, when it stops early at all. */
export function stoppedAt(name: CandidateName, model: BinaryClassifier): number | undefined {
  const definition: CandidateDefinition = CANDIDATES[name];
  return definition.stoppedAt?.(model.describe());
}

export type CandidateName = keyof typeof CANDIDATES;
export const CANDIDATE_NAMES = Object.keys(CANDIDATES) as CandidateName[];

export function isCandidateName(name: string): name is CandidateName {
  return Object.prototype.hasOwnProperty.call(CANDIDATES, name);
}
