import type { Matrix } from '../model';
import { emptyFitBuffers, type FitBuffers } from './fit-buffers';
import { FitThreads, shared, sharedCopy } from '../fit-threads';
import { groupFeatures, type FeatureGroup } from './feature-groups';
import { HistogramLayout, spreadJoint } from './histogram';
import { HISTOGRAM_HELPERS, histogramItem } from './histogram-kernel';
import { MAX_PADDED_DEPTH, treeDepth } from './padded-trees';
import { checkMaxBins, cutSampleRows, cutsOfSorted, missingBin, padCuts } from './quantile-bins';
import { PARTITION_HELPERS, partitionItem, placeItem } from './row-partition';
import {
  allRows,
  assignLeaves,
  binRows,
  boostStart,
  boostStep,
  forestOutOfBag,
  forestValidation,
  groupCodes,
  placeSampled,
  ROW_PASS_HELPERS,
  sampleRows,
  sortFeature,
  validationStep,
} from './row-passes';
import type { TreeNodes } from './tree-nodes';

/** Rows of one histogram or partition work item, with several threads: a larger node is split into items of this size. */
const HIST_CHUNK = 16_384;
/** Rows of one row-pass work item. */
const ROW_CHUNK = 16_384;
/** A fit starts a thread per this many rows at most: below, starting one costs more than it saves. */
export const ROWS_PER_THREAD = 10_000;

const KERNELS = [
  sortFeature,
  histogramItem,
  partitionItem,
  placeItem,
  binRows,
  groupCodes,
  sampleRows,
  placeSampled,
  allRows,
  assignLeaves,
  boostStart,
  boostStep,
  validationStep,
  forestOutOfBag,
  forestValidation,
];
const HELPERS = [...HISTOGRAM_HELPERS, ...PARTITION_HELPERS, ...ROW_PASS_HELPERS];

/** Rows of a node in rowIndex, and its split for partition(). */
export interface NodeRows {
  start: number;
  end: number;
}

export interface NodeSplit extends NodeRows {
  feature: number;
  splitBin: number;
  defaultLeft: boolean;
}

/** Where the rows of a grown tree ended, as (start, end, node id) triples over rowIndex. */
export interface TreeRows {
  /** Leaves whose rows are a range of their own. */
  leaves: number[];
  /** Splits whose rows were left together (both children are leaves): each row is tested on the split. */
  splits: number[];
}

/**
 * The training rows of one tree fit in shared memory, and the threads that work on them: binned
 * once, then histograms, partitions and the passes over all rows after each tree, each split into
 * work items for every thread. Everything a thread computes is exact or per row, and sums over
 * chunks are added in chunk order, so a fit is the same whatever the number of threads.
 * close() stops the threads.
 */
export class TrainingRows {
  readonly layout: HistogramLayout;
  readonly groups: FeatureGroup[];
  private readonly listed: Uint8Array;

  private constructor(
    readonly s: FitBuffers,
    private readonly threads: FitThreads<FitBuffers>,
    /** The bin cuts of each feature (as fitBinCuts finds them). */
    readonly cuts: Float64Array[],
  ) {
    this.layout = new HistogramLayout(cuts);
    this.groups = groupFeatures(this.layout);
    this.listed = new Uint8Array(cuts.length);
  }

