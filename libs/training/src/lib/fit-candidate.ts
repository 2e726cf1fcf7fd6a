import {
  chooseF1Threshold,
  chooseProfitThreshold,
  evaluateScores,
  profitAt,
  type CostTable,
  type SplitMetrics,
  type ThresholdChoice,
} from '@purchase/evaluation';
import type { Scores } from '@purchase/core';
import type { BinaryClassifier, FitProgress } from '@purchase/models';
import { calibrateCandidate, calibrated, type CalibrationSetting, type CandidateCalibration } from './candidate-calibration';
import { createCandidate, searchSpaceOf, type CandidateName } from './candidates';
import { crossValidate, DEFAULT_CV_FOLDS, type CrossValidationPlan, type OutOfFold } from './cross-validation';
import { tuneCandidate, type HyperparameterSearch } from './tune-candidate';
import { stackLabels, stackRows } from './matrix-rows';
import type { StepClock } from './step-clock';
import type { TrainingEvent } from './training-events';
import type { TrainingSplits } from './training-splits';

/** How the operating threshold is chosen on the held-out predictions (validation or out of fold): F1-optimal or profit-optimal. */
export type ThresholdRule = 'f1' | 'profit';

/**
 * A fitted candidate with its calibration (fitted on its held-out predictions: validation or out of
 * fold), its thresholds (chosen on the calibrated ones) and its scores and metrics there and on test.
 */
export interface TrainedCandidate {
  name: CandidateName;
  model: BinaryClassifier;
  fitSeconds: number;
  calibration: CandidateCalibration;
  thresholds: Record<ThresholdRule, ThresholdChoice>;
  /** The operating threshold: thresholds[thresholdRule], on calibrated probabilities. */
  threshold: number;
  /** At the operating threshold, on calibrated probabilities. */
  metrics: { validation: SplitMetrics; test: SplitMetrics };
  /** Calibrated probabilities, as the bundle serves them. */
  scores: { validation: Scores; test: Scores };
  /** The model's own probabilities, before calibration. */
  rawScores: { validation: Float32Array; test: Float32Array };
  /**
   * With cross-validation: `validation` above is then out of fold on train + validation (every
   * repeat's), and the model was refitted on train + validation (to `steps` when it stops early).
   */
  crossValidation?: CrossValidationPlan & { rows: number; steps?: number; perFold: FoldMetrics[] };
  /** The hyperparameter search that chose this model's configuration (--tune, for a candidate with a search space). */
  tuning?: HyperparameterSearch;
}

/** One fold's metrics at the operating threshold: the spread of what selection sees. */
export interface FoldMetrics {
  f1: number;
  rocAuc: number;
  prAuc: number;
  logLoss: number;
  profit: number;
}

export interface FitCandidateOptions {
  seed: number;
  costs: CostTable;
  thresholdRule: ThresholdRule;
  calibration: CalibrationSetting;
  /** Cross-validate on train + validation (and refit there) instead of holding out validation; null: the single split. */
  crossValidation: CrossValidationPlan | null;
  /** Random configurations a search of the candidate's hyperparameters tries besides its defaults (0: none; ignored without a search space). */
  tune: number;
  onEvent: (event: TrainingEvent) => void;
  clock: StepClock;
}

/**
 * Fits one candidate and scores it where it was not fitted: with a single split, fitted on train
 * (validation for early stopping) and held out on validation; with cross-validation, out of fold on
 * train + validation, then refitted on all of train + validation (to the folds' mean early-stopping
 * step). The calibration is fitted on the held-out probabilities (seeded from the run's seed), both
 * thresholds are chosen on the calibrated ones and the operating one is evaluated there and on test
 * (timed as the candidate's 'fit' and 'score' steps). Test is only scored.
 */
