import type { CostTable, EvaluationReport, ModelReport, SelectionMetric, SplitMetrics } from '@purchase/evaluation';
import type { DatasetSpec } from '@purchase/preprocessing';
import { CV_DEFAULT_BELOW_ROWS } from './cross-validation';
import { modelCard, type ModelCardFacts } from './model-card';
import { SPLIT_NAMES, type TrainingSplits } from './training-splits';

export interface TrainingReportInput {
  spec: DatasetSpec;
  createdAt: Date;
  /** The bundle version, when known before publishing. */
  version?: string;
  data: ModelCardFacts;
  splits: TrainingSplits;
  select: SelectionMetric;
  /** Where selection, thresholds and calibration were made: 'validation' or 'out-of-fold'. */
  heldOut: string;
  crossValidation: { folds: number; repeats: number; rows: number; byDefault: boolean } | null;
  selected: string;
  models: ModelReport[];
  baseline: { validation: SplitMetrics; test: SplitMetrics };
  costs: CostTable;
}

/** The bundle's report (report.md, report.html) as data: renderMarkdownReport / renderHtmlReport draw it. */
export function trainingReport(input: TrainingReportInput): EvaluationReport {
  const { spec, splits, data } = input;
  return {
    title: `Purchase prediction: ${spec.name}`,
    createdAt: input.createdAt.toISOString(),
    ...(input.version === undefined ? {} : { version: input.version }),
    dataset: {
      name: data.dataFile,
      sha256: data.dataSha256,
      spec: { name: spec.name, target: { ...spec.target } },
      splits: SPLIT_NAMES.map((s) => ({
        name: s,
        rows: splits.y[s].length,
        positives: splits.y[s].reduce((a, b) => a + b, 0),
      })),
      features: [...splits.pipeline.columnNames],
    },
    splits: [input.heldOut, 'test'],
    selection: {
      metric: input.select,
      chosenOn: input.heldOut,
      selected: input.selected,
      ...(input.crossValidation ? { crossValidation: { ...input.crossValidation, defaultBelowRows: CV_DEFAULT_BELOW_ROWS } } : {}),
    },
    models: input.models,
    baseline: { [input.heldOut]: input.baseline.validation, test: input.baseline.test },
    costs: input.costs,
    impactSplit: 'test',
    correlations: splits.correlations,
    modelCard: modelCard(data),
  };
}