  /**
   * Finds the bin cuts of X (fitBinCuts, with the features sorted on every thread) and bins X and
   * the validation matrix on them; gradients are stored times `gradScale` (see gradientScale).
   * `threads` is at most one per ROWS_PER_THREAD rows.
   */
  static async open(
    X: Matrix,
    options: { maxBins: number; seed: number; threads: number; gradScale: number; validation?: Matrix },
  ): Promise<TrainingRows> {
    checkMaxBins(options.maxBins);
    const n = X.rows;
    const cols = X.cols;
    const threads = Math.max(1, Math.min(options.threads, Math.floor(n / ROWS_PER_THREAD)));
    const s = emptyFitBuffers();
    s.rows = n;
    s.cols = cols;
    s.gradScale = options.gradScale;
    // With one thread a node is one work item: less overhead, the same result.
    s.histChunk = threads > 1 ? HIST_CHUNK : Math.max(1, n);
    s.rowChunk = ROW_CHUNK;
    // The workers start while the matrix is copied to shared memory and the cut sample drawn.
    const starting = FitThreads.start(threads, KERNELS, HELPERS, s);
    const x = threads > 1 ? sharedCopy(X.data) : X.data;
    const cutSample = cutSampleRows(n, options.seed);
    const pool = await starting;
    try {
      pool.update({
        x,
        cutSample: copyShared(cutSample),
        sortedValues: shared(Float32Array, cols * cutSample.length),
        itemOut: shared(Int32Array, Math.max(cols, 64)),
        items: shared(Int32Array, 8 * Math.max(cols, 64)),
      });
      pool.run(sortFeature, cols);
      const cuts = Array.from({ length: cols }, (_, f) =>
        cutsOfSorted(s.sortedValues.subarray(f * cutSample.length, f * cutSample.length + s.itemOut[f]), options.maxBins),
      );
      pool.update({ cutSample: shared(Uint32Array, 0), sortedValues: shared(Float32Array, 0) });
      const rows = new TrainingRows(s, pool, cuts);
      pool.update(binnedBuffers(s, cuts, rows.groups, threads, options.validation?.rows ?? 0));
      rows.bin(x, n, s.bins);
      const V = options.validation;
      if (V) rows.bin(threads > 1 ? sharedCopy(V.data) : V.data, V.rows, s.valBins);
      pool.run(groupCodes, chunks(n, ROW_CHUNK));
      return rows;
    } catch (err) {
      await pool.close();
      throw err;
    }
  }

  /** Threads working, the caller's included. */
  get threadCount(): number {
    return this.threads.threads;
  }

  /** Stops the threads. */
  close(): Promise<void> {
    return this.threads.close();
  }

  /**
   * The histograms of several nodes (in gradient units, see histogram.ts), for the listed features:
   * hists[i] gets the rows rowIndex[nodes[i].start .. nodes[i].end). One run for all of them.
   */
  buildHistograms(nodes: readonly NodeRows[], hists: readonly Float64Array[], features: Int32Array, nFeatures: number): void {
    const { s, listed } = this;
    listed.fill(0);
    for (let k = 0; k < nFeatures; k++) listed[features[k]] = 1;
    const { first, items, count } = this.nodeItems(nodes, true);
    // Item i fills partial histogram i.
    for (let i = 0; i < count; i++) s.items[8 * i + 2] = i;
    this.threads.run(histogramItem, count);
    nodes.forEach((_, k) => {
      spreadJoint(s.partials, first[k], items[k], s.jointSlots, this.groups, s.jointBase, listed, this.layout, hists[k]);
    });
  }

  /** Partitions the rows of each node by its split (see row-partition.ts); returns the rows each sends left. */
  partition(nodes: readonly NodeSplit[]): number[] {
    const { s } = this;
    const { first, items, count } = this.nodeItems(nodes, false);
    let chunked = false;
    nodes.forEach((node, k) => {
      chunked ||= items[k] > 1;
      for (let at = 8 * first[k]; at < 8 * (first[k] + items[k]); at += 8) {
        s.items[at + 2] = node.feature;
        s.items[at + 3] = node.splitBin;
        s.items[at + 4] = node.defaultLeft ? s.missingBin[node.feature] : -1;
        s.items[at + 5] = items[k] > 1 ? 1 : 0;
      }
    });
    this.threads.run(partitionItem, count);
    const sentLeft = nodes.map((node, k) => {
      const last = first[k] + items[k];
      let left = 0;
      for (let i = first[k]; i < last; i++) left += s.itemOut[i];
      // The chunks' left rows one after the other from the node's start, their right rows after all left ones.
      let atLeft = node.start;
      let atRight = node.start + left;
      for (let i = first[k]; i < last; i++) {
        s.items[8 * i + 6] = atLeft;
        s.items[8 * i + 7] = atRight;
        atLeft += s.itemOut[i];
        atRight += s.items[8 * i + 1] - s.items[8 * i] - s.itemOut[i];
      }
      return left;
    });
    if (chunked) this.threads.run(placeItem, count);
    return sentLeft;
  }

