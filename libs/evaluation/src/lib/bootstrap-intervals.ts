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
  /**
   * The most rows a resample draws (default: all). A larger sample is bootstrapped m out of n: each
   * resample draws `sampleRows` rows (stratified) from a stratified sample of that many rows, and the
   * interval's distances from the sample's estimate are scaled by sqrt(m / n) around the full
   * sample's estimate, so it keeps the width of an n-row interval at the cost of an m-row one.
   */
  sampleRows?: number;
}

/** How many rows an m-out-of-n interval resampled, of how many (absent: all rows, a plain bootstrap). */
export interface BootstrapSample {
  rows: number;
  of: number;
}

export interface BootstrapIntervals {
  level: number;
  resamples: number;
  seed: number;
  threshold: number;
  rocAuc: Interval;
  f1: Interval;
  /** Present when the intervals were resampled m out of n (see BootstrapOptions.sampleRows). */
  sample?: BootstrapSample;
}

/**
 * Percentile bootstrap intervals for ROC AUC and for F1 at a threshold. Each resample draws, with
 * replacement, as many positives from the positives and as many negatives from the negatives as
 * the sample has (stratified), so every resample keeps the class balance and AUC is always defined.
 * The interval is [q(a/2), q(1 - a/2)] of the resampled values, a = 1 - level, quantiles by linear
 * interpolation. The same seed gives the same intervals: each resample draws the positives first,
 * then the negatives, draw j picking "the j-th row of its class in data order".
 *
 * With `sampleRows` m below the row count n, the m-out-of-n bootstrap: a stratified sample of m rows
 * is drawn first (without replacement, from the same seed), resampled as above, and each bound is
 * estimate_n + sqrt(m / n) (q - estimate_m), clipped to [0, 1]: the sample's percentile distances,
 * shrunk to n rows, around the estimate of all n rows (valid for root-n statistics such as AUC and F1).
 *
 * Fast path: scores are sorted once and rows grouped by distinct score; a resample is only a count
 * of draws per group and class (two reused typed arrays), and both metrics come from one pass over
 * the groups, never a re-sort. A resample still draws every row, so `sampleRows` bounds the cost of
 * a large split (m out of n, above); a split of at most `sampleRows` rows is resampled whole, as
 * without it.
 */
export function bootstrapIntervals(y: Uint8Array, scores: Scores, options: BootstrapOptions): BootstrapIntervals {
  checkBinaryInputs(y, scores);
  const { threshold, seed } = options;
  if (Number.isNaN(threshold)) throw new Error('threshold is NaN');
  const resamples = checkNumber('resamples', options.resamples ?? 1000, { min: 1, integer: true });
  const level = checkNumber('level', options.level ?? 0.95, { min: 0, max: 1, minExclusive: true, maxExclusive: true });
  const positives = countPositives(y);
  checkBothClasses(positives, y.length, 'a bootstrap interval of ROC AUC');

  const rng = new SeededRandom(seed);
  const n = y.length;
  const m = options.sampleRows === undefined ? n : checkNumber('sampleRows', options.sampleRows, { min: 2, integer: true });
  const sampled = m < n ? stratifiedSample(y, scores, m, positives, rng) : { y, scores };
  const draws = resampleScores(sampled.y, sampled.scores, threshold, resamples, rng);
  const alpha = 1 - level;
  // The full sample's estimates; m out of n, the sample's spread scaled to n rows around them.
  const full = m < n ? scoreAll(y, scores, threshold) : draws.full;
  const scale = m < n ? Math.sqrt(m / n) : 1;
  const interval = (estimate: number, sampleEstimate: number, values: Float64Array): Interval => {
    values.sort();
    const at = (q: number) => Math.min(1, Math.max(0, estimate + scale * (quantileOfSorted(values, q) - sampleEstimate)));
    return m < n ? { estimate, lower: at(alpha / 2), upper: at(1 - alpha / 2) } : { estimate, lower: quantileOfSorted(values, alpha / 2), upper: quantileOfSorted(values, 1 - alpha / 2) };
  };
  return {
    level,
    resamples,
    seed,
    threshold,
    rocAuc: interval(full.auc, draws.full.auc, draws.aucs),
    f1: interval(full.f1, draws.full.f1, draws.f1s),
    ...(m < n ? { sample: { rows: m, of: n } } : {}),
  };
}

/** The resampled AUCs and F1s of (y, scores), and the values on the sample itself. */
function resampleScores(y: Uint8Array, scores: Scores, threshold: number, resamples: number, rng: SeededRandom) {
  const positives = countPositives(y);
  const negatives = y.length - positives;
  const groups = groupByScore(y, scores, threshold);
  const posDraws = new Uint32Array(groups.groupCount);
  const negDraws = new Uint32Array(groups.groupCount);
  const aucs = new Float64Array(resamples);
  const f1s = new Float64Array(resamples);

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
  return { full, aucs, f1s };
}

/** AUC and F1 at the threshold of all rows, as resampleScores counts them. */
function scoreAll(y: Uint8Array, scores: Scores, threshold: number): { auc: number; f1: number } {
  const groups = groupByScore(y, scores, threshold);
  const posDraws = new Uint32Array(groups.groupCount);
  const negDraws = new Uint32Array(groups.groupCount);
  for (const g of groups.positiveGroup) posDraws[g]++;
  for (const g of groups.negativeGroup) negDraws[g]++;
  return scoreGroups(posDraws, negDraws, groups.cut, groups.positiveGroup.length, groups.negativeGroup.length);
}

/**
 * m rows without replacement, stratified (each class in proportion, at least one of each), in data
 * order: positives round(m * P / n), the rest negatives.
 */
function stratifiedSample(y: Uint8Array, scores: Scores, m: number, positives: number, rng: SeededRandom): { y: Uint8Array; scores: Float64Array } {
  const n = y.length;
  const negatives = n - positives;
  const mPos = Math.min(positives, Math.max(1, Math.min(m - 1, Math.round((m * positives) / n))));
  const mNeg = Math.min(negatives, m - mPos);
  const pick = (count: number, k: number) => {
    const out = new Int32Array(k);
    rng.sampleWithoutReplacement(count, k, new Int32Array(count), out);
    return out;
  };
  const posPicked = pick(positives, mPos);
  const negPicked = pick(negatives, mNeg);
  // The j-th positive (negative) row in data order is chosen when j is picked.
  const chosen = new Uint8Array(n);
  let p = 0;
  let q = 0;
  let pj = 0;
  let qj = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] === 1) {
      if (pj < mPos && posPicked[pj] === p) {
        chosen[i] = 1;
        pj++;
      }
      p++;
    } else {
      if (qj < mNeg && negPicked[qj] === q) {
        chosen[i] = 1;
        qj++;
      }
      q++;
    }
  }
  const sy = new Uint8Array(mPos + mNeg);
  const ss = new Float64Array(mPos + mNeg);
  for (let i = 0, k = 0; i < n; i++) {
    if (chosen[i] === 0) continue;
    sy[k] = y[i];
    ss[k++] = scores[i];
  }
  return { y: sy, scores: ss };
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
