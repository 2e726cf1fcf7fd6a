import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { verifyBundle } from '@purchase/inference';
import { GradientBoostedTrees, tempName } from '@purchase/models';
import { runTraining, type TrainOptions } from './training-run';

const root = path.join(__dirname, '../../..');
const sessions = path.join(root, 'data/raw/customer_sessions.csv');
const sessionSpec = path.join(root, 'data/specs/customer-sessions.json');

let work: string;
const logs: string[] = [];
const options = (out: string, overrides: Partial<TrainOptions> = {}): TrainOptions => ({
  data: sessions,
  spec: sessionSpec,
  out,
  seed: 42,
  models: ['lr', 'mlp', 'gbdt', 'rf'],
  select: 'f1',
  thresholdRule: 'f1',
  maxRejected: 0.05,
  resamples: 200,
  log: (line) => logs.push(line),
  ...overrides,
});

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'train-run-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('runTraining on the bundled sessions', () => {
  const out = () => path.join(work, 'models');
  let first: Awaited<ReturnType<typeof runTraining>>;
  let leftover: string;

  beforeAll(async () => {
    // What a training killed while publishing leaves: a hidden, half-written bundle of a dead process.
    leftover = tempName(path.join(out(), 'publish-20250101-000000-abcdef'), { pid: spawnSync(process.execPath, ['-e', '']).pid });
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'pipeline.json'), '{"half":');
    first = await runTraining(options(out()));
  }, 300_000);

  it('removes what an interrupted run left in the models directory, and says so after the bundle line', () => {
    expect(first.bundle.removedTemps).toEqual([{ path: leftover, bytes: 8, directory: true }]);
    expect(logs.slice(-2)).toEqual([
      `bundle: ${first.bundle.dir} (version ${first.bundle.version}); ${path.join(out(), 'current')} -> ${first.bundle.version}`,
      `removed 1 stale temporary file (8 B) left by interrupted runs: ${leftover}${path.sep}`,
    ]);
  });

  it('prints the comparison table with every model and the always-purchase baseline row', () => {
    const rows = first.comparison.split('\n');
    for (const name of ['lr', 'mlp', 'gbdt', 'rf', 'always purchase']) {
      expect(rows.some((r) => r.startsWith(`| ${name} `))).toBe(true);
    }
    expect(rows.filter((r) => r.includes(' * '))).toHaveLength(1);
    expect(logs.join('\n')).toContain('kept      500');
  });

  it('selects the model with the best validation F1 and says whether it beats the baseline', () => {
    const f1 = Object.entries(first.metrics.models).map(([name, m]) => [name, m.validation.f1] as const);
    const best = Math.max(...f1.map(([, v]) => v));
    expect(first.metrics.models[first.selected].validation.f1).toBe(best);
    const baselineF1 = first.metrics.baseline.test.f1;
    // p = 61/75 on the test split: always predicting purchase scores F1 = 2p / (1 + p).
    expect(baselineF1).toBeCloseTo((2 * 61) / 75 / (1 + 61 / 75), 12);
    expect(logs.some((l) => l.startsWith(`selected: ${first.selected} by validation f1; on test it `))).toBe(true);
  });

  it('publishes a complete bundle whose manifest hashes verify, and points current at it', async () => {
    const dir = first.bundle.dir;
    await expect(verifyBundle(dir)).resolves.toBeDefined();
    expect(await readlink(path.join(out(), 'current'))).toBe(first.bundle.version);
    const manifest = JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe(42);
    expect(manifest.model.candidate).toBe(first.selected);
    expect(Object.keys(manifest.files)).toEqual(
      expect.arrayContaining(['pipeline.json', 'metrics.json', 'report.md', 'report.html']),
    );
    for (const name of ['lr', 'mlp', 'gbdt', 'rf']) {
      expect(Object.keys(manifest.files).some((f) => f.startsWith(`candidates/${name}/`))).toBe(true);
    }
  });

  it('writes reports that show every model and the baseline', async () => {
    const md = await readFile(path.join(first.bundle.dir, 'report.md'), 'utf8');
    const html = await readFile(path.join(first.bundle.dir, 'report.html'), 'utf8');
    for (const text of [md, html]) {
      for (const name of ['lr', 'mlp', 'gbdt', 'rf', 'always purchase']) expect(text).toContain(name);
    }
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('leaves current on the previous bundle when a run fails half-way through writing its bundle', async () => {
    const save = jest.spyOn(GradientBoostedTrees.prototype, 'save').mockRejectedValueOnce(new Error('disk full'));
    try {
      await expect(runTraining(options(out(), { models: ['lr', 'gbdt'] }))).rejects.toThrow('disk full');
    } finally {
      save.mockRestore();
    }
    expect(await readlink(path.join(out(), 'current'))).toBe(first.bundle.version);
    expect((await readdir(out())).sort()).toEqual(['current', first.bundle.version].sort());
  }, 60_000);
});

describe('runTraining refuses unusable data and writes nothing', () => {
  it('fails on a file that lacks a required column', async () => {
    const bad = path.join(work, 'no-basket.csv');
    const text = await readFile(sessions, 'utf8');
    await writeFile(bad, text.split('\n').map((l) => l.split(',').filter((_, i) => i !== 3).join(',')).join('\n'));
    const out = path.join(work, 'models-bad');
    await expect(runTraining(options(out, { data: bad }))).rejects.toThrow(/basket_value/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('fails when more rows are rejected than --max-rejected allows, naming the counts', async () => {
    const bad = path.join(work, 'bad-rows.csv');
    const lines = (await readFile(sessions, 'utf8')).trimEnd().split('\n');
    for (let i = 1; i <= 30; i++) lines[i] = lines[i].replace(/,(Mobile|Desktop|Tablet|),/, ',Smartwatch,');
    await writeFile(bad, lines.join('\n') + '\n');
    const out = path.join(work, 'models-rejected');
    await expect(runTraining(options(out, { data: bad }))).rejects.toThrow(
      `${bad}: 30 of 500 rows rejected, more than --max-rejected 0.05; fix the data or raise the limit`,
    );
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('runTraining on the real UCI Online Shoppers data', () => {
  it('boosted trees reach test ROC AUC >= 0.92 and beat the tfjs logistic regression (seed 42)', async () => {
    const result = await runTraining(
      options(path.join(work, 'models-uci'), {
        data: path.join(root, 'data/external/online_shoppers_intention.csv'),
        spec: path.join(root, 'data/specs/online-shoppers.json'),
        models: ['lr', 'gbdt'],
      }),
    );
    const { lr, gbdt } = result.metrics.models;
    expect(gbdt.test.rocAuc).toBeGreaterThanOrEqual(0.92);
    expect(gbdt.test.rocAuc).toBeGreaterThan(lr.test.rocAuc);
    expect(result.metrics.models[result.selected].beatsBaselineOnTest.beatsOnF1).toBe(true);
  }, 300_000);
});
