import path from 'node:path';
import {
  alwaysPurchaseBaseline,
  renderHtmlReport,
  renderMarkdownReport,
  type CostTable,
  type SelectionMetric,
} from '@purchase/evaluation';
import { checkNumber, sha256File } from '@purchase/core';
import { publishBundle, type PublishedBundle } from '@purchase/inference';
import { loadSpec, readDataset, type DatasetSpec } from '@purchase/preprocessing';
import { CALIBRATION_SETTINGS, isCalibrationSetting, type CalibrationSetting } from './candidate-calibration';
import { candidateReport } from './candidate-report';
import { CANDIDATE_NAMES, isCandidateName, tunableCandidates, type CandidateName } from './candidates';
import { resolveCosts } from './cost-table';
import { planCrossValidation } from './cross-validation';
import { fitCandidate, type ThresholdRule, type TrainedCandidate } from './fit-candidate';
import { stackLabels } from './matrix-rows';
import { selectOnValidation } from './select-on-validation';
import { TooManyRejectedError } from './too-many-rejected-error';
import type { TrainingEvent } from './training-events';
import { trainingMetrics, type TrainingMetrics } from './training-metrics';
import { trainingReport } from './training-report';
import { StepClock, type StepTiming } from './step-clock';
import { splitAndTransform, type TrainingSplits } from './training-splits';

export interface TrainingOptions {
  /** The training CSV. */
  data: string;
  /** The dataset spec file (data/specs/README.md). */
  spec: string;
  /** The CSV delimiter of `data`, over the one the spec declares (its "csv" dialect, else ","). */
  delimiter?: string;
  /** The models directory: the bundle goes to <out>/<version>, and <out>/current is switched to it. */
  out: string;
  /** The bundle's version; default: publishBundle's (UTC time and a random suffix). The report names it only when given here. */
  version?: string;
  /** Seeds the split, model initialisation, sampling, bootstrap and permutation. */
  seed: number;
  /** The candidates to train, in this order; at least one, each once. */
  models: readonly CandidateName[];
  /** The metric that selects the served model, on the held-out predictions (validation or out of fold). */
  select: SelectionMetric;
  thresholdRule: ThresholdRule;
  /**
   * How each candidate's probabilities are calibrated, fitted on its held-out predictions (validation or out of fold) before
   * its threshold is chosen (default 'auto': chooseCalibration picks none, platt or isotonic by
   * cross-fitted log loss); the selected candidate's calibration is served with it.
   */
  calibration?: CalibrationSetting;
  /**
   * Stratified K-fold cross-validation on train + validation for selection, thresholds and
   * calibration (out-of-fold predictions; the final models are refitted on train + validation):
   * K >= 2 folds, or 0 for the single validation split. Default: DEFAULT_CV_FOLDS folds when
   * train + validation has fewer than CV_DEFAULT_BELOW_ROWS rows, else the validation split.
   */
  cvFolds?: number;
  /** Repeats of the cross-validation, each with other folds (default 1). */
  cvRepeats?: number;
  /**
   * Random configurations of each candidate's hyperparameters to cross-validate besides its
   * defaults (seeded random search of the candidate's search space, lowest out-of-fold log loss
   * wins; default 0: none). Candidates without a search space (lr) keep theirs; at least one of
   * `models` must have one.
   */
  tune?: number;
  /** Largest share (0..1) of data rows that may be rejected by validation before the data is refused. */
  maxRejected: number;
  /** Overrides of the spec's cost table (see resolveCosts). */
  costs?: Partial<CostTable>;
  /** Bootstrap resamples for the confidence intervals. */
  resamples: number;
  /**
   * The most test rows a bootstrap resample draws (default 10,000): a larger test split is resampled
   * m out of n (bootstrapIntervals' sampleRows), and the report says so.
   */
  bootstrapRows?: number;
  /** The most validation rows permutation importance is measured on (default 10,000): a stratified sample of a larger split, named in the report. */
  importanceRows?: number;
  /** Progress, as it happens (see TrainingEvent). */
  onEvent?: (event: TrainingEvent) => void;
}

