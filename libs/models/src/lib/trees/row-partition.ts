import type { FitBuffers } from './fit-buffers';

/**
 * Splits the rows of a node between its children, stably: the rows going left first, then those
 * going right, each side in its old order (which is what keeps a fit reproducible). A row goes
 * left when its bin on the split feature is at most the split bin, or is the missing bin of a
 * split whose missing values go left.
 *
 * Work item i is items[8i ..]: start and end (positions in rowIndex), feature, split bin, the
 * missing bin when missing values go left (else -1), the mode, and for mode 1 the positions its
 * left and right rows are placed at. Mode 0 is a whole node, partitioned in place; mode 1 is one
 * chunk of a large node: its rows go to scratch (left ones forward from start, right ones backward
 * from end), and placeItem copies them to where the node's earlier chunks leave room once every
 * chunk has counted its rows. itemOut[i] = the rows the item sends left. Kernels (see
 * fit-threads.ts): they use only their arguments and this file's functions.
 */
export function partitionItem(s: FitBuffers, item: number): void {
  const at = item * 8;
  const items = s.items;
  const start = items[at];
  const end = items[at + 1];
  const f = items[at + 2];
  const column = s.bins.subarray(f * s.rows, (f + 1) * s.rows);
  s.itemOut[item] =
    items[at + 5] === 0
      ? partitionInPlace(s.rowIndex, s.scratch, start, end, column, items[at + 3], items[at + 4])
      : partitionToScratch(s.rowIndex, s.scratch, start, end, column, items[at + 3], items[at + 4]);
}

/** Second step of a mode-1 item: its rows from scratch to their places in rowIndex. */
export function placeItem(s: FitBuffers, item: number): void {
  const at = item * 8;
  const items = s.items;
  if (items[at + 5] !== 1) return;
  const start = items[at];
  const end = items[at + 1];
  const nLeft = s.itemOut[item];
  const { rowIndex, scratch } = s;
  rowIndex.set(scratch.subarray(start, start + nLeft), items[at + 6]);
  const right = items[at + 7];
  for (let j = 0, k = end - 1; k >= start + nLeft; j++, k--) rowIndex[right + j] = scratch[k];
}

/**
 * Partitions rowIndex[start..end) in place (rows going right pass through scratch[start..]);
 * returns how many go left. Each row is written to both sides and kept on one, so there is no
 * branch to mispredict.
 */
function partitionInPlace(rowIndex: Uint32Array, scratch: Uint32Array, start: number, end: number, column: Uint8Array, split: number, missingLeft: number): number {
  let l = start;
  let k = start;
  let i = start;
  // Four rows per step, loads first (V8 re-checks typed arrays after each store).
  for (; i + 4 <= end; i += 4) {
    const r0 = rowIndex[i];
    const r1 = rowIndex[i + 1];
    const r2 = rowIndex[i + 2];
    const r3 = rowIndex[i + 3];
    const c0 = column[r0];
    const c1 = column[r1];
    const c2 = column[r2];
    const c3 = column[r3];
    const a0 = 1 - (((split - c0) >>> 31) & +(c0 !== missingLeft));
    const a1 = 1 - (((split - c1) >>> 31) & +(c1 !== missingLeft));
    const a2 = 1 - (((split - c2) >>> 31) & +(c2 !== missingLeft));
    const a3 = 1 - (((split - c3) >>> 31) & +(c3 !== missingLeft));
    rowIndex[l] = r0;
    scratch[k] = r0;
    l += a0;
    k += 1 - a0;
    rowIndex[l] = r1;
    scratch[k] = r1;
    l += a1;
    k += 1 - a1;
    rowIndex[l] = r2;
    scratch[k] = r2;
    l += a2;
    k += 1 - a2;
    rowIndex[l] = r3;
    scratch[k] = r3;
    l += a3;
    k += 1 - a3;
  }
  for (; i < end; i++) {
    const r = rowIndex[i];
    const c = column[r];
    const a = 1 - (((split - c) >>> 31) & +(c !== missingLeft));
    rowIndex[l] = r;
    scratch[k] = r;
    l += a;
    k += 1 - a;
  }
  rowIndex.set(scratch.subarray(start, k), l);
  return l - start;
}

/** Left rows of rowIndex[start..end) to scratch[start..), right ones to scratch[..end) backwards; returns how many go left. */
function partitionToScratch(rowIndex: Uint32Array, scratch: Uint32Array, start: number, end: number, column: Uint8Array, split: number, missingLeft: number): number {
  let l = start;
  let k = end - 1;
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = rowIndex[i];
    const r1 = rowIndex[i + 1];
    const r2 = rowIndex[i + 2];
    const r3 = rowIndex[i + 3];
    const c0 = column[r0];
    const c1 = column[r1];
    const c2 = column[r2];
    const c3 = column[r3];
    const a0 = 1 - (((split - c0) >>> 31) & +(c0 !== missingLeft));
    const a1 = 1 - (((split - c1) >>> 31) & +(c1 !== missingLeft));
    const a2 = 1 - (((split - c2) >>> 31) & +(c2 !== missingLeft));
    const a3 = 1 - (((split - c3) >>> 31) & +(c3 !== missingLeft));
    // The free slots are scratch[l..k]: writing a row at both ends and keeping one is safe.
    scratch[l] = r0;
    scratch[k] = r0;
    l += a0;
    k -= 1 - a0;
    scratch[l] = r1;
    scratch[k] = r1;
    l += a1;
    k -= 1 - a1;
    scratch[l] = r2;
    scratch[k] = r2;
    l += a2;
    k -= 1 - a2;
    scratch[l] = r3;
    scratch[k] = r3;
    l += a3;
    k -= 1 - a3;
  }
  for (; i < end; i++) {
    const r = rowIndex[i];
    const c = column[r];
    const a = 1 - (((split - c) >>> 31) & +(c !== missingLeft));
    scratch[l] = r;
    scratch[k] = r;
    l += a;
    k -= 1 - a;
  }
  return l - start;
}

/** The functions the partition kernels call, for the workers' source. */
export const PARTITION_HELPERS = [partitionInPlace, partitionToScratch];
