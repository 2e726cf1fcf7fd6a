import {
  bootstrapIntervals,
  evaluateScores,
  permutationImportance,
  precisionRecallCurve,
  reliabilityTable,
  rocCurve,
  type ModelReport,
} from '@purchase/evaluation';
import type { FeatureMatrix } from '@purchase/features';
import { stratifiedSplit } from '@purchase/preprocessing';
import { CANDIDATES } from './candidates';
import type { TrainedCandidate } from './fit-candidate';
import type { StepClock } from './step-clock';
import type { TrainingSplits } from './training-splits';

export interface CandidateReportOptions {
  seed: number;
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

function takeRows(X: FeatureMatrix, rows: Uint32Array): FeatureMatrix {
  const data = new Float32Array(rows.length * X.cols);
  for (let i = 0; i < rows.length; i++) data.set(X.data.subarray(rows[i] * X.cols, (rows[i] + 1) * X.cols), i * X.cols);
  return { data, rows: rows.length, cols: X.cols, columnNames: X.columnNames };
}

function takeLabels(y: Uint8Array, rows: Uint32Array): Uint8Array {
  return Uint8Array.from(rows, (r) => y[r]);
}

/**
 * What the report shows of one candidate: its metrics, bootstrap intervals, both thresholds, curves
 * and calibration on test ('evaluation' step); permutation importance on validation, on a stratified
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
        chosenOn: 'validation',
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
    }),
    t.name,
  );
  const permutation = clock.time(
    'importance',
    () => {
      const rows = stratifiedSampleRows(y.validation, options.importanceRows, seed);
      const sample = rows === null ? { X: X.validation, y: y.validation } : { X: takeRows(X.validation, rows), y: takeLabels(y.validation, rows) };
      return {
        ...permutationImportance(t.model, sample.X, sample.y, { seed, repeats: 5, columnNames: [...splits.pipeline.columnNames] }),
        split: 'validation',
        ...(rows === null ? {} : { sample: { rows: rows.length, of: y.validation.length } }),
      };
    },
    t.name,
  );
  return { name: t.name, description: CANDIDATES[t.name].label, metrics: t.metrics, ...evaluation, permutationImportance: permutation };
}