export interface TrainingResult {
  bundle: PublishedBundle;
  selected: CandidateName;
  /** What the bundle's metrics.json holds. */
  metrics: TrainingMetrics;
  /** Where the run's wall time went, step by step in order (each also reported as a 'step' event). */
  timings: StepTiming[];
}

export const DEFAULT_BOOTSTRAP_ROWS = 10_000;
export const DEFAULT_IMPORTANCE_ROWS = 10_000;

function checkOptions(options: TrainingOptions): void {
  const unknown = options.models.filter((m) => !isCandidateName(m));
  if (options.models.length === 0 || unknown.length > 0) {
    throw new Error(`models must list some of ${CANDIDATE_NAMES.join(', ')}; unknown: "${unknown.join(', ')}"`);
  }
  if (new Set(options.models).size !== options.models.length) throw new Error(`models lists a model twice: ${options.models.join(', ')}`);
  if (options.calibration !== undefined && !isCalibrationSetting(options.calibration)) {
    throw new Error(`calibration must be one of ${CALIBRATION_SETTINGS.join(', ')}, got "${options.calibration}"`);
  }
  if (!(options.maxRejected >= 0 && options.maxRejected <= 1)) throw new Error(`maxRejected is a share of rows between 0 and 1, got ${options.maxRejected}`);
  if (options.cvFolds !== undefined && options.cvFolds !== 0) checkNumber('cvFolds', options.cvFolds, { min: 2, integer: true });
  if (options.cvRepeats !== undefined) checkNumber('cvRepeats', options.cvRepeats, { min: 1, integer: true });
  if (options.tune !== undefined) {
    checkNumber('tune', options.tune, { min: 0, integer: true });
    if (options.tune > 0 && tunableCandidates(options.models).length === 0) {
      throw new Error(`tune searches the hyperparameters of ${tunableCandidates(CANDIDATE_NAMES).join(', ')}, but models lists none of them: ${options.models.join(', ')}`);
    }
  }
  for (const name of ['bootstrapRows', 'importanceRows'] as const) {
    if (options[name] !== undefined) checkNumber(name, options[name], { min: 2, integer: true });
  }
}

/**
 * One training: validate the data, split, fit the pipeline, train every candidate (cross-validated
 * on train + validation and refitted there, or on train with validation held out), calibrate it and
 * choose its thresholds on its held-out predictions, select, evaluate on test, and publish a bundle with its report
 * (under `version`, else the one publishBundle names). Throws, and writes nothing, when the data or spec is unusable;
 * a failure while publishing leaves <out>/current as it was.
 */
