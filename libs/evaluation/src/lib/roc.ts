import { type ThresholdCounts, thresholdCounts } from './threshold-counts';
import { checkBothClasses, type Scores } from '@purchase/core';

/** Points of the ROC curve, in scikit-learn's `roc_curve` layout. */
export interface RocCurve {
  fpr: number[];
  tpr: number[];
  /**
   * thresholds[k] gives (fpr[k], tpr[k]); thresholds[0] is Infinity (nobody predicted positive), as
   * in scikit-learn 1.3+ (1.2 put max(score) + 1 there).
   */
  thresholds: number[];
}

export interface CurveOptions {
  /**
   * Drop points that lie on a straight segment between their neighbours, as scikit-learn's
   * `drop_intermediate=True` does; the curve's shape and area are unchanged. Default false: one
   * point per distinct score.
   */
  dropIntermediate?: boolean;
}

/** The ROC curve: one point per distinct score plus (0, 0). Both classes must be present. */
export function rocCurve(y: Uint8Array, scores: Scores, options: CurveOptions = {}): RocCurve {
  return rocCurveFromCounts(thresholdCounts(y, scores), options);
}

export function rocCurveFromCounts(counts: ThresholdCounts, options: CurveOptions = {}): RocCurve {
  checkBothClasses(counts.positives, counts.positives + counts.negatives, 'the ROC curve');
  const { tps, fps, thresholds } = counts;
  const m = thresholds.length;
  const keep = (k: number) =>
    !options.dropIntermediate ||
    m <= 2 ||
    k === 0 ||
    k === m - 1 ||
    fps[k + 1] - 2 * fps[k] + fps[k - 1] !== 0 ||
    tps[k + 1] - 2 * tps[k] + tps[k - 1] !== 0;
  const curve: RocCurve = { fpr: [0], tpr: [0], thresholds: [Infinity] };
  for (let k = 0; k < m; k++) {
    if (!keep(k)) continue;
    curve.fpr.push(fps[k] / counts.negatives);
    curve.tpr.push(tps[k] / counts.positives);
    curve.thresholds.push(thresholds[k]);
  }
  return curve;
}

/**
 * ROC AUC from the cumulative counts: the trapezoid over distinct scores, ties counting one half.
 * The area is kept doubled, an integer, until the one division, so the value has the same bits as
 * rocAuc of @purchase/core (its Mann-Whitney count halved), without sorting the scores again.
 */
export function rocAucFromCounts(counts: ThresholdCounts): number {
  checkBothClasses(counts.positives, counts.positives + counts.negatives, 'ROC AUC');
  const { tps, fps } = counts;
  let twiceArea = 0;
  let tp = 0;
  let fp = 0;
  for (let k = 0; k < tps.length; k++) {
    twiceArea += (fps[k] - fp) * (tp + tps[k]);
    tp = tps[k];
    fp = fps[k];
  }
  return twiceArea / (2 * counts.positives * counts.negatives);
}
