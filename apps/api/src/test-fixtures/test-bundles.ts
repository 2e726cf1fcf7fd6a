import { cp, mkdtemp, readFile, rename, rm, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** Set by global-setup.ts: a bundle trained once per test run from the bundled data. */
export const TRAINED_BUNDLE_ENV = 'API_TEST_TRAINED_BUNDLE';

/**
 * The bundles jest.global-setup.ts trains once per run, one per schema, and the variable that
 * holds each one's directory (paths from the repository root).
 */
export const TRAINED_SCHEMAS = {
  'customer-sessions': { env: TRAINED_BUNDLE_ENV, spec: 'data/specs/customer-sessions.json', data: 'data/raw/customer_sessions.csv', models: 'lr,gbdt' },
  'online-shoppers': {
    env: 'API_TEST_UCI_BUNDLE',
    spec: 'data/specs/online-shoppers.json',
    data: 'data/external/online_shoppers_intention.csv',
    models: 'lr,gbdt',
  },
  'loyalty-visits': {
    env: 'API_TEST_LOYALTY_BUNDLE',
    spec: 'tools/fixtures/loyalty-visits/spec.json',
    data: 'tools/fixtures/loyalty-visits/visits.csv',
    models: 'lr,gbdt',
  },
} as const;
export type TrainedSchema = keyof typeof TRAINED_SCHEMAS;

export function trainedBundle(schema: TrainedSchema = 'customer-sessions'): string {
  const { env } = TRAINED_SCHEMAS[schema];
  const dir = process.env[env];
  if (!dir) throw new Error(`${env} is not set: run the api tests through apps/api/jest.config.cjs (its globalSetup trains the bundles)`);
  return dir;
}

/**
 * A models directory of this test's own, `current` pointing at a copy of the trained bundle of
 * `schema` named `version`. Copies are cheap and let a test break or swap bundles freely.
 */
export async function modelsDir(
  version = 'v1',
  schema: TrainedSchema = 'customer-sessions',
): Promise<{ root: string; current: string; cleanup: () => Promise<void> }> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'api-models-'));
  await copyBundle(root, version, { schema });
  await pointCurrentAt(root, version);
  return { root, current: path.join(root, 'current'), cleanup: () => rm(root, { recursive: true, force: true }) };
}

/**
 * Copies the trained bundle to `<root>/<version>` with its version (and threshold) changed, and
 * the manifest's own hash (manifest.sha256) written again, as publishing does: a second,
 * distinguishable bundle without a second training.
 */
export async function copyBundle(root: string, version: string, edit: { threshold?: number; schema?: TrainedSchema } = {}): Promise<string> {
  const dir = path.join(root, version);
  await cp(trainedBundle(edit.schema), dir, { recursive: true, dereference: true });
  const manifestFile = path.join(dir, 'manifest.json');
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
  manifest.version = version;
  if (edit.threshold !== undefined) manifest.model.threshold = edit.threshold;
  await writeFile(manifestFile, JSON.stringify(manifest, null, 2));
  // The line manifestHashLine of @purchase/inference writes (jest's globalSetup, which loads this
  // file, resolves no @purchase/* alias).
  const digest = createHash('sha256').update(await readFile(manifestFile)).digest('hex');
  await writeFile(path.join(dir, 'manifest.sha256'), `${digest}  manifest.json\n`);
  return dir;
}

/** Flips one byte of pipeline.json: its SHA-256 no longer matches the manifest. */
export async function corruptBundle(dir: string): Promise<void> {
  const file = path.join(dir, 'pipeline.json');
  const bytes = await readFile(file);
  bytes[bytes.length - 2] ^= 1;
  await writeFile(file, bytes);
}

/** Repoints `<root>/current` at `<root>/<version>` atomically, without verifying it (unlike switchCurrent). */
export async function pointCurrentAt(root: string, version: string): Promise<void> {
  const tmp = path.join(root, `.current-${process.pid}-${Date.now()}`);
  await symlink(version, tmp, 'dir');
  await rename(tmp, path.join(root, 'current'));
}