export async function trainAndPublish(options: TrainingOptions): Promise<TrainingResult> {
  checkOptions(options);
  const { seed } = options;
  const onEvent = options.onEvent ?? (() => undefined);
  const clock = new StepClock(onEvent);
  // A delimiter given for this run becomes the spec's dialect, so that the bundle records how its
  // data was read and scoring reads files of the same shape without being told again.
  const declared = await loadSpec(options.spec);
  const spec = options.delimiter === undefined ? declared : { ...declared, csv: { delimiter: options.delimiter, quote: declared.csv?.quote ?? '"' } };
  const { splits, kept, total } = await readAndSplit(options, spec, clock, onEvent);
  const { pipeline, y } = splits;

  const costs = resolveCosts(spec, options.costs);
  const calibration = options.calibration ?? 'auto';
  const heldOutRows = y.train.length + y.validation.length;
  const crossValidation = planCrossValidation(heldOutRows, options.cvFolds, options.cvRepeats);
  const heldOut = crossValidation ? 'out-of-fold' : 'validation';
  const cv = crossValidation && { ...crossValidation, rows: heldOutRows, byDefault: options.cvFolds === undefined };
  onEvent({ kind: 'selection', on: heldOut, crossValidation: cv });
  const trained: TrainedCandidate[] = [];
  try {
    for (const name of options.models) {
      trained.push(await fitCandidate(name, splits, { seed, costs, thresholdRule: options.thresholdRule, calibration, crossValidation, tune: options.tune ?? 0, onEvent, clock }));
    }
    const selection = selectOnValidation(trained, options.select, costs);
    const selected = trained[selection.index];
    // Out of fold, every train and validation row is held out once per repeat: the prior of their labels.
    const baseline = {
      validation: alwaysPurchaseBaseline(crossValidation ? stackLabels(y.train, y.validation) : y.validation),
      test: alwaysPurchaseBaseline(y.test),
    };
    const reports = trained.map((t) =>
      candidateReport(t, splits, {
        seed,
        heldOut,
        select: options.select,
        resamples: options.resamples,
        bootstrapRows: options.bootstrapRows ?? DEFAULT_BOOTSTRAP_ROWS,
        importanceRows: options.importanceRows ?? DEFAULT_IMPORTANCE_ROWS,
        clock,
      }),
    );

    const createdAt = new Date();
    const dataFile = path.basename(options.data);
    const { dataSha256, metrics, reportMarkdown, reportHtml } = await clock.timeAsync('report', async () => {
      const dataSha256 = await sha256File(options.data);
      const report = trainingReport({
        spec,
        createdAt,
        version: options.version,
        data: { dataFile, dataSha256, keptRows: kept, totalRows: total, specName: spec.name, seed },
        splits,
        select: options.select,
        heldOut,
        crossValidation: cv,
        selected: selected.name,
        models: reports,
        baseline,
        costs,
      });
      const metrics = trainingMetrics({ trained, reports, selection, select: options.select, heldOut, crossValidation: cv, thresholdRule: options.thresholdRule, costs, baseline });
      return { dataSha256, metrics, reportMarkdown: renderMarkdownReport(report), reportHtml: renderHtmlReport(report) };
    });

    const bundle = await clock.timeAsync('publish', () => publishBundle(options.out, {
      ...(options.version === undefined ? {} : { version: options.version }),
      createdAt,
      data: { file: dataFile, sha256: dataSha256, rows: kept },
      spec,
      seed,
      pipeline: pipeline.toJSON(),
      candidates: Object.fromEntries(trained.map((t) => [t.name, t.model])),
      selected: {
        candidate: selected.name,
        threshold: selected.threshold,
        thresholdRule: `${options.thresholdRule}-optimal on ${heldOut}`,
        calibration: selected.calibration.map,
        metrics: {
          roc_auc: selected.metrics.test.rocAuc,
          pr_auc: selected.metrics.test.prAuc,
          f1: selected.metrics.test.f1,
          accuracy: selected.metrics.test.accuracy,
          log_loss: selected.metrics.test.logLoss,
        },
      },
      metrics,
      reportMarkdown,
      reportHtml,
    }));
    return { bundle, selected: selected.name, metrics, timings: clock.timings };
  } finally {
    for (const t of trained) t.model.dispose();
  }
}

/**
 * Reads and validates the data, splits it and transforms each split. The read (its typed columns)
 * is not returned: once the matrices are written nothing holds it, and the collector frees it
 * before the models are fitted.
 */
async function readAndSplit(
  options: TrainingOptions,
  spec: DatasetSpec,
  clock: StepClock,
  onEvent: (event: TrainingEvent) => void,
): Promise<{ splits: TrainingSplits; kept: number; total: number }> {
  const read = await clock.timeAsync('read', () => readDataset(options.data, spec));
  const total = read.report.dataLines;
  const kept = read.report.kept;
  if (kept === 0) throw new Error(`${options.data}: no usable rows (${read.rejected.length} rejected)`);
  if (read.rejected.length > options.maxRejected * total) {
    onEvent({ kind: 'read', read });
    throw new TooManyRejectedError(options.data, read.rejected.length, total, options.maxRejected);
  }
  const splits = splitAndTransform(spec, read.columns, read.labels, options.seed, clock);
  const { pipeline, y } = splits;
  onEvent({ kind: 'read', read, imputer: pipeline.imputer });
  onEvent({ kind: 'split', seed: options.seed, rows: { train: y.train.length, validation: y.validation.length, test: y.test.length }, features: pipeline.width });
  return { splits, kept, total };
}
