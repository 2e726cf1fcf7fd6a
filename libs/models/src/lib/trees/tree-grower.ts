import { HistogramBuilder, HistogramLayout, HistogramPool, subtractHistogram } from './histogram';
import { missingBin } from './quantile-bins';
import { NodeQueue } from './node-queue';
import { partitionRows } from './row-partition';
import type { SeededRandom } from '@purchase/core';
import { findBestSplit, SplitCandidate, type SplitParams } from './split-finder';
import { TreeNodesBuilder, type TreeNodes } from './tree-nodes';

/** Level by level (XGBoost's depthwise), or always the leaf with the best split first (lossguide). */
export type GrowPolicy = 'depthwise' | 'lossguide';

export interface GrowthParams extends SplitParams {
  growPolicy: GrowPolicy;
  /** Deepest level a node may sit at (root = 0); 0 for no limit. */
  maxDepth: number;
  /** Most leaves a tree may have; 0 for no limit. */
  maxLeaves: number;
  /** Leaf values are -G/(H+lambda) times this: the learning rate, 1 for a forest. */
  leafScale: number;
  /** Features drawn at random for each split among the tree's; 0 for all of them. */
  featuresPerSplit: number;
}

/**
 * A grown tree and where its training rows ended: the rows of leaf i are
 * rowIndex[leafStart[i]..leafEnd[i]), so a booster updates their margins without a traversal
 * (TreeGrower.assignLeaves).
 */
export interface GrownTree {
  nodes: TreeNodes;
  leafNode: Int32Array;
  leafStart: Int32Array;
  leafEnd: Int32Array;
  /** Splits whose rows rowIndex[splitStart[i]..splitEnd[i]) were left unpartitioned (both children are leaves). */
  splitNode: Int32Array;
  splitStart: Int32Array;
  splitEnd: Int32Array;
}

/** A node while the tree grows: its rows are rowIndex[start..end). */
class OpenNode {
  hist: Float64Array | null = null;
  readonly split = new SplitCandidate();
  isSplit = false;
  /** Split without partitioning its rows (both children are final leaves). */
  rowsTogether = false;
  /** A child of such a split: its rows are among the parent's, not in a range of their own. */
  inParentRows = false;

  constructor(
    readonly id: number,
    readonly depth: number,
    readonly start: number,
    readonly end: number,
    /** Sums of gradients, hessians and rows. */
    readonly G: number,
    readonly H: number,
    readonly C: number,
  ) {}
}

/**
 * Grows trees on binned columns from per-row (gradient, hessian) pairs. All buffers are allocated
 * once per fit: the row index array partitioned in place per node, its scratch half, the
 * histogram builder's row codes and a pool of histograms; growing a tree allocates per node, not
 * per row.
 */
export class TreeGrower {
  /** The caller writes the rows to learn from in rowIndex[0..n), ascending, before each grow(). */
  readonly rowIndex: Uint32Array;
  private readonly scratch: Uint32Array;
  private readonly histograms: HistogramBuilder;
  private readonly layout: HistogramLayout;
  private readonly pool: HistogramPool;
  private readonly missing: Int32Array;
  private readonly goesLeft = new Uint8Array(256);
  private readonly sums = new Float64Array(2);
  private readonly splitFeatures: Int32Array;
  private readonly picked: Int32Array;
  private readonly pickPool: Int32Array;

  constructor(
    private readonly columns: readonly Uint8Array[],
    cuts: readonly Float64Array[],
    rows: number,
    private readonly params: GrowthParams,
  ) {
    this.rowIndex = new Uint32Array(rows);
    this.scratch = new Uint32Array(rows);
    this.layout = new HistogramLayout(cuts);
    this.histograms = new HistogramBuilder(this.layout, columns, rows);
    this.pool = new HistogramPool(this.layout.length);
    this.missing = Int32Array.from(cuts, missingBin);
    this.splitFeatures = new Int32Array(cuts.length);
    this.picked = new Int32Array(cuts.length);
    this.pickPool = new Int32Array(cuts.length);
  }

