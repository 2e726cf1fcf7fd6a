import { sortDescending } from './argsort-descending';
import { quantileOfSorted } from './quantile';
import { checkBinaryInputs, checkBothClasses, checkNumber, countPositives, type Scores, SeededRandom } from '@purchase/core';

/** A point estimate on the full sample and its bootstrap percentile interval. */
export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

export interface BootstrapOptions {
  /** F1 is measured at this threshold (predict 1 when score >= threshold). */
  threshold: number;
  seed: number;
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

export interface BootstrapIntervals {
  level: number;
  resamples: number;
  seed: number;
  threshold: number;
  rocAuc: Interval;
  f1: Interval;
}

/**
 * Percentile bootstrap intervals for ROC AUC and for F1 at a threshold. Each resample draws, with
 * replacement, as many positives from the positives and as many negatives from the negatives as
 * the sample has (stratified), so every resample keeps the class balance and AUC is always defined.
 * The interval is [q(a/2), q(1 - a/2)] of the resampled values, a = 1 - level, quantiles by linear
 * interpolation. The same seed gives the same intervals: each resample draws the positives first,
 * then the negatives, draw j picking "the j-th row of its class in data order".
 *
 * Fast path: scores are sorted once and rows grouped by distinct score; a resample is only a count
 * of draws per group and class (two reused typed arrays), and both metrics come from one pass over
 * the groups, never a re-sort.
 */
export function bootstrapIntervals(y: Uint8Array, scores: Scores, options: BootstrapOptions): BootstrapIntervals {
  checkBinaryInputs(y, scores);
  const { threshold, seed } = options;
  if (Number.isNaN(threshold)) throw new Error('threshold is NaN');
  const resamples = checkNumber('resamples', options.resamples ?? 1000, { min: 1, integer: true });
  const level = checkNumber('level', options.level ?? 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const positives = countPositives(y);
  const negatives = y.length - positives;
  checkBothClasses(positives, y.length, 'a bootstrap interval of ROC AUC');

  const groups = groupByScore(y, scores, threshold);
  const posDraws = new Uint32Array(groups.groupCount);
  const negDraws = new Uint32Array(groups.groupCount);
  const aucs = new Float64Array(resamples);
  const f1s = new Float64Array(resamples);
  const rng = new SeededRandom(seed);

  // The full sample: one draw of every row.
  for (let j = 0; j < positives; j++) posDraws[groups.positiveGroup[j]]++;
  for (let j = 0; j < negatives; j++) negDraws[groups.negativeGroup[j]]++;
  const full = scoreGroups(posDraws, negDraws, groups.cut, positives, negatives);

  for (let r = 0; r < resamples; r++) {
    posDraws.fill(0);
    negDraws.fill(0);
    for (let j = 0; j < positives; j++) posDraws[groups.positiveGroup[rng.nextInt(positives)]]++;
    for (let j = 0; j < negatives; j++) negDraws[groups.negativeGroup[rng.nextInt(negatives)]]++;
    const s = scoreGroups(posDraws, negDraws, groups.cut, positives, negatives);
    aucs[r] = s.auc;
    f1s[r] = s.f1;
  }
  const alpha = 1 - level;
  const interval = (estimate: number, values: Float64Array): Interval => {
    values.sort();
    return { estimate, lower: quantileOfSorted(values, alpha / 2), upper: quantileOfSorted(values, 1 - alpha / 2) };
  };
  return {
    level,
    resamples,
    seed,
    threshold,
    rocAuc: interval(full.auc, aucs),
    f1: interval(full.f1, f1s),
  };
}

interface ScoreGroups {
  groupCount: number;
  /** Group (rank of its distinct score, highest first) of each positive / negative row, in data order. */
  positiveGroup: Uint32Array;
  negativeGroup: Uint32Array;
  /** Groups [0, cut) have score >= threshold. */
  cut: number;
}

function groupByScore(y: Uint8Array, scores: Scores, threshold: number): ScoreGroups {
  const { order, sorted } = sortDescending(scores);
  const groupOf = new Uint32Array(y.length);
  let group = 0;
  let cut = 0;
  for (let k = 0; k < order.length; k++) {
    if (k > 0 && sorted[k] !== sorted[k - 1]) group++;
    if (sorted[k] >= threshold) cut = group + 1;
    groupOf[order[k]] = group;
  }
  // Rows in data order within each class, so draw j means "the j-th positive (negative) row".
  const positiveGroup = new Uint32Array(countPositives(y));
  const negativeGroup = new Uint32Array(y.length - positiveGroup.length);
  let p = 0;
  let q = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] === 1) positiveGroup[p++] = groupOf[i];
    else negativeGroup[q++] = groupOf[i];
  }
  return { groupCount: group + 1, positiveGroup, negativeGroup, cut };
}

/** AUC (trapezoid over the groups, ties counting one half) and F1 at the cut, from draw counts. */
function scoreGroups(
  posDraws: Uint32Array,
  negDraws: Uint32Array,
  cut: number,
  positives: number,
  negatives: number,
): { auc: number; f1: number } {
  let tp = 0;
  let twiceArea = 0;
  let tpAtCut = 0;
  let fpAtCut = 0;
  let fp = 0;
  for (let g = 0; g < posDraws.length; g++) {
    const dTp = posDraws[g];
    const dFp = negDraws[g];
    twiceArea += dFp * (2 * tp + dTp);
    tp += dTp;
    fp += dFp;
    if (g === cut - 1) {
      tpAtCut = tp;
      fpAtCut = fp;
    }
  }
  const fn = positives - tpAtCut;
  const f1Den = 2 * tpAtCut + fpAtCut + fn;
  return { auc: twiceArea / (2 * positives * negatives), f1: f1Den === 0 ? 0 : (2 * tpAtCut) / f1Den };
}
