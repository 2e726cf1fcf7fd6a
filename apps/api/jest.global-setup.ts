import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAINED_BUNDLE_ENV } from './src/test-fixtures/test-bundles';

/**
 * Trains one real bundle for the whole test run, the way users do (the training CLI on the
 * bundled data), with the two fast candidates and few bootstrap resamples. The tests copy it.
 * A bundle given in API_TEST_TRAINED_BUNDLE is used as it is.
 */
export default function globalSetup(): void {
  if (process.env[TRAINED_BUNDLE_ENV]) return;
  const root = path.resolve(__dirname, '../..');
  const out = mkdtempSync(path.join(os.tmpdir(), 'api-test-bundle-'));
  const args = ['tools/run-ts.mjs', 'apps/train/src/main.ts', '--out', out, '--models', 'lr,gbdt', '--resamples', '10'];
  const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
  if (run.status !== 0) {
    rmSync(out, { recursive: true, force: true });
    throw new Error(`training the test bundle failed (node ${args.join(' ')}):\n${run.stdout}\n${run.stderr}`);
  }
  process.env[TRAINED_BUNDLE_ENV] = path.join(out, 'current');
  process.env.API_TEST_TRAINED_OUT = out;
}
