/**
 * The memory of one tree fit that its threads share (../fit-threads.ts): typed arrays over
 * SharedArrayBuffers, and numbers fixed for the fit. The kernels (histogram-kernel.ts,
 * row-partition.ts, row-passes.ts) read and write them; an array a fit does not use is empty.
 */
import { shared } from '../fit-threads';

export interface FitBuffers {
  /** Training rows and features. */
  rows: number;
  cols: number;
  /** Bin codes, column after column: bins[f * rows + r] (binning.ts). */
  bins: Uint8Array;
  /** Per feature, the code of a missing value: its cut count + 1. */
  missingBin: Int32Array;

  /** Cut finding: the rows the cuts are computed from, and per feature their sorted values (sortFeature). */
  cutSample: Uint32Array;
  sortedValues: Float32Array;
  /** Float32 matrix being binned (row-major, xRows rows) and where its codes go (column-major). */
  x: Float32Array;
  xRows: number;
  xBins: Uint8Array;
  /** Per feature f, its cuts ascending from cutStart[f], padded with +Infinity to 2 * cutHalf[f] - 1 entries. */
  cutValues: Float64Array;
  cutStart: Int32Array;
  cutHalf: Int32Array;

  /** Histogram codes, row-major: codes[r * width + k] = row r's slot in the joint histograms (histogram-kernel.ts). */
  codes: Uint16Array | Uint32Array;
  width: number;
  /** Slots of one joint histogram; it holds jointSlots * 2 doubles (gradient, hessian). */
  jointSlots: number;
  /** Feature group k: members groupMember[groupStart[k] .. groupStart[k + 1]), each bin times groupStride, plus jointBase[k]. */
  groupStart: Int32Array;
  groupMember: Int32Array;
  groupStride: Int32Array;
  jointBase: Int32Array;

  /** Rows of the growing tree's nodes, partitioned in place; scratch is its working copy. */
  rowIndex: Uint32Array;
  scratch: Uint32Array;
  /** Per row, gradient and hessian as integers: real value times gradScale (see setGradients in row-passes.ts). */
  gradPairs: Int32Array;
  gradScale: number;
  /** Per thread, gradient pairs gathered in node order (histChunk rows). */
  ordered: Int32Array;
  /** Rows of one histogram or partition work item, at most: a larger node is split into items. */
  histChunk: number;
  /** Work items of a histogram or partition run, ITEM_INTS ints each (see the kernels). */
  items: Int32Array;
  /** One number per work item that its kernel returns (rows sent left). */
  itemOut: Int32Array;
  /** Joint histograms the work items fill, jointSlots * 2 doubles each. */
  partials: Float64Array;

  /** Rows of one row-pass work item (row-passes.ts). */
  rowChunk: number;
  /** Per thread, the leaves of one row-pass item's rows. */
  leafScratch: Int32Array;
  /**
   * The tree the row passes walk: run[0] its depth when it is laid out complete in walk* (a row
   * takes exactly that many steps), -1 when it is walked node by node in node*; run[1] 1 when a
   * pass also sums its loss into lossPartial; run[2] trees so far and run[3] rows in oobList
   * (forest); run[4] and run[5] the key and threshold of subsampling (see sampleRows).
   */
  run: Int32Array;
  /** Complete layout: inner node i has children 2i+1, 2i+2; walkLeaf[j] is the node id of leaf j. */
  walkFeature: Int32Array;
  walkSplit: Int32Array;
  /** The bin that goes left although above the split: the missing bin when missing values go left, else -1. */
  walkMissing: Int32Array;
  walkLeaf: Int32Array;
  /** By node id: feature (-1 for a leaf), split bin, missing bin going left (or -1), left child (the right one is next). */
  nodeFeature: Int32Array;
  nodeSplit: Int32Array;
  nodeMissing: Int32Array;
  nodeLeft: Int32Array;
  /** By node id: leaf value, and exp(-value) for boosting. */
  nodeValue: Float64Array;
  nodeFactor: Float64Array;
  /** Per row-pass item, its rows' loss summed. */
  lossPartial: Float64Array;

  /** Boosting: labels, leaves (see assignLeaves), margins and exp(-margin) of the training rows. */
  y: Uint8Array;
  leafOf: Int32Array;
  margin: Float64Array;
  expNeg: Float64Array;

  /** Validation rows: their codes (column-major), labels, margins and exp(-margin) (a forest: leaf sums). */
  valRows: number;
  valBins: Uint8Array;
  valY: Uint8Array;
  valMargin: Float64Array;
  valExp: Float64Array;

  /** Forest: its validation log-loss clips probabilities to [probabilityClip, 1 - probabilityClip]. */
  probabilityClip: number;
  /** Forest: rows the last tree did not learn from (run[3] of them), their leaf sums and tree counts. */
  oobList: Uint32Array;
  oobSum: Float64Array;
  oobTrees: Uint32Array;
}

/** Buffers of a fit before anything is allocated: every array empty. */
export function emptyFitBuffers(): FitBuffers {
  const u8 = () => shared(Uint8Array, 0);
  const i32 = () => shared(Int32Array, 0);
  const u32 = () => shared(Uint32Array, 0);
  const f64 = () => shared(Float64Array, 0);
  return {
    rows: 0,
    cols: 0,
    bins: u8(),
    missingBin: i32(),
    cutSample: u32(),
    sortedValues: shared(Float32Array, 0),
    x: shared(Float32Array, 0),
    xRows: 0,
    xBins: u8(),
    cutValues: f64(),
    cutStart: i32(),
    cutHalf: i32(),
    codes: shared(Uint16Array, 0),
    width: 0,
    jointSlots: 0,
    groupStart: i32(),
    groupMember: i32(),
    groupStride: i32(),
    jointBase: i32(),
    rowIndex: u32(),
    scratch: u32(),
    gradPairs: i32(),
    gradScale: 1,
    ordered: i32(),
    histChunk: 1,
    items: i32(),
    itemOut: i32(),
    partials: f64(),
    rowChunk: 1,
    leafScratch: i32(),
    run: shared(Int32Array, 8),
    walkFeature: i32(),
    walkSplit: i32(),
    walkMissing: i32(),
    walkLeaf: i32(),
    nodeFeature: i32(),
    nodeSplit: i32(),
    nodeMissing: i32(),
    nodeLeft: i32(),
    nodeValue: f64(),
    nodeFactor: f64(),
    lossPartial: f64(),
    y: u8(),
    leafOf: i32(),
    margin: f64(),
    expNeg: f64(),
    valRows: 0,
    valBins: u8(),
    valY: u8(),
    valMargin: f64(),
    valExp: f64(),
    probabilityClip: 0,
    oobList: u32(),
    oobSum: f64(),
    oobTrees: u32(),
  };
}
