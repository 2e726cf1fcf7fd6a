import type { Matrix } from '../model';
import { NodeTableTrees } from './node-table-trees';
import { PaddedTrees, treeDepth } from './padded-trees';
import { GradientBoostedTrees } from './gradient-boosted-trees';
import { binColumns, missingBin } from './quantile-bins';
import { SeededRandom } from '@purchase/core';
import { syntheticClassification } from '../../test-fixtures/synthetic-classification';
import { treeFromJson } from './tree-model-format';
import type { TreeNodes } from './tree-nodes';

describe.each([
  ['PaddedTrees', PaddedTrees],
  ['NodeTableTrees', NodeTableTrees],
])('%s', (_name, Layout) => {
  it.each([16, 255])('sends every row where the bins send it: raw thresholds, NaN defaults and values right on a cut (%i bins)', async (maxBins) => {
    const { X, y } = syntheticClassification(2000, 1, 0.2);
    const model = new GradientBoostedTrees({ nEstimators: 10, growPolicy: 'lossguide', maxDepth: 0, maxLeaves: 7, maxBins });
    await model.fit(X, y);
    const doc = model.toJSON();
    const cuts = doc.binCuts.map((c) => Float64Array.from(c));
    const trees = doc.trees.map(treeFromJson);
    // Trees of uneven depth, so padding is exercised too.
    expect(new Set(trees.map(treeDepth)).size).toBeGreaterThan(1);

    // Probe values: random ones, NaN, each cut itself and the float32 values just around it; a
    // row count that leaves rows outside the blocks of eight.
    const random = new SeededRandom(9);
    const rows = 3001;
    const data = new Float32Array(rows * 3);
    for (let i = 0; i < data.length; i++) {
      const c = cuts[i % 3];
      const k = random.nextInt(c.length);
      const pick = random.nextInt(5);
      data[i] = pick === 0 ? NaN : pick === 1 ? random.next() * 2 - 1 : pick === 2 ? c[k] : nextFloat32(c[k], pick === 3 ? -1 : 1);
    }
    const probe: Matrix = { data, rows, cols: 3 };

    const raw = new Float64Array(rows);
    new Layout(trees, cuts).addLeafSums(probe, raw);
    const binned = new Float64Array(rows);
    const columns = binColumns(probe, cuts);
    const missing = Int32Array.from(cuts, missingBin);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      for (const tree of trees) sum += tree.value[leafOnBins(tree, columns, missing, r)];
      binned[r] += sum;
    }
    expect(raw).toEqual(binned);
  });
});

/** The definition: left when the bin is at most the split's, a missing value by the split's default. */
function leafOnBins(tree: TreeNodes, columns: readonly Uint8Array[], missingBins: Int32Array, r: number): number {
  let n = 0;
  while (tree.feature[n] >= 0) {
    const f = tree.feature[n];
    const b = columns[f][r];
    const left = b === missingBins[f] ? tree.defaultLeft[n] === 1 : b <= tree.splitBin[n];
    n = left ? tree.left[n] : tree.right[n];
  }
  return n;
}

/** The float32 next to fround(v) in direction `dir`. */
function nextFloat32(v: number, dir: -1 | 1): number {
  const f = new Float32Array([v]);
  const i = new Int32Array(f.buffer);
  i[0] += (f[0] > 0 ? 1 : -1) * dir;
  return f[0];
}
