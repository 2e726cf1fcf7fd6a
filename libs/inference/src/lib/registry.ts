import { lstat, open, readdir, readFile, readlink, rename, rm, symlink } from 'node:fs/promises';
import path from 'node:path';
import { isObject, removeStaleTemps, tempName, writeFileAtomic, writeViaTemp } from '@purchase/core';
import { BUNDLE_FILES, BundleError, CURRENT_LINK, SAFE_NAME, type BundleManifest } from './bundle-format';
import { loadBundle } from './verify-bundle';

/**
 * The models directory as a registry: the bundles in it (`<version>/`), the one in service
 * (`current`, a symlink switched atomically), and the history of every switch (`history.json`),
 * from which `rollback` finds the previous current. `npm run models` is the command line over it.
 */

export const HISTORY_FILE = 'history.json';
const HISTORY_FORMAT = 'purchase-models-history';
/** The history keeps this many switches, the newest. */
const HISTORY_LIMIT = 1000;

/** How `current` came to point where it does. */
export type SwitchReason = 'publish' | 'promote' | 'rollback';

export interface HistoryEntry {
  /** ISO 8601, UTC. */
  at: string;
  version: string;
  /** What `current` pointed at before; null when there was none. */
  previous: string | null;
  via: SwitchReason;
}

/** The version `current` points at, or null when there is no `current` link. */
export async function currentVersion(modelsDir: string): Promise<string | null> {
  try {
    return path.basename(await readlink(path.join(modelsDir, CURRENT_LINK)));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    // Not a symlink: pointCurrentAt refuses to replace it, with the reason.
    if (code === 'EINVAL') return null;
    throw err;
  }
}

export async function readHistory(modelsDir: string): Promise<HistoryEntry[]> {
  const file = path.join(modelsDir, HISTORY_FILE);
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`${file} is not a models history: ${(err as Error).message}`);
  }
  if (!isObject(json) || json.format !== HISTORY_FORMAT || !Array.isArray(json.switches)) throw new Error(`${file} is not a ${HISTORY_FORMAT} file`);
  return json.switches as HistoryEntry[];
}

/** Appends a switch of `current` to the history (written atomically; the oldest entries beyond the limit go). */
export async function recordSwitch(modelsDir: string, entry: HistoryEntry): Promise<void> {
  const switches = [...(await readHistory(modelsDir)), entry].slice(-HISTORY_LIMIT);
  await writeFileAtomic(path.join(modelsDir, HISTORY_FILE), `${JSON.stringify({ format: HISTORY_FORMAT, switches }, null, 2)}\n`);
}

/**
 * The version a rollback from `current` returns to. The history is replayed as a stack of the
 * versions that were current: publish and promote push, rollback pops; a rollback returns to the
 * entry below the top, so rolling back twice steps back twice. A `current` the history does not
 * know (switched by hand) returns to the last one it recorded.
 */
export function rollbackTarget(history: readonly HistoryEntry[], current: string | null): string | null {
  if (current === null) return null;
  const stack: string[] = [];
  for (const entry of history) {
    if (entry.via === 'rollback') {
      stack.pop();
      if (stack.at(-1) !== entry.version) stack.push(entry.version);
    } else {
      if (stack.length === 0 && entry.previous !== null) stack.push(entry.previous);
      stack.push(entry.version);
    }
  }
  if (stack.at(-1) !== current) return stack.at(-1) ?? null;
  return stack.length >= 2 ? stack[stack.length - 2] : null;
}

export interface RegistryEntry {
  version: string;
  current: boolean;
  /** The version `rollback` would return to. */
  previous: boolean;
  /** A bundle that verifies; otherwise `problems` says why it is refused. */
  ok: boolean;
  problems: string[];
  manifest?: BundleManifest;
}

/**
 * Every bundle directory in `modelsDir` (a directory with a manifest.json), verified (hashes,
 * format): intact ones with their manifest, broken ones with their problems, oldest first.
 */
export async function listBundles(modelsDir: string): Promise<RegistryEntry[]> {
  const entries = await readdir(modelsDir, { withFileTypes: true }).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') throw new Error(`${modelsDir} does not exist: no models yet (npm run train)`);
    throw err;
  });
  const current = await currentVersion(modelsDir);
  const previous = rollbackTarget(await readHistory(modelsDir), current);
  const bundles: RegistryEntry[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || !SAFE_NAME.test(entry.name) || entry.name === CURRENT_LINK) continue;
    const dir = path.join(modelsDir, entry.name);
    const hasManifest = await lstat(path.join(dir, BUNDLE_FILES.manifest)).then(
      () => true,
      () => false,
    );
    if (!hasManifest) continue;
    const flags = { version: entry.name, current: entry.name === current, previous: entry.name === previous };
    try {
      const { manifest } = await loadBundle(dir);
      bundles.push({ ...flags, ok: true, problems: [], manifest });
    } catch (err) {
      if (!(err instanceof BundleError)) throw err;
      bundles.push({ ...flags, ok: false, problems: err.problems });
    }
  }
  const created = (b: RegistryEntry) => b.manifest?.createdAt ?? '';
  return bundles.sort((a, b) => created(a).localeCompare(created(b)) || a.version.localeCompare(b.version));
}

/** One bundle, verified; throws a BundleError naming its problems. */
export async function showBundle(modelsDir: string, version: string): Promise<BundleManifest> {
  checkVersionName(version);
  return (await loadBundle(path.join(modelsDir, version))).manifest;
}

/**
 * Points `current` at `version` (verified first), atomically, and records the switch. The one way
 * `current` moves: publishing, promote and rollback all come here.
 */
