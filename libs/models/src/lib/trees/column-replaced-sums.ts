import type { Matrix } from '../model';

/** Rows walking a tree side by side (as PaddedTrees walks them). */
const LANES = 8;
/** Rows whose codes (2 bytes per feature) the trees pass over before the next rows'. */
const BLOCK = 256;

/**
 * The leaf sums of one matrix with one column replaced at a time, as addLeafSums would give them
 * for the modified matrix, bit for bit. Every row's leaf in every tree is found once. A replaced
 * column can only send a row elsewhere in a tree where the row's path passes a split on that
 * column, so only those rows of those trees are walked again; each row's leaf values are then
 * added in model order, as addLeafSums adds them.
 * Memory: 2 bytes per row and tree (PaddedTrees numbers at most 2^12 leaves per tree).
 */
export class ColumnReplacedSums {
  private readonly codes: Uint8Array;
  /** Block after block of BLOCK rows (n in the last): [start * trees + t * n + j], the leaf (0 .. 2^depth - 1) row start + j reaches in tree t. */
  private readonly intact: Uint16Array;
  /** Scratch: [t * BLOCK + j], the leaf of a block's row j with the column replaced; rows to walk again; the column's codes (2 per row). */
  private readonly replaced: Uint16Array;
  private readonly again = new Int32Array(BLOCK);
  private readonly columnCodes: Uint8Array;
  /** Per column asked for: PaddedTrees' leavesBelowSplitsOn. */
  private readonly below = new Map<number, Uint8Array>();
  private readonly rows: number;
  private readonly cols: number;

  constructor(
    private readonly trees: PaddedTreesLayout,
    X: Matrix,
  ) {
    const { rows, cols } = X;
    const nTrees = trees.depth.length;
    this.rows = rows;
    this.cols = cols;
    this.codes = new Uint8Array(rows * 2 * cols);
    trees.quantiseAll(X, this.codes);
    this.intact = new Uint16Array(nTrees * rows);
    for (let start = 0; start < rows; start += BLOCK) {
      const n = Math.min(BLOCK, rows - start);
      for (let t = 0; t < nTrees; t++) walkLeaves(trees, t, this.codes, 2 * cols, start, n, this.intact, start * nTrees + t * n);
    }
    this.replaced = new Uint16Array(nTrees * BLOCK);
    this.columnCodes = new Uint8Array(2 * rows);
  }

  /** The leaf sums of X with column `column` holding `values` (one per row) instead. */
  sumsWith(column: number, values: Float32Array): Float64Array {
    const { rows, cols } = this;
    if (!Number.isInteger(column) || column < 0 || column >= cols) throw new Error(`column must be an integer in [0, ${cols - 1}], got ${column}`);
    if (values.length !== rows) throw new Error(`${values.length} values for column ${column}, X has ${rows} rows`);
    const { trees, codes, intact, replaced, again, columnCodes } = this;
    const nTrees = trees.depth.length;
    const width = 2 * cols;
    const using = trees.treesUsing.subarray(trees.treesUsingStart[column], trees.treesUsingStart[column + 1]);
    const isReplaced = new Uint8Array(nTrees);
    for (const t of using) isReplaced[t] = 1;
    let below = this.below.get(column);
    if (below === undefined) {
      below = trees.leavesBelowSplitsOn(column);
      this.below.set(column, below);
    }
    if (using.length > 0) trees.quantiseColumnInto(values, column, rows, columnCodes, 0, 2);
    const sums = new Float64Array(rows);
    const { leafStart, leafValue } = trees;
    // A block of rows at a time, so that its codes and leaves stay in cache while the trees pass over them.
    for (let start = 0; start < rows; start += BLOCK) {
      const n = Math.min(BLOCK, rows - start);
      const block = start * nTrees;
      if (using.length > 0) {
        swapColumnCodes(codes, columnCodes, start, n, 2 * column, width);
        for (const t of using) {
          const at = block + t * n;
          const l = leafStart[t];
          let count = 0;
          for (let j = 0; j < n; j++) {
            const leaf = intact[at + j];
            replaced[t * BLOCK + j] = leaf;
            if (below[l + leaf]) again[count++] = j;
          }
          // Most rows again (the column splits near the root): all of them, eight abreast, is faster.
          if (4 * count >= 3 * n) walkLeaves(trees, t, codes, width, start, n, replaced, t * BLOCK);
          else walkLeavesOf(trees, t, codes, width, start, again, count, replaced, t * BLOCK);
        }
        swapColumnCodes(codes, columnCodes, start, n, 2 * column, width);
      }
      for (let t = 0; t < nTrees; t++) {
        if (isReplaced[t]) addLeafValues(sums, start, n, leafValue, leafStart[t], replaced, t * BLOCK);
        else addLeafValues(sums, start, n, leafValue, leafStart[t], intact, block + t * n);
      }
    }
    return sums;
  }
}

