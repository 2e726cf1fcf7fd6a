import type { Scores } from '@purchase/core';

/** Below this length a comparison sort beats the radix sort's fixed 65,536-bucket histograms. */
const RADIX_MIN_LENGTH = 1024;
const DIGIT_BITS = 16;
const BUCKETS = 1 << DIGIT_BITS;

/**
 * Indices of `values` ordered by value, largest first; equal values keep ascending index order
 * (the sort is stable), so every metric built on it is deterministic. NaN is not allowed (callers
 * validate first); -0 and +0 are equal.
 *
 * An LSD radix sort over the IEEE-754 bits: O(n), no comparator calls and no per-element objects.
 * Float32 input sorts on 32-bit keys (2 passes), Float64 on 64-bit keys (up to 4 passes); a pass
 * whose digit is the same for every key is skipped.
 */
export function argsortDescending(values: Scores): Uint32Array {
  return sortDescending(values).order;
}

/** The order and the values in that order, so callers can sweep `sorted` sequentially instead of reading values[order[k]]. */
export interface SortedScores {
  order: Uint32Array;
  /** sorted[k] = values[order[k]] (-0 read as +0). */
  sorted: Float64Array;
}

/** argsortDescending, also returning the sorted values (recovered from the radix keys, no gather). */
export function sortDescending(values: Scores): SortedScores {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH) return comparisonSort(values);
  return values instanceof Float32Array ? radixSort32(values) : radixSort64(values);
}

function comparisonSort(values: Scores): SortedScores {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => values[b] - values[a] || a - b);
  const sorted = new Float64Array(values.length);
  for (let k = 0; k < order.length; k++) sorted[k] = values[order[k]] + 0;
  return { order, sorted };
}

/**
 * Maps float bits to unsigned keys whose ascending order is the floats' descending order:
 * a positive float's key is its bits with all but the sign bit flipped, a negative float's key is
 * its bits unchanged (negatives have the sign bit set, so they sort after every positive).
 */
function descendingKey32(bits: number): number {
  return (bits & 0x80000000 ? bits : bits ^ 0x7fffffff) >>> 0;
}

function radixSort32(values: Float32Array): SortedScores {
  const n = values.length;
  const asFloat = new Float32Array(n);
  for (let i = 0; i < n; i++) asFloat[i] = values[i] + 0; // -0 + 0 is +0
  let keys = new Uint32Array(asFloat.buffer);
  for (let i = 0; i < n; i++) keys[i] = descendingKey32(keys[i]);
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let keysOut = new Uint32Array(n);
  let orderOut = new Uint32Array(n);
  const counts = new Uint32Array(BUCKETS);
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    if (!countingPass(keys, order, keysOut, orderOut, counts, shift)) continue;
    [keys, keysOut] = [keysOut, keys];
    [order, orderOut] = [orderOut, order];
  }
  // Undo the key transform in place (it is its own inverse) and read the bits back as floats.
  for (let k = 0; k < n; k++) keys[k] = descendingKey32(keys[k]);
  const asSorted = new Float32Array(keys.buffer);
  return { order, sorted: Float64Array.from(asSorted) };
}

function radixSort64(values: Float64Array): SortedScores {
  const n = values.length;
  const asFloat = new Float64Array(n);
  for (let i = 0; i < n; i++) asFloat[i] = values[i] + 0;
  // Split the 64-bit keys into low and high words (little-endian layout of Float64Array).
  const words = new Uint32Array(asFloat.buffer);
  let lo = new Uint32Array(n);
  let hi = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const l = words[2 * i];
    const h = words[2 * i + 1];
    if (h & 0x80000000) {
      lo[i] = l;
      hi[i] = h;
    } else {
      lo[i] = ~l >>> 0;
      hi[i] = (h ^ 0x7fffffff) >>> 0;
    }
  }
  let order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let loOut = new Uint32Array(n);
  let hiOut = new Uint32Array(n);
  let orderOut = new Uint32Array(n);
  const counts = new Uint32Array(BUCKETS);
  // Low word first (least significant), carrying the high word along, then the high word.
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    if (!countingPass(lo, order, loOut, orderOut, counts, shift, hi, hiOut)) continue;
    [lo, loOut] = [loOut, lo];
    [hi, hiOut] = [hiOut, hi];
    [order, orderOut] = [orderOut, order];
  }
  for (let shift = 0; shift < 32; shift += DIGIT_BITS) {
    if (!countingPass(hi, order, hiOut, orderOut, counts, shift, lo, loOut)) continue;
    [hi, hiOut] = [hiOut, hi];
    [lo, loOut] = [loOut, lo];
    [order, orderOut] = [orderOut, order];
  }
  // Undo the key transform into the words of a Float64Array.
  const sorted = new Float64Array(n);
  const out = new Uint32Array(sorted.buffer);
  for (let k = 0; k < n; k++) {
    const h = hi[k];
    if (h & 0x80000000) {
      out[2 * k] = lo[k];
      out[2 * k + 1] = h;
    } else {
      out[2 * k] = ~lo[k] >>> 0;
      out[2 * k + 1] = (h ^ 0x7fffffff) >>> 0;
    }
  }
  return { order, sorted };
}

/**
 * One stable counting-sort pass on the 16-bit digit at `shift`, writing into the `*Out` arrays.
 * `carry`/`carryOut`, when given, are permuted alongside. Returns false (and writes nothing) when
 * every key has the same digit, since the pass would not change the order.
 */
function countingPass(
  keys: Uint32Array,
  order: Uint32Array,
  keysOut: Uint32Array,
  orderOut: Uint32Array,
  counts: Uint32Array,
  shift: number,
  carry?: Uint32Array,
  carryOut?: Uint32Array,
): boolean {
  const n = keys.length;
  counts.fill(0);
  for (let i = 0; i < n; i++) counts[(keys[i] >>> shift) & 0xffff]++;
  if (counts[(keys[0] >>> shift) & 0xffff] === n) return false;
  let sum = 0;
  for (let b = 0; b < BUCKETS; b++) {
    const c = counts[b];
    counts[b] = sum;
    sum += c;
  }
  if (carry !== undefined && carryOut !== undefined) {
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const at = counts[(k >>> shift) & 0xffff]++;
      keysOut[at] = k;
      orderOut[at] = order[i];
      carryOut[at] = carry[i];
    }
  } else {
    for (let i = 0; i < n; i++) {
      const k = keys[i];
      const at = counts[(k >>> shift) & 0xffff]++;
      keysOut[at] = k;
      orderOut[at] = order[i];
    }
  }
  return true;
}
