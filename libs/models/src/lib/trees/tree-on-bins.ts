import type { TreeNodes } from './tree-nodes';

/**
 * Adds one tree's leaf values to out[r] for rows given by their bin codes: for rows the tree did
 * not train on (validation rows, rows left out of a subsample or a bootstrap). `rows` lists the
 * rows to score; null scores all of them.
 */
export function addTreeOnBins(
  tree: TreeNodes,
  columns: readonly Uint8Array[],
  missingBins: Int32Array,
  rows: Uint32Array | null,
  nRows: number,
  out: Float64Array,
): void {
  const value = tree.value;
  for (let i = 0; i < nRows; i++) {
    const r = rows === null ? i : rows[i];
    out[r] += value[leafOnBins(tree, columns, missingBins, r)];
  }
}

/** leafOf[r] = the leaf node id row r reaches, for the listed rows rows[0..nRows), by their bin codes. */
export function assignLeavesOnBins(
  tree: TreeNodes,
  columns: readonly Uint8Array[],
  missingBins: Int32Array,
  rows: Uint32Array,
  nRows: number,
  leafOf: Int32Array,
): void {
  for (let i = 0; i < nRows; i++) leafOf[rows[i]] = leafOnBins(tree, columns, missingBins, rows[i]);
}

/** The leaf row r reaches: left when its bin is <= the split's bin, a missing value by the split's default. */
function leafOnBins(tree: TreeNodes, columns: readonly Uint8Array[], missingBins: Int32Array, r: number): number {
  const { feature, splitBin, defaultLeft, left, right } = tree;
  let n = 0;
  let f = feature[0];
  while (f >= 0) {
    const b = columns[f][r];
    n = b <= splitBin[n] ? left[n] : b === missingBins[f] && defaultLeft[n] === 1 ? left[n] : right[n];
    f = feature[n];
  }
  return n;
}
