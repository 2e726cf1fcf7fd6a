/**
 * npm run build, then what a production image holds: the build output, package.json and the lock
 * file, installed with `npm ci --omit=dev` in a directory of its own (no TypeScript, no esbuild, no
 * sources). From there the training app trains and the API serves.
 */
import { cpSync, existsSync } from 'node:fs';
import path from 'node:path';
import { listeningUrl, ROOT, run, scratchDir, start } from './scratch';

jest.setTimeout(300_000);

describe('the production build, installed without devDependencies', () => {
  const scratch = scratchDir('production');
  afterAll(() => scratch.remove());

  beforeAll(() => {
    for (const built of ['dist/apps/api/main.js', 'dist/apps/train/main.js', 'dist/apps/train/predict.js']) {
      if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: the e2e tests run after npm run build (nx: dependsOn ^build)`);
    }
    cpSync(path.join(ROOT, 'dist/apps'), path.join(scratch.dir, 'dist/apps'), { recursive: true });
    for (const file of ['package.json', 'package-lock.json']) cpSync(path.join(ROOT, file), path.join(scratch.dir, file));
    cpSync(path.join(ROOT, 'data'), path.join(scratch.dir, 'data'), { recursive: true });
    const install = run('npm', ['ci', '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: scratch.dir });
    if (install.status !== 0) throw new Error(`npm ci --omit=dev failed:\n${install.output}`);
  });

  it('has no devDependency installed', () => {
    for (const dev of ['typescript', 'esbuild', 'jest', 'nx', '@swc/core']) expect(existsSync(path.join(scratch.dir, 'node_modules', dev))).toBe(false);
    expect(existsSync(path.join(scratch.dir, 'node_modules', 'express'))).toBe(true);
  });

  it('trains with node dist/apps/train/main.js, and serves the bundle with node dist/apps/api/main.js', async () => {
    const trained = run(process.execPath, ['dist/apps/train/main.js', '--models', 'lr,gbdt', '--resamples', '10', '--out', 'models'], { cwd: scratch.dir });
    expect(trained.status).toBe(0);
    expect(existsSync(path.join(scratch.dir, 'models/current/manifest.json'))).toBe(true);

    const api = start(process.execPath, ['dist/apps/api/main.js'], {
      cwd: scratch.dir,
      env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', MODEL_DIR: 'models/current', DRAIN_DELAY_MS: '0', LOG_LEVEL: 'warn' },
    });
    try {
      const url = await listeningUrl(api.stderr, api.exited);
      expect((await fetch(`${url}/health/ready`)).status).toBe(200);
      const answer = await fetch(`${url}/predict`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ customer_id: 5, time_spent: 12, pages_viewed: 6, basket_value: 80, device_type: 'Desktop', customer_type: 'Returning' }),
      });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ customer_id: 5, purchase_prediction: expect.any(Number), purchase_probability: expect.any(Number) });
    } finally {
      expect(await api.stop()).toBe(0);
    }
  });

  it('scores a CSV with node dist/apps/train/predict.js', () => {
    const scored = run(process.execPath, ['dist/apps/train/predict.js', '--model', 'models/current', '--input', 'data/raw/customer_sessions.csv', '--output', 'scored.csv'], { cwd: scratch.dir });
    expect(scored.output).toContain('predictions');
    expect(scored.status).toBe(0);
  });
});