  /**
   * Writes the rows a tree learns from to rowIndex, ascending, and returns how many: each row with
   * probability `subsample`, by a hash of the row and `key` (see sampleRows); every row when
   * subsample is 1.
   */
  sampleRows(subsample: number, key: number): number {
    const { s } = this;
    const count = chunks(s.rows, ROW_CHUNK);
    if (subsample === 1) {
      this.threads.run(allRows, count);
      return s.rows;
    }
    this.reserveItems(count, false);
    s.run[4] = key;
    s.run[5] = Math.min(subsample * 4294967296, 4294967295) | 0;
    this.threads.run(sampleRows, count);
    let kept = 0;
    for (let i = 0; i < count; i++) kept += s.itemOut[i];
    // Kept rows first, then the others (assignLeaves walks those down the tree).
    for (let i = 0, atKept = 0, atOther = kept; i < count; i++) {
      s.items[8 * i] = atKept;
      s.items[8 * i + 1] = atOther;
      atKept += s.itemOut[i];
      atOther += Math.min(s.rows, (i + 1) * ROW_CHUNK) - i * ROW_CHUNK - s.itemOut[i];
    }
    this.threads.run(placeSampled, count);
    return kept;
  }

  /**
   * Boosting: leafOf[r] = the leaf of the tree set by setTree() for every training row, from where
   * the grower left the rows it learned from (`grown`, over rowIndex[0..nRows)); the rows after
   * nRows (left out by subsampling) walk down the tree.
   */
  assignLeaves(grown: TreeRows, nRows: number): void {
    const { s } = this;
    const ranges: number[] = [];
    const add = (start: number, end: number, kind: number, node: number) => {
      for (let a = start; a < end; a += ROW_CHUNK) ranges.push(a, Math.min(end, a + ROW_CHUNK), kind, node);
    };
    for (let k = 0; k < grown.leaves.length; k += 3) add(grown.leaves[k], grown.leaves[k + 1], 0, grown.leaves[k + 2]);
    for (let k = 0; k < grown.splits.length; k += 3) add(grown.splits[k], grown.splits[k + 1], 1, grown.splits[k + 2]);
    add(nRows, s.rows, 2, 0);
    const count = ranges.length / 4;
    this.reserveItems(count, false);
    for (let i = 0; i < count; i++) for (let j = 0; j < 4; j++) s.items[8 * i + j] = ranges[4 * i + j];
    this.threads.run(assignLeaves, count);
  }

  /**
   * Lays `tree` out for the row passes; `factors` adds exp(-value) per node (boosting). A tree
   * grown by TreeGrower has every right child next to its left one, which the node-by-node walk
   * relies on.
   */
  setTree(tree: TreeNodes, factors: boolean): void {
    const { s } = this;
    const nodes = tree.feature.length;
    if (s.nodeValue.length < nodes) {
      const capacity = Math.max(nodes, 2 * s.nodeValue.length, 64);
      this.threads.update({
        nodeFeature: shared(Int32Array, capacity),
        nodeSplit: shared(Int32Array, capacity),
        nodeMissing: shared(Int32Array, capacity),
        nodeLeft: shared(Int32Array, capacity),
        nodeValue: shared(Float64Array, capacity),
        nodeFactor: shared(Float64Array, capacity),
      });
    }
    for (let i = 0; i < nodes; i++) {
      const f = tree.feature[i];
      s.nodeFeature[i] = f;
      s.nodeSplit[i] = tree.splitBin[i];
      s.nodeMissing[i] = f >= 0 && tree.defaultLeft[i] === 1 ? s.missingBin[f] : -1;
      s.nodeLeft[i] = tree.left[i];
      s.nodeValue[i] = tree.value[i];
      if (factors) s.nodeFactor[i] = Math.exp(-tree.value[i]);
    }
    const depth = treeDepth(tree);
    if (depth > MAX_PADDED_DEPTH) {
      s.run[0] = -1;
      return;
    }
    if (s.walkLeaf.length < 2 ** depth) {
      const size = 2 ** Math.max(depth, 6);
      this.threads.update({
        walkFeature: shared(Int32Array, size - 1),
        walkSplit: shared(Int32Array, size - 1),
        walkMissing: shared(Int32Array, size - 1),
        walkLeaf: shared(Int32Array, size),
      });
    }
    this.place(tree, depth, 0, 0, 0);
    s.run[0] = depth;
  }

