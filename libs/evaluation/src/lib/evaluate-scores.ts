import { brierScore } from './brier-score';
import { logLoss, type Scores } from '@purchase/core';
import { averagePrecisionFromCounts } from './precision-recall';
import { rocAucFromCounts } from './roc';
import { thresholdCounts } from './threshold-counts';
import { metricsAtThreshold, type ThresholdMetrics } from './threshold-metrics';

/** The metrics that need no threshold. */
export interface ScoreMetrics {
  rocAuc: number;
  /** Average precision (scikit-learn's step definition). */
  prAuc: number;
  /** Mean negative log-likelihood in nats, probabilities clipped to [2^-52, 1 - 2^-52]. */
  logLoss: number;
  brier: number;
}

/** Everything one model scores on one split: threshold-free metrics and the decision at `threshold`. */
export type SplitMetrics = ScoreMetrics & ThresholdMetrics;

/** All metrics of one split, sorting the scores once. Both classes must be present. */
export function evaluateScores(y: Uint8Array, scores: Scores, threshold: number): SplitMetrics {
  const counts = thresholdCounts(y, scores);
  return {
    ...metricsAtThreshold(y, scores, threshold),
    rocAuc: rocAucFromCounts(counts),
    prAuc: averagePrecisionFromCounts(counts),
    logLoss: logLoss(y, scores),
    brier: brierScore(y, scores),
  };
}
