import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tempName } from '@purchase/core';
import { runTraining, type TrainOptions } from './training-run';

const root = path.join(__dirname, '../../..');
const sessions = path.join(root, 'data/raw/customer_sessions.csv');

let work: string;
let logs: string[];
let stderr: string[];
const options = (out: string, overrides: Partial<TrainOptions> = {}): TrainOptions => ({
  data: sessions,
  spec: path.join(root, 'data/specs/customer-sessions.json'),
  out,
  seed: 42,
  models: ['lr', 'gbdt'],
  select: 'f1',
  thresholdRule: 'f1',
  maxRejected: 0.05,
  resamples: 10,
  log: (line) => logs.push(line),
  ...overrides,
});

beforeEach(() => {
  logs = [];
  stderr = [];
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr.push(String(chunk));
    return true;
  });
});
afterEach(() => jest.restoreAllMocks());
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'train-run-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('runTraining prints what the training did', () => {
  it('the read report, the split, the comparison table, the selection, the bundle, the leftovers it removed and where the time went, in this order', async () => {
    const out = path.join(work, 'models');
    // What a training killed while publishing leaves: a hidden, half-written bundle of a dead process.
    const leftover = tempName(path.join(out, 'publish-20250101-000000-abcdef'), { pid: spawnSync(process.execPath, ['-e', '']).pid });
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'pipeline.json'), '{"half":');

    const result = await runTraining(options(out));
    const { bundle, selected, metrics } = result;
    expect(logs).toHaveLength(9);
    expect(logs[0]).toContain('kept      500');
    expect(logs[1]).toBe('split (seed 42, stratified 70/15/15): train 350, validation 75, test 75; 16 features');
    expect(logs[2]).toBe(
      'selection, thresholds and calibration: out of fold, stratified 5-fold cross-validation x 1 of train + validation (425 rows, the default below 5000); final models refitted on train + validation',
    );
    const rows = logs[3].split('\n');
    expect(rows[0]).toMatch(/^\| model +\| threshold \| oof F1 \| test F1 \| .* \| fit s \|$/);
    const starred = (name: string) => (name === selected ? `${name} *` : name);
    expect(rows.slice(2, -1).map((r) => r.split('|')[1].trim())).toEqual([starred('lr'), starred('gbdt'), 'always purchase']);
    expect(rows.at(-1)).toBe('(* selected)');
    const chosen = metrics.models[selected];
    expect(rows.find((r) => r.startsWith(`| ${selected} *`))).toContain(` ${chosen.threshold.toFixed(3)} |  ${chosen.validation.f1.toFixed(3)} |   ${chosen.test.f1.toFixed(3)} |`);
    // The baseline's F1 out of fold on 345 purchases of 425 train + validation sessions and on 61 of 75 test sessions: 2p / (1 + p) = 0.896, 0.897.
    expect(rows.at(-2)).toMatch(/^\| always purchase \| +- \| +0\.896 \| +0\.897 \| .* \| +0\.500 \| .* \| +- \|$/);
    // Each model's calibration (auto by default) and its effect on test.
    const lr = metrics.models.lr.calibration;
    expect(logs[4]).toMatch(/^calibration \(auto: lowest cross-fitted log loss on out-of-fold\): lr (none|platt|isotonic) \(test ECE .*\); gbdt /);
    expect(logs[4]).toContain(`lr ${lr.method} (test ECE ${lr.before.ece.toFixed(3)} → ${lr.after.ece.toFixed(3)}, log loss ${lr.before.logLoss.toFixed(3)} → ${lr.after.logLoss.toFixed(3)})`);
    expect(logs[5]).toBe(`selected: ${selected} by out-of-fold f1; on test it ${chosen.beatsBaselineOnTest.verdict}`);
    expect(logs[5]).toMatch(/ on test it (beats|does NOT beat) the always-purchase baseline on F1 \(0\.\d{3} vs 0\.897\); /);
    expect(logs.slice(6, 8)).toEqual([
      `bundle: ${bundle.dir} (version ${bundle.version}); ${path.join(out, 'current')} -> ${bundle.version}`,
      `removed 1 stale temporary file (8 B) left by interrupted runs: ${leftover}${path.sep}`,
    ]);
    // One line per timed step of the run, in order, then the total and the peak memory of the process.
    const timing = logs[8].split('\n');
    expect(timing.slice(2, -2).map((r) => r.split('|')[1].trim())).toEqual([
      ...result.timings.map((t) => `${t.step}${t.candidate ? ` ${t.candidate}` : ''}`),
      'other (spec, progress, printing)',
    ]);
    expect(timing.at(-2)).toMatch(/^\| total +\| +\d+\.\d\d \| +100% \|$/);
    expect(timing.at(-1)).toMatch(/^peak memory \(max RSS\): [1-9]\d* MB$/);
  }, 120_000);

  it('draws a progress bar per candidate on stderr, each ending with its fit time', async () => {
    await runTraining(options(path.join(work, 'models-bars')));
    // Off a terminal a bar prints a line at each tenth of its steps; the fit ends it with the time taken.
    const lines = stderr
      .join('')
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => l.replace(/val loss \d\.\d{4}$/, 'val loss L').replace(/fitted in \d+\.\d{2} s$/, 'fitted in T s'));
    expect(lines.slice(0, 3)).toEqual([
      'lr     [........................] 1/1000 iterations  val loss L',
      'lr     fitted in T s',
      'gbdt   [........................] 1/150 trees  val loss L',
    ]);
    expect(lines).toContain('gbdt   [#####...................] 30/150 trees  val loss L');
    expect(lines.at(-1)).toBe('gbdt   fitted in T s');
    // One bar per candidate, restarted for each fold of the cross-validation and for the refit on train + validation
    // (which has no held-out loss to show, and runs the folds' mean number of trees).
    expect(lines.every((l) => /^(lr|gbdt) +(\[[#.]{24}\] \d+\/(1000 iterations|\d+ trees)(  val loss L)?|fitted in T s)$/.test(l))).toBe(true);
    expect(lines.filter((l) => l === 'gbdt   [........................] 1/150 trees  val loss L')).toHaveLength(5);
  }, 120_000);

  it('names --max-rejected when it refuses the data, after printing the read report', async () => {
    const bad = path.join(work, 'bad-rows.csv');
    const lines = (await readFile(sessions, 'utf8')).trimEnd().split('\n');
    for (let i = 1; i <= 30; i++) lines[i] = lines[i].replace(/,(Mobile|Desktop|Tablet|),/, ',Smartwatch,');
    await writeFile(bad, lines.join('\n') + '\n');
    await expect(runTraining(options(path.join(work, 'models-rejected'), { data: bad }))).rejects.toThrow(
      new Error(`${bad}: 30 of 500 rows rejected, more than --max-rejected 0.05; fix the data or raise the limit`),
    );
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatch(/^ +rejected +30 /m);
  });
});
