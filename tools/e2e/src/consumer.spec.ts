/**
 * A team importing the libraries from outside the workspace: the built libraries packed with
 * `npm pack`, installed into a scratch project of its own (plain package.json, no path aliases,
 * no TypeScript configuration of ours), and used from plain Node to read a CSV with a spec, fit
 * the pipeline, train boosted trees, publish a bundle, load it and predict.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, run, scratchDir } from './scratch';

jest.setTimeout(300_000);

const LIBS = ['core', 'preprocessing', 'features', 'models', 'evaluation', 'inference'];

describe('the libraries, packed and installed outside the workspace', () => {
  const scratch = scratchDir('consumer');
  afterAll(() => scratch.remove());
  const packs = path.join(scratch.dir, 'packs');

  beforeAll(() => {
    mkdirSync(packs);
    for (const lib of LIBS) {
      const packed = run('npm', ['pack', path.join(ROOT, 'dist/libs', lib), '--pack-destination', packs, '--silent'], { cwd: scratch.dir });
      if (packed.status !== 0) throw new Error(`npm pack of ${lib} failed (run npm run build first):\n${packed.output}`);
    }
    const tarball = (lib: string) => `file:packs/${readdirSync(packs).find((f) => f.startsWith(`purchase-${lib}-`))}`;
    const manifest = {
      name: 'retailer-scoring',
      version: '1.0.0',
      private: true,
      dependencies: Object.fromEntries(['core', 'preprocessing', 'features', 'models', 'inference'].map((lib) => [`@purchase/${lib}`, tarball(lib)])),
      // The packages' own @purchase/* dependencies come from the same tarballs (see the README).
      overrides: Object.fromEntries(LIBS.map((lib) => [`@purchase/${lib}`, tarball(lib)])),
    };
    writeFileSync(path.join(scratch.dir, 'package.json'), JSON.stringify(manifest, null, 2));
    cpSync(path.join(ROOT, 'tools/e2e/consumer/train-and-predict.cjs'), path.join(scratch.dir, 'train-and-predict.cjs'));
    const install = run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: scratch.dir });
    if (install.status !== 0) throw new Error(`npm install of the packed libraries failed:\n${install.output}`);
  });

  it('each package carries its JavaScript, its types and a package.json with its real dependencies', () => {
    const installed = (lib: string) => path.join(scratch.dir, 'node_modules/@purchase', lib);
    for (const lib of ['preprocessing', 'features', 'models', 'inference']) {
      expect(existsSync(path.join(installed(lib), 'index.js'))).toBe(true);
      expect(existsSync(path.join(installed(lib), 'index.d.ts'))).toBe(true);
      expect(existsSync(path.join(installed(lib), 'src'))).toBe(false);
    }
    const models = JSON.parse(readFileSync(path.join(installed('models'), 'package.json'), 'utf8'));
    expect(models).toMatchObject({ name: '@purchase/models', main: './index.js', types: './index.d.ts' });
    expect(Object.keys(models.dependencies).sort()).toEqual(['@purchase/core', '@tensorflow/tfjs', '@tensorflow/tfjs-backend-wasm']);
    const inference = JSON.parse(readFileSync(path.join(installed('inference'), 'package.json'), 'utf8'));
    expect(Object.keys(inference.dependencies).sort()).toEqual(['@purchase/core', '@purchase/features', '@purchase/models', '@purchase/preprocessing']);
  });

  it('reads a CSV with a spec, fits, trains boosted trees, publishes, loads and predicts', () => {
    const ran = run(process.execPath, ['train-and-predict.cjs', path.join(ROOT, 'data/raw/customer_sessions.csv'), path.join(ROOT, 'data/specs/customer-sessions.json'), 'models'], {
      cwd: scratch.dir,
    });
    if (ran.status !== 0) throw new Error(ran.output);
    const result = JSON.parse(ran.stdout.trim().split('\n').at(-1) as string) as { rows: number; predictions: { purchase_probability: number }[]; version: string };
    expect(result.rows).toBeGreaterThan(400);
    expect(result.predictions).toHaveLength(5);
    for (const p of result.predictions) expect(p.purchase_probability).toBeGreaterThanOrEqual(0);
    expect(existsSync(path.join(scratch.dir, 'models', result.version, 'manifest.json'))).toBe(true);
  });
});
