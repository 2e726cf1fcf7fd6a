import type { FitBuffers } from './fit-buffers';

/**
 * Passes over the rows of a fit, each work item one chunk of rowChunk rows (rows are independent,
 * so any thread may take any chunk): binning, the boosting step after each tree, validation
 * margins and losses, the forest's out-of-bag sums. A chunk's loss goes to lossPartial[item], and
 * the caller adds the chunks in order, so a loss does not depend on the number of threads either.
 *
 * Kernels (see fit-threads.ts): they use only their arguments and this file's functions.
 */

/**
 * Cut finding, one feature per item: the non-missing values of feature `item` in the rows
 * cutSample, sorted, to sortedValues from item * cutSample.length; itemOut[item] = how many.
 */
export function sortFeature(s: FitBuffers, item: number): void {
  const { x, cols, cutSample } = s;
  const m = cutSample.length;
  const values = s.sortedValues.subarray(item * m, (item + 1) * m);
  let k = 0;
  for (let i = 0; i < m; i++) {
    const v = x[cutSample[i] * cols + item];
    values[k] = v;
    k += +(v === v);
  }
  values.subarray(0, k).sort();
  s.itemOut[item] = k;
}

/** xBins[f * xRows + r] = the bin of x[r, f]: how many of the feature's cuts x exceeds (NaN: the missing bin). */
export function binRows(s: FitBuffers, item: number): void {
  const { x, xBins, cutValues, cutStart, cutHalf, missingBin, cols } = s;
  const n = s.xRows;
  const a = item * s.rowChunk;
  const b = Math.min(n, a + s.rowChunk);
  for (let f = 0; f < cols; f++) {
    const first = cutStart[f];
    const half = cutHalf[f];
    const missing = missingBin[f];
    const out = f * n;
    for (let r = a, at = a * cols + f; r < b; r++, at += cols) {
      const v = x[at];
      // Branch-free binary search over cuts padded to 2 * half - 1 with +Infinity; NaN exceeds none.
      let lo = 0;
      for (let h = half; h > 0; h >>= 1) lo += h * +(v > cutValues[first + lo + h - 1]);
      xBins[out + r] = lo + missing * +(v !== v);
    }
  }
}

/** codes[r * width + k] = row r's joint slot in feature group k, from its bins (see feature-groups.ts). */
export function groupCodes(s: FitBuffers, item: number): void {
  const { bins, codes, width, groupStart, groupMember, groupStride, jointBase } = s;
  const n = s.rows;
  const a = item * s.rowChunk;
  const b = Math.min(n, a + s.rowChunk);
  for (let k = 0; k < width; k++) {
    const base = jointBase[k];
    const m0 = groupStart[k];
    const m1 = groupStart[k + 1];
    for (let r = a; r < b; r++) codes[r * width + k] = base;
    for (let m = m0; m < m1; m++) {
      const column = groupMember[m] * n;
      const stride = groupStride[m];
      for (let r = a; r < b; r++) codes[r * width + k] += bins[column + r] * stride;
    }
  }
}

/** Without subsampling: rowIndex[r] = r. */
export function allRows(s: FitBuffers, item: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.rows, a + s.rowChunk);
  const rowIndex = s.rowIndex;
  for (let r = a; r < b; r++) rowIndex[r] = r;
}

/**
 * Subsampling, first step: the rows of the chunk a tree learns from, ascending, to scratch from the
 * chunk's start, the others backwards from its end; itemOut[item] = how many are kept. Row r is
 * kept when a hash of r and run[4] (a key drawn per tree) is below run[5] (subsample times 2^32,
 * as an unsigned number in an int32), so whether a row is kept depends on neither the chunk nor
 * the thread.
 */
export function sampleRows(s: FitBuffers, item: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.rows, a + s.rowChunk);
  const key = s.run[4];
  const limit = s.run[5] >>> 0;
  const scratch = s.scratch;
  let k = a;
  let d = b - 1;
  for (let r = a; r < b; r++) {
    // MurmurHash3's finaliser of r times the golden ratio, salted.
    let z = Math.imul(r, 0x9e3779b9) ^ key;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z = (z ^ (z >>> 16)) >>> 0;
    const keep = +(z < limit);
    scratch[k] = r;
    scratch[d] = r;
    k += keep;
    d -= 1 - keep;
  }
  s.itemOut[item] = k - a;
}

/**
 * Subsampling, second step: the chunk's kept rows to rowIndex from items[8 * item] (the rows kept
 * by earlier chunks), the others from items[8 * item + 1] (after all kept rows).
 */
export function placeSampled(s: FitBuffers, item: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.rows, a + s.rowChunk);
  const kept = s.itemOut[item];
  s.rowIndex.set(s.scratch.subarray(a, a + kept), s.items[8 * item]);
  s.rowIndex.set(s.scratch.subarray(a + kept, b), s.items[8 * item + 1]);
}