export async function pointCurrent(
  modelsDir: string,
  version: string,
  via: SwitchReason,
  options: { verified?: boolean } = {},
): Promise<{ version: string; previous: string | null }> {
  checkVersionName(version);
  // A bundle just published was verified in place before its rename; any other is verified now.
  if (!options.verified) await loadBundle(path.join(modelsDir, version));
  const previous = await currentVersion(modelsDir);
  await pointCurrentAt(modelsDir, version);
  await recordSwitch(modelsDir, { at: new Date().toISOString(), version, previous, via });
  return { version, previous };
}

/** The temporary name of a bundle being removed starts with `.pruned-`. */
const PRUNED = 'pruned-';

/** Makes `version` current (verified first); the switch is recorded, so that rollback can undo it. */
export function promoteBundle(modelsDir: string, version: string): Promise<{ version: string; previous: string | null }> {
  return switchCurrent(modelsDir, version, 'promote');
}

/**
 * Makes the previous current current again (rollbackTarget); refuses when the history records
 * none, or when that bundle no longer verifies.
 */
export async function rollbackBundle(modelsDir: string): Promise<{ version: string; previous: string | null }> {
  const current = await currentVersion(modelsDir);
  const target = rollbackTarget(await readHistory(modelsDir), current);
  if (target === null) {
    throw new Error(current === null ? `${modelsDir} has no current bundle to roll back from` : `the history in ${modelsDir} records no bundle that was current before ${current}`);
  }
  return switchCurrent(modelsDir, target, 'rollback');
}

export interface PruneResult {
  removed: string[];
  kept: string[];
}

/**
 * Removes all but the `keep` newest bundles, never the current one nor the one a rollback returns
 * to (they are kept beyond `keep`); broken bundles count as bundles. Each is first renamed to a
 * temporary name, then removed, so a bundle is never left half-deleted under its own name.
 */
export async function pruneBundles(modelsDir: string, keep: number, options: { dryRun?: boolean } = {}): Promise<PruneResult> {
  if (!Number.isInteger(keep) || keep < 0) throw new Error(`--keep must be an integer >= 0, got ${keep}`);
  const bundles = await listBundles(modelsDir);
  const newestFirst = [...bundles].reverse();
  const kept = new Set(newestFirst.slice(0, keep).map((b) => b.version));
  for (const b of bundles) if (b.current || b.previous) kept.add(b.version);
  const removed = bundles.filter((b) => !kept.has(b.version)).map((b) => b.version);
  if (!options.dryRun) {
    // What an earlier prune that was killed mid-removal left (its owner process is gone).
    await removeStaleTemps(modelsDir, [`.${PRUNED}`]);
    for (const version of removed) {
      const doomed = tempName(path.join(modelsDir, PRUNED + version));
      await rename(path.join(modelsDir, version), doomed);
      await rm(doomed, { recursive: true, force: true });
    }
  }
  return { removed, kept: bundles.filter((b) => kept.has(b.version)).map((b) => b.version) };
}

export interface BundleDiffRow {
  field: string;
  a: string | number | null;
  b: string | number | null;
  /** b - a for numbers. */
  change: number | null;
}

/** Two bundles side by side: the model, its threshold, the data, and every test metric of either. */
export async function diffBundles(modelsDir: string, a: string, b: string): Promise<BundleDiffRow[]> {
  const [ma, mb] = [await showBundle(modelsDir, a), await showBundle(modelsDir, b)];
  const row = (field: string, x: string | number | undefined, y: string | number | undefined): BundleDiffRow => ({
    field,
    a: x ?? null,
    b: y ?? null,
    change: typeof x === 'number' && typeof y === 'number' ? y - x : null,
  });
  const rows = [
    row('created', ma.createdAt, mb.createdAt),
    row('model', `${ma.model.candidate} (${ma.model.kind})`, `${mb.model.candidate} (${mb.model.kind})`),
    row('threshold', ma.model.threshold, mb.model.threshold),
    row('data', `${ma.data.file} (${ma.data.rows} rows)`, `${mb.data.file} (${mb.data.rows} rows)`),
    row('spec', ma.spec.name, mb.spec.name),
  ];
  const metrics = [...new Set([...Object.keys(ma.model.metrics), ...Object.keys(mb.model.metrics)])];
  for (const m of metrics) rows.push(row(`test ${m}`, ma.model.metrics[m], mb.model.metrics[m]));
  return rows;
}

function checkVersionName(version: string): void {
  if (!SAFE_NAME.test(version) || version === CURRENT_LINK) throw new Error(`"${version}" is not a bundle version`);
}

/**
 * Points `<modelsDir>/current` at an already published version (a rollback, or a test setting up
 * a server), after verifying that bundle.
 */
export async function switchCurrent(modelsDir: string, version: string, via: SwitchReason = 'publish'): Promise<{ version: string; previous: string | null }> {
  return pointCurrent(modelsDir, version, via);
}

/** A new relative symlink at a temporary name, renamed over `current`: readers see old or new, never none. */
export async function pointCurrentAt(modelsDir: string, version: string): Promise<void> {
  const link = path.join(modelsDir, CURRENT_LINK);
  const existing = await lstat(link).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  if (existing && !existing.isSymbolicLink()) {
    throw new Error(`${link} is not a symlink; move it away so that it can point at the published bundle`);
  }
  await writeViaTemp(link, (tmp) => symlink(version, tmp, 'dir'));
  await syncDir(modelsDir);
}

async function syncDir(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
