import type { Matrix } from '../model';
import { float32AtMost } from './float32-threshold';
import type { TreeNodes } from './tree-nodes';

/** Deepest tree laid out complete: 2^12 leaves is 32 KiB of leaf values per tree. */
export const MAX_PADDED_DEPTH = 12;

/**
 * Prediction for trees of bounded depth, each laid out as a complete binary tree of its own depth
 * D: inner node i has children 2i+1 and 2i+2, and every row takes exactly D steps. A leaf above
 * depth D is padded with inner nodes whose leaves all hold its value, so where a padding node
 * sends a row does not matter. With no end-of-path test and no stores until a row has gone through
 * every tree, four rows walk each tree side by side, which lets their independent load chains
 * overlap.
 */
export class PaddedTrees {
  private readonly depth: Int32Array;
  private readonly nodeStart: Int32Array;
  private readonly leafStart: Int32Array;
  private readonly feature: Int32Array;
  private readonly threshold: Float32Array;
  private readonly defaultRight: Int32Array;
  private readonly leafValue: Float64Array;

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
    this.threshold = new Float32Array(inner);
    this.defaultRight = new Int32Array(inner);
    this.leafValue = new Float64Array(leaves);
    trees.forEach((tree, t) => this.place(tree, t, cuts));
  }

  /** Puts tree t's node n at complete-tree position i (depth d), padding leaves down to the bottom. */
  private place(tree: TreeNodes, t: number, cuts: readonly Float64Array[], n = 0, i = 0, d = 0): void {
    const D = this.depth[t];
    if (d === D) {
      this.leafValue[this.leafStart[t] + i - (2 ** D - 1)] = tree.value[n];
      return;
    }
    const f = tree.feature[n];
    if (f < 0) {
      // Padding: feature 0, threshold 0; both subtrees end in copies of this leaf.
      this.place(tree, t, cuts, n, 2 * i + 1, d + 1);
      this.place(tree, t, cuts, n, 2 * i + 2, d + 1);
      return;
    }
    const k = this.nodeStart[t] + i;
    this.feature[k] = f;
    this.threshold[k] = float32AtMost(cuts[f][tree.splitBin[n]]);
    this.defaultRight[k] = tree.defaultLeft[n] ? 0 : 1;
    this.place(tree, t, cuts, tree.left[n], 2 * i + 1, d + 1);
    this.place(tree, t, cuts, tree.right[n], 2 * i + 2, d + 1);
  }

  /** out[r] += the leaf values row r reaches, tree after tree. */
  addLeafSums(X: Matrix, out: Float64Array): void {
    const { data, rows, cols } = X;
    const { depth, nodeStart, leafStart, feature, threshold, defaultRight, leafValue } = this;
    const nTrees = depth.length;
    let r = 0;
    for (; r + 4 <= rows; r += 4) {
      const b0 = r * cols;
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
          const x0 = data[b0 + feature[k0]];
          const x1 = data[b1 + feature[k1]];
          const x2 = data[b2 + feature[k2]];
          const x3 = data[b3 + feature[k3]];
          // Right when above the threshold, or missing with a right default.
          i0 = 2 * i0 + 1 + ((x0 > threshold[k0] ? 1 : 0) | (x0 !== x0 ? defaultRight[k0] : 0));
          i1 = 2 * i1 + 1 + ((x1 > threshold[k1] ? 1 : 0) | (x1 !== x1 ? defaultRight[k1] : 0));
          i2 = 2 * i2 + 1 + ((x2 > threshold[k2] ? 1 : 0) | (x2 !== x2 ? defaultRight[k2] : 0));
          i3 = 2 * i3 + 1 + ((x3 > threshold[k3] ? 1 : 0) | (x3 !== x3 ? defaultRight[k3] : 0));
        }
        const l = leafStart[t] - (2 ** D - 1);
        s0 += leafValue[l + i0];
        s1 += leafValue[l + i1];
        s2 += leafValue[l + i2];
        s3 += leafValue[l + i3];
      }
      out[r] += s0;
      out[r + 1] += s1;
      out[r + 2] += s2;
      out[r + 3] += s3;
    }
    for (; r < rows; r++) {
      const b = r * cols;
      let s = 0;
      for (let t = 0; t < nTrees; t++) {
        const D = depth[t];
        const o = nodeStart[t];
        let i = 0;
        for (let d = 0; d < D; d++) {
          const k = o + i;
          const x = data[b + feature[k]];
          i = 2 * i + 1 + ((x > threshold[k] ? 1 : 0) | (x !== x ? defaultRight[k] : 0));
        }
        s += leafValue[leafStart[t] - (2 ** D - 1) + i];
      }
      out[r] += s;
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
