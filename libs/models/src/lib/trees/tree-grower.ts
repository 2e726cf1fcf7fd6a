import { HistogramPool, subtractHistogram } from './histogram';
import { NodeQueue } from './node-queue';
import type { SeededRandom } from '@purchase/core';
import { findBestSplit, SplitCandidate, type SplitParams } from './split-finder';
import type { NodeSplit, TrainingRows, TreeRows } from './training-rows';
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

/** A node while the tree grows (its sums in gradient units: real values times the fit's gradient scale). */
class OpenNode {
  hist: Float64Array | null = null;
  readonly split = new SplitCandidate();
  /** Its rows are rowIndex[start..end) once its parent's rows are partitioned. */
  start = 0;
  end = 0;
  /** Its rows are rowIndex[start..end) (the root, and the children of a partitioned split). */
  ranged = false;
  /** Split, its rows partitioned between its children. */
  partitioned = false;
  isSplit = false;

  constructor(
    readonly id: number,
    readonly depth: number,
    /** Sums of gradients and hessians. */
    readonly G: number,
    readonly H: number,
  ) {}

  get rows(): number {
    return this.end - this.start;
  }
}

/** A split being made: its children, and whether each may be split further. */
interface Split {
  parent: OpenNode;
  left: OpenNode;
  right: OpenNode;
  needLeft: boolean;
  needRight: boolean;
}

/** Nodes split together depth-wise: one run of each step for all of them. */
const BATCH = 32;

/** A grown tree and where its training rows ended (for TrainingRows.assignLeaves). */
export interface GrownTree {
  nodes: TreeNodes;
  rows: TreeRows;
}

/**
 * Grows trees from the gradient pairs of TrainingRows: one histogram per node (the smaller child's
 * built from its rows, the larger one's by subtraction from the parent's), the best split of each,
 * the node's rows partitioned between its children. Depth-wise, nodes are split in batches (a
 * level, or BATCH nodes of it), each step one run over all threads for the batch; leaf-wise, one
 * node at a time (its work still split across threads when it is large). Rows of splits whose children stay leaves are not
 * partitioned: the booster finds every row's leaf by walking the tree.
 */
export class TreeGrower {
  private readonly pool: HistogramPool;
  private readonly splitFeatures: Int32Array;
  private readonly picked: Int32Array;
  private readonly pickPool: Int32Array;

  constructor(
    private readonly rows: TrainingRows,
    private readonly params: GrowthParams,
  ) {
    this.pool = new HistogramPool(rows.layout.length);
    const cols = rows.s.cols;
    this.splitFeatures = new Int32Array(cols);
    this.picked = new Int32Array(cols);
    this.pickPool = new Int32Array(cols);
  }

  /** The caller writes the rows to learn from in rowIndex[0..n), ascending, before each grow(). */
  get rowIndex(): Uint32Array {
    return this.rows.s.rowIndex;
  }

