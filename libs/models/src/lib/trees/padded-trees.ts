import type { Matrix } from '../model';
import { float32AtMost } from './float32-threshold';
import { padCuts } from './quantile-bins';
import type { TreeNodes } from './tree-nodes';
import { ColumnReplacedSums, type PaddedTreesLayout } from './column-replaced-sums';

/** Deepest tree laid out complete: 2^12 leaves is 32 KiB of leaf values per tree. */
export const MAX_PADDED_DEPTH = 12;

/** Rows quantised and walked together: their codes (2 bytes per feature) stay in L1 cache. */
const BLOCK = 256;
/** Rows walking the trees side by side. */
const LANES = 8;
/** Bytes of nodes and leaves a block walks before the next trees: they stay in L2 cache meanwhile. */
const TREES_BYTES = 128 * 1024;

/**
 * Prediction for trees of bounded depth, each laid out as a complete binary tree of its own depth
 * D: inner node i has children 2i+1 and 2i+2, and every row takes exactly D steps. A leaf above
 * depth D is padded with inner nodes whose leaves all hold its value, so where a padding node
 * sends a row does not matter.
 *
 * Rows are first turned into bin codes, a block at a time: code(x) = how many of the feature's
 * float32 cut thresholds x exceeds (a branch-free binary search), so x > threshold[b] exactly when
 * code(x) > b and a split at bin b compares integers, without a branch: (b - code) >>> 31. A row
 * carries two codes per feature, one for splits that send missing values left (NaN codes 0, below
 * every split) and one for those that send them right (NaN codes 255, above every split: bins
 * run to 254), so a node is one int32, its code slot and split bin, and a step is two loads.
 * Eight rows walk each tree side by side so that their independent load chains overlap.
 *
 * Each row's leaf values are added tree after tree in model order, then added to out[r]: the
 * same sums, bit for bit, as any other walk in that order.
 */
export class PaddedTrees {
  private readonly depth: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly leafStart: Int32Array;
  /** Inner node: (code slot << 8) | split bin; slot 2f for missing-goes-left, 2f + 1 for right. */
  private readonly nodes: Int32Array;
  private readonly leafValue: Float64Array;
  /** Per feature f: its float32 thresholds ascending from cutStart[f], padded with +Infinity to 2 * cutHalf[f] - 1. */
  private readonly cutStart: Int32Array;
  private readonly cutHalf: Int32Array;
  private readonly cutValues: Float32Array;
  /** Features some split uses: the only ones quantised. */
  private readonly usedFeatures: Int32Array;
  /** Trees [chunkStart[k], chunkStart[k + 1]) are walked together: at most TREES_BYTES of them (or one tree). */
  private readonly chunkStart: Int32Array;
  /** Per inner node: the feature it splits on, -1 for padding. */
  private readonly splitFeature: Int32Array;
  /** Per feature f: the trees with a split on f, ascending, from treesUsingStart[f] to treesUsingStart[f + 1]. */
  private readonly treesUsing: Int32Array;
  private readonly treesUsingStart: Int32Array;
  /** Scratch: codes of one block of rows, row-major, 2 per feature; and their leaf sums. */
  private codes = new Uint8Array(0);
  private readonly sums = new Float64Array(BLOCK);

  constructor(trees: readonly TreeNodes[], cuts: readonly Float64Array[]) {
    const nTrees = trees.length;
    this.depth = Int32Array.from(trees, treeDepth);
    this.nodeStart = new Int32Array(nTrees);
    this.leafStart = new Int32Array(nTrees);
    let inner = 0;
    let leaves = 0;
    for (let t = 0; t < nTrees; t++) {
      this.nodeStart[t] = inner;
      this.leafStart[t] = leaves;
      inner += 2 ** this.depth[t] - 1;
      leaves += 2 ** this.depth[t];
    }
    this.nodes = new Int32Array(inner);
    this.splitFeature = new Int32Array(inner).fill(-1);
    this.leafValue = new Float64Array(leaves);
    const padded = padCuts(cuts, (n) => new Float32Array(n), (n) => new Int32Array(n), float32AtMost);
    this.cutValues = padded.values;
    this.cutStart = padded.start;
    this.cutHalf = padded.half;
    const used = new Set<number>();
    trees.forEach((tree) => tree.feature.forEach((f) => f >= 0 && used.add(f)));
    this.usedFeatures = Int32Array.from([...used].sort((a, b) => a - b));
    const using = cuts.map((_, f) => trees.flatMap((tree, t) => (tree.feature.includes(f) ? [t] : [])));
    this.treesUsing = Int32Array.from(using.flat());
    this.treesUsingStart = Int32Array.from([0, ...using.map((list) => list.length)]);
    for (let f = 0; f < using.length; f++) this.treesUsingStart[f + 1] += this.treesUsingStart[f];
    trees.forEach((tree, t) => this.place(tree, t));
    const starts = [0];
    for (let t = 0, bytes = 0; t < nTrees; t++) {
      const size = 12 * 2 ** this.depth[t];
      if (bytes > 0 && bytes + size > TREES_BYTES) {
        starts.push(t);
        bytes = 0;
      }
      bytes += size;
    }
    starts.push(nTrees);
    this.chunkStart = Int32Array.from(starts);
  }