/** Exchanges the codes of one column (2 per row, at slot o of each row) of rows start..start+n-1 with theirs in `column`. */
function swapColumnCodes(codes: Uint8Array, column: Uint8Array, start: number, n: number, o: number, width: number): void {
  for (let j = start, at = start * width + o; j < start + n; j++, at += width) {
    const left = codes[at];
    const right = codes[at + 1];
    codes[at] = column[2 * j];
    codes[at + 1] = column[2 * j + 1];
    column[2 * j] = left;
    column[2 * j + 1] = right;
  }
}

/** sums[start + j] += the value of leaf leaves[at + j] of the tree whose leaves start at leafValue[l]. */
function addLeafValues(sums: Float64Array, start: number, n: number, leafValue: Float64Array, l: number, leaves: Uint16Array, at: number): void {
  for (let j = 0; j < n; j++) sums[start + j] += leafValue[l + leaves[at + j]];
}

/** What ColumnReplacedSums reads of PaddedTrees. */
export interface PaddedTreesLayout {
  readonly depth: Int32Array;
  readonly nodeStart: Int32Array;
  readonly leafStart: Int32Array;
  readonly nodes: Int32Array;
  readonly leafValue: Float64Array;
  readonly treesUsing: Int32Array;
  readonly treesUsingStart: Int32Array;
  leavesBelowSplitsOn(f: number): Uint8Array;
  quantiseAll(X: Matrix, codes: Uint8Array): void;
  quantiseColumnInto(values: Float32Array, f: number, n: number, codes: Uint8Array, o: number, width: number): void;
}

/** out[at + rows[k]] = the leaf row start + rows[k] of `codes` reaches in tree t (k < count), eight rows side by side. */
function walkLeavesOf(trees: PaddedTreesLayout, t: number, codes: Uint8Array, width: number, start: number, rows: Int32Array, count: number, out: Uint16Array, at: number): void {
  const { nodes } = trees;
  const D = trees.depth[t];
  const o = trees.nodeStart[t];
  const inner = (1 << D) - 1;
  let k = 0;
  for (; k + 4 <= count; k += 4) {
    const j0 = rows[k];
    const j1 = rows[k + 1];
    const j2 = rows[k + 2];
    const j3 = rows[k + 3];
    const b0 = (start + j0) * width;
    const b1 = (start + j1) * width;
    const b2 = (start + j2) * width;
    const b3 = (start + j3) * width;
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    for (let d = 0; d < D; d++) {
      const n0 = nodes[o + i0];
      const n1 = nodes[o + i1];
      const n2 = nodes[o + i2];
      const n3 = nodes[o + i3];
      i0 = ((i0 << 1) + 1 + (((n0 & 255) - codes[b0 + (n0 >>> 8)]) >>> 31)) | 0;
      i1 = ((i1 << 1) + 1 + (((n1 & 255) - codes[b1 + (n1 >>> 8)]) >>> 31)) | 0;
      i2 = ((i2 << 1) + 1 + (((n2 & 255) - codes[b2 + (n2 >>> 8)]) >>> 31)) | 0;
      i3 = ((i3 << 1) + 1 + (((n3 & 255) - codes[b3 + (n3 >>> 8)]) >>> 31)) | 0;
    }
    out[at + j0] = i0 - inner;
    out[at + j1] = i1 - inner;
    out[at + j2] = i2 - inner;
    out[at + j3] = i3 - inner;
  }
  for (; k < count; k++) {
    const j = rows[k];
    const b = (start + j) * width;
    let i = 0;
    for (let d = 0; d < D; d++) {
      const node = nodes[o + i];
      i = ((i << 1) + 1 + (((node & 255) - codes[b + (node >>> 8)]) >>> 31)) | 0;
    }
    out[at + j] = i - inner;
  }
}

