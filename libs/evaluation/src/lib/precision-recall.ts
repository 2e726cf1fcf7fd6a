import type { CurveOptions } from './roc';
import { type ThresholdCounts, thresholdCounts } from './threshold-counts';
import { checkHasPositive, type Scores } from '@purchase/core';

/**
 * Points of the precision-recall curve, in scikit-learn's `precision_recall_curve` layout:
 * recall decreasing, ending at (recall 0, precision 1), which has no threshold.
 */
export interface PrCurve {
  precision: number[];
  recall: number[];
  /** Increasing; thresholds[k] gives (recall[k], precision[k]). One fewer than the points. */
  thresholds: number[];
}

/** The precision-recall curve: one point per distinct score plus the (0, 1) end. y needs a positive. */
export function precisionRecallCurve(y: Uint8Array, scores: Scores, options: CurveOptions = {}): PrCurve {
  return precisionRecallCurveFromCounts(thresholdCounts(y, scores), options);
}

export function precisionRecallCurveFromCounts(counts: ThresholdCounts, options: CurveOptions = {}): PrCurve {
  checkHasPositive(counts.positives, 'the precision-recall curve');
  const { tps, fps, thresholds } = counts;
  const m = thresholds.length;
  // scikit-learn keeps a point where recall changes on either side of it.
  const keep = (k: number) =>
    !options.dropIntermediate || m <= 2 || k === 0 || k === m - 1 || tps[k] !== tps[k - 1] || tps[k + 1] !== tps[k];
  const curve: PrCurve = { precision: [], recall: [], thresholds: [] };
  for (let k = m - 1; k >= 0; k--) {
    if (!keep(k)) continue;
    curve.precision.push(tps[k] / (tps[k] + fps[k]));
    curve.recall.push(tps[k] / counts.positives);
    curve.thresholds.push(thresholds[k]);
  }
  curve.precision.push(1);
  curve.recall.push(0);
  return curve;
}

/**
 * Average precision, scikit-learn's step definition: sum over distinct scores of
 * (recall gained) x (precision there). No interpolation, so it is exact on ties and is not the
 * trapezoid area (which overstates a model's precision).
 */
export function averagePrecision(y: Uint8Array, scores: Scores): number {
  return averagePrecisionFromCounts(thresholdCounts(y, scores));
}

export function averagePrecisionFromCounts(counts: ThresholdCounts): number {
  checkHasPositive(counts.positives, 'average precision');
  const { tps, fps } = counts;
  let sum = 0;
  let prevTp = 0;
  for (let k = 0; k < tps.length; k++) {
    if (tps[k] !== prevTp) sum += ((tps[k] - prevTp) * tps[k]) / (tps[k] + fps[k]);
    prevTp = tps[k];
  }
  return sum / counts.positives;
}
