import type { Matrix } from '../model';
import { SeededRandom } from '@purchase/core';

/**
 * Histogram binning. Each feature's training values are cut at quantiles into at most `maxBins`
 * bins, once, before the first tree; the learner then only ever sees one-byte bin codes.
 *
 * A feature with cut points c[0] < ... < c[k-1] has real bins 0..k: value x goes to the first bin b
 * with x <= c[b] (bin k when x exceeds every cut), so "bin <= b" and "x <= c[b]" are the same test
 * and a split learned on bins predicts on raw values with threshold c[b]. NaN gets its own code,
 * k + 1, which is why maxBins is at most 255: codes 0..255 fit a Uint8Array.
 */
export const MAX_BINS = 255;

/** The code of a missing value for a feature with these cut points. */
export function missingBin(cuts: Float64Array): number {
  return cuts.length + 1;
}

/**
 * Rows the cut points are computed from, at most: quantiles of a random 200k-row sample are as good
 * as exact for 255 bins (LightGBM's bin_construct_sample_cnt is the same number) and spare sorting
 * every column of a large matrix.
 */
export const MAX_CUT_SAMPLE = 200_000;

/**
 * Cut points per feature from the training matrix (or a seeded sample of MAX_CUT_SAMPLE rows of
 * it). A feature with at most `maxBins` distinct values gets one bin per value (cuts half-way
 * between neighbours); otherwise bins hold about equal numbers of rows, a heavy value never being
 * split across bins.
 */
export function fitBinCuts(X: Matrix, maxBins: number, seed = 0): Float64Array[] {
  checkMaxBins(maxBins);
  const { data, rows, cols } = X;
  const sample = cutSampleRows(rows, seed);
  const values = new Float32Array(sample.length);
  const cuts: Float64Array[] = [];
  for (let f = 0; f < cols; f++) {
    let m = 0;
    for (let i = 0; i < sample.length; i++) {
      const v = data[sample[i] * cols + f];
      if (v === v) values[m++] = v;
    }
    cuts.push(cutsOfSorted(values.subarray(0, m).sort(), maxBins));
  }
  return cuts;
}

export function checkMaxBins(maxBins: number): void {
  if (!Number.isInteger(maxBins) || maxBins < 2 || maxBins > MAX_BINS) {
    throw new Error(`maxBins must be an integer in [2, ${MAX_BINS}], got ${maxBins}`);
  }
}

/** The rows cut points are computed from: all rows, or a seeded random sample of MAX_CUT_SAMPLE of them. */
export function cutSampleRows(rows: number, seed: number): Uint32Array {
  if (rows <= MAX_CUT_SAMPLE) return Uint32Array.from({ length: rows }, (_, r) => r);
  const random = new SeededRandom(seed);
  const pool = new Int32Array(rows);
  const picked = new Int32Array(MAX_CUT_SAMPLE);
  random.sampleWithoutReplacement(rows, MAX_CUT_SAMPLE, pool, picked);
  return Uint32Array.from(picked);
}

/** Cut points of one feature's sorted non-missing values. */
export function cutsOfSorted(sorted: Float32Array, maxBins: number): Float64Array {
  const m = sorted.length;
  // Distinct values and their counts, in place of a second pass over the rows.
  const distinct: number[] = [];
  const counts: number[] = [];
  for (let i = 0; i < m; ) {
    const v = sorted[i];
    let j = i + 1;
    while (j < m && sorted[j] === v) j++;
    distinct.push(v);
    counts.push(j - i);
    i = j;
  }
  const d = distinct.length;
  const out: number[] = [];
  if (d <= maxBins) {
    for (let j = 0; j + 1 < d; j++) out.push(midpoint(distinct[j], distinct[j + 1]));
    return Float64Array.from(out);
  }
  // Greedy equal-count bins: the target adapts to what is left, so a heavy value that overshoots
  // one target does not starve the bins after it.
  let binsLeft = maxBins;
  let cum = 0;
  let target = m / binsLeft;
  for (let j = 0; j + 1 < d && out.length < maxBins - 1; j++) {
    cum += counts[j];
    if (cum >= target) {
      out.push(midpoint(distinct[j], distinct[j + 1]));
      binsLeft--;
      target = cum + (m - cum) / binsLeft;
    }
  }
  return Float64Array.from(out);
}

/** Half-way between two float32 values: exact in float64, and strictly between them. */
function midpoint(a: number, b: number): number {
  // An infinite neighbour has no middle: the largest finite double still separates the two and
  // keeps the cut finite (JSON has no Infinity).
  if (b === Infinity) return Number.MAX_VALUE;
  if (a === -Infinity) return -Number.MAX_VALUE;
  return a + (b - a) / 2;
}

/** The bin code of one raw value. */
export function binOf(x: number, cuts: Float64Array): number {
  if (x !== x) return cuts.length + 1;
  // First b with x <= cuts[b], by binary search.
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (x <= cuts[mid]) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Codes of every value, stored column by column: columns[f][r] is the bin of X(r, f). */
export function binColumns(X: Matrix, cuts: Float64Array[]): Uint8Array[] {
  const { data, rows, cols } = X;
  if (cuts.length !== cols) throw new Error(`X has ${cols} columns, the bins were fitted on ${cuts.length}`);
  const columns: Uint8Array[] = [];
  for (let f = 0; f < cols; f++) {
    const c = cuts[f];
    const col = new Uint8Array(rows);
    for (let r = 0, i = f; r < rows; r++, i += cols) col[r] = binOf(data[i], c);
    columns.push(col);
  }
  return columns;
}

/** Every feature's cuts in one array, feature f's from start[f], padded for a branch-free binary search. */
export interface PaddedCuts<T> {
  values: T;
  start: Int32Array;
  /** Half the padded size of feature f's cuts (0 without cuts): the first step of its search. */
  half: Int32Array;
}

/**
 * Lays the cuts out for a branch-free binary search: each feature's k cuts (through `round`) padded
 * with +Infinity to 2^j - 1 >= k entries, so that `lo += h * +(x > values[start + lo + h - 1])` for
 * h = half, half / 2, .., 1 leaves lo = how many of the cuts x exceeds (NaN exceeds none).
 */
export function padCuts<T extends Float32Array | Float64Array>(
  cuts: readonly Float64Array[],
  values: (length: number) => T,
  ints: (length: number) => Int32Array,
  round: (cut: number) => number = (c) => c,
): PaddedCuts<T> {
  const start = ints(cuts.length + 1);
  const half = ints(cuts.length);
  let at = 0;
  cuts.forEach((c, f) => {
    let size = 1;
    while (size - 1 < c.length) size *= 2;
    start[f] = at;
    half[f] = c.length > 0 ? size / 2 : 0;
    at += size - 1;
  });
  start[cuts.length] = at;
  const padded = values(at);
  padded.fill(Infinity);
  cuts.forEach((c, f) => c.forEach((v, j) => (padded[start[f] + j] = round(v))));
  return { values: padded, start, half };
}
