import { randomBytes } from 'node:crypto';
import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/**
 * Temporary files and directories, and who owns them. Every temp of this workspace is named
 * `.<target>.tmp-<host>-<pid>-<tag>`, so a later run can tell the leftover of a killed process
 * (removable) from the work of a live one (never touched); this process's own temps are tracked
 * so that a signal listener can remove them before exiting.
 */

/** Temps of another host (a shared volume) or with no readable owner count as stale after this long. */
export const STALE_TEMP_AGE_MS = 24 * 60 * 60 * 1000;

/** What a temp's name says of it. */
export interface TempName {
  /** Base name of the file or directory the temp becomes. */
  target: string;
  host: string;
  pid: number;
}

export interface RemovedTemp {
  path: string;
  /** Bytes of the file, or of every file below the directory. */
  bytes: number;
  directory: boolean;
}

const HOST = hostPart(os.hostname());
const TEMP_NAME = /^\.(.+)\.tmp-([A-Za-z0-9_-]+)-([1-9][0-9]*)-([0-9a-z]+)$/;
let counter = 0;

/** The start of every temp name of `target`: `.<basename>.tmp-`. */
export function tempPrefix(target: string): string {
  return `.${path.basename(target)}.tmp-`;
}

/**
 * A fresh temp sibling of `target`, named for its owner: this host and process unless `owner` says
 * otherwise (a test standing in for another run). Unique within the process.
 */
export function tempName(target: string, owner: Partial<Omit<TempName, 'target'>> = {}): string {
  const host = owner.host === undefined ? HOST : hostPart(owner.host);
  const tag = `${(counter++).toString(36)}${randomBytes(3).toString('hex')}`;
  return path.join(path.dirname(target), `${tempPrefix(target)}${host}-${owner.pid ?? process.pid}-${tag}`);
}

/** The owner and target of a temp name, or undefined for a name this rule did not write. */
export function parseTempName(name: string): TempName | undefined {
  const match = TEMP_NAME.exec(name);
  if (!match) return undefined;
  const pid = Number(match[3]);
  return Number.isSafeInteger(pid) ? { target: match[1], host: match[2], pid } : undefined;
}

const tracked = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM'] as const;
let signalListener: ((signal: NodeJS.Signals) => void) | undefined;

/** Records a temp this process is writing, for removeTrackedTemps; forgetTemp once it is renamed or removed. */
export function trackTemp(tmp: string): void {
  tracked.add(path.resolve(tmp));
  if (tracked.size === 1) listenForSignals(true);
}

export function forgetTemp(tmp: string): void {
  tracked.delete(path.resolve(tmp));
  if (tracked.size === 0) listenForSignals(false);
}

/**
 * Runs `listener` on SIGINT or SIGTERM while this process tracks temps, and only then: at other
 * times Node's default stays, which ends the process at once even inside a long synchronous loop
 * (a model's fit), where a listener would wait for the loop to yield. Returns a function that
 * stops listening.
 */
export function onSignalWhileTracking(listener: (signal: NodeJS.Signals) => void): () => void {
  listenForSignals(false);
  signalListener = listener;
  listenForSignals(tracked.size > 0);
  return () => {
    listenForSignals(false);
    if (signalListener === listener) signalListener = undefined;
  };
}

function listenForSignals(on: boolean): void {
  if (!signalListener) return;
  for (const signal of SIGNALS) {
    process.off(signal, signalListener);
    if (on) process.on(signal, signalListener);
  }
}

/**
 * Removes, synchronously (safe in a signal handler), every temp this process still tracks. A temp
 * that cannot be removed is named in `failed` with the reason; the others are still removed.
 */
export function removeTrackedTemps(): { removed: RemovedTemp[]; failed: string[] } {
  const removed: RemovedTemp[] = [];
  const failed: string[] = [];
  // In creation order: a directory goes before the temps written inside it, and counts their bytes.
  for (const tmp of [...tracked]) {
    forgetTemp(tmp);
    try {
      const gone = removeTemp(tmp);
      if (gone) removed.push(gone);
    } catch (err) {
      failed.push(`${tmp} (${(err as Error).message})`);
    }
  }
  return { removed, failed };
}

