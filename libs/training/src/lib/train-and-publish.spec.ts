import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { sha256File, tempName } from '@purchase/core';
import { verifyBundle } from '@purchase/inference';
import { GradientBoostedTrees } from '@purchase/models';
import { loadSpec } from '@purchase/preprocessing';
import { TooManyRejectedError } from './too-many-rejected-error';
import { trainAndPublish, type TrainingOptions } from './train-and-publish';
import type { TrainingEvent } from './training-events';
import { ROOT, SESSIONS_CSV, sessionsTraining } from '../test-fixtures/sessions-training';

const root = ROOT;
const sessions = SESSIONS_CSV;

let work: string;
const options = sessionsTraining;

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'train-and-publish-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('trainAndPublish on the bundled sessions (seed 42)', () => {
  const out = () => path.join(work, 'models');
  const events: TrainingEvent[] = [];
  const steps: TrainingEvent[] = [];
  let first: Awaited<ReturnType<typeof trainAndPublish>>;
  let leftover: string;

  beforeAll(async () => {
    // What a training killed while publishing leaves: a hidden, half-written bundle of a dead process.
    leftover = tempName(path.join(out(), 'publish-20250101-000000-abcdef'), { pid: spawnSync(process.execPath, ['-e', '']).pid });
    await mkdir(leftover, { recursive: true });
    await writeFile(path.join(leftover, 'pipeline.json'), '{"half":');
    first = await trainAndPublish(options(out(), { onEvent: (e) => (e.kind === 'step' ? steps : events).push(e) }));
  }, 300_000);

  it('reports the read, the split, then each candidate fitting, in training order', () => {
    const kinds = events.map((e) => (e.kind === 'fit' || e.kind === 'fitted' ? `${e.kind} ${e.candidate}` : e.kind));
    const compact = kinds.filter((k, i) => k !== kinds[i - 1]);
    expect(compact).toEqual(['read', 'split', 'selection', 'fit lr', 'fitted lr', 'fit mlp', 'fitted mlp', 'fit gbdt', 'fitted gbdt', 'fit rf', 'fitted rf']);
    const read = events[0] as Extract<TrainingEvent, { kind: 'read' }>;
    expect(read.read.records).toHaveLength(500);
    expect(read.imputer).toBeDefined();
    // 500 rows, stratified 70/15/15; the spec's inputs and engineered columns encode to 16 features.
    expect(events[1]).toEqual({ kind: 'split', seed: 42, rows: { train: 350, validation: 75, test: 75 }, features: 16 });
  });

  it('reports the wall time of every step as it ends, and returns them all', () => {
    const names = ['lr', 'mlp', 'gbdt', 'rf'];
    expect(steps.map((e) => (e.kind === 'step' ? [e.step, e.candidate].filter(Boolean).join(' ') : e.kind))).toEqual([
      'read',
      'split',
      'pipeline',
      ...names.flatMap((n) => [`fit ${n}`, `score ${n}`]),
      ...names.flatMap((n) => [`evaluation ${n}`, `importance ${n}`]),
      'report',
      'publish',
    ]);
    expect(steps).toEqual(first.timings.map((t) => ({ kind: 'step', ...t })));
    for (const t of first.timings) expect(t.seconds).toBeGreaterThanOrEqual(0);
    // The step of a fit is the fit the 'fitted' event reports.
    const fitted = events.filter((e): e is Extract<TrainingEvent, { kind: 'fitted' }> => e.kind === 'fitted');
    for (const f of fitted) expect(first.timings.find((t) => t.step === 'fit' && t.candidate === f.candidate)!.seconds).toBeCloseTo(f.fitSeconds, 1);
  });

  it('resamples and permutes the whole of splits this small, and says so in the report', async () => {
    const md = await readFile(path.join(first.bundle.dir, 'report.md'), 'utf8');
    for (const m of Object.values(first.metrics.models)) expect(m.intervals!.sample).toBeUndefined();
    expect(md).toContain('Stratified bootstrap (resampling within each class), percentile intervals.');
    // Refitted on train + validation after cross-validation, the models are measured on test.
    expect(md).toContain('Drop in ROC AUC on the test split when one input column is shuffled');
  });

  it('removes what an interrupted run left in the models directory and returns it', () => {
    expect(first.bundle.removedTemps).toEqual([{ path: leftover, bytes: 8, directory: true }]);
  });

  it('selects the best out-of-fold F1 (5-fold CV by default below 5,000 rows), which ranks and scores better than the always-purchase baseline on test', () => {
    const f1 = Object.entries(first.metrics.models).map(([name, m]) => [name, m.validation.f1] as const);
    expect(f1.map(([name]) => name)).toEqual(['lr', 'mlp', 'gbdt', 'rf']);
    const best = f1.find(([, v]) => v === Math.max(...f1.map(([, x]) => x)))![0];
    expect(first.selected).toBe(best);
    expect(first.metrics.selection).toMatchObject({
      metric: 'f1',
      chosenOn: 'out-of-fold',
      crossValidation: { folds: 5, repeats: 1, rows: 425, byDefault: true },
      selected: best,
    });
    expect(first.metrics.selection.ranking.map((r) => r.name)[0]).toBe(best);
    // p = 61/75 on the test split: always predicting purchase scores F1 = 2p / (1 + p), ROC AUC 0.5.
    const baseline = first.metrics.baseline.test;
    expect(baseline.f1).toBeCloseTo((2 * 61) / 75 / (1 + 61 / 75), 12);
    expect(baseline.rocAuc).toBe(0.5);
    const chosen = first.metrics.models[first.selected];
    // Ranks better than chance with 95% confidence: on 75 test sessions the point estimate alone varies a lot.
    expect(chosen.intervals!.rocAuc.lower).toBeGreaterThan(0.5);
    expect(chosen.test.rocAuc).toBeGreaterThan(chosen.intervals!.rocAuc.lower);
    expect(chosen.test.logLoss).toBeLessThan(baseline.logLoss);
    expect(chosen.beatsBaselineOnTest).toMatchObject({ beatsOnRocAuc: true, beatsOnLogLoss: true });
    for (const m of Object.values(first.metrics.models)) {
      expect(m.intervals).toMatchObject({ split: 'test', level: 0.95, resamples: 200, seed: 42, threshold: m.threshold });
      expect(m.intervals!.f1.lower).toBeLessThan(m.intervals!.f1.upper);
    }
  });

  it('publishes a bundle that verifies, serves the selected model at its threshold, and points current at it', async () => {
    expect(first.bundle.dir).toBe(path.join(out(), first.bundle.version));
    const manifest = await verifyBundle(first.bundle.dir);
    expect(manifest.version).toBe(first.bundle.version);
    expect(manifest.version).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
    expect(await readlink(path.join(out(), 'current'))).toBe(first.bundle.version);
    expect(manifest.seed).toBe(42);
    expect(manifest.data).toEqual({ file: 'customer_sessions.csv', sha256: await sha256File(sessions), rows: 500 });
    const chosen = first.metrics.models[first.selected];
    expect(manifest.model).toMatchObject({ kind: chosen.kind, candidate: first.selected, threshold: chosen.threshold, thresholdRule: 'f1-optimal on out-of-fold' });
    expect(manifest.model.metrics).toEqual({
      roc_auc: chosen.test.rocAuc,
      pr_auc: chosen.test.prAuc,
      f1: chosen.test.f1,
      accuracy: chosen.test.accuracy,
      log_loss: chosen.test.logLoss,
    });
    const files = Object.keys(manifest.files);
    expect(files).toEqual(expect.arrayContaining(['pipeline.json', 'metrics.json', 'report.md', 'report.html']));
    for (const name of ['lr', 'mlp', 'gbdt', 'rf']) expect(files.some((f) => f.startsWith(`candidates/${name}/`))).toBe(true);
    // model/ is a byte copy of the selected candidate.
    const served = files.filter((f) => f.startsWith('model/'));
    expect(served.length).toBeGreaterThan(0);
    for (const f of served) expect(manifest.files[f]).toBe(manifest.files[`candidates/${first.selected}/${f.slice('model/'.length)}`]);
    expect(JSON.parse(await readFile(path.join(first.bundle.dir, 'metrics.json'), 'utf8'))).toEqual(JSON.parse(JSON.stringify(first.metrics)));
  });

  it('writes reports that show every model, the baseline, the selection and the model card', async () => {
    const md = await readFile(path.join(first.bundle.dir, 'report.md'), 'utf8');
    const html = await readFile(path.join(first.bundle.dir, 'report.html'), 'utf8');
    for (const text of [md, html]) {
      for (const name of ['lr', 'mlp', 'gbdt', 'rf', 'always purchase']) expect(text).toContain(name);
      expect(text).toContain('Purchase prediction: ');
      expect(text).toContain(`Selected model: ${first.selected}`);
      // publishBundle named the version after the report was written: the report gives the time of the run.
      expect(text).toContain(`Created ${first.bundle.manifest.createdAt}.`);
      expect(text).toContain('rows kept of 500');
      expect(text).toContain('Split 70/15/15 stratified, seed 42.');
    }
    expect(html.match(/<svg/g)?.length).toBeGreaterThanOrEqual(3);
  });

  it('bootstraps m out of n and permutes a stratified sample above the given row counts, and the report names both', async () => {
    const sampled = await trainAndPublish(
      options(path.join(work, 'models-sampled'), { models: ['lr'], resamples: 50, bootstrapRows: 40, importanceRows: 30, cvFolds: 0 }),
    );
    const m = sampled.metrics.models.lr;
    expect(m.intervals!.sample).toEqual({ rows: 40, of: 75 });
    expect(m.intervals!.rocAuc.estimate).toBe(m.test.rocAuc);
    const md = await readFile(path.join(sampled.bundle.dir, 'report.md'), 'utf8');
    expect(md).toContain('50 resamples of 40 of 75 rows, seed 42');
    expect(md).toContain('m out of n: each resample draws m rows of a stratified sample of m rows');
    // 30 of 75 validation rows, per class: round(61 * 0.4) + round(14 * 0.4) = 24 + 6.
    expect(md).toContain('Drop in ROC AUC on a stratified sample of 30 of its 75 rows of the validation split when one input column is shuffled');
  }, 60_000);

  it('publishes under the version it is given, and the report names it', async () => {
    const models = path.join(work, 'models-named');
    const named = await trainAndPublish(options(models, { models: ['lr'], resamples: 10, version: 'v-named' }));
    expect(named.bundle).toMatchObject({ version: 'v-named', dir: path.join(models, 'v-named') });
    expect(await readFile(path.join(named.bundle.dir, 'report.md'), 'utf8')).toContain(`Created ${named.bundle.manifest.createdAt}, bundle version v-named.`);
    await expect(trainAndPublish(options(models, { models: ['lr'], resamples: 10, version: 'v-named' }))).rejects.toThrow(
      `bundle version v-named already exists in ${models}`,
    );
  }, 60_000);

  it('leaves current on the previous bundle when a run fails half-way through writing its bundle', async () => {
    const save = jest.spyOn(GradientBoostedTrees.prototype, 'save').mockRejectedValueOnce(new Error('disk full'));
    try {
      await expect(trainAndPublish(options(out(), { models: ['lr', 'gbdt'] }))).rejects.toThrow('disk full');
    } finally {
      save.mockRestore();
    }
    expect(await readlink(path.join(out(), 'current'))).toBe(first.bundle.version);
    expect((await readdir(out())).sort()).toEqual(['current', 'history.json', first.bundle.version].sort());
  }, 60_000);
});

