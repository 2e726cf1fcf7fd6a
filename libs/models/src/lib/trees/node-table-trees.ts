import type { Matrix } from '../model';
import { float32AtMost } from './float32-threshold';
import { nodeCount, type TreeNodes } from './tree-nodes';

/** Rows scored together, tree by tree: one tree's nodes stay in L1 cache while they pass through it. */
const ROW_BLOCK = 512;

/**
 * Prediction for trees of any depth: one node table, four int32 slots per node: feature (-1 for a
 * leaf), first child (the second is next to it), 1 when a missing value goes right, and the
 * threshold as float32 bits.
 */
export class NodeTableTrees {
  private readonly nodes: Int32Array;
  private readonly thresholds: Float32Array;
  private readonly values: Float64Array;
  private readonly roots: Int32Array;

  constructor(trees: readonly TreeNodes[], cuts: readonly Float64Array[]) {
    const total = trees.reduce((n, t) => n + nodeCount(t), 0);
    this.nodes = new Int32Array(total * 4);
    this.thresholds = new Float32Array(this.nodes.buffer);
    this.values = new Float64Array(total);
    this.roots = new Int32Array(trees.length);
    let at = 0;
    trees.forEach((tree, t) => {
      this.roots[t] = at;
      at = this.place(tree, cuts, at);
    });
  }

  /** Lays one tree out breadth first from `at`, siblings side by side; returns the next free slot. */
  private place(tree: TreeNodes, cuts: readonly Float64Array[], at: number): number {
    const order = [0];
    const slot = new Int32Array(nodeCount(tree));
    slot[0] = at;
    let next = at + 1;
    for (let k = 0; k < order.length; k++) {
      const n = order[k];
      const i = slot[n];
      const f = tree.feature[n];
      this.values[i] = tree.value[n];
      this.nodes[4 * i] = f;
      if (f < 0) continue;
      slot[tree.left[n]] = next;
      slot[tree.right[n]] = next + 1;
      order.push(tree.left[n], tree.right[n]);
      this.nodes[4 * i + 1] = next;
      this.nodes[4 * i + 2] = tree.defaultLeft[n] ? 0 : 1;
      this.thresholds[4 * i + 3] = float32AtMost(cuts[f][tree.splitBin[n]]);
      next += 2;
    }
    return next;
  }

  /** out[r] += the leaf values row r reaches, tree after tree. */
  addLeafSums(X: Matrix, out: Float64Array): void {
    const { data, rows, cols } = X;
    const { nodes, thresholds, values, roots } = this;
    for (let start = 0; start < rows; start += ROW_BLOCK) {
      const end = Math.min(rows, start + ROW_BLOCK);
      for (let t = 0; t < roots.length; t++) {
        const root = roots[t];
        for (let r = start, base = start * cols; r < end; r++, base += cols) {
          let n = root;
          let f = nodes[4 * n];
          while (f >= 0) {
            const o = 4 * n;
            const x = data[base + f];
            // Right when above the threshold, or missing with a right default.
            n = nodes[o + 1] + ((x > thresholds[o + 3] ? 1 : 0) | (x !== x ? nodes[o + 2] : 0));
            f = nodes[4 * n];
          }
          out[r] += values[n];
        }
      }
    }
  }
}
