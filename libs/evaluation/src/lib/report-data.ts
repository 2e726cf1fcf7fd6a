import type { CalibrationMethod } from '@purchase/models';
import type { BootstrapIntervals } from './bootstrap-intervals';
import type { SplitMetrics } from './evaluate-scores';
import type { SelectionMetric } from './model-selection';
import type { FeatureCorrelation } from './point-biserial';
import type { PermutationImportanceResult } from './permutation-importance';
import type { PrCurve } from './precision-recall';
import type { BinStrategy, ReliabilityBin } from './reliability-table';
import type { RocCurve } from './roc';
import type { CostTable } from './threshold-choice';
import type { ThresholdMetrics } from './threshold-metrics';

/**
 * Everything a report shows, as plain data: the training app fills it in from the functions of
 * this library and hands it to renderMarkdownReport / renderHtmlReport, which compute nothing but
 * the baseline verdicts and business-impact counts derived from these numbers. It is JSON-friendly
 * except that a threshold of Infinity (nobody targeted) becomes null in JSON.
 */
export interface EvaluationReport {
  title: string;
  /** ISO 8601 time of the run; passed in so rendering stays a pure function. */
  createdAt: string;
  /** Bundle version, when there is one. */
  version?: string;
  dataset: DatasetSummary;
  /** Split names in display order, e.g. ['validation', 'test']; every model has metrics for each. */
  splits: string[];
  selection: {
    metric: SelectionMetric;
    /** The split the selection was made on (e.g. 'validation'). */
    chosenOn: string;
    /** Name of the selected model; must be one of `models`. */
    selected: string;
    /**
     * When `chosenOn` holds out-of-fold predictions: the stratified K-fold cross-validation of the
     * `rows` of train + validation that made them; `byDefault` when the row count (below
     * `defaultBelowRows`) chose it rather than the run's options.
     */
    crossValidation?: { folds: number; repeats: number; rows: number; byDefault: boolean; defaultBelowRows: number };
  };
  /** Candidates in the order they were trained. */
  models: ModelReport[];
  /** The always-purchase baseline (alwaysPurchaseBaseline) per split, shown as a row in every metrics table. */
  baseline: Record<string, SplitMetrics>;
  /** Value and cost used for profit thresholds and the business-impact table. */
  costs?: CostTable;
  /**
   * Split of the business-impact table (default: the last of `splits`). Each model is shown at its
   * 'profit' threshold evaluated on this split when it has one, else at its operating threshold.
   */
  impactSplit?: string;
  /** Correlation of raw numeric features with the target (pointBiserialCorrelations). */
  correlations?: FeatureCorrelation[];
  modelCard: ModelCard;
}

export interface DatasetSummary {
  /** File or dataset name, e.g. 'customer_sessions.csv'. */
  name: string;
  sha256?: string;
  /** Rows and positives per split, in any order. */
  splits: { name: string; rows: number; positives: number }[];
  /** Names of the model's input features, in order. */
  features?: string[];
  /** The dataset spec's name and the target it predicts: the column and its positive value. */
  spec?: { name: string; target: { column: string; positive: string; negative: string } };
}

export interface ModelReport {
  /** Short name, e.g. 'gbdt'. */
  name: string;
  /** One line, e.g. 'gradient-boosted trees, 200 trees of depth 4'. */
  description?: string;
  /** Metrics per split at the model's operating threshold (the same threshold on every split). */
  metrics: Record<string, SplitMetrics>;
  /** Bootstrap intervals (bootstrapIntervals) and the split they were computed on. */
  intervals?: BootstrapIntervals & { split: string };
  /** Thresholds chosen on one split and evaluated on another (chooseF1Threshold, chooseProfitThreshold). */
  thresholds?: ThresholdReport[];
  /** ROC and PR curve points on one split (rocCurve, precisionRecallCurve). */
  curves?: { split: string; roc: Pick<RocCurve, 'fpr' | 'tpr'>; pr: Pick<PrCurve, 'recall' | 'precision'> };
  /** Reliability table on one split (reliabilityTable), of the probabilities the model serves (calibrated when it is). */
  calibration?: { split: string; strategy: BinStrategy; bins: ReliabilityBin[] };
  /** Cross-validated: the spread over folds (and repeats) of the selection metric and ROC AUC at the operating threshold. */
  crossValidation?: {
    folds: number;
    repeats: number;
    metric: SelectionMetric;
    selection: { mean: number; sd: number };
    rocAuc: { mean: number; sd: number };
    /** The steps (trees, epochs) the final model was refitted to: the folds' mean early-stopping step. */
    steps?: number;
  };
  /**
   * A random search of the model's hyperparameters (trial 0: its defaults) drawn from `space` (in
   * words), each cross-validated on the same `folds` x `repeats`; `best` is the trial chosen (the
   * lowest out-of-fold log loss). `stepUnit` names a trial's `steps` (its fold models' mean
   * early-stopping step: 'trees', 'epochs') for a model that stops early.
   */
  tuning?: {
    space: string;
    folds: number;
    repeats: number;
    stepUnit?: string;
    trials: { hyperparameters: Record<string, number | string | readonly number[]>; logLoss: number; rocAuc: number; steps?: number }[];
    best: number;
  };
  /** The probability calibration the model serves with, how it was chosen, and what it changed. */
  probabilityCalibration?: ProbabilityCalibrationReport;
  /**
   * Permutation importance (permutationImportance) and the split it was measured on; `sample` when it
   * was measured on a stratified sample of that split's rows.
   */
  permutationImportance?: PermutationImportanceResult & { split: string; sample?: { rows: number; of: number } };
}

export interface ProbabilityCalibrationReport {
  method: CalibrationMethod;
  /** 'auto' when the method was chosen by cross-fitted log loss, else the method the run was told to use. */
  setting: 'auto' | CalibrationMethod;
  /** The split the calibration was fitted (and the method chosen) on, e.g. 'validation'. */
  fittedOn: string;
  /** Folds of the cross-fitting on `fittedOn`. */
  folds: number;
  /** Log loss on `fittedOn` of each method, each fitted on the other folds (lower is better). */
  crossFittedLogLoss: Record<CalibrationMethod, number>;
  /** The split `before` and `after` are measured on, e.g. 'test'. */
  split: string;
  /** The raw probabilities: expected calibration error (10 equal-width bins), log loss and reliability table. */
  before: { ece: number; logLoss: number; bins: ReliabilityBin[] };
  /** The calibrated ones (their reliability table is `calibration`). */
  after: { ece: number; logLoss: number };
}

export interface ThresholdReport {
  rule: 'f1' | 'profit';
  /** Predict 1 when score >= threshold; Infinity means nobody. */
  threshold: number;
  chosenOn: string;
  evaluatedOn: string;
  /** Metrics at the threshold on `evaluatedOn`. */
  metrics: ThresholdMetrics;
}

/** The model-card section; the metrics part of the card is generated from the report's numbers. */
export interface ModelCard {
  intendedUse: string;
  /** Where the data came from, its size and period, known gaps. */
  data: string;
  /** One limitation or risk per item. */
  limitations: string[];
  /** Uses the model is not fit for. */
  outOfScope?: string[];
}