  /** Puts node n at complete-tree position i (depth d); a leaf above the bottom fills its whole subtree. */
  private place(tree: TreeNodes, depth: number, n: number, i: number, d: number): void {
    const { s } = this;
    if (d === depth) {
      s.walkLeaf[i - (2 ** depth - 1)] = n;
      return;
    }
    const f = tree.feature[n];
    if (f < 0) {
      // Padding: any split will do, both sides end in this leaf.
      s.walkFeature[i] = 0;
      s.walkSplit[i] = 0;
      s.walkMissing[i] = -1;
      this.place(tree, depth, n, 2 * i + 1, d + 1);
      this.place(tree, depth, n, 2 * i + 2, d + 1);
      return;
    }
    s.walkFeature[i] = f;
    s.walkSplit[i] = tree.splitBin[n];
    s.walkMissing[i] = s.nodeMissing[n];
    this.place(tree, depth, tree.left[n], 2 * i + 1, d + 1);
    this.place(tree, depth, tree.right[n], 2 * i + 2, d + 1);
  }

  /** Boosting: margins of every training and validation row at `baseScore`, and the first gradients. */
  startBoosting(y: Uint8Array, baseScore: number, validationY?: Uint8Array): void {
    const { s } = this;
    this.threads.update({
      y: copyShared(y),
      leafOf: shared(Int32Array, s.rows),
      margin: shared(Float64Array, s.rows).fill(baseScore),
      expNeg: shared(Float64Array, s.rows),
      valY: copyShared(validationY ?? new Uint8Array(0)),
      valMargin: shared(Float64Array, s.valRows).fill(baseScore),
      valExp: shared(Float64Array, s.valRows).fill(Math.exp(-baseScore)),
    });
    this.threads.run(boostStart, chunks(s.rows, ROW_CHUNK));
  }

  /** Boosting: every training row moves by the tree set with setTree(); returns the new mean training loss when asked. */
  boostStep(withLoss: boolean): number | undefined {
    const { s } = this;
    s.run[1] = withLoss ? 1 : 0;
    const items = chunks(s.rows, ROW_CHUNK);
    this.threads.run(boostStep, items);
    return withLoss ? sumInOrder(s.lossPartial, items) / s.rows : undefined;
  }

  /** Boosting: validation margins move by the tree; returns the mean validation log-loss. */
  validationStep(): number {
    const { s } = this;
    const items = chunks(s.valRows, ROW_CHUNK);
    this.threads.run(validationStep, items);
    return sumInOrder(s.lossPartial, items) / s.valRows;
  }

  /** Forest: out-of-bag sums and tree counts per row, and validation leaf sums; clip as LOG_LOSS_EPS. */
  startForest(validationY: Uint8Array | undefined, probabilityClip: number): void {
    const { s } = this;
    this.threads.update({
      oobList: shared(Uint32Array, s.rows),
      oobSum: shared(Float64Array, s.rows),
      oobTrees: shared(Uint32Array, s.rows),
      valY: copyShared(validationY ?? new Uint8Array(0)),
      valMargin: shared(Float64Array, s.valRows),
      probabilityClip,
    });
  }

  /** Forest: the first `count` rows of oobList add the tree's leaf values to their out-of-bag sums. */
  addOutOfBag(count: number): void {
    this.s.run[3] = count;
    this.threads.run(forestOutOfBag, chunks(count, ROW_CHUNK));
  }

  /** Forest: validation sums move by the tree; with `trees` > 0, returns the log-loss of the mean of that many trees. */
  forestValidationStep(trees: number): number | undefined {
    const { s } = this;
    s.run[1] = trees > 0 ? 1 : 0;
    s.run[2] = trees;
    const items = chunks(s.valRows, ROW_CHUNK);
    this.threads.run(forestValidation, items);
    return trees > 0 ? sumInOrder(s.lossPartial, items) / s.valRows : undefined;
  }

  /** Bins a matrix of `rows` rows into `out` (column-major) on every thread. */
  private bin(x: Float32Array, rows: number, out: Uint8Array): void {
    this.threads.update({ x, xRows: rows, xBins: out });
    this.threads.run(binRows, chunks(rows, ROW_CHUNK));
    this.threads.update({ x: shared(Float32Array, 0), xBins: shared(Uint8Array, 0) });
  }