  /** Puts tree t's node n at complete-tree position i (depth d), padding leaves down to the bottom. */
  private place(tree: TreeNodes, t: number, n = 0, i = 0, d = 0): void {
    const D = this.depth[t];
    if (d === D) {
      this.leafValue[this.leafStart[t] + i - (2 ** D - 1)] = tree.value[n];
      return;
    }
    const f = tree.feature[n];
    if (f < 0) {
      // Padding: slot 0, split 0; both subtrees end in copies of this leaf.
      this.place(tree, t, n, 2 * i + 1, d + 1);
      this.place(tree, t, n, 2 * i + 2, d + 1);
      return;
    }
    this.nodes[this.nodeStart[t] + i] = ((2 * f + (tree.defaultLeft[n] ? 0 : 1)) << 8) | tree.splitBin[n];
    this.splitFeature[this.nodeStart[t] + i] = f;
    this.place(tree, t, tree.left[n], 2 * i + 1, d + 1);
    this.place(tree, t, tree.right[n], 2 * i + 2, d + 1);
  }

  /** codes[j * 2cols + 2f (+1)] = the codes of X[start + j, f] for the used features f. */
  private quantise(X: Matrix, start: number, n: number, codes: Uint8Array = this.codes): void {
    for (let u = 0; u < this.usedFeatures.length; u++) {
      const f = this.usedFeatures[u];
      this.quantiseColumn(X.data, start * X.cols + f, X.cols, n, f, codes, 2 * f, 2 * X.cols);
    }
  }

  /** codes[o + j * width (+1)] = the codes of feature f's value values[at + j * stride], for j < n. */
  private quantiseColumn(values: Float32Array, at: number, stride: number, n: number, f: number, codes: Uint8Array, o: number, width: number): void {
    const { cutValues } = this;
    const first = this.cutStart[f];
    const half = this.cutHalf[f];
    for (let j = 0; j < n; j++, at += stride, o += width) {
      const x = values[at];
      // NaN exceeds no threshold: code 0 in the left slot, 255 in the right one.
      let lo = 0;
      for (let h = half; h > 0; h >>= 1) lo += h * +(x > cutValues[first + lo + h - 1]);
      codes[o] = lo;
      codes[o + 1] = lo + 255 * +(x !== x);
    }
  }

  /** Per leaf (indexed as leafValue): 1 when the path to it passes a split on feature f, so a row reaching it may go elsewhere when f changes. */
  private leavesBelowSplitsOn(f: number): Uint8Array {
    const out = new Uint8Array(this.leafValue.length);
    for (let u = this.treesUsingStart[f]; u < this.treesUsingStart[f + 1]; u++) {
      const t = this.treesUsing[u];
      const inner = 2 ** this.depth[t] - 1;
      const below = new Uint8Array(2 * inner + 1);
      for (let i = 0; i < inner; i++) {
        if (below[i] || this.splitFeature[this.nodeStart[t] + i] === f) below[2 * i + 1] = below[2 * i + 2] = 1;
      }
      out.set(below.subarray(inner), this.leafStart[t]);
    }
    return out;
  }

  /** Leaf sums of X with one column replaced at a time (see ColumnReplacedSums). */
  columnReplacedSums(X: Matrix): ColumnReplacedSums {
    const layout: PaddedTreesLayout = {
      depth: this.depth,
      nodeStart: this.nodeStart,
      leafStart: this.leafStart,
      nodes: this.nodes,
      leafValue: this.leafValue,
      treesUsing: this.treesUsing,
      treesUsingStart: this.treesUsingStart,
      leavesBelowSplitsOn: (f) => this.leavesBelowSplitsOn(f),
      quantiseAll: (M, codes) => this.quantise(M, 0, M.rows, codes),
      quantiseColumnInto: (values, f, n, codes, o, width) => this.quantiseColumn(values, 0, 1, n, f, codes, o, width),
    };
    return new ColumnReplacedSums(layout, X);
  }

  /** out[r] += the leaf values row r reaches, tree after tree. */
  addLeafSums(X: Matrix, out: Float64Array): void {
    const { rows, cols } = X;
    const width = 2 * cols;
    if (this.codes.length < BLOCK * width) this.codes = new Uint8Array(BLOCK * width);
    const { depth, nodeStart, leafStart, nodes, leafValue, codes, sums, chunkStart } = this;
    for (let start = 0; start < rows; start += BLOCK) {
      const n = Math.min(BLOCK, rows - start);
      this.quantise(X, start, n);
      sums.fill(0);
      for (let k = 0; k + 1 < chunkStart.length; k++) {
        const [t0, t1] = [chunkStart[k], chunkStart[k + 1]];
        const walked = walkEight(depth, nodeStart, leafStart, nodes, leafValue, codes, width, n, t0, t1, sums);
        walkOne(depth, nodeStart, leafStart, nodes, leafValue, codes, width, walked, n, t0, t1, sums);
      }
      for (let j = 0; j < n; j++) out[start + j] += sums[j];
    }
  }
}

