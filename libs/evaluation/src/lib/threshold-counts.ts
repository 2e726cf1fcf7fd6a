import { type SortedScores, sortDescending } from './argsort-descending';
import { checkBinaryInputs, type Scores } from '@purchase/core';

/**
 * Cumulative confusion counts at every distinct score, highest first: predicting 1 for
 * `score >= thresholds[k]` finds `tps[k]` positives and flags `fps[k]` negatives. This is
 * scikit-learn's `_binary_clf_curve`; every curve and every threshold search is built on it, so
 * ties are handled once, here: tied scores are one threshold, never split.
 */
export interface ThresholdCounts {
  /** Distinct scores, strictly decreasing. */
  readonly thresholds: Float64Array;
  readonly tps: Float64Array;
  readonly fps: Float64Array;
  readonly positives: number;
  readonly negatives: number;
}

/** Validates, sorts once (typed-array radix argsort) and accumulates. */
export function thresholdCounts(y: Uint8Array, scores: Scores): ThresholdCounts {
  checkBinaryInputs(y, scores);
  return countsFromSorted(y, sortDescending(scores));
}

/** The accumulation alone: one sequential sweep over the sorted scores (labels read through the order). */
export function countsFromSorted(y: Uint8Array, { order, sorted }: SortedScores): ThresholdCounts {
  const n = order.length;
  let distinct = n > 0 ? 1 : 0;
  for (let k = 1; k < n; k++) if (sorted[k] !== sorted[k - 1]) distinct++;
  const thresholds = new Float64Array(distinct);
  const tps = new Float64Array(distinct);
  const fps = new Float64Array(distinct);
  let tp = 0;
  let at = 0;
  for (let k = 0; k < n; k++) {
    tp += y[order[k]];
    if (k === n - 1 || sorted[k] !== sorted[k + 1]) {
      thresholds[at] = sorted[k];
      tps[at] = tp;
      fps[at] = k + 1 - tp;
      at++;
    }
  }
  return { thresholds, tps, fps, positives: tp, negatives: n - tp };
}
