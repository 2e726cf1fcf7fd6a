import {
  DenseNet,
  GradientBoostedTrees,
  LogisticRegression,
  RandomForest,
  type BinaryClassifier,
  type DenseNetParams,
  type GradientBoostedTreesHyperparameters,
  type ModelDescription,
  type RandomForestHyperparameters,
} from '@purchase/models';
import { integer, logUniform, oneOf, uniform, type Hyperparameters, type SearchSpace } from './search-space';

/** The hyperparameters of the boosted trees that a search (--tune) may change. */
export type GbdtTuning = Pick<GradientBoostedTreesHyperparameters, 'maxDepth' | 'learningRate' | 'minChildWeight' | 'lambda' | 'subsample' | 'colsampleByTree'>;

/** What the gbdt candidate trains with unless a search chose otherwise. */
export const GBDT_TUNING_DEFAULTS: GbdtTuning = { maxDepth: 4, learningRate: 0.1, minChildWeight: 1, lambda: 1, subsample: 0.8, colsampleByTree: 0.8 };

/**
 * The boosted trees' budget of shrinkage: at most GBDT_SHRINKAGE / learningRate trees (150 at the
 * default 0.1, 300 at 0.05, 1,500 at 0.01), so that every learning rate a search tries may reach
 * the same fit before early stopping (30 rounds without a lower validation loss) ends it. On 1M
 * generated sessions 150 trees at 0.1 reach the validation loss of 300 at 0.05 (0.3254 vs 0.3253)
 * in half the time.
 */
export const GBDT_SHRINKAGE = 15;

/** Trees the gbdt candidate may grow at `learningRate`. */
export function gbdtTreeBudget(learningRate: number): number {
  return Math.ceil(GBDT_SHRINKAGE / learningRate - 1e-9);
}

/** The hyperparameters of the random forest that a search may change; its 200 trees stay. */
export type RfTuning = Pick<RandomForestHyperparameters, 'maxDepth' | 'minSamplesLeaf' | 'maxFeatures'>;

export const RF_TUNING_DEFAULTS: RfTuning = { maxDepth: 12, minSamplesLeaf: 2, maxFeatures: 'sqrt' };

/** The hyperparameters of the dense net that a search may change; batch size, epochs and patience stay. */
export type MlpTuning = { hiddenLayers: readonly number[] } & Required<Pick<DenseNetParams, 'dropout' | 'learningRate' | 'l2'>>;

export const MLP_TUNING_DEFAULTS: MlpTuning = { hiddenLayers: [64, 32], dropout: 0.1, learningRate: 1e-3, l2: 1e-4 };

/** The hidden layers a search of the dense net chooses among, input side first. */
export const MLP_HIDDEN_LAYERS: readonly (readonly number[])[] = [[16], [32], [64], [32, 16], [64, 32], [128, 64]];

/**
 * The models a training can run, in training order, with the hyperparameters this project trains
 * them with; `steps` names what one step of their fit progress counts. A model that stops early on
 * validation data says after how many steps it stopped (`stoppedAt`), and `create(seed, steps)`
 * builds it to run exactly that many without validation data: the refit after cross-validation.
 * A model with a `search` can be tuned (--tune): `create(seed, steps, tuned)` builds it with a
 * configuration drawn there.
 */
