import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { forgetTemp, tempName, trackTemp } from './temp-files';

/** Contents of one file: text is written as UTF-8. */
export type FileContents = string | Uint8Array;

/**
 * Builds `target` at a temporary sibling (named for its owner, see temp-files.ts, and tracked so
 * that an interrupted process removes it) and then commits it: by default renames it over `target`.
 * A throw in either step removes the temporary, file or directory, and passes the error on.
 */
export async function writeViaTemp<T>(
  target: string,
  write: (tmp: string) => Promise<T>,
  commit: (tmp: string) => Promise<void> = (tmp) => rename(tmp, target),
): Promise<T> {
  const tmp = tempName(target);
  trackTemp(tmp);
  try {
    const result = await write(tmp);
    await commit(tmp);
    return result;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  } finally {
    forgetTemp(tmp);
  }
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
  await writeViaTemp(file, (tmp) => writeDurable(tmp, data));
}

/**
 * Writes a directory of files (names may contain `/` for subfolders) so that `dir` appears complete
 * or not at all: everything is written into a temporary sibling directory, then renamed to `dir`.
 * An existing `dir` is replaced: it is moved aside first and removed only after the new one is in place.
 */
export async function writeDirAtomic(dir: string, files: Record<string, FileContents>): Promise<void> {
  const target = path.resolve(dir);
  await mkdir(path.dirname(target), { recursive: true });
  await writeViaTemp(
    target,
    async (tmp) => {
      for (const [name, data] of Object.entries(files)) {
        const file = path.join(tmp, name);
        if (!file.startsWith(tmp + path.sep)) throw new Error(`file name "${name}" escapes the directory`);
        await mkdir(path.dirname(file), { recursive: true });
        await writeDurable(file, data);
      }
    },
    (tmp) => replaceDir(tmp, target),
  );
}

/** Moves a complete directory `from` to `to`, replacing what was there. */
async function replaceDir(from: string, to: string): Promise<void> {
  // Not tracked: between the two renames this is the only copy of `to`, which an interrupted
  // process must leave behind rather than remove.
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
