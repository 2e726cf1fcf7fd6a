import {
  compareWithBaseline,
  type BaselineComparison,
  type CostTable,
  type ModelReport,
  type Selection,
  type SelectionMetric,
  type SplitMetrics,
} from '@purchase/evaluation';
import type { ThresholdRule, TrainedCandidate } from './fit-candidate';

/** metrics.json of a bundle: per model, validation and test metrics, thresholds and intervals. */
export interface TrainingMetrics {
  selection: { metric: SelectionMetric; chosenOn: string; selected: string; ranking: Selection['ranking'] };
  thresholdRule: ThresholdRule;
  costs: CostTable;
  baseline: { validation: SplitMetrics; test: SplitMetrics };
  /** By candidate name, in training order. */
  models: Record<
    string,
    {
      kind: string;
      fitSeconds: number;
      threshold: number;
      thresholds: Record<ThresholdRule, number>;
      validation: SplitMetrics;
      test: SplitMetrics;
      intervals: ModelReport['intervals'];
      beatsBaselineOnTest: BaselineComparison;
    }
  >;
}

export interface TrainingMetricsInput {
  trained: readonly TrainedCandidate[];
  /** candidateReport of each trained candidate, in the same order. */
  reports: readonly ModelReport[];
  selection: Selection;
  select: SelectionMetric;
  thresholdRule: ThresholdRule;
  costs: CostTable;
  baseline: { validation: SplitMetrics; test: SplitMetrics };
}

export function trainingMetrics(input: TrainingMetricsInput): TrainingMetrics {
  const { trained, baseline } = input;
  return {
    selection: { metric: input.select, chosenOn: 'validation', selected: trained[input.selection.index].name, ranking: input.selection.ranking },
    thresholdRule: input.thresholdRule,
    costs: input.costs,
    baseline,
    models: Object.fromEntries(
      trained.map((t, i) => [
        t.name,
        {
          kind: t.model.kind,
          fitSeconds: t.fitSeconds,
          threshold: t.threshold,
          thresholds: { f1: t.thresholds.f1.threshold, profit: t.thresholds.profit.threshold },
          validation: t.metrics.validation,
          test: t.metrics.test,
          intervals: input.reports[i].intervals,
          beatsBaselineOnTest: compareWithBaseline(t.metrics.test, baseline.test),
        },
      ]),
    ),
  };
}
