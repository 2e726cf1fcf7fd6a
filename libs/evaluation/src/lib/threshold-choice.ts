import { type ThresholdCounts, thresholdCounts } from './threshold-counts';
import { type ConfusionCounts, metricsFromCounts, type ThresholdMetrics } from './threshold-metrics';
import { checkNumber, type Scores } from '@purchase/core';

/** What a decision is worth, in any one currency; the caller supplies the figures. */
export interface CostTable {
  /** Gain from targeting a session that does end in a purchase (a true positive). */
  foundPurchaseValue: number;
  /** Cost of targeting a session that does not (a false positive). */
  nonBuyerTargetingCost: number;
}

export interface ThresholdChoice {
  rule: 'f1' | 'profit';
  /** Predict 1 when score >= threshold. Infinity means nobody is targeted. */
  threshold: number;
  /** Metrics at the threshold on the data it was chosen on. */
  metrics: ThresholdMetrics;
  /** Expected profit at the threshold (for rule 'profit'). */
  profit?: number;
}

/** profit = tp * foundPurchaseValue - fp * nonBuyerTargetingCost. */
export function profitAt(counts: ConfusionCounts, costs: CostTable): number {
  return counts.tp * costs.foundPurchaseValue - counts.fp * costs.nonBuyerTargetingCost;
}

/**
 * The threshold with the highest F1 on (validation) data. Candidates are the distinct scores
 * (each one a different set of predicted positives) and Infinity (predict nobody). Ties go to the
 * highest threshold, i.e. the fewest rows flagged; F1 values are compared exactly as fractions of
 * integer counts, so rounding cannot pick a different threshold.
 */
export function chooseF1Threshold(y: Uint8Array, scores: Scores): ThresholdChoice {
  const counts = thresholdCounts(y, scores);
  const P = counts.positives;
  // F1 = 2tp / (tp + fp + P): keep the best as a numerator/denominator pair.
  let bestK = -1;
  let bestNum = 0;
  let bestDen = 1;
  for (let k = 0; k < counts.thresholds.length; k++) {
    const num = counts.tps[k];
    const den = counts.tps[k] + counts.fps[k] + P;
    if (num * bestDen > bestNum * den) {
      bestK = k;
      bestNum = num;
      bestDen = den;
    }
  }
  return { rule: 'f1', ...choiceAt(counts, bestK) };
}

/**
 * The threshold with the highest expected profit on (validation) data, over the same candidates as
 * chooseF1Threshold; Infinity (target nobody, profit 0) wins when every threshold loses money.
 * Ties go to the highest threshold (fewest rows targeted).
 */
export function chooseProfitThreshold(y: Uint8Array, scores: Scores, costs: CostTable): ThresholdChoice {
  checkCosts(costs);
  const counts = thresholdCounts(y, scores);
  let bestK = -1;
  let bestProfit = 0;
  for (let k = 0; k < counts.thresholds.length; k++) {
    const profit = counts.tps[k] * costs.foundPurchaseValue - counts.fps[k] * costs.nonBuyerTargetingCost;
    if (profit > bestProfit) {
      bestK = k;
      bestProfit = profit;
    }
  }
  const choice = choiceAt(counts, bestK);
  return { rule: 'profit', ...choice, profit: profitAt(choice.metrics, costs) };
}

export function checkCosts(costs: CostTable): void {
  for (const key of ['foundPurchaseValue', 'nonBuyerTargetingCost'] as const) checkNumber(`costs.${key}`, costs[key], { min: 0 });
}

/** Threshold and metrics at candidate k (k = -1: Infinity, nobody predicted positive). */
function choiceAt(counts: ThresholdCounts, k: number): { threshold: number; metrics: ThresholdMetrics } {
  const tp = k < 0 ? 0 : counts.tps[k];
  const fp = k < 0 ? 0 : counts.fps[k];
  const threshold = k < 0 ? Infinity : counts.thresholds[k];
  const confusion = { tp, fp, tn: counts.negatives - fp, fn: counts.positives - tp };
  return { threshold, metrics: metricsFromCounts(confusion, threshold) };
}
