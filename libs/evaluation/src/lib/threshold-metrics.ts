import { checkBinaryInputs, type Scores } from '@purchase/core';

/** Confusion counts when predicting 1 for every row with `score >= threshold`. */
export interface ConfusionCounts {
  tp: number;
  fp: number;
  tn: number;
  fn: number;
}

/**
 * Metrics of the hard decision at one threshold. A ratio whose denominator is zero is 0, as in
 * scikit-learn with `zero_division=0` (e.g. precision when nobody is predicted positive).
 */
export interface ThresholdMetrics extends ConfusionCounts {
  threshold: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
}

/** Confusion counts at `threshold` (predict 1 when `score >= threshold`). */
export function confusionAt(y: Uint8Array, scores: Scores, threshold: number): ConfusionCounts {
  checkBinaryInputs(y, scores);
  if (Number.isNaN(threshold)) throw new Error('threshold is NaN');
  let tp = 0;
  let fp = 0;
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    positives += y[i];
    if (scores[i] >= threshold) {
      if (y[i] === 1) tp++;
      else fp++;
    }
  }
  return { tp, fp, tn: y.length - positives - fp, fn: positives - tp };
}

/** Accuracy, precision, recall, F1 and the confusion counts at `threshold`. */
export function metricsAtThreshold(y: Uint8Array, scores: Scores, threshold: number): ThresholdMetrics {
  return metricsFromCounts(confusionAt(y, scores, threshold), threshold);
}

/** The ratios of a confusion table; F1 = 2tp / (2tp + fp + fn), which equals the harmonic mean. */
export function metricsFromCounts(counts: ConfusionCounts, threshold: number): ThresholdMetrics {
  const { tp, fp, tn, fn } = counts;
  const n = tp + fp + tn + fn;
  return {
    threshold,
    tp,
    fp,
    tn,
    fn,
    accuracy: ratio(tp + tn, n),
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
    f1: ratio(2 * tp, 2 * tp + fp + fn),
  };
}

function ratio(num: number, den: number): number {
  return den === 0 ? 0 : num / den;
}
