import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { ensureModel } from './ensure-model';

/**
 * ensureModel runs `node tools/run-ts.mjs apps/train/src/main.ts` in the workspace root. Here the
 * root is a scratch directory whose tools/run-ts.mjs stands in for training (the real one is run
 * by jest.global-setup.ts for every test run), so that each outcome can be produced.
 */
let root: string;
let logs: { msg: string; level: number }[];
let logger: pino.Logger;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ensure-model-'));
  logs = [];
  logger = pino({ level: 'info' }, { write: (line: string) => logs.push(JSON.parse(line)) });
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function workspace(trainer: string | undefined): Promise<void> {
  await mkdir(path.join(root, 'tools'), { recursive: true });
  if (trainer !== undefined) {
    await mkdir(path.join(root, 'apps/train/src'), { recursive: true });
    await writeFile(path.join(root, 'apps/train/src/main.ts'), '');
    await writeFile(path.join(root, 'tools/run-ts.mjs'), trainer);
  }
}

const TRAINS = `import { mkdirSync, writeFileSync } from 'node:fs';
if (process.argv[2] !== 'apps/train/src/main.ts') process.exit(3);
mkdirSync('models/v1', { recursive: true });
writeFileSync('models/v1/manifest.json', '{}');
mkdirSync('models', { recursive: true });
(await import('node:fs')).symlinkSync('v1', 'models/current');`;

describe('ensureModel', () => {
  it('does nothing when the bundle is there', async () => {
    await workspace(undefined);
    await mkdir(path.join(root, 'models/current'), { recursive: true });
    await expect(ensureModel('models/current', logger, root)).resolves.toBe(true);
    expect(logs).toEqual([]);
  });

  it('trains the default model with the training app when models/current is missing', async () => {
    await workspace(TRAINS);
    await expect(ensureModel('models/current', logger, root)).resolves.toBe(true);
    expect(existsSync(path.join(root, 'models/current/manifest.json'))).toBe(true);
    expect(logs.map((l) => l.msg)).toEqual(['no model bundle yet: training the default model first (npm run train)']);
  });

  it('says so and goes on without a model when training fails', async () => {
    await workspace('process.exit(1);');
    await expect(ensureModel('models/current', logger, root)).resolves.toBe(false);
    expect(logs.at(-1)).toMatchObject({ level: 50, msg: 'training the default model failed; serving 503 until a bundle is there', exit_code: 1 });
  });

  it('does not train without the training app', async () => {
    await workspace(undefined);
    await expect(ensureModel('models/current', logger, root)).resolves.toBe(false);
    expect(logs[0].msg).toBe(
      'no model bundle at models/current and the training app is missing; train one with "npm run train", then SIGHUP or POST /admin/reload',
    );
  });

  it('does not train for a MODEL_DIR of its own', async () => {
    await workspace(TRAINS);
    await expect(ensureModel('/srv/models/current', logger, root)).resolves.toBe(false);
    expect(existsSync(path.join(root, 'models'))).toBe(false);
    expect(logs[0]).toMatchObject({ level: 40, msg: 'no model bundle at MODEL_DIR; serving 503 until one is there, then SIGHUP or POST /admin/reload' });
  });
});