  /**
   * Splits the nodes' rows into work items of at most histChunk rows (items[8i], items[8i + 1] =
   * start and end): node k's are items[k] items from first[k]. A node's items are numbered
   * together, the largest nodes first: threads claim items in order, so the small ones come last
   * and even out the threads' shares (any order gives the same result).
   */
  private nodeItems(nodes: readonly NodeRows[], partials: boolean): { first: number[]; items: number[]; count: number } {
    const { s } = this;
    const items = nodes.map((node) => Math.max(1, chunks(node.end - node.start, s.histChunk)));
    const order = nodes.map((_, k) => k).sort((a, b) => nodes[b].end - nodes[b].start - (nodes[a].end - nodes[a].start) || a - b);
    const first = new Array<number>(nodes.length);
    let count = 0;
    for (const k of order) {
      first[k] = count;
      count += items[k];
    }
    this.reserveItems(count, partials);
    nodes.forEach((node, k) => {
      for (let i = first[k], start = node.start; i < first[k] + items[k]; i++, start += s.histChunk) {
        s.items[8 * i] = start;
        s.items[8 * i + 1] = Math.min(node.end, start + s.histChunk);
      }
    });
    return { first, items, count };
  }

  /** Room for `count` work items (and their partial histograms). */
  private reserveItems(count: number, partials: boolean): void {
    const { s } = this;
    if (s.itemOut.length < count) {
      const capacity = Math.max(count, 2 * s.itemOut.length, 64);
      this.threads.update({ items: shared(Int32Array, 8 * capacity), itemOut: shared(Int32Array, capacity) });
    }
    const size = s.jointSlots * 2;
    if (partials && s.partials.length < count * size) {
      this.threads.update({ partials: shared(Float64Array, Math.max(count, (2 * s.partials.length) / size) * size) });
    }
  }
}

/** The buffers of a fit binned on `cuts`: bins, histogram codes and the growing and row-pass buffers. */
function binnedBuffers(s: FitBuffers, cuts: readonly Float64Array[], groups: readonly FeatureGroup[], threads: number, valRows: number): Partial<FitBuffers> {
  const n = s.rows;
  const groupStart = [0];
  const jointBase: number[] = [];
  let jointSlots = 0;
  for (const g of groups) {
    groupStart.push(groupStart[groupStart.length - 1] + g.members.length);
    jointBase.push(jointSlots);
    jointSlots += g.slots;
  }
  const width = groups.length;
  return {
    ...sharedPaddedCuts(cuts),
    bins: shared(Uint8Array, n * s.cols),
    missingBin: copyShared(Int32Array.from(cuts, missingBin)),
    width,
    jointSlots,
    groupStart: copyShared(Int32Array.from(groupStart)),
    jointBase: copyShared(Int32Array.from(jointBase)),
    groupMember: copyShared(Int32Array.from(groups.flatMap((g) => Array.from(g.members)))),
    groupStride: copyShared(Int32Array.from(groups.flatMap((g) => Array.from(g.strides)))),
    codes: jointSlots <= 0x10000 ? shared(Uint16Array, n * width) : shared(Uint32Array, n * width),
    rowIndex: shared(Uint32Array, n),
    scratch: shared(Uint32Array, n),
    gradPairs: shared(Int32Array, 2 * n),
    ordered: shared(Int32Array, width > 4 ? threads * 2 * s.histChunk : 0),
    leafScratch: shared(Int32Array, threads * ROW_CHUNK),
    lossPartial: shared(Float64Array, chunks(Math.max(n, valRows), ROW_CHUNK)),
    valRows,
    valBins: shared(Uint8Array, valRows * s.cols),
  };
}

/**
 * The integer scale of gradient pairs for n rows: the largest power of two up to 2^30 (so that
 * |g| <= 1 fits an int32) at which a sum over all rows stays below 2^53, where doubles hold
 * integers exactly.
 */
export function gradientScale(n: number): number {
  return 2 ** Math.min(30, 52 - Math.ceil(Math.log2(n + 1)));
}

function chunks(n: number, size: number): number {
  return Math.ceil(n / size);
}

function sumInOrder(values: Float64Array, count: number): number {
  let sum = 0;
  for (let i = 0; i < count; i++) sum += values[i];
  return sum;
}

function copyShared<T extends Int32Array | Uint32Array | Uint8Array>(values: T): T {
  const copy = new (values.constructor as new (buffer: SharedArrayBuffer) => T)(new SharedArrayBuffer(values.byteLength));
  copy.set(values);
  return copy;
}

/** The cuts laid out for binRows's branch-free search (padCuts), in shared memory. */
function sharedPaddedCuts(cuts: readonly Float64Array[]): Pick<FitBuffers, 'cutValues' | 'cutStart' | 'cutHalf'> {
  const { values, start, half } = padCuts(
    cuts,
    (n) => shared(Float64Array, n),
    (n) => shared(Int32Array, n),
  );
  return { cutValues: values, cutStart: start, cutHalf: half };
}
