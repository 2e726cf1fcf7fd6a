import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tempName } from '@purchase/core';
import { TRAIN_CLI } from './cli-options';
import { helpText } from '@purchase/cli';
import { PREDICT_CLI } from './predict-cli';

/** npm run predict as a user runs it: the entry point in a process of its own, interrupted by signals. */
const ROOT = path.resolve(__dirname, '../../..');
const SESSIONS = path.join(ROOT, 'data/raw/customer_sessions.csv');
jest.setTimeout(30_000);

let work: string;
let model: string;
let large: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'predict-cli-'));
  const args = ['tools/run-ts.mjs', 'apps/train/src/main.ts', '--out', path.join(work, 'models'), '--models', 'gbdt', '--resamples', '10'];
  const train = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8' });
  if (train.status !== 0) throw new Error(`training the test bundle failed:\n${train.stdout}\n${train.stderr}`);
  model = path.join(work, 'models', 'current');
  // 400,000 rows (~15 MB): long enough to be interrupted after the first batch.
  const [header, ...rows] = (await readFile(SESSIONS, 'utf8')).split('\n').filter((l) => l !== '');
  const bodies = rows.map((l) => l.slice(l.indexOf(',')));
  large = path.join(work, 'large.csv');
  await writeFile(large, [header, ...Array.from({ length: 400_000 }, (_, i) => `${i + 1}${bodies[i % bodies.length]}`)].join('\n') + '\n');
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

let out: string;
beforeEach(async () => {
  out = await mkdtemp(path.join(work, 'out-'));
});

function predict(input: string) {
  const child = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/train/src/predict.ts', '--model', model, '--input', input, '--output', path.join(out, 'scored.csv')], {
    cwd: ROOT,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stderr: () => stderr, exited };
}

describe('npm run predict (apps/train/src/predict.ts)', () => {
  it('removes the partial output a killed run left beside the output, and says so after the counts', async () => {
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const leftover = tempName(path.join(out, 'scored.csv'), { pid: dead });
    await writeFile(leftover, Buffer.alloc(91_200));
    const run = predict(SESSIONS);
    expect(await run.exited).toBe(0);
    const lines = run.stderr().trimEnd().split('\n');
    expect(lines.slice(-3)).toEqual([
      `predictions: ${path.join(out, 'scored.csv')}`,
      'no rows rejected',
      `removed 1 stale temporary file (91.2 kB) left by interrupted runs: ${leftover}`,
    ]);
    expect(await readdir(out)).toEqual(['scored.csv']);
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('on %s in the middle of a file removes its partial files and exits %i', async (signal, code) => {
    const run = predict(large);
    await new Promise<void>((resolve, reject) => {
      run.child.stderr.on('data', () => /^score +\[/m.test(run.stderr()) && resolve());
      run.exited.then(() => reject(new Error(`predict ended before it was interrupted:\n${run.stderr()}`)));
    });
    const temps = (await readdir(out)).sort();
    expect(temps).toEqual([expect.stringMatching(/^\.scored\.csv\.tmp-/), expect.stringMatching(/^\.scored\.errors\.csv\.tmp-/)]);
    run.child.kill(signal);
    expect(await run.exited).toBe(code);
    expect(run.stderr().trimEnd().split('\n').pop()).toMatch(
      new RegExp(
        `^predict: interrupted by ${signal}; removed 2 temporary files \\([0-9.]+ [kM]?B\\) this run was writing: ` +
          temps.map((t) => escape(path.join(out, t))).join(', ') +
          '$',
      ),
    );
    expect(await readdir(out)).toEqual([]);
  });
});

describe('the entry points (npm run train, npm run predict)', () => {
  it.each([
    ['apps/train/src/main.ts', TRAIN_CLI],
    ['apps/train/src/predict.ts', PREDICT_CLI],
  ])('%s exits with the code of the CLI: 0 for --help, 2 for an unknown option', (entry, cli) => {
    const run = (...argv: string[]) => spawnSync(process.execPath, ['tools/run-ts.mjs', entry, ...argv], { cwd: ROOT, encoding: 'utf8' });
    const help = run('--help');
    expect([help.status, help.stdout]).toEqual([0, `${helpText(cli)}\n`]);
    const unknown = run('--nope');
    expect([unknown.status, unknown.stderr]).toEqual([2, `${cli.name}: unknown option --nope; see ${cli.command} --help\n`]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
