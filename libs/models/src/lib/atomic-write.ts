import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';

/** Contents of one file: text is written as UTF-8. */
export type FileContents = string | Uint8Array;

let counter = 0;
function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.tmp-${process.pid}-${Date.now()}-${counter++}`);
}

async function writeDurable(file: string, data: FileContents): Promise<void> {
  const handle = await open(file, 'w');
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Writes one file so that a reader sees either the old file or the whole new one, never a part:
 * the bytes go to a temporary sibling, are synced, then renamed over the target.
 */
export async function writeFileAtomic(file: string, data: FileContents): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const tmp = tempName(file);
  try {
    await writeDurable(tmp, data);
    await rename(tmp, file);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
}

/**
 * Writes a directory of files (names may contain `/` for subfolders) so that `dir` appears complete
 * or not at all: everything is written into a temporary sibling directory, then renamed to `dir`.
 * An existing `dir` is replaced: it is moved aside first and removed only after the new one is in place.
 */
export async function writeDirAtomic(dir: string, files: Record<string, FileContents>): Promise<void> {
  const target = path.resolve(dir);
  await mkdir(path.dirname(target), { recursive: true });
  const tmp = tempName(target);
  try {
    for (const [name, data] of Object.entries(files)) {
      const file = path.join(tmp, name);
      if (!file.startsWith(tmp + path.sep)) throw new Error(`file name "${name}" escapes the directory`);
      await mkdir(path.dirname(file), { recursive: true });
      await writeDurable(file, data);
    }
    await replaceDir(tmp, target);
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}

/** Moves a complete directory `from` to `to`, replacing what was there. */
async function replaceDir(from: string, to: string): Promise<void> {
  const old = tempName(to);
  let moved = false;
  try {
    await rename(to, old);
    moved = true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  try {
    await rename(from, to);
  } catch (err) {
    if (moved) await rename(old, to);
    throw err;
  }
  if (moved) await rm(old, { recursive: true, force: true });
}

/** Writes `data` as pretty JSON atomically. */
export async function writeJsonAtomic(file: string, data: unknown): Promise<void> {
  await writeFileAtomic(file, JSON.stringify(data, null, 2) + '\n');
}

