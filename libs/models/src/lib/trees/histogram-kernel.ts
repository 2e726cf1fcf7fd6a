import type { FitBuffers } from './fit-buffers';

/**
 * Fills the joint histogram of one work item from its rows, row by row like XGBoost's hist
 * method: every row carries one code per feature group (feature-groups.ts), row-major with the
 * group's offset in the joint histograms already added, so a row costs one code load, one gradient
 * pair and one update per group. Up to four groups go in one pass reading the gradients straight
 * from their rows; with more, the item's gradients are first gathered in node order.
 *
 * Item i is items[8i ..]: start and end (positions in rowIndex), the partial histogram it fills.
 * Gradients are integers (see setGradients in row-passes.ts), so the sums are exact and the histogram of a node
 * is the same however its rows are split into items and whichever thread adds which.
 *
 * The loops load everything a row needs before their first store: V8 re-checks a typed array after
 * any typed-array store, so interleaving loads with stores costs about a quarter more. A kernel
 * (see fit-threads.ts): it uses only its arguments and this file's functions.
 */
export function histogramItem(s: FitBuffers, item: number, part: number): void {
  const at = item * 8;
  const start = s.items[at];
  const end = s.items[at + 1];
  const size = s.jointSlots * 2;
  const joint = s.partials.subarray(s.items[at + 2] * size, (s.items[at + 2] + 1) * size);
  joint.fill(0);
  const rows = s.rowIndex.subarray(start, end);
  const n = end - start;
  const width = s.width;
  if (width <= 4) {
    accumulateRows(joint, s.codes, width, 0, width, rows, n, s.gradPairs, true);
    return;
  }
  const ordered = s.ordered.subarray(part * 2 * s.histChunk, (part + 1) * 2 * s.histChunk);
  gatherPairs(rows, n, s.gradPairs, ordered);
  for (let k = 0; k < width; k += 4) accumulateRows(joint, s.codes, width, k, Math.min(4, width - k), rows, n, ordered, false);
}

/**
 * Adds rows to the joint histogram for `count` (1..4) groups starting at group `first`. The
 * gradients are read at pairs[2r] (`byRow`, straight from the rows) or pairs[2i] (gathered).
 */
function accumulateRows(
  joint: Float64Array,
  codes: Uint16Array | Uint32Array,
  width: number,
  first: number,
  count: number,
  rows: Uint32Array,
  n: number,
  pairs: Int32Array,
  byRow: boolean,
): void {
  if (count === 1) accumulate1(joint, codes, width, first, rows, n, pairs, byRow);
  else if (count === 2) accumulate2(joint, codes, width, first, rows, n, pairs, byRow);
  else if (count === 3) accumulate3(joint, codes, width, first, rows, n, pairs, byRow);
  else accumulate4(joint, codes, width, first, rows, n, pairs, byRow);
}

function accumulate1(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Int32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[r * width + first] * 2;
    joint[sa] += g;
    joint[sa + 1] += h;
  }
}

function accumulate2(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Int32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 2;
    const sb = codes[at + 1] * 2;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sb] += g;
    joint[sb + 1] += h;
  }
}

function accumulate3(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Int32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 2;
    const sb = codes[at + 1] * 2;
    const sc = codes[at + 2] * 2;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sb] += g;
    joint[sb + 1] += h;
    joint[sc] += g;
    joint[sc + 1] += h;
  }
}

function accumulate4(joint: Float64Array, codes: Uint16Array | Uint32Array, width: number, first: number, rows: Uint32Array, n: number, pairs: Int32Array, byRow: boolean): void {
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    const j = byRow ? 2 * r : 2 * i;
    const at = r * width + first;
    const g = pairs[j];
    const h = pairs[j + 1];
    const sa = codes[at] * 2;
    const sb = codes[at + 1] * 2;
    const sc = codes[at + 2] * 2;
    const sd = codes[at + 3] * 2;
    joint[sa] += g;
    joint[sa + 1] += h;
    joint[sb] += g;
    joint[sb + 1] += h;
    joint[sc] += g;
    joint[sc + 1] += h;
    joint[sd] += g;
    joint[sd + 1] += h;
  }
}

function gatherPairs(rows: Uint32Array, n: number, gradPairs: Int32Array, ordered: Int32Array): void {
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const r2 = rows[i] * 2;
    const g = gradPairs[r2];
    const h = gradPairs[r2 + 1];
    ordered[j] = g;
    ordered[j + 1] = h;
  }
}

/** The functions histogramItem calls, for the workers' source. */
export const HISTOGRAM_HELPERS = [accumulateRows, accumulate1, accumulate2, accumulate3, accumulate4, gatherPairs];
