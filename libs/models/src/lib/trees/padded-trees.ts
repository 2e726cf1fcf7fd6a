import type { Matrix } from '../model';
import { float32AtMost } from './float32-threshold';
import type { TreeNodes } from './tree-nodes';

/** Deepest tree laid out complete: 2^12 leaves is 32 KiB of leaf values per tree. */
export const MAX_PADDED_DEPTH = 12;

/** Rows quantised and walked together: their codes (rows x columns int32) stay in L1/L2 cache. */
const BLOCK = 256;
/** The code of a missing value: above every bin, and the only code with bit 16 set. */
const MISSING = 1 << 16;

/**
 * Prediction for trees of bounded depth, each laid out as a complete binary tree of its own depth
 * D: inner node i has children 2i+1 and 2i+2, and every row takes exactly D steps. A leaf above
 * depth D is padded with inner nodes whose leaves all hold its value, so where a padding node
 * sends a row does not matter.
 *
 * Rows are first turned into bin codes, a block at a time: code(x) = how many of the feature's
 * float32 cut thresholds x exceeds, so x > threshold[b] exactly when code(x) > b and a split at bin
 * b can compare integers. That comparison is branch-free ((b - code) >>> 31), which matters: a
 * float comparison compiles to a branch that the CPU mispredicts half the time on real data. Four
 * rows walk each tree side by side so their independent load chains overlap.
 */
export class PaddedTrees {
  private readonly depth: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly leafStart: Int32Array;
  private readonly feature: Int32Array;
  /** Inner node: go right when code > split. */
  private readonly split: Int32Array;
  /** Inner node: 1 when a missing value goes left (its code, MISSING, is above every split). */
  private readonly missingLeft: Int32Array;
  private readonly leafValue: Float64Array;
  /** Per feature f: its cut thresholds (float32, ascending) are cutValues[cutStart[f] .. cutStart[f + 1]). */
  private readonly cutStart: Int32Array;
  private readonly cutValues: Float32Array;
  /** Features some split uses: the only ones quantised. */
  private readonly usedFeatures: Int32Array;
  /** Scratch: codes of one block of rows, row-major. */
  private codes = new Int32Array(0);

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
    this.feature = new Int32Array(inner);
    this.split = new Int32Array(inner);
    this.missingLeft = new Int32Array(inner);
    this.leafValue = new Float64Array(leaves);
    this.cutStart = new Int32Array(cuts.length + 1);
    for (let f = 0; f < cuts.length; f++) this.cutStart[f + 1] = this.cutStart[f] + cuts[f].length;
    this.cutValues = new Float32Array(this.cutStart[cuts.length]);
    cuts.forEach((c, f) => c.forEach((v, j) => (this.cutValues[this.cutStart[f] + j] = float32AtMost(v))));
    const used = new Set<number>();
    trees.forEach((tree) => tree.feature.forEach((f) => f >= 0 && used.add(f)));
    this.usedFeatures = Int32Array.from([...used].sort((a, b) => a - b));
    trees.forEach((tree, t) => this.place(tree, t));
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
      // Padding: feature 0, split 0; both subtrees end in copies of this leaf.
      this.place(tree, t, n, 2 * i + 1, d + 1);
      this.place(tree, t, n, 2 * i + 2, d + 1);
      return;
    }
    const k = this.nodeStart[t] + i;
    this.feature[k] = f;
    this.split[k] = tree.splitBin[n];
    this.missingLeft[k] = tree.defaultLeft[n] ? 1 : 0;
    this.place(tree, t, tree.left[n], 2 * i + 1, d + 1);
    this.place(tree, t, tree.right[n], 2 * i + 2, d + 1);
  }

  /** codes[j * cols + f] = code of X[start + j, f] for the used features f. */
  private quantise(X: Matrix, start: number, n: number): void {
    const { data, cols } = X;
    const { cutStart, cutValues, usedFeatures, codes } = this;
    for (let u = 0; u < usedFeatures.length; u++) {
      const f = usedFeatures[u];
      const first = cutStart[f];
      const count = cutStart[f + 1] - first;
      for (let j = 0, at = start * cols + f; j < n; j++, at += cols) {
        const x = data[at];
        let lo = 0;
        let hi = count;
        while (lo < hi) {
          const mid = (lo + hi) >> 1;
          if (x > cutValues[first + mid]) lo = mid + 1;
          else hi = mid;
        }
        codes[j * cols + f] = x !== x ? MISSING : lo;
      }
    }
  }

  /** out[r] += the leaf values row r reaches, tree after tree. */
  addLeafSums(X: Matrix, out: Float64Array): void {
    const { rows, cols } = X;
    if (this.codes.length < BLOCK * cols) this.codes = new Int32Array(BLOCK * cols);
    const { depth, nodeStart, leafStart, feature, split, missingLeft, leafValue, codes } = this;
    const nTrees = depth.length;
    // A step: right when code > split; a missing code is above every split, so it goes right
    // unless missingLeft. Written out in each walk below (a closure here costs a third of the speed).
    for (let start = 0; start < rows; start += BLOCK) {
      const n = Math.min(BLOCK, rows - start);
      this.quantise(X, start, n);
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = j * cols;
        const b1 = b0 + cols;
        const b2 = b1 + cols;
        const b3 = b2 + cols;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        for (let t = 0; t < nTrees; t++) {
          const D = depth[t];
          const o = nodeStart[t];
          let i0 = 0;
          let i1 = 0;
          let i2 = 0;
          let i3 = 0;
          for (let d = 0; d < D; d++) {
            const k0 = o + i0;
            const k1 = o + i1;
            const k2 = o + i2;
            const k3 = o + i3;
            const c0 = codes[b0 + feature[k0]];
            i0 = 2 * i0 + 1 + (((split[k0] - c0) >>> 31) ^ ((c0 >> 16) & missingLeft[k0]));
            const c1 = codes[b1 + feature[k1]];
            i1 = 2 * i1 + 1 + (((split[k1] - c1) >>> 31) ^ ((c1 >> 16) & missingLeft[k1]));
            const c2 = codes[b2 + feature[k2]];
            i2 = 2 * i2 + 1 + (((split[k2] - c2) >>> 31) ^ ((c2 >> 16) & missingLeft[k2]));
            const c3 = codes[b3 + feature[k3]];
            i3 = 2 * i3 + 1 + (((split[k3] - c3) >>> 31) ^ ((c3 >> 16) & missingLeft[k3]));
          }
          const l = leafStart[t] - ((1 << D) - 1);
          s0 += leafValue[l + i0];
          s1 += leafValue[l + i1];
          s2 += leafValue[l + i2];
          s3 += leafValue[l + i3];
        }
        out[start + j] += s0;
        out[start + j + 1] += s1;
        out[start + j + 2] += s2;
        out[start + j + 3] += s3;
      }
      for (; j < n; j++) {
        const b = j * cols;
        let s = 0;
        for (let t = 0; t < nTrees; t++) {
          const D = depth[t];
          const o = nodeStart[t];
          let i = 0;
          for (let d = 0; d < D; d++) {
            const k = o + i;
            const c = codes[b + feature[k]];
            i = 2 * i + 1 + (((split[k] - c) >>> 31) ^ ((c >> 16) & missingLeft[k]));
          }
          s += leafValue[leafStart[t] - ((1 << D) - 1) + i];
        }
        out[start + j] += s;
      }
    }
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
