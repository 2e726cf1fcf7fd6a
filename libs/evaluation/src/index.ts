// The public door of @purchase/evaluation: metrics, intervals, thresholds, baseline, importance,
// model selection and reports. Knows numbers, not schemas. The metrics every layer needs (ROC
// AUC, log loss) and the input checks of labels and scores are in @purchase/core.
export { confusionAt, metricsAtThreshold, metricsFromCounts } from './lib/threshold-metrics';
export type { ConfusionCounts, ThresholdMetrics } from './lib/threshold-metrics';
export { rocCurve } from './lib/roc';
export type { RocCurve, CurveOptions } from './lib/roc';
export { averagePrecision, precisionRecallCurve } from './lib/precision-recall';
export type { PrCurve } from './lib/precision-recall';
export { brierScore } from './lib/brier-score';
export { reliabilityTable } from './lib/reliability-table';
export type { ReliabilityBin, ReliabilityOptions, BinStrategy } from './lib/reliability-table';
export { evaluateScores } from './lib/evaluate-scores';
export type { ScoreMetrics, SplitMetrics } from './lib/evaluate-scores';
export { bootstrapIntervals } from './lib/bootstrap-intervals';
export type { BootstrapIntervals, BootstrapOptions, Interval } from './lib/bootstrap-intervals';
export { chooseF1Threshold, chooseProfitThreshold, profitAt, checkCosts } from './lib/threshold-choice';
export type { CostTable, ThresholdChoice } from './lib/threshold-choice';
export { alwaysPurchaseBaseline, compareWithBaseline } from './lib/always-purchase-baseline';
export type { BaselineComparison } from './lib/always-purchase-baseline';
export { pointBiserialCorrelations } from './lib/point-biserial';
export type { NumericColumn, FeatureCorrelation } from './lib/point-biserial';
export { permutationImportance } from './lib/permutation-importance';
export type {
  ProbabilityModel,
  PermutationOptions,
  PermutationImportance,
  PermutationImportanceResult,
} from './lib/permutation-importance';
export { selectBestModel, SELECTION_METRICS } from './lib/model-selection';
export type { SelectionMetric, Candidate, CandidateMetrics, Selection } from './lib/model-selection';
export type { EvaluationReport, DatasetSummary, ModelReport, ProbabilityCalibrationReport, ThresholdReport, ModelCard } from './lib/report-data';
export { BASELINE_NAME } from './lib/build-report-document';
export { renderMarkdownReport } from './lib/markdown-report';
export { renderHtmlReport } from './lib/html-report';
export { renderLinePlotSvg } from './lib/svg-line-plot';
export type { LinePlot, LineSeries } from './lib/svg-line-plot';
export { formatMetric, formatThreshold, formatCount, formatMoney, formatPercent, formatPValue, formatDifference } from './lib/number-format';
