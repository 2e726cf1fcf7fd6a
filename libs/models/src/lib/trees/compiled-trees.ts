import { NodeTableTrees } from './node-table-trees';
import { MAX_PADDED_DEPTH, PaddedTrees, treeDepth } from './padded-trees';
import type { TreeNodes } from './tree-nodes';

/**
 * Trees compiled for prediction on raw float32 values: complete-tree layout when every tree is at
 * most MAX_PADDED_DEPTH deep (the usual case, and the fast one), a node table otherwise. Either way
 * a split compares the value with its bin's cut and NaN takes the split's default child; the same
 * code runs for a freshly fitted model and a loaded one, which is what makes their outputs
 * bit-identical.
 */
export function compileTrees(trees: readonly TreeNodes[], cuts: readonly Float64Array[]): PaddedTrees | NodeTableTrees {
  const padded = trees.every((tree) => treeDepth(tree) <= MAX_PADDED_DEPTH);
  return padded ? new PaddedTrees(trees, cuts) : new NodeTableTrees(trees, cuts);
}
