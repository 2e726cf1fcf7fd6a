import {
  bootstrapIntervals,
  evaluateScores,
  permutationImportance,
  precisionRecallCurve,
  reliabilityTable,
  rocCurve,
  type ModelReport,
  type SelectionMetric,
} from '@purchase/evaluation';
import { logLoss } from '@purchase/core';
import { expectedCalibrationError } from '@purchase/models';
import { stratifiedSplit } from '@purchase/preprocessing';
import { CANDIDATES, type CandidateName } from './candidates';
import type { FoldMetrics, TrainedCandidate } from './fit-candidate';
import type { HyperparameterSearch } from './tune-candidate';
import { takeLabels, takeRows } from './matrix-rows';
import type { StepClock } from './step-clock';
import type { TrainingSplits } from './training-splits';

export interface CandidateReportOptions {
  seed: number;
  /** Where thresholds and calibration were chosen: 'validation' or 'out-of-fold'. */
  heldOut: string;
  select: SelectionMetric;
  resamples: number;
  /** Rows a bootstrap resample draws at most (bootstrapIntervals' sampleRows: m out of n above it). */
  bootstrapRows: number;
  /** Rows of validation the permutation importance is measured on at most (a stratified sample above it). */
  importanceRows: number;
  clock: StepClock;
}

/** The rows of a stratified sample of about `rows` of `y` (all of them when there are no more), ascending. */
export function stratifiedSampleRows(y: Uint8Array, rows: number, seed: number): Uint32Array | null {
  if (y.length <= rows) return null;
  const share = rows / y.length;
  return stratifiedSplit(y, { seed, fractions: [1 - share, share, 0] }).validation;
}

/**
 * What the report shows of one candidate: its metrics, bootstrap intervals, both thresholds, curves,
 * reliability and its calibration's effect on test ('evaluation' step); permutation importance on validation, on a stratified
 * sample of `importanceRows` rows when validation is larger ('importance' step). Reproducible from the seed.
 */
export function candidateReport(t: TrainedCandidate, splits: TrainingSplits, options: CandidateReportOptions): ModelReport {
  const { X, y } = splits;
  const { seed, resamples, clock } = options;
  const evaluation = clock.time(
    'evaluation',
    () => ({
      intervals: { ...bootstrapIntervals(y.test, t.scores.test, { threshold: t.threshold, seed, resamples, sampleRows: options.bootstrapRows }), split: 'test' },
      thresholds: (['f1', 'profit'] as const).map((rule) => ({
        rule,
        threshold: t.thresholds[rule].threshold,
        chosenOn: options.heldOut,
        evaluatedOn: 'test',
        metrics: evaluateScores(y.test, t.scores.test, t.thresholds[rule].threshold),
      })),
      // Collinear points dropped (scikit-learn's drop_intermediate): the same curves, far fewer points to draw.
      curves: {
        split: 'test',
        roc: rocCurve(y.test, t.scores.test, { dropIntermediate: true }),
        pr: precisionRecallCurve(y.test, t.scores.test, { dropIntermediate: true }),
      },
      calibration: { split: 'test', strategy: 'uniform' as const, bins: reliabilityTable(y.test, t.scores.test, { bins: 10 }) },
      probabilityCalibration: {
        method: t.calibration.map.method,
        setting: t.calibration.setting,
        fittedOn: options.heldOut,
        folds: t.calibration.folds,
        crossFittedLogLoss: t.calibration.crossFittedLogLoss,
        split: 'test',
        before: {
          ece: expectedCalibrationError(y.test, t.rawScores.test),
          logLoss: logLoss(y.test, t.rawScores.test),
          bins: reliabilityTable(y.test, t.rawScores.test, { bins: 10 }),
        },
        after: { ece: expectedCalibrationError(y.test, t.scores.test), logLoss: logLoss(y.test, t.scores.test) },
      },
    }),
    t.name,
  );
  // A model refitted on train + validation is measured on test: validation is no longer held out from it.
  const on = t.crossValidation ? 'test' : 'validation';
  const permutation = clock.time(
    'importance',
    () => {
      const rows = stratifiedSampleRows(y[on], options.importanceRows, seed);
      const sample = rows === null ? { X: X[on], y: y[on] } : { X: takeRows(X[on], rows), y: takeLabels(y[on], rows) };
      return {
        ...permutationImportance(t.model, sample.X, sample.y, { seed, repeats: 5, columnNames: [...splits.pipeline.columnNames] }),
        split: on,
        ...(rows === null ? {} : { sample: { rows: rows.length, of: y[on].length } }),
      };
    },
    t.name,
  );
  return {
    name: t.name,
    description: CANDIDATES[t.name].label,
    metrics: { [options.heldOut]: t.metrics.validation, test: t.metrics.test },
    ...(t.crossValidation ? { crossValidation: crossValidationSpread(t.crossValidation, options.select) } : {}),
    ...(t.tuning ? { tuning: tuningReport(t.tuning, t.name) } : {}),
    ...evaluation,
    permutationImportance: permutation,
  };
}

/** The search as the report shows it, with copies of its values (layer sizes included). */
function tuningReport(search: HyperparameterSearch, name: CandidateName): NonNullable<ModelReport['tuning']> {
  const trials = search.trials.map((trial) => ({
    ...trial,
    hyperparameters: Object.fromEntries(Object.entries(trial.hyperparameters).map(([k, v]) => [k, Array.isArray(v) ? [...v] : v])),
  }));
  return { ...search, ...(trials.some((t) => t.steps !== undefined) ? { stepUnit: CANDIDATES[name].steps } : {}), trials };
}

const SELECTION_FIELD: Record<SelectionMetric, keyof FoldMetrics> = { f1: 'f1', roc_auc: 'rocAuc', pr_auc: 'prAuc', log_loss: 'logLoss', profit: 'profit' };

function crossValidationSpread(cv: NonNullable<TrainedCandidate['crossValidation']>, metric: SelectionMetric): NonNullable<ModelReport['crossValidation']> {
  return {
    folds: cv.folds,
    repeats: cv.repeats,
    metric,
    selection: meanAndSd(cv.perFold.map((f) => f[SELECTION_FIELD[metric]])),
    rocAuc: meanAndSd(cv.perFold.map((f) => f.rocAuc)),
    ...(cv.steps === undefined ? {} : { steps: cv.steps }),
  };
}

/** Mean and sample standard deviation (n - 1; 0 for one value). */
function meanAndSd(values: readonly number[]): { mean: number; sd: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const ss = values.reduce((a, v) => a + (v - mean) ** 2, 0);
  return { mean, sd: values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : 0 };
}
