import { access } from 'node:fs/promises';
import path from 'node:path';
import type { BinaryClassifier } from './model';
import { loadTfjsModel } from './tfjs/load-tfjs-model';
import { MODEL_JSON } from './tfjs/layers-format';
import { loadTreeModel } from './trees/load-tree-model';
import { TREE_MODEL_FILE } from './trees/tree-model-format';

const exists = (file: string) =>
  access(file).then(
    () => true,
    () => false,
  );

/**
 * Loads any model of the project from the directory its `save(dir)` wrote: a tfjs layers model
 * (`model.json` + `weights.bin`) or a tree ensemble (`trees.json`), told apart by which file is there.
 */
export async function loadModel(dir: string): Promise<BinaryClassifier> {
  if (await exists(path.join(dir, TREE_MODEL_FILE))) return loadTreeModel(dir);
  if (await exists(path.join(dir, MODEL_JSON))) return loadTfjsModel(dir);
  throw new Error(`${path.resolve(dir)} holds no model: expected ${MODEL_JSON} (tfjs layers format) or ${TREE_MODEL_FILE} (trees)`);
}