export async function fitCandidate(name: CandidateName, splits: TrainingSplits, options: FitCandidateOptions): Promise<TrainedCandidate> {
  const { X, y } = splits;
  const { clock, seed } = options;
  const plan = options.crossValidation;
  const featureNames = [...splits.pipeline.columnNames];
  const onProgress = (progress: FitProgress) => options.onEvent({ kind: 'fit', candidate: name, progress });
  const started = performance.now();
  const fitted = await clock.timeAsync(
    'fit',
    async () => {
      const tuningOn = options.tune > 0 && searchSpaceOf(name) !== undefined;
      // Train + validation as one matrix, only when something is cross-validated on it.
      const all = plan !== null || tuningOn ? { X: stackRows(X.train, X.validation), y: stackLabels(y.train, y.validation) } : null;
      // The search is cross-validated on train + validation, with the run's folds or, on a single split, the default ones.
      const tuning =
        all && tuningOn
          ? await tuneCandidate(name, all.X, all.y, plan ?? { folds: DEFAULT_CV_FOLDS, repeats: 1 }, options.tune, { seed, featureNames, onProgress })
          : undefined;
      const tuned = tuning && tuning.search.trials[tuning.search.best].hyperparameters;
      if (plan === null || all === null) {
        const model = createCandidate(name, seed, undefined, tuned);
        await model.fit(X.train, y.train, { validation: { X: X.validation, y: y.validation }, featureNames, onProgress });
        return { model, outOfFold: undefined, search: tuning?.search };
      }
      // The best trial's out-of-fold predictions are this candidate's: same folds, same configuration.
      const outOfFold = tuning ? tuning.outOfFold : await crossValidate(name, all.X, all.y, plan, { seed, featureNames, onProgress });
      const model = createCandidate(name, seed, outOfFold.steps, tuned);
      await model.fit(all.X, all.y, { featureNames, onProgress });
      return { model, outOfFold, search: tuning?.search };
    },
    name,
  );
  const { model, outOfFold, search } = fitted;
  const fitSeconds = (performance.now() - started) / 1000;
  options.onEvent({ kind: 'fitted', candidate: name, fitSeconds });
  return clock.time(
    'score',
    () => {
      const heldOut = outOfFold ? { y: outOfFold.y, raw: outOfFold.raw } : { y: y.validation, raw: model.predictProba(X.validation) };
      const rawScores = { validation: heldOut.raw, test: model.predictProba(X.test) };
      const calibration = calibrateCandidate(options.calibration, heldOut.y, rawScores.validation, seed);
      const scores = { validation: calibrated(calibration.map, rawScores.validation), test: calibrated(calibration.map, rawScores.test) };
      const thresholds = {
        f1: chooseF1Threshold(heldOut.y, scores.validation),
        profit: chooseProfitThreshold(heldOut.y, scores.validation, options.costs),
      };
      const threshold = thresholds[options.thresholdRule].threshold;
      return {
        name,
        model,
        fitSeconds,
        calibration,
        thresholds,
        threshold,
        scores,
        rawScores,
        metrics: {
          validation: evaluateScores(heldOut.y, scores.validation, threshold),
          test: evaluateScores(y.test, scores.test, threshold),
        },
        ...(outOfFold && plan
          ? {
              crossValidation: {
                ...plan,
                rows: y.train.length + y.validation.length,
                ...(outOfFold.steps === undefined ? {} : { steps: outOfFold.steps }),
                perFold: foldMetrics(outOfFold, scores.validation, threshold, plan, options.costs),
              },
            }
          : {}),
        ...(search ? { tuning: search } : {}),
      };
    },
    name,
  );
}

/** Each fold's metrics at the operating threshold (chosen on all folds together). */
function foldMetrics(outOfFold: OutOfFold, scores: Scores, threshold: number, plan: CrossValidationPlan, costs: CostTable): FoldMetrics[] {
  const out: FoldMetrics[] = [];
  for (let f = 0; f < plan.folds * plan.repeats; f++) {
    const rows: number[] = [];
    for (let i = 0; i < outOfFold.fold.length; i++) if (outOfFold.fold[i] === f) rows.push(i);
    const m = evaluateScores(
      Uint8Array.from(rows, (i) => outOfFold.y[i]),
      Float64Array.from(rows, (i) => scores[i]),
      threshold,
    );
    out.push({ f1: m.f1, rocAuc: m.rocAuc, prAuc: m.prAuc, logLoss: m.logLoss, profit: profitAt(m, costs) });
  }
  return out;
}
