/**
 * One tree as flat arrays indexed by node id. Node 0 is the root and children always come after
 * their parent (ids are given in creation order: level by level when grown depth-wise), which the
 * artifact loader relies on.
 */
export interface TreeNodes {
  /** Split feature, -1 for a leaf. */
  feature: Int32Array;
  /** Rows whose bin is <= splitBin go left; on raw values, x <= binCuts[feature][splitBin]. */
  splitBin: Int32Array;
  /** 1 when a missing value goes left. */
  defaultLeft: Uint8Array;
  /** Child ids, -1 for a leaf. */
  left: Int32Array;
  right: Int32Array;
  /**
   * What the node outputs as a leaf (learning rate applied): a boosted tree's margin step, a
   * forest tree's share of positives. Kept for inner nodes too, for explanations.
   */
  value: Float64Array;
  /** Sum of the hessians (a forest: bootstrap weights) of the training rows that reached the node. */
  cover: Float64Array;
  /** Loss reduction of the node's split, 0 for a leaf. */
  gain: Float64Array;
}

export function nodeCount(tree: TreeNodes): number {
  return tree.feature.length;
}

/** Collects nodes while a tree grows, then hands them over as typed arrays. */
export class TreeNodesBuilder {
  private readonly feature: number[] = [];
  private readonly splitBin: number[] = [];
  private readonly defaultLeft: number[] = [];
  private readonly left: number[] = [];
  private readonly right: number[] = [];
  private readonly value: number[] = [];
  private readonly cover: number[] = [];
  private readonly gain: number[] = [];

  /** Adds a leaf and returns its id. */
  addLeaf(value: number, cover: number): number {
    this.feature.push(-1);
    this.splitBin.push(0);
    this.defaultLeft.push(0);
    this.left.push(-1);
    this.right.push(-1);
    this.value.push(value);
    this.cover.push(cover);
    this.gain.push(0);
    return this.feature.length - 1;
  }

  /** Turns leaf `id` into a split whose children are the existing nodes `left` and `right`. */
  setSplit(id: number, feature: number, splitBin: number, defaultLeft: boolean, gain: number, left: number, right: number): void {
    this.feature[id] = feature;
    this.splitBin[id] = splitBin;
    this.defaultLeft[id] = defaultLeft ? 1 : 0;
    this.left[id] = left;
    this.right[id] = right;
    this.gain[id] = gain;
  }

  build(): TreeNodes {
    return {
      feature: Int32Array.from(this.feature),
      splitBin: Int32Array.from(this.splitBin),
      defaultLeft: Uint8Array.from(this.defaultLeft),
      left: Int32Array.from(this.left),
      right: Int32Array.from(this.right),
      value: Float64Array.from(this.value),
      cover: Float64Array.from(this.cover),
      gain: Float64Array.from(this.gain),
    };
  }
}