export const CANDIDATES = {
  lr: candidate({
    label: 'logistic regression (tfjs, L2, C = 1)',
    steps: 'iterations',
    create: () => new LogisticRegression({ C: 1 }),
  }),
  mlp: candidate<MlpTuning>({
    label: 'dense net 64-32 ReLU (tfjs, Adam, early stopping)',
    steps: 'epochs',
    create: (seed, steps, tuned) => {
      const h = { ...MLP_TUNING_DEFAULTS, ...tuned };
      return new DenseNet({ ...h, hiddenLayers: [...h.hiddenLayers], batchSize: 64, epochs: steps ?? 150, patience: 15, seed });
    },
    stoppedAt: (d) => numberOr(d.training?.bestEpoch),
    search: {
      defaults: MLP_TUNING_DEFAULTS,
      bounds: `hidden layers one of ${MLP_HIDDEN_LAYERS.map((l) => l.join('-')).join(', ')}; dropout 0 to 0.5; learning rate 3e-4 to 1e-2 and L2 1e-6 to 1e-2 (log-uniform); batch 64, early stopping (patience 15)`,
      sample: (random) => ({
        hiddenLayers: oneOf(random, MLP_HIDDEN_LAYERS),
        dropout: uniform(random, 0, 0.5),
        learningRate: logUniform(random, 3e-4, 1e-2),
        l2: logUniform(random, 1e-6, 1e-2),
      }),
    },
  }),
  gbdt: candidate<GbdtTuning>({
    label: 'gradient-boosted trees (histogram, depth 4, learning rate 0.1, early stopping)',
    steps: 'trees',
    create: (seed, steps, tuned) => {
      const h = { ...GBDT_TUNING_DEFAULTS, ...tuned };
      return new GradientBoostedTrees({ nEstimators: steps ?? gbdtTreeBudget(h.learningRate), ...h, earlyStoppingRounds: 30, seed });
    },
    stoppedAt: (d) => numberOr(d.training?.trees),
    search: {
      defaults: GBDT_TUNING_DEFAULTS,
      bounds: 'depth 2 to 8; learning rate 0.01 to 0.3, min child weight 0.5 to 20 and lambda 0.1 to 10 (log-uniform); subsample and column sample 0.5 to 1; up to 15 / learning rate trees, early stopping (30 rounds)',
      sample: (random) => ({
        maxDepth: integer(random, 2, 8),
        learningRate: logUniform(random, 0.01, 0.3),
        minChildWeight: logUniform(random, 0.5, 20),
        lambda: logUniform(random, 0.1, 10),
        subsample: uniform(random, 0.5, 1),
        colsampleByTree: uniform(random, 0.5, 1),
      }),
    },
  }),
  rf: candidate<RfTuning>({
    label: 'random forest (200 trees, sqrt features)',
    steps: 'trees',
    create: (seed, _steps, tuned) => new RandomForest({ nEstimators: 200, ...RF_TUNING_DEFAULTS, ...tuned, seed }),
    search: {
      defaults: RF_TUNING_DEFAULTS,
      bounds: 'depth 3 to 16; min samples per leaf 1 to 50 (log-uniform, whole rows); features per split a share of 0.1 to 0.9 of the columns; 200 trees',
      sample: (random) => ({
        maxDepth: integer(random, 3, 16),
        minSamplesLeaf: Math.round(logUniform(random, 1, 50)),
        maxFeatures: uniform(random, 0.1, 0.9),
      }),
    },
  }),
};

/**
 * `tuned`: a configuration a search chose, of the candidate's own `search` space. Methods, not
 * function properties: any candidate is then a CandidateDefinition of the erased Hyperparameters.
 */
interface CandidateDefinition<T extends Hyperparameters = Hyperparameters> {
  label: string;
  steps: string;
  create(seed: number, steps?: number, tuned?: T): BinaryClassifier;
  stoppedAt?(description: ModelDescription): number | undefined;
  search?: SearchSpace<T>;
}

/** Types one definition with its search space's hyperparameters. */
function candidate<T extends Hyperparameters = Hyperparameters>(definition: CandidateDefinition<T>): CandidateDefinition<T> {
  return definition;
}

function numberOr(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

export type CandidateName = keyof typeof CANDIDATES;
export const CANDIDATE_NAMES = Object.keys(CANDIDATES) as CandidateName[];

export function isCandidateName(name: string): name is CandidateName {
  return Object.prototype.hasOwnProperty.call(CANDIDATES, name);
}

function definitionOf(name: CandidateName): CandidateDefinition {
  return CANDIDATES[name] as CandidateDefinition;
}

/** Builds a candidate: to `steps` when given (the refit), with a searched configuration when given. */
export function createCandidate(name: CandidateName, seed: number, steps?: number, tuned?: Hyperparameters): BinaryClassifier {
  return definitionOf(name).create(seed, steps, tuned);
}

/** After how many steps a fitted candidate stopped early, when it stops early at all. */
export function stoppedAt(name: CandidateName, model: BinaryClassifier): number | undefined {
  return definitionOf(name).stoppedAt?.(model.describe());
}

/** The candidate's search space, or undefined when --tune leaves it as it is. */
export function searchSpaceOf(name: CandidateName): SearchSpace<Hyperparameters> | undefined {
  return definitionOf(name).search;
}

/** The candidates of `names` that --tune searches, in their order. */
export function tunableCandidates(names: readonly CandidateName[]): CandidateName[] {
  return names.filter((n) => searchSpaceOf(n) !== undefined);
}