  /**
   * Grows one tree on the rows rowIndex[0..nRows) with the gradient pairs in TrainingRows,
   * splitting only on features[0..nFeatures) (ascending).
   */
  grow(nRows: number, features: Int32Array, nFeatures: number, random: SeededRandom): GrownTree {
    const { params } = this;
    const scale = this.rows.s.gradScale;
    const lambda = params.lambda * scale;
    const builder = new TreeNodesBuilder();
    const created: OpenNode[] = [];
    const open = (depth: number, G: number, H: number): OpenNode => {
      // -G/(H + lambda) is the same in gradient units; `+ 0` turns -0 (a pure node's -G) into 0.
      const value = H + lambda > 0 ? (-G / (H + lambda)) * params.leafScale + 0 : 0;
      const node = new OpenNode(builder.addLeaf(value, H / scale), depth, G, H);
      created.push(node);
      return node;
    };

    const rootHist = this.pool.acquire();
    this.rows.buildHistograms([{ start: 0, end: nRows }], [rootHist], features, nFeatures);
    const [G, H] = totals(rootHist, this.rows.layout.offset[features[0]], this.rows.layout.slots[features[0]]);
    const root = open(0, G, H);
    root.end = nRows;
    root.ranged = true;
    root.hist = rootHist;
    let leaves = 1;
    const waiting: OpenNode[] = [];
    if (nRows >= 2 && this.mayBeSplit(0, H, leaves)) this.evaluate(root, features, nFeatures, random, waiting);
    else this.release(root);

    if (params.growPolicy === 'depthwise' && params.maxLeaves > 0) {
      // A level at a time, in id order, so that the leaf budget goes to the first nodes of a level.
      let level = waiting;
      while (level.length > 0) {
        const batch: OpenNode[] = [];
        for (const node of level) {
          if (leaves + batch.length >= params.maxLeaves) this.release(node);
          else batch.push(node);
        }
        const splits = this.makeSplits(batch, open, builder, leaves);
        leaves += batch.length;
        level = this.childHistograms(splits, features, nFeatures, random);
      }
    } else if (params.growPolicy === 'depthwise') {
      // The same tree as level by level, grown depth first in batches of up to BATCH nodes: as
      // parallel as a level for shallow trees (a level of a depth-6 tree is one batch), while the
      // histograms waiting stay about BATCH per level however wide a deep tree gets.
      const stack = waiting;
      while (stack.length > 0) {
        const batch = stack.splice(Math.max(0, stack.length - BATCH));
        const splits = this.makeSplits(batch, open, builder, leaves);
        leaves += batch.length;
        stack.push(...this.childHistograms(splits, features, nFeatures, random));
      }
    } else {
      const queue = new NodeQueue<OpenNode>((a, b) => a.split.gain > b.split.gain || (a.split.gain === b.split.gain && a.id < b.id));
      for (const node of waiting) queue.push(node);
      for (let node = queue.pop(); node !== undefined; node = queue.pop()) {
        if (params.maxLeaves > 0 && leaves >= params.maxLeaves) {
          this.release(node);
          continue;
        }
        const splits = this.makeSplits([node], open, builder, leaves);
        leaves++;
        for (const child of this.childHistograms(splits, features, nFeatures, random)) queue.push(child);
      }
    }
    const rows: TreeRows = { leaves: [], splits: [] };
    for (const node of created) {
      if (!node.ranged || node.partitioned) continue;
      (node.isSplit ? rows.splits : rows.leaves).push(node.start, node.end, node.id);
    }
    return { nodes: builder.build(), rows };
  }

  /**
   * Splits each node of the batch on its best split (the tree had `leaves` leaves before), and
   * partitions the rows of those with a child that may be split further, all in one run.
   */
  private makeSplits(batch: readonly OpenNode[], open: (depth: number, G: number, H: number) => OpenNode, builder: TreeNodesBuilder, leaves: number): Split[] {
    const splits: Split[] = [];
    const toPartition: NodeSplit[] = [];
    for (const parent of batch) {
      const s = parent.split;
      const depth = parent.depth + 1;
      leaves++;
      // The right child's id is the left one's + 1 (TrainingRows.setTree relies on it).
      const left = open(depth, s.gradLeft, s.hessLeft);
      const right = open(depth, parent.G - s.gradLeft, parent.H - s.hessLeft);
      builder.setSplit(parent.id, s.feature, s.bin, s.defaultLeft, s.gain, left.id, right.id);
      parent.isSplit = true;
      const needLeft = this.mayBeSplit(depth, left.H, leaves);
      const needRight = this.mayBeSplit(depth, right.H, leaves);
      if (!needLeft && !needRight) {
        this.release(parent);
        continue;
      }
      splits.push({ parent, left, right, needLeft, needRight });
      toPartition.push({ start: parent.start, end: parent.end, feature: s.feature, splitBin: s.bin, defaultLeft: s.defaultLeft });
    }
    const sentLeft = this.rows.partition(toPartition);
    splits.forEach((split, k) => {
      const { parent, left, right } = split;
      parent.partitioned = left.ranged = right.ranged = true;
      left.start = parent.start;
      left.end = right.start = parent.start + sentLeft[k];
      right.end = parent.end;
      split.needLeft &&= left.rows >= 2;
      split.needRight &&= right.rows >= 2;
    });
    return splits;
  }

