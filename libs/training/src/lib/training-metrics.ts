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

/**
 * metrics.json of a bundle: per model, held-out (validation, or out of fold with cross-validation:
 * selection.chosenOn says which) and test metrics, thresholds, calibration and intervals.
 */
export interface TrainingMetrics {
  selection: {
    metric: SelectionMetric;
    chosenOn: string;
    /** The cross-validation that made the out-of-fold predictions, or null (the validation split). */
    crossValidation: { folds: number; repeats: number; rows: number; byDefault: boolean } | null;
    selected: string;
    ranking: Selection['ranking'];
  };
  thresholdRule: ThresholdRule;
  costs: CostTable;
  baseline: { validation: SplitMetrics; test: SplitMetrics };
  /** By candidate name, in training order. */
  models: Record<
    string,
    {
      kind: string;
      fitSeconds: number;
      /** The calibration served with the model: fitted on validation; its effect on test (ECE, log loss). */
      calibration: Omit<NonNullable<ModelReport['probabilityCalibration']>, 'before' | 'after'> & {
        before: { ece: number; logLoss: number };
        after: { ece: number; logLoss: number };
      };
      threshold: number;
      thresholds: Record<ThresholdRule, number>;
      validation: SplitMetrics;
      test: SplitMetrics;
      intervals: ModelReport['intervals'];
      /** Cross-validated: the spread over folds of the selection metric and ROC AUC. */
      crossValidation?: ModelReport['crossValidation'];
      /** The hyperparameter search (tune, a candidate with a search space): its space, every trial and the one chosen. */
      tuning?: ModelReport['tuning'];
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
  /** Where selection was made: 'validation' or 'out-of-fold' (then `validation` below holds out-of-fold metrics). */
  heldOut: string;
  crossValidation: TrainingMetrics['selection']['crossValidation'];
  thresholdRule: ThresholdRule;
  costs: CostTable;
  baseline: { validation: SplitMetrics; test: SplitMetrics };
}

export function trainingMetrics(input: TrainingMetricsInput): TrainingMetrics {
  const { trained, baseline } = input;
  return {
    selection: { metric: input.select, chosenOn: input.heldOut, crossValidation: input.crossValidation, selected: trained[input.selection.index].name, ranking: input.selection.ranking },
    thresholdRule: input.thresholdRule,
    costs: input.costs,
    baseline,
    models: Object.fromEntries(
      trained.map((t, i) => [
        t.name,
        {
          kind: t.model.kind,
          fitSeconds: t.fitSeconds,
          calibration: calibrationMetrics(input.reports[i]),
          threshold: t.threshold,
          thresholds: { f1: t.thresholds.f1.threshold, profit: t.thresholds.profit.threshold },
          validation: t.metrics.validation,
          test: t.metrics.test,
          intervals: input.reports[i].intervals,
          ...(input.reports[i].crossValidation ? { crossValidation: input.reports[i].crossValidation } : {}),
          ...(input.reports[i].tuning ? { tuning: input.reports[i].tuning } : {}),
          beatsBaselineOnTest: compareWithBaseline(t.metrics.test, baseline.test),
        },
      ]),
    ),
  };
}

function calibrationMetrics(report: ModelReport): TrainingMetrics['models'][string]['calibration'] {
  const c = report.probabilityCalibration;
  if (!c) throw new Error(`the report of "${report.name}" has no probability calibration`);
  const { bins: _bins, ...before } = c.before;
  return { ...c, before };
}