/**
 * sums[j] += the leaf values of trees t0..t1-1 for the block's rows, eight rows at a time; returns
 * how many rows it did. A step: right when code > split. `| 0` lets V8 drop overflow checks.
 */
function walkEight(
  depth: Int32Array,
  nodeStart: Int32Array,
  leafStart: Int32Array,
  nodes: Int32Array,
  leafValue: Float64Array,
  codes: Uint8Array,
  width: number,
  n: number,
  t0: number,
  t1: number,
  sums: Float64Array,
): number {
  let j = 0;
  for (; j + LANES <= n; j += LANES) {
    const b = j * width;
    let s0 = sums[j];
    let s1 = sums[j + 1];
    let s2 = sums[j + 2];
    let s3 = sums[j + 3];
    let s4 = sums[j + 4];
    let s5 = sums[j + 5];
    let s6 = sums[j + 6];
    let s7 = sums[j + 7];
    for (let t = t0; t < t1; t++) {
      const D = depth[t];
      const o = nodeStart[t];
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
        const c0 = codes[b + (n0 >>> 8)];
        const c1 = codes[b + width + (n1 >>> 8)];
        const c2 = codes[b + 2 * width + (n2 >>> 8)];
        const c3 = codes[b + 3 * width + (n3 >>> 8)];
        const c4 = codes[b + 4 * width + (n4 >>> 8)];
        const c5 = codes[b + 5 * width + (n5 >>> 8)];
        const c6 = codes[b + 6 * width + (n6 >>> 8)];
        const c7 = codes[b + 7 * width + (n7 >>> 8)];
        i0 = ((i0 << 1) + 1 + (((n0 & 255) - c0) >>> 31)) | 0;
        i1 = ((i1 << 1) + 1 + (((n1 & 255) - c1) >>> 31)) | 0;
        i2 = ((i2 << 1) + 1 + (((n2 & 255) - c2) >>> 31)) | 0;
        i3 = ((i3 << 1) + 1 + (((n3 & 255) - c3) >>> 31)) | 0;
        i4 = ((i4 << 1) + 1 + (((n4 & 255) - c4) >>> 31)) | 0;
        i5 = ((i5 << 1) + 1 + (((n5 & 255) - c5) >>> 31)) | 0;
        i6 = ((i6 << 1) + 1 + (((n6 & 255) - c6) >>> 31)) | 0;
        i7 = ((i7 << 1) + 1 + (((n7 & 255) - c7) >>> 31)) | 0;
      }
      const l = leafStart[t] - ((1 << D) - 1);
      s0 += leafValue[l + i0];
      s1 += leafValue[l + i1];
      s2 += leafValue[l + i2];
      s3 += leafValue[l + i3];
      s4 += leafValue[l + i4];
      s5 += leafValue[l + i5];
      s6 += leafValue[l + i6];
      s7 += leafValue[l + i7];
    }
    sums[j] = s0;
    sums[j + 1] = s1;
    sums[j + 2] = s2;
    sums[j + 3] = s3;
    sums[j + 4] = s4;
    sums[j + 5] = s5;
    sums[j + 6] = s6;
    sums[j + 7] = s7;
  }
  return j;
}

/** sums[j] += the leaf values of trees t0..t1-1 for the block's rows from..n-1, one at a time. */
function walkOne(
  depth: Int32Array,
  nodeStart: Int32Array,
  leafStart: Int32Array,
  nodes: Int32Array,
  leafValue: Float64Array,
  codes: Uint8Array,
  width: number,
  from: number,
  n: number,
  t0: number,
  t1: number,
  sums: Float64Array,
): void {
  for (let j = from; j < n; j++) {
    const b = j * width;
    let s = sums[j];
    for (let t = t0; t < t1; t++) {
      const D = depth[t];
      const o = nodeStart[t];
      let i = 0;
      for (let d = 0; d < D; d++) {
        const node = nodes[o + i];
        i = ((i << 1) + 1 + (((node & 255) - codes[b + (node >>> 8)]) >>> 31)) | 0;
      }
      s += leafValue[leafStart[t] - ((1 << D) - 1) + i];
    }
    sums[j] = s;
  }
}

/** Levels below the root on the longest path (0 for a single leaf). */
export function treeDepth(tree: TreeNodes): number {
  let deepest = 0;
  const stack: number[] = [0, 0];
  while (stack.length > 0) {
    const d = stack.pop() as number;
    const n = stack.pop() as number;
    if (tree.feature[n] < 0) {
      if (d > deepest) deepest = d;
      continue;
    }
    stack.push(tree.left[n], d + 1, tree.right[n], d + 1);
  }
  return deepest;
}
