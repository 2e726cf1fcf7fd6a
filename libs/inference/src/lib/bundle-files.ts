import { readdir } from 'node:fs/promises';
import path from 'node:path';


/**
 * Every entry under `dir` that is not a directory, as sorted `/`-separated relative paths. Entries
 * that are not regular files (symlinks, sockets) are returned apart: a bundle must not contain them,
 * since a symlink could point outside the hashed tree.
 */
export async function listBundleTree(dir: string): Promise<{ files: string[]; others: string[] }> {
  const files: string[] = [];
  const others: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isDirectory()) continue;
    const relative = path.relative(dir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/');
    (entry.isFile() ? files : others).push(relative);
  }
  return { files: files.sort(), others: others.sort() };
}