/** out[at + j] = the leaf (0 .. 2^depth - 1) row start + j of `codes` reaches in tree t (j < n), eight rows side by side. */
function walkLeaves(trees: PaddedTreesLayout, t: number, codes: Uint8Array, width: number, start: number, n: number, out: Uint16Array, at: number): void {
  const { nodes } = trees;
  const D = trees.depth[t];
  const o = trees.nodeStart[t];
  const inner = (1 << D) - 1;
  let j = 0;
  for (; j + LANES <= n; j += LANES) {
    const b = (start + j) * width;
    let i0 = 0;
    let i1 = 0;
    let i2 = 0;
    let i3 = 0;
    let i4 = 0;
    let i5 = 0;
    let i6 = 0;
    let i7 = 0;
    for (let d = 0; d < D; d++) {
      const n0 = nodes[o + i0];
      const n1 = nodes[o + i1];
      const n2 = nodes[o + i2];
      const n3 = nodes[o + i3];
      const n4 = nodes[o + i4];
      const n5 = nodes[o + i5];
      const n6 = nodes[o + i6];
      const n7 = nodes[o + i7];
      i0 = ((i0 << 1) + 1 + (((n0 & 255) - codes[b + (n0 >>> 8)]) >>> 31)) | 0;
      i1 = ((i1 << 1) + 1 + (((n1 & 255) - codes[b + width + (n1 >>> 8)]) >>> 31)) | 0;
      i2 = ((i2 << 1) + 1 + (((n2 & 255) - codes[b + 2 * width + (n2 >>> 8)]) >>> 31)) | 0;
      i3 = ((i3 << 1) + 1 + (((n3 & 255) - codes[b + 3 * width + (n3 >>> 8)]) >>> 31)) | 0;
      i4 = ((i4 << 1) + 1 + (((n4 & 255) - codes[b + 4 * width + (n4 >>> 8)]) >>> 31)) | 0;
      i5 = ((i5 << 1) + 1 + (((n5 & 255) - codes[b + 5 * width + (n5 >>> 8)]) >>> 31)) | 0;
      i6 = ((i6 << 1) + 1 + (((n6 & 255) - codes[b + 6 * width + (n6 >>> 8)]) >>> 31)) | 0;
      i7 = ((i7 << 1) + 1 + (((n7 & 255) - codes[b + 7 * width + (n7 >>> 8)]) >>> 31)) | 0;
    }
    out[at + j] = i0 - inner;
    out[at + j + 1] = i1 - inner;
    out[at + j + 2] = i2 - inner;
    out[at + j + 3] = i3 - inner;
    out[at + j + 4] = i4 - inner;
    out[at + j + 5] = i5 - inner;
    out[at + j + 6] = i6 - inner;
    out[at + j + 7] = i7 - inner;
  }
  for (; j < n; j++) {
    const b = (start + j) * width;
    let i = 0;
    for (let d = 0; d < D; d++) {
      const node = nodes[o + i];
      i = ((i << 1) + 1 + (((node & 255) - codes[b + (node >>> 8)]) >>> 31)) | 0;
    }
    out[at + j] = i - inner;
  }
}
