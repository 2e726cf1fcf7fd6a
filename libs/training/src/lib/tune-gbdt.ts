import { logLoss, rocAuc, SeededRandom } from '@purchase/core';
import type { FeatureMatrix } from '@purchase/features';
import { GBDT_TUNING_DEFAULTS, type GbdtTuning } from './candidates';
import { crossValidate, type CrossValidateOptions, type CrossValidationPlan, type OutOfFold } from './cross-validation';

/** One configuration of a search and how it did out of fold. */
export interface GbdtTrial {
  hyperparameters: GbdtTuning;
  /** Out-of-fold log loss of the raw probabilities: what the search minimises. */
  logLoss: number;
  rocAuc: number;
  /** Mean early-stopping step (trees) of its fold models. */
  steps?: number;
}

export interface GbdtSearch {
  folds: number;
  repeats: number;
  /** Trial 0 is the defaults (GBDT_TUNING_DEFAULTS), then the random configurations. */
  trials: GbdtTrial[];
  /** Index of the chosen trial: the lowest out-of-fold log loss, the earlier on ties. */
  best: number;
}

/** Four significant digits: the values a report shows are the values trained with. */
function round4(x: number): number {
  return Number(x.toPrecision(4));
}

function logUniform(random: SeededRandom, lo: number, hi: number): number {
  return round4(Math.exp(Math.log(lo) + random.next() * (Math.log(hi) - Math.log(lo))));
}

/**
 * Seeded random search over the boosted trees' hyperparameters: depth 2 to 8, learning rate
 * 0.01 to 0.3 and min child weight 0.5 to 20 and lambda 0.1 to 10 (log-uniform), subsample and
 * column sample 0.5 to 1; early stopping on each held-out fold decides the trees.
 */
export function sampleGbdtTuning(random: SeededRandom): GbdtTuning {
  return {
    maxDepth: 2 + random.nextInt(7),
    learningRate: logUniform(random, 0.01, 0.3),
    minChildWeight: logUniform(random, 0.5, 20),
    lambda: logUniform(random, 0.1, 10),
    subsample: round4(0.5 + 0.5 * random.next()),
    colsampleByTree: round4(0.5 + 0.5 * random.next()),
  };
}

/**
 * Cross-validates the defaults and `trials` random configurations (drawn from the run's seed) on
 * the same folds, and returns every trial with the out-of-fold predictions of the best.
 */
export async function tuneGbdt(
  X: FeatureMatrix,
  y: Uint8Array,
  plan: CrossValidationPlan,
  trials: number,
  options: CrossValidateOptions,
): Promise<{ search: GbdtSearch; outOfFold: OutOfFold }> {
  const random = new SeededRandom(options.seed);
  const configurations = [GBDT_TUNING_DEFAULTS, ...Array.from({ length: trials }, () => sampleGbdtTuning(random))];
  const done: GbdtTrial[] = [];
  let best = 0;
  let bestOutOfFold: OutOfFold | undefined;
  for (const hyperparameters of configurations) {
    const outOfFold = await crossValidate('gbdt', X, y, plan, { ...options, tuned: hyperparameters });
    const trial: GbdtTrial = {
      hyperparameters,
      logLoss: logLoss(outOfFold.y, outOfFold.raw),
      rocAuc: rocAuc(outOfFold.y, outOfFold.raw),
      ...(outOfFold.steps === undefined ? {} : { steps: outOfFold.steps }),
    };
    done.push(trial);
    if (bestOutOfFold === undefined || trial.logLoss < done[best].logLoss) {
      best = done.length - 1;
      bestOutOfFold = outOfFold;
    }
  }
  return { search: { folds: plan.folds, repeats: plan.repeats, trials: done, best }, outOfFold: bestOutOfFold as OutOfFold };
}