  /**
   * Grows one tree on the rows rowIndex[0..nRows) with gradient pairs gradPairs[2r], gradPairs[2r+1],
   * splitting only on features[0..nFeatures) (ascending).
   */
  grow(gradPairs: Float32Array, nRows: number, features: Int32Array, nFeatures: number, random: SeededRandom): GrownTree {
    const { params, rowIndex } = this;
    const builder = new TreeNodesBuilder();
    const created: OpenNode[] = [];
    const open = (depth: number, start: number, end: number, G: number, H: number, C: number): OpenNode => {
      // `+ 0` turns -0 (a pure node's -G) into 0.
      const value = H + params.lambda > 0 ? (-G / (H + params.lambda)) * params.leafScale + 0 : 0;
      const node = new OpenNode(builder.addLeaf(value, H), depth, start, end, G, H, C);
      created.push(node);
      return node;
    };
    const queue = new NodeQueue<OpenNode>(queueOrder(params));

    sumPairs(rowIndex, nRows, gradPairs, this.sums);
    const root = open(0, 0, nRows, this.sums[0], this.sums[1], nRows);
    let leaves = 1;
    if (this.mayBeSplit(0, root.C, root.H, leaves)) {
      root.hist = this.pool.acquire();
      this.histograms.build(root.hist, features, nFeatures, rowIndex, 0, nRows, gradPairs);
      this.evaluate(root, features, nFeatures, random, queue);
    }

    for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
      if (params.maxLeaves > 0 && leaves >= params.maxLeaves) {
        this.pool.release(node.hist as Float64Array);
        continue;
      }
      const s = node.split;
      const depth = node.depth + 1;
      leaves++;
      // Rows are partitioned only for children that may be split further; a split whose two
      // children stay leaves (the last level, mostly) keeps its rows together, and
      // assignLeaves() tests them on the split instead.
      const needed =
        this.mayBeSplit(depth, s.countLeft, s.hessLeft, leaves) || this.mayBeSplit(depth, node.C - s.countLeft, node.H - s.hessLeft, leaves);
      let nLeft = s.countLeft;
      if (needed) {
        nLeft = this.partition(node);
        if (nLeft !== s.countLeft) throw new Error(`internal: split sent ${nLeft} rows left, the histogram counted ${s.countLeft}`);
      }
      const left = open(depth, node.start, node.start + nLeft, s.gradLeft, s.hessLeft, s.countLeft);
      const right = open(depth, node.start + nLeft, node.end, node.G - s.gradLeft, node.H - s.hessLeft, node.C - s.countLeft);
      builder.setSplit(node.id, s.feature, s.bin, s.defaultLeft, s.gain, left.id, right.id);
      node.isSplit = true;
      if (!needed) {
        node.rowsTogether = true;
        left.inParentRows = right.inParentRows = true;
        this.pool.release(node.hist as Float64Array);
        node.hist = null;
        continue;
      }
      this.childHistograms(node, left, right, leaves, features, nFeatures, gradPairs);
      for (const child of [left, right]) if (child.hist !== null) this.evaluate(child, features, nFeatures, random, queue);
    }

    const leafNodes = created.filter((node) => !node.isSplit && !node.inParentRows);
    const together = created.filter((node) => node.rowsTogether);
    return {
      nodes: builder.build(),
      leafNode: Int32Array.from(leafNodes, (node) => node.id),
      leafStart: Int32Array.from(leafNodes, (node) => node.start),
      leafEnd: Int32Array.from(leafNodes, (node) => node.end),
      splitNode: Int32Array.from(together, (node) => node.id),
      splitStart: Int32Array.from(together, (node) => node.start),
      splitEnd: Int32Array.from(together, (node) => node.end),
    };
  }

  /**
   * leafOf[r] = the leaf node id of every row the last grow() learned from, from where the rows
   * were left in rowIndex: no traversal. Rows not learned from keep their old entries.
   */
  assignLeaves(grown: GrownTree, leafOf: Int32Array): void {
    const { rowIndex } = this;
    const { feature, splitBin, defaultLeft, left, right } = grown.nodes;
    for (let l = 0; l < grown.leafNode.length; l++) fillRows(rowIndex, grown.leafStart[l], grown.leafEnd[l], grown.leafNode[l], leafOf);
    const pair = new Int32Array(2);
    for (let k = 0; k < grown.splitNode.length; k++) {
      const n = grown.splitNode[k];
      const f = feature[n];
      this.setGoesLeft(splitBin[n], this.missing[f], defaultLeft[n] === 1);
      pair[0] = right[n];
      pair[1] = left[n];
      fillBySplit(rowIndex, grown.splitStart[k], grown.splitEnd[k], this.columns[f], this.goesLeft, pair, leafOf);
    }
  }

  /** Whether a node (at this depth, with these rows and hessian sum) could still be split, judged before looking at its histogram. */
  private mayBeSplit(depth: number, count: number, hess: number, leaves: number): boolean {
    const p = this.params;
    return (p.maxDepth === 0 || depth < p.maxDepth) && (p.maxLeaves === 0 || leaves < p.maxLeaves) && count >= 2 && hess >= 2 * p.minChildWeight;
  }

  /**
   * Histograms for the children that may be split: the smaller child is built from its rows, the
   * larger one is the parent's minus the smaller's (the subtraction trick), in the parent's buffer.
   */
  private childHistograms(
    parent: OpenNode,
    left: OpenNode,
    right: OpenNode,
    leaves: number,
    features: Int32Array,
    nFeatures: number,
    gradPairs: Float32Array,
  ): void {
    const parentHist = parent.hist as Float64Array;
    parent.hist = null;
    const [small, large] = left.C <= right.C ? [left, right] : [right, left];
    const needSmall = this.mayBeSplit(small.depth, small.C, small.H, leaves);
    const needLarge = this.mayBeSplit(large.depth, large.C, large.H, leaves);
    if (!needSmall && !needLarge) {
      this.pool.release(parentHist);
      return;
    }
    const smallHist = this.pool.acquire();
    this.histograms.build(smallHist, features, nFeatures, this.rowIndex, small.start, small.end, gradPairs);
    if (needLarge) {
      subtractHistogram(parentHist, smallHist, this.layout, features, nFeatures);
      large.hist = parentHist;
    } else {
      this.pool.release(parentHist);
    }
    if (needSmall) small.hist = smallHist;
    else this.pool.release(smallHist);
  }

  /** Finds the node's best split; queues the node when it has one, else it stays a leaf. */
  private evaluate(node: OpenNode, features: Int32Array, nFeatures: number, random: SeededRandom, queue: NodeQueue<OpenNode>): void {
    const hist = node.hist as Float64Array;
    let candidates = features;
    let nCandidates = nFeatures;
    const k = this.params.featuresPerSplit;
    if (k > 0 && k < nFeatures) {
      random.sampleWithoutReplacement(nFeatures, k, this.pickPool, this.picked);
      for (let i = 0; i < k; i++) this.splitFeatures[i] = features[this.picked[i]];
      candidates = this.splitFeatures;
      nCandidates = k;
    }
    findBestSplit(hist, this.layout, candidates, nCandidates, node.G, node.H, node.C, this.params, node.split);
    if (node.split.feature >= 0) {
      queue.push(node);
    } else {
      node.hist = null;
      this.pool.release(hist);
    }
  }

  private partition(node: OpenNode): number {
    const s = node.split;
    this.setGoesLeft(s.bin, this.missing[s.feature], s.defaultLeft);
    return partitionRows(this.rowIndex, this.scratch, node.start, node.end, this.columns[s.feature], this.goesLeft);
  }

  /** goesLeft[bin] = 1 for the bins a split sends left: bins <= splitBin, and the missing bin by default direction. */
  private setGoesLeft(splitBin: number, missingBin: number, defaultLeft: boolean): void {
    const goesLeft = this.goesLeft;
    goesLeft.fill(0);
    goesLeft.fill(1, 0, splitBin + 1);
    goesLeft[missingBin] = defaultLeft ? 1 : 0;
  }
}

