import type { SplitMetrics } from './evaluate-scores';
import { checkLabels, checkNumber, LOG_LOSS_EPS } from '@purchase/core';
import { formatMetric } from './number-format';
import { metricsFromCounts } from './threshold-metrics';

/**
 * The trivial model that predicts "purchase" for everyone, scoring each row with the prior
 * purchase rate. At threshold 0 everyone is positive: recall 1, precision p, F1 = 2p / (1 + p).
 * A constant score ranks nobody, so ROC AUC is 0.5 and average precision is p; its log loss and
 * Brier score are those of the prior, the bar a probability model must clear.
 *
 * `prior` defaults to the positive rate of `y` itself; pass the training rate to judge a
 * validation or test split honestly.
 */
export function alwaysPurchaseBaseline(y: Uint8Array, prior?: number): SplitMetrics {
  const positives = checkLabels(y);
  if (y.length === 0) throw new Error('y is empty');
  const n = y.length;
  const rate = positives / n;
  const q = checkNumber('prior', prior ?? rate, { min: 0, max: 1 });
  const clipped = Math.min(Math.max(q, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  const negatives = n - positives;
  return {
    ...metricsFromCounts({ tp: positives, fp: negatives, tn: 0, fn: 0 }, 0),
    rocAuc: 0.5,
    prAuc: rate,
    logLoss: -(positives * Math.log(clipped) + negatives * Math.log(1 - clipped)) / n,
    brier: (positives * (1 - q) * (1 - q) + negatives * q * q) / n,
  };
}

/** Whether a model's metrics on a split beat the always-purchase baseline on the same split. */
export interface BaselineComparison {
  beatsOnF1: boolean;
  beatsOnRocAuc: boolean;
  beatsOnLogLoss: boolean;
  /** model - baseline (positive is better for F1 and AUC; negative is better for log loss). */
  f1Difference: number;
  rocAucDifference: number;
  logLossDifference: number;
  /** One plain sentence, e.g. 'beats the always-purchase baseline on F1 (0.612 vs 0.330), ...'. */
  verdict: string;
}

/** Compares on F1 (decision quality) and on AUC and log loss vs the prior (ranking and probability quality). */
export function compareWithBaseline(model: SplitMetrics, baseline: SplitMetrics): BaselineComparison {
  const beatsOnF1 = model.f1 > baseline.f1;
  const beatsOnRocAuc = model.rocAuc > baseline.rocAuc;
  const beatsOnLogLoss = model.logLoss < baseline.logLoss;
  const parts = [
    `${beatsOnF1 ? 'beats' : 'does NOT beat'} the always-purchase baseline on F1 (${formatMetric(model.f1)} vs ${formatMetric(baseline.f1)})`,
    `${beatsOnRocAuc ? 'ranks better than chance' : 'does NOT rank better than chance'} (ROC AUC ${formatMetric(model.rocAuc)} vs ${formatMetric(baseline.rocAuc)})`,
    `${beatsOnLogLoss ? 'beats' : 'does NOT beat'} the prior on log loss (${formatMetric(model.logLoss)} vs ${formatMetric(baseline.logLoss)})`,
  ];
  return {
    beatsOnF1,
    beatsOnRocAuc,
    beatsOnLogLoss,
    f1Difference: model.f1 - baseline.f1,
    rocAucDifference: model.rocAuc - baseline.rocAuc,
    logLossDifference: model.logLoss - baseline.logLoss,
    verdict: parts.join('; '),
  };
}