/**
 * leafOf[r] = the leaf of each row of one range of rowIndex, items[8 * item ..]: start, end, kind,
 * node. Kind 0: the range is the rows of leaf `node`. Kind 1: the rows of split `node`, whose
 * children are leaves: one test each. Kind 2: rows the tree did not learn from: walked down the
 * tree.
 */
export function assignLeaves(s: FitBuffers, item: number, part: number): void {
  const at = 8 * item;
  const start = s.items[at];
  const end = s.items[at + 1];
  const kind = s.items[at + 2];
  const node = s.items[at + 3];
  const { rowIndex, leafOf } = s;
  if (kind === 0) {
    for (let i = start; i < end; i++) leafOf[rowIndex[i]] = node;
  } else if (kind === 1) {
    const f = s.nodeFeature[node];
    const column = s.bins.subarray(f * s.rows, (f + 1) * s.rows);
    const split = s.nodeSplit[node];
    const missingLeft = s.nodeMissing[node];
    const left = s.nodeLeft[node];
    for (let i = start; i < end; i++) {
      const r = rowIndex[i];
      const c = column[r];
      leafOf[r] = left + (((split - c) >>> 31) & +(c !== missingLeft));
    }
  } else {
    const leaves = s.leafScratch;
    const o = part * s.rowChunk;
    leavesOnBins(s, s.bins, s.rows, rowIndex, start, end, leaves, o);
    for (let i = start; i < end; i++) leafOf[rowIndex[i]] = leaves[o + i - start];
  }
}

/** First boosting step: exp(-margin) and the gradient pairs at the base score. */
export function boostStart(s: FitBuffers, item: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.rows, a + s.rowChunk);
  const { margin, expNeg } = s;
  for (let r = a; r < b; r++) expNeg[r] = Math.exp(-margin[r]);
  setGradients(expNeg, s.y, s.gradPairs, s.gradScale, a, b);
}

/**
 * One boosting step for a chunk of training rows, after a tree (leafOf set by assignLeaves):
 * margin += the leaf's value, exp(-margin) *= exp(-value) (one Math.exp per leaf rather than per
 * row; the product drifts from exp(-margin) by about 1e-16 per tree), then the gradient pairs at
 * the new margin, and the chunk's log-loss when run[1] is 1.
 */
export function boostStep(s: FitBuffers, item: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.rows, a + s.rowChunk);
  const { margin, expNeg, nodeValue, nodeFactor, leafOf } = s;
  for (let r = a; r < b; r++) {
    const leaf = leafOf[r];
    margin[r] += nodeValue[leaf];
    expNeg[r] *= nodeFactor[leaf];
  }
  setGradients(expNeg, s.y, s.gradPairs, s.gradScale, a, b);
  if (s.run[1] === 1) s.lossPartial[item] = logLossSum(margin, expNeg, s.y, a, b);
}

/** The same step for a chunk of validation rows, without gradients; always sums the loss. */
export function validationStep(s: FitBuffers, item: number, part: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.valRows, a + s.rowChunk);
  const leaves = s.leafScratch;
  const o = part * s.rowChunk;
  leavesOnBins(s, s.valBins, s.valRows, null, a, b, leaves, o);
  const { valMargin, valExp, nodeValue, nodeFactor } = s;
  for (let r = a; r < b; r++) {
    const leaf = leaves[o + r - a];
    valMargin[r] += nodeValue[leaf];
    valExp[r] *= nodeFactor[leaf];
  }
  s.lossPartial[item] = logLossSum(valMargin, valExp, s.valY, a, b);
}

/** Forest: the rows oobList[a..b) the tree did not learn from add its leaf value and count it (run[3] rows listed). */
export function forestOutOfBag(s: FitBuffers, item: number, part: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.run[3], a + s.rowChunk);
  const leaves = s.leafScratch;
  const o = part * s.rowChunk;
  const list = s.oobList;
  leavesOnBins(s, s.bins, s.rows, list, a, b, leaves, o);
  const { oobSum, oobTrees, nodeValue } = s;
  for (let i = a; i < b; i++) {
    const r = list[i];
    oobSum[r] += nodeValue[leaves[o + i - a]];
    oobTrees[r]++;
  }
}

/**
 * Forest: validation leaf sums (in valMargin) after a tree; with run[1] = 1, the chunk's log-loss
 * of the mean of run[2] trees, the probability clipped to [probabilityClip, 1 - probabilityClip].
 */
