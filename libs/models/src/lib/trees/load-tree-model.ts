import path from 'node:path';
import { GradientBoostedTrees } from './gradient-boosted-trees';
import { RandomForest } from './random-forest';
import { readTreeModel } from './tree-model-file';
import { TREE_MODEL_FILE } from './tree-model-format';

/**
 * Loads a model saved by GradientBoostedTrees or RandomForest from `dir`. A file this build cannot
 * use (another format version, a malformed tree, invalid hyperparameters) fails with an error that
 * names the file and the problem.
 */
export async function loadTreeModel(dir: string): Promise<GradientBoostedTrees | RandomForest> {
  const doc = await readTreeModel(dir);
  try {
    return doc.kind === 'gbdt' ? GradientBoostedTrees.fromJSON(doc) : RandomForest.fromJSON(doc);
  } catch (err) {
    throw new Error(`${path.join(dir, TREE_MODEL_FILE)}: ${(err as Error).message}`);
  }
}
