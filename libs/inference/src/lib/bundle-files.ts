import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir } from 'node:fs/promises';
import path from 'node:path';

/** SHA-256 (hex) of bytes. */
export function sha256(bytes: Uint8Array | string): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** SHA-256 (hex) of a file, streamed: also fit for a large training CSV. */
export async function sha256File(file: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

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