export function forestValidation(s: FitBuffers, item: number, part: number): void {
  const a = item * s.rowChunk;
  const b = Math.min(s.valRows, a + s.rowChunk);
  const leaves = s.leafScratch;
  const o = part * s.rowChunk;
  leavesOnBins(s, s.valBins, s.valRows, null, a, b, leaves, o);
  const { valMargin, nodeValue, valY } = s;
  for (let r = a; r < b; r++) valMargin[r] += nodeValue[leaves[o + r - a]];
  if (s.run[1] !== 1) return;
  const trees = s.run[2];
  const eps = s.probabilityClip;
  let loss = 0;
  for (let r = a; r < b; r++) {
    const p = Math.min(1 - eps, Math.max(eps, valMargin[r] / trees));
    loss -= valY[r] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  s.lossPartial[item] = loss;
}

/**
 * out[o + i - a] = the leaf node id that row (list ? list[i] : i) reaches, for i in [a, b), on
 * column-major bins with `stride` rows per column. Right when the bin is above the split unless it
 * is the split's left-going missing bin: an integer test without a branch.
 */
function leavesOnBins(s: FitBuffers, bins: Uint8Array, stride: number, list: Uint32Array | null, a: number, b: number, out: Int32Array, o: number): void {
  const depth = s.run[0];
  if (depth < 0) {
    const { nodeFeature, nodeSplit, nodeMissing, nodeLeft } = s;
    for (let i = a; i < b; i++) {
      const r = list === null ? i : list[i];
      let n = 0;
      for (let f = nodeFeature[0]; f >= 0; f = nodeFeature[n]) {
        const c = bins[f * stride + r];
        n = nodeLeft[n] + (((nodeSplit[n] - c) >>> 31) & +(c !== nodeMissing[n]));
      }
      out[o + i - a] = n;
    }
    return;
  }
  const { walkFeature, walkSplit, walkMissing, walkLeaf } = s;
  const leafBase = (1 << depth) - 1;
  let i = a;
  // Two rows side by side: their independent load chains overlap.
  for (; i + 2 <= b; i += 2) {
    const r0 = list === null ? i : list[i];
    const r1 = list === null ? i + 1 : list[i + 1];
    let k0 = 0;
    let k1 = 0;
    for (let d = 0; d < depth; d++) {
      const c0 = bins[walkFeature[k0] * stride + r0];
      const c1 = bins[walkFeature[k1] * stride + r1];
      k0 = 2 * k0 + 1 + (((walkSplit[k0] - c0) >>> 31) & +(c0 !== walkMissing[k0]));
      k1 = 2 * k1 + 1 + (((walkSplit[k1] - c1) >>> 31) & +(c1 !== walkMissing[k1]));
    }
    out[o + i - a] = walkLeaf[k0 - leafBase];
    out[o + i + 1 - a] = walkLeaf[k1 - leafBase];
  }
  for (; i < b; i++) {
    const r = list === null ? i : list[i];
    let k = 0;
    for (let d = 0; d < depth; d++) {
      const c = bins[walkFeature[k] * stride + r];
      k = 2 * k + 1 + (((walkSplit[k] - c) >>> 31) & +(c !== walkMissing[k]));
    }
    out[o + i - a] = walkLeaf[k - leafBase];
  }
}

/**
 * Gradient pairs of binary log-loss at p = 1 / (1 + expNeg[r]): g = p - y, h = p(1 - p), stored as
 * integers times `scale` (so histogram sums are exact), truncated (`| 0`: Math.round costs ten
 * times as much here). A hessian is at least 1, which keeps every row's hessian above 0 (as
 * XGBoost floors it) and lets hessian sums stand for row counts.
 */
function setGradients(expNeg: Float64Array, y: Uint8Array, gradPairs: Int32Array, scale: number, a: number, b: number): void {
  for (let r = a, j = 2 * a; r < b; r++, j += 2) {
    const p = 1 / (1 + expNeg[r]);
    const g = ((p - y[r]) * scale) | 0;
    const h = (p * (1 - p) * scale) | 0;
    gradPairs[j] = g;
    gradPairs[j + 1] = h | +(h === 0);
  }
}

/**
 * Sum over rows [a, b) of -log p(y | margin) = log(1 + exp(-m)) + (1 - y) m, from the carried
 * exp(-m): the logs of eight rows are taken as one log of their product (Math.log costs about as
 * much as the rest of a row). A product too large for that falls back to the stable form per row.
 */
function logLossSum(margin: Float64Array, expNeg: Float64Array, y: Uint8Array, a: number, b: number): number {
  let sum = 0;
  let r = a;
  for (; r + 8 <= b; r += 8) {
    const product =
      (1 + expNeg[r]) * (1 + expNeg[r + 1]) * (1 + expNeg[r + 2]) * (1 + expNeg[r + 3]) * (1 + expNeg[r + 4]) * (1 + expNeg[r + 5]) * (1 + expNeg[r + 6]) * (1 + expNeg[r + 7]);
    if (product < 1e300) {
      sum += Math.log(product);
      for (let k = r; k < r + 8; k++) sum += (1 - y[k]) * margin[k];
    } else {
      for (let k = r; k < r + 8; k++) sum += stableLogLoss(margin[k], y[k]);
    }
  }
  for (; r < b; r++) sum += stableLogLoss(margin[r], y[r]);
  return sum;
}

/** -log p(y | m) as softplus(m) - y m, stable for any m. */
function stableLogLoss(m: number, y: number): number {
  return Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - y * m;
}

/** The functions the row passes call, for the workers' source. */
export const ROW_PASS_HELPERS = [leavesOnBins, setGradients, logLossSum, stableLogLoss];
