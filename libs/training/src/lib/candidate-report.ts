import {
  bootstrapIntervals,
  evaluateScores,
  permutationImportance,
  precisionRecallCurve,
  reliabilityTable,
  rocCurve,
  type ModelReport,
} from '@purchase/evaluation';
import { CANDIDATES } from './candidates';
import type { TrainedCandidate } from './fit-candidate';
import type { TrainingSplits } from './training-splits';

/**
 * What the report shows of one candidate: its metrics, bootstrap intervals, both thresholds, curves
 * and calibration on test; permutation importance on validation. Reproducible from the seed.
 */
export function candidateReport(t: TrainedCandidate, splits: TrainingSplits, options: { seed: number; resamples: number }): ModelReport {
  const { X, y } = splits;
  const { seed, resamples } = options;
  return {
    name: t.name,
    description: CANDIDATES[t.name].label,
    metrics: t.metrics,
    intervals: { ...bootstrapIntervals(y.test, t.scores.test, { threshold: t.threshold, seed, resamples }), split: 'test' },
    thresholds: (['f1', 'profit'] as const).map((rule) => ({
      rule,
      threshold: t.thresholds[rule].threshold,
      chosenOn: 'validation',
      evaluatedOn: 'test',
      metrics: evaluateScores(y.test, t.scores.test, t.thresholds[rule].threshold),
    })),
    curves: { split: 'test', roc: rocCurve(y.test, t.scores.test), pr: precisionRecallCurve(y.test, t.scores.test) },
    calibration: { split: 'test', strategy: 'uniform', bins: reliabilityTable(y.test, t.scores.test, { bins: 10 }) },
    permutationImportance: {
      ...permutationImportance(t.model, X.validation, y.validation, { seed, repeats: 5, columnNames: [...splits.pipeline.columnNames] }),
      split: 'validation',
    },
  };
}