/**
 * Removes the stale temps among the entries of `dir` whose names start with one of `prefixes`.
 * A temp of this host is stale when its process is gone; a temp of another host, or one whose
 * name gives no owner (an older naming), when it is older than STALE_TEMP_AGE_MS by mtime.
 * A temp of a live process is never removed. A missing `dir` holds nothing to remove.
 */
export async function removeStaleTemps(dir: string, prefixes: readonly string[], now = Date.now()): Promise<RemovedTemp[]> {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return [];
    throw err;
  });
  const removed: RemovedTemp[] = [];
  for (const name of names.filter((n) => prefixes.some((p) => n.startsWith(p))).sort()) {
    const file = path.join(dir, name);
    // Gone already: its owner finished with it meanwhile.
    const stats = await lstat(file).catch(() => undefined);
    if (!stats || !isStale(name, stats.mtimeMs, now)) continue;
    const gone = removeTemp(file);
    if (gone) removed.push(gone);
  }
  return removed;
}

/**
 * One line for a log: `removed 2 stale temporary files (91.2 MB) left by interrupted runs: a, b/`
 * for leftovers of other runs, `removed 1 temporary file (3.1 kB) this run was writing: a` for a
 * process's own. A directory is listed with a trailing separator.
 */
export function removedTempsLine(removed: readonly RemovedTemp[], whose: 'stale' | 'own'): string {
  if (removed.length === 0) return whose === 'stale' ? 'no stale temporary files' : 'no temporary files to remove';
  const noun = removed.length === 1 ? 'temporary file' : 'temporary files';
  const bytes = removed.reduce((sum, t) => sum + t.bytes, 0);
  const list = removed.map((t) => (t.directory ? t.path + path.sep : t.path)).join(', ');
  return whose === 'stale'
    ? `removed ${removed.length} stale ${noun} (${formatBytes(bytes)}) left by interrupted runs: ${list}`
    : `removed ${removed.length} ${noun} (${formatBytes(bytes)}) this run was writing: ${list}`;
}

/** No "." in the host part: the last ".tmp-" of a name is then always the one this rule wrote. */
function hostPart(hostname: string): string {
  return hostname.replace(/[^A-Za-z0-9-]/g, '_').slice(0, 63) || 'unknown';
}

function isStale(name: string, mtimeMs: number, now: number): boolean {
  const owner = parseTempName(name);
  if (owner && owner.host === HOST) {
    const alive = isAlive(owner.pid);
    if (alive !== undefined) return !alive;
  }
  return now - mtimeMs > STALE_TEMP_AGE_MS;
}

/** true / false when the kernel says; undefined when it gives no answer (then age decides). */
function isAlive(pid: number): boolean | undefined {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // EPERM: the process exists but belongs to another user.
    return code === 'ESRCH' ? false : code === 'EPERM' ? true : undefined;
  }
}

/** Removes one temp, file or directory, after measuring it; undefined when it no longer exists. */
function removeTemp(file: string): RemovedTemp | undefined {
  let measured: Omit<RemovedTemp, 'path'>;
  try {
    measured = measure(file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  rmSync(file, { recursive: true, force: true, maxRetries: 3 });
  return { path: file, ...measured };
}

/** Links are measured, not followed. */
function measure(file: string): Omit<RemovedTemp, 'path'> {
  const stats = lstatSync(file);
  if (!stats.isDirectory()) return { bytes: stats.size, directory: false };
  let bytes = 0;
  for (const name of readdirSync(file)) bytes += measure(path.join(file, name)).bytes;
  return { bytes, directory: true };
}

/** 812 B, 3.1 kB, 91.2 MB, 1.4 GB (powers of 1000). */
function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 999.95 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}
