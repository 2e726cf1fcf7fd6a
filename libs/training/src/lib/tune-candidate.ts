import { logLoss, rocAuc, SeededRandom } from '@purchase/core';
import type { FeatureMatrix } from '@purchase/features';
import { searchSpaceOf, type CandidateName } from './candidates';
import { crossValidate, type CrossValidateOptions, type CrossValidationPlan, type OutOfFold } from './cross-validation';
import type { Hyperparameters } from './search-space';

/** One configuration of a search and how it did out of fold. */
export interface Trial {
  hyperparameters: Hyperparameters;
  /** Out-of-fold log loss of the raw probabilities: what the search minimises. */
  logLoss: number;
  rocAuc: number;
  /** Mean early-stopping step (trees, epochs) of its fold models, for a model that stops early. */
  steps?: number;
}

/** A candidate's hyperparameter search, as metrics.json and the report record it. */
export interface HyperparameterSearch {
  /** What the space draws, in words (SearchSpace.bounds). */
  space: string;
  folds: number;
  repeats: number;
  /** Trial 0 is the candidate's defaults, then the random configurations. */
  trials: Trial[];
  /** Index of the chosen trial: the lowest out-of-fold log loss, the earlier on ties. */
  best: number;
}

/**
 * Seeded random search of one candidate's hyperparameters: cross-validates its defaults and
 * `trials` configurations drawn from its search space (from the run's seed) on the same folds, and
 * returns every trial with the out-of-fold predictions of the best. Log loss chooses, not ROC AUC:
 * it rewards the probabilities the bundle serves and tells apart configurations whose rankings tie.
 */
export async function tuneCandidate(
  name: CandidateName,
  X: FeatureMatrix,
  y: Uint8Array,
  plan: CrossValidationPlan,
  trials: number,
  options: Omit<CrossValidateOptions, 'tuned'>,
): Promise<{ search: HyperparameterSearch; outOfFold: OutOfFold }> {
  const space = searchSpaceOf(name);
  if (space === undefined) throw new Error(`${name} has no search space: --tune leaves it as it is`);
  const random = new SeededRandom(options.seed);
  const configurations = [space.defaults, ...Array.from({ length: trials }, () => space.sample(random))];
  const done: Trial[] = [];
  let best = 0;
  let bestOutOfFold: OutOfFold | undefined;
  for (const hyperparameters of configurations) {
    const outOfFold = await crossValidate(name, X, y, plan, { ...options, tuned: hyperparameters });
    const trial: Trial = {
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
  const search = { space: space.bounds, folds: plan.folds, repeats: plan.repeats, trials: done, best };
  return { search, outOfFold: bestOutOfFold as OutOfFold };
}
