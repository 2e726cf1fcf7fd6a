import {
  DenseNet,
  GradientBoostedTrees,
  LogisticRegression,
  RandomForest,
  type BinaryClassifier,
} from '@purchase/models';

/**
 * The models a training can run, in training order, with the hyperparameters this project trains
 * them with; `steps` names what one step of their fit progress counts.
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
    create: (seed: number) =>
      new DenseNet({ hiddenLayers: [64, 32], dropout: 0.1, l2: 1e-4, learningRate: 1e-3, batchSize: 64, epochs: 150, patience: 15, seed }),
  },
  gbdt: {
    label: 'gradient-boosted trees (histogram, depth 4, early stopping)',
    steps: 'trees',
    create: (seed: number) =>
      new GradientBoostedTrees({ nEstimators: 300, learningRate: 0.05, maxDepth: 4, minChildWeight: 1, lambda: 1, subsample: 0.8, colsampleByTree: 0.8, earlyStoppingRounds: 30, seed }),
  },
  rf: {
    label: 'random forest (200 trees, sqrt features)',
    steps: 'trees',
    create: (seed: number) => new RandomForest({ nEstimators: 200, maxDepth: 12, minSamplesLeaf: 2, seed }),
  },
} satisfies Record<string, { label: string; steps: string; create: (seed: number) => BinaryClassifier }>;

export type CandidateName = keyof typeof CANDIDATES;
export const CANDIDATE_NAMES = Object.keys(CANDIDATES) as CandidateName[];

export function isCandidateName(name: string): name is CandidateName {
  return Object.prototype.hasOwnProperty.call(CANDIDATES, name);
}