/**
 * out = [sum of gradients, sum of hessians] of rows rowIndex[0..n). A function of its own that
 * allocates nothing after its loop: V8 compiles a long loop on stack replacement before the code
 * after it has run, and a call or allocation there would deoptimize on every tree.
 */
function sumPairs(rowIndex: Uint32Array, n: number, gradPairs: Float32Array, out: Float64Array): void {
  let G = 0;
  let H = 0;
  for (let i = 0; i < n; i++) {
    const r2 = rowIndex[i] * 2;
    G += gradPairs[r2];
    H += gradPairs[r2 + 1];
  }
  out[0] = G;
  out[1] = H;
}

/** out[rowIndex[i]] = value for i in [start, end). */
function fillRows(rowIndex: Uint32Array, start: number, end: number, value: number, out: Int32Array): void {
  let i = start;
  for (; i + 4 <= end; i += 4) {
    const r0 = rowIndex[i];
    const r1 = rowIndex[i + 1];
    const r2 = rowIndex[i + 2];
    const r3 = rowIndex[i + 3];
    out[r0] = value;
    out[r1] = value;
    out[r2] = value;
    out[r3] = value;
  }
  for (; i < end; i++) out[rowIndex[i]] = value;
}

/** out[r] = pair[goesLeft[bin of r]] for the rows r = rowIndex[start..end) of an unpartitioned split. */
function fillBySplit(rowIndex: Uint32Array, start: number, end: number, column: Uint8Array, goesLeft: Uint8Array, pair: Int32Array, out: Int32Array): void {
  let i = start;
  for (; i + 2 <= end; i += 2) {
    const r0 = rowIndex[i];
    const r1 = rowIndex[i + 1];
    const v0 = pair[goesLeft[column[r0]]];
    const v1 = pair[goesLeft[column[r1]]];
    out[r0] = v0;
    out[r1] = v1;
  }
  for (; i < end; i++) {
    const r = rowIndex[i];
    out[r] = pair[goesLeft[column[r]]];
  }
}

/**
 * Which waiting leaf is split next. Lossguide: the best gain. Depthwise with a leaf budget: level by
 * level, so the budget is spent on the shallow levels first. Depthwise without one: depth first,
 * which grows the same tree as level order while holding at most one histogram per level.
 */
function queueOrder(params: GrowthParams): (a: OpenNode, b: OpenNode) => boolean {
  if (params.growPolicy === 'lossguide') {
    return (a, b) => a.split.gain > b.split.gain || (a.split.gain === b.split.gain && a.id < b.id);
  }
  if (params.maxLeaves > 0) return (a, b) => a.depth < b.depth || (a.depth === b.depth && a.id < b.id);
  return (a, b) => a.id > b.id;
}
