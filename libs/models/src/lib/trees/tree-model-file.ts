import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeDirAtomic } from '@purchase/core';
import { TREE_MODEL_FILE, checkTreeModelDocument, type TreeModelDocument } from './tree-model-format';

/** Writes the model directory: `dir/trees.json`, the directory replaced as a whole. */
export async function writeTreeModel(dir: string, doc: TreeModelDocument): Promise<void> {
  await writeDirAtomic(dir, { [TREE_MODEL_FILE]: JSON.stringify(doc) + '\n' });
}

/** Reads and validates `dir/trees.json`; every error names the file and the problem. */
export async function readTreeModel(dir: string): Promise<TreeModelDocument> {
  const file = path.join(dir, TREE_MODEL_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new Error(`${file}: cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  try {
    return checkTreeModelDocument(json);
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
}
