import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TRAINED_SCHEMAS } from './src/test-fixtures/test-bundles';

/**
 * Trains one real bundle per schema for the whole test run, the way users do (the training CLI),
 * with fast candidates and few bootstrap resamples: the reference schema on the bundled data, the
 * UCI Online Shoppers file, and the loyalty visits invented in tools/fixtures. The tests copy them.
 * A reference bundle given in API_TEST_TRAINED_BUNDLE is used as it is.
 */
export default function globalSetup(): void {
  const root = path.resolve(__dirname, '../..');
  const out = mkdtempSync(path.join(os.tmpdir(), 'api-test-bundles-'));
  process.env.API_TEST_TRAINED_OUT = out;
  for (const [schema, { env, spec, data, models }] of Object.entries(TRAINED_SCHEMAS)) {
    if (process.env[env]) continue;
    const dir = path.join(out, schema);
    const args = ['tools/run-ts.mjs', 'apps/train/src/main.ts', '--spec', spec, '--data', data, '--out', dir, '--models', models, '--resamples', '10'];
    const run = spawnSync(process.execPath, args, { cwd: root, encoding: 'utf8' });
    if (run.status !== 0) {
      rmSync(out, { recursive: true, force: true });
      throw new Error(`training the ${schema} test bundle failed (node ${args.join(' ')}):\n${run.stdout}\n${run.stderr}`);
    }
    process.env[env] = path.join(dir, 'current');
  }
}