  /**
   * Histograms for the children that may be split: the smaller child of each split is built from
   * its rows (all in one run), the larger one is the parent's minus the smaller's, in the
   * parent's buffer. Returns the children that have a split worth making, in order.
   */
  private childHistograms(splits: readonly Split[], features: Int32Array, nFeatures: number, random: SeededRandom): OpenNode[] {
    const built: OpenNode[] = [];
    for (const split of splits) {
      if (!split.needLeft && !split.needRight) continue;
      const small = split.left.rows <= split.right.rows ? split.left : split.right;
      small.hist = this.pool.acquire();
      built.push(small);
    }
    this.rows.buildHistograms(built, built.map((node) => node.hist as Float64Array), features, nFeatures);
    const next: OpenNode[] = [];
    for (const { parent, left, right, needLeft, needRight } of splits) {
      const parentHist = parent.hist as Float64Array;
      parent.hist = null;
      if (!needLeft && !needRight) {
        this.pool.release(parentHist);
        continue;
      }
      const [small, large] = left.rows <= right.rows ? [left, right] : [right, left];
      const [needSmall, needLarge] = small === left ? [needLeft, needRight] : [needRight, needLeft];
      if (needLarge) {
        subtractHistogram(parentHist, small.hist as Float64Array, this.rows.layout, features, nFeatures);
        large.hist = parentHist;
      } else {
        this.pool.release(parentHist);
      }
      if (!needSmall) this.release(small);
      for (const child of [left, right]) if (child.hist !== null) this.evaluate(child, features, nFeatures, random, next);
    }
    return next;
  }

  /** Whether a node (at this depth, with this hessian sum in gradient units) could still be split, judged before looking at its histogram. */
  private mayBeSplit(depth: number, hess: number, leaves: number): boolean {
    const p = this.params;
    return (p.maxDepth === 0 || depth < p.maxDepth) && (p.maxLeaves === 0 || leaves < p.maxLeaves) && hess >= 2 * p.minChildWeight * this.rows.s.gradScale;
  }

  /** Finds the node's best split; adds the node to `out` when it has one, else it stays a leaf. */
  private evaluate(node: OpenNode, features: Int32Array, nFeatures: number, random: SeededRandom, out: OpenNode[]): void {
    let candidates = features;
    let nCandidates = nFeatures;
    const k = this.params.featuresPerSplit;
    if (k > 0 && k < nFeatures) {
      random.sampleWithoutReplacement(nFeatures, k, this.pickPool, this.picked);
      for (let i = 0; i < k; i++) this.splitFeatures[i] = features[this.picked[i]];
      candidates = this.splitFeatures;
      nCandidates = k;
    }
    findBestSplit(node.hist as Float64Array, this.rows.layout, candidates, nCandidates, node.G, node.H, this.params, this.rows.s.gradScale, node.split);
    if (node.split.feature >= 0) out.push(node);
    else this.release(node);
  }

  private release(node: OpenNode): void {
    if (node.hist !== null) this.pool.release(node.hist);
    node.hist = null;
  }
}

/** [sum of gradients, sum of hessians] over one feature's slots: every row of the node is in one of them. */
function totals(hist: Float64Array, offset: number, slots: number): [number, number] {
  let G = 0;
  let H = 0;
  for (let s = offset; s < offset + 2 * slots; s += 2) {
    G += hist[s];
    H += hist[s + 1];
  }
  return [G, H];
}