describe('trainAndPublish refuses unusable input and writes nothing', () => {
  it('fails on a file that lacks a required column', async () => {
    const bad = path.join(work, 'no-basket.csv');
    const text = await readFile(sessions, 'utf8');
    await writeFile(bad, text.split('\n').map((l) => l.split(',').filter((_, i) => i !== 3).join(',')).join('\n'));
    const out = path.join(work, 'models-bad');
    await expect(trainAndPublish(options(out, { data: bad }))).rejects.toThrow(/basket_value/);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('fails when more rows are rejected than maxRejected allows, with the counts, after reporting the read', async () => {
    const bad = path.join(work, 'bad-rows.csv');
    const lines = (await readFile(sessions, 'utf8')).trimEnd().split('\n');
    for (let i = 1; i <= 30; i++) lines[i] = lines[i].replace(/,(Mobile|Desktop|Tablet|),/, ',Smartwatch,');
    await writeFile(bad, lines.join('\n') + '\n');
    const out = path.join(work, 'models-rejected');
    const events: TrainingEvent[] = [];
    const refused = trainAndPublish(options(out, { data: bad, onEvent: (e) => e.kind === 'step' || events.push(e) }));
    await expect(refused).rejects.toThrow(new TooManyRejectedError(bad, 30, 500, 0.05));
    await expect(refused).rejects.toMatchObject({
      message: `${bad}: 30 of 500 rows rejected, more than the allowed share 0.05; fix the data or raise maxRejected`,
      file: bad,
      rejected: 30,
      total: 500,
      maxRejected: 0.05,
    });
    expect(events.map((e) => e.kind)).toEqual(['read']);
    expect(events[0]).toMatchObject({ kind: 'read', read: { report: { kept: 470, rejected: 30 } } });
    expect((events[0] as Extract<TrainingEvent, { kind: 'read' }>).imputer).toBeUndefined();
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it.each([
    [{ models: [] }, 'models must list some of lr, mlp, gbdt, rf; unknown: ""'],
    [{ models: ['lr', 'xgb'] }, 'models must list some of lr, mlp, gbdt, rf; unknown: "xgb"'],
    [{ models: ['lr', 'lr'] }, 'models lists a model twice: lr, lr'],
    [{ maxRejected: 5 }, 'maxRejected is a share of rows between 0 and 1, got 5'],
    [{ bootstrapRows: 1 }, 'bootstrapRows must be an integer >= 2, got 1'],
    [{ importanceRows: 2.5 }, 'importanceRows must be an integer >= 2, got 2.5'],
    [{ cvFolds: 1 }, 'cvFolds must be an integer >= 2, got 1'],
    [{ cvRepeats: 0 }, 'cvRepeats must be an integer >= 1, got 0'],
  ])('refuses %j before reading anything: "%s"', async (overrides, message) => {
    const out = path.join(work, 'models-options');
    await expect(trainAndPublish(options(out, overrides as Partial<TrainingOptions>))).rejects.toThrow(message);
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });
});

describe('trainAndPublish on a schema of its own: the loyalty-visits fixture, changing no code', () => {
  // tools/fixtures/loyalty-visits: `;`-separated with CRLF and a BOM, string ids, a category value holding a line break.
  const fixture = path.join(root, 'tools/fixtures/loyalty-visits');
  const visits = path.join(fixture, 'visits.csv');
  const spec = path.join(fixture, 'spec.json');
  const events: TrainingEvent[] = [];
  let result: Awaited<ReturnType<typeof trainAndPublish>>;
  let text: string;
  /** The physical line (header = 1) on which the record of `id` starts, counted in the raw text. */
  const lineOf = (id: string): number => text.slice(0, text.indexOf(`"${id}";`)).split('\n').length;

  beforeAll(async () => {
    text = await readFile(visits, 'utf8');
    result = await trainAndPublish(
      options(path.join(work, 'models-loyalty'), { data: visits, spec, models: ['lr', 'gbdt'], resamples: 50, onEvent: (e) => e.kind === 'step' || events.push(e) }),
    );
  }, 60_000);

  it('reads 600 records, not the lines they span, and rejects the two bad ones by the line they start on', () => {
    // The header and 600 records end in CRLF, on 693 lines: 92 line breaks are inside quoted fields (bare LFs, "Click &\ncollect" and notes).
    expect(text.match(/\r\n/g)).toHaveLength(601);
    expect(text.match(/\n/g)).toHaveLength(693);
    const read = (events[0] as Extract<TrainingEvent, { kind: 'read' }>).read;
    expect(read.report).toMatchObject({ spec: 'loyalty-visits', dataLines: 600, kept: 598, rejected: 2, blankLines: [], ignoredColumns: ['till_note'] });
    expect([lineOf('V-000100'), lineOf('V-000400')]).toEqual([114, 462]);
    expect(read.rejected.map(({ line, id, column, reason }) => ({ line, id, column, reason }))).toEqual([
      { line: 114, id: 'V-000100', column: 'aisles_visited', reason: 'aisles_visited: is missing and its missing-value rule is "reject"' },
      { line: 462, id: 'V-000400', column: 'purchased', reason: 'purchased: target must be "yes" (positive) or "no" (negative), got "maybe"' },
    ]);
    expect(read.ids.slice(0, 2)).toEqual(['V-000001', 'V-000002']);
    // Empty and "NA" cells of the imputed columns were read as missing, not rejected.
    for (const column of ['is_member', 'has_coupon', 'store_format', 'referral', 'visit_minutes', 'items_scanned', 'points_balance', 'distance_km']) {
      expect(read.report.missingByColumn[column]).toBeGreaterThan(0);
    }
    expect(read.report.missingByColumn).toMatchObject({ day_part: 0, aisles_visited: 0 });
    // 418/90/90; inputs 2 booleans + 3 categories (4 + 4 + 3 values, each with Unknown) + 5 numbers, and items_per_minute.
    expect(events[1]).toEqual({ kind: 'split', seed: 42, rows: { train: 418, validation: 90, test: 90 }, features: 22 });
  });

  it('publishes a bundle whose spec keeps the semicolon dialect and the categories as written', async () => {
    const manifest = await verifyBundle(result.bundle.dir);
    expect(manifest.spec.csv).toEqual({ delimiter: ';', quote: '"' });
    expect(manifest.spec).toEqual(await loadSpec(spec));
    expect(manifest.data).toEqual({ file: 'visits.csv', sha256: await sha256File(visits), rows: 598 });
  });

  it('selects a model that ranks well above chance and beats the always-purchase baseline on test', () => {
    const chosen = result.metrics.models[result.selected];
    const baseline = result.metrics.baseline.test;
    // 35 of the 90 test visits are purchases: always predicting purchase scores F1 = 2p / (1 + p), ROC AUC 0.5.
    expect(baseline.f1).toBeCloseTo((2 * 35) / 90 / (1 + 35 / 90), 12);
    expect(baseline.rocAuc).toBe(0.5);
    // Measured with seed 42: lr selected, test ROC AUC 0.862 (0.82 to 0.91 over seeds 1, 2, 3, 7).
    expect(chosen.test.rocAuc).toBeGreaterThan(0.78);
    expect(chosen.intervals!.rocAuc.lower).toBeGreaterThan(0.5);
    expect(chosen.beatsBaselineOnTest).toMatchObject({ beatsOnF1: true, beatsOnRocAuc: true, beatsOnLogLoss: true });
  });

  it('writes a report that names the dataset, its spec and its target', async () => {
    const md = await readFile(path.join(result.bundle.dir, 'report.md'), 'utf8');
    const html = await readFile(path.join(result.bundle.dir, 'report.html'), 'utf8');
    for (const report of [md, html]) {
      expect(report).toContain('Purchase prediction: loyalty-visits');
      expect(report).toContain('visits.csv');
      expect(report).toContain('rows kept of 600');
    }
    expect(md).toContain('Dataset spec "loyalty-visits"; target: purchased, positive "yes" (a purchase), negative "no".');
  });
});

describe('trainAndPublish on the real UCI Online Shoppers data', () => {
  it('boosted trees reach test ROC AUC >= 0.92 and beat the tfjs logistic regression (seed 42)', async () => {
    const result = await trainAndPublish(
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
