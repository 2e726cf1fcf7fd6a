import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { GradientBoostedTrees } from '@purchase/models';
import type { RawRecord } from '@purchase/preprocessing';
import { publishSessionsBundle, readSessions, type SessionsBundle } from '../test-fixtures/sessions-bundle';
import { BundleError } from './bundle-format';
import { decide } from './decide';
import { publishBundle } from './publish-bundle';
import { InvalidRecordError, PurchasePredictor } from './purchase-predictor';

let root: string;
let trees: SessionsBundle;
let linear: SessionsBundle;
let predictor: PurchasePredictor;

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'predictor-spec-'));
  linear = await publishSessionsBundle(path.join(root, 'linear'), { version: 'lr-1', select: 'lr', threshold: 0.35 });
  trees = await publishSessionsBundle(path.join(root, 'trees'), { version: 'gbdt-1', select: 'gbdt', threshold: 0.5 });
  predictor = await PurchasePredictor.load(path.join(root, 'trees', 'current'));
});
afterAll(async () => {
  predictor?.dispose();
  await rm(root, { recursive: true, force: true });
});

describe('PurchasePredictor', () => {
  it('describes the bundle it serves', () => {
    expect(predictor.info).toEqual({
      version: 'gbdt-1',
      model_type: 'gbdt',
      candidate: 'gbdt',
      features: ['time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type'],
      encoded_features: [...trees.pipeline.columnNames],
      threshold: 0.5,
      threshold_rule: 'fixed for tests',
      calibration: 'none',
      created_at: trees.published.manifest.createdAt,
      metrics: { roc_auc: 0.75 },
      dataset: { spec: 'customer-sessions', file: 'customer_sessions.csv', rows: trees.records.length, target: 'purchase', positive: '1' },
    });
    expect(predictor.info.encoded_features).toContain('engagement_score');
  });

  it.each([
    ['gradient-boosted trees', () => trees, () => predictor],
    ['tfjs logistic regression', () => linear, () => undefined],
  ])('gives the probabilities of the fitted pipeline and model computed directly (%s)', async (_name, fixture, loaded) => {
    const { records, pipeline, selected, published } = fixture();
    const p = loaded() ?? (await PurchasePredictor.load(published.dir));
    const direct = selected.predictProba(pipeline.transform(records));
    const threshold = published.manifest.model.threshold;
    const predictions = p.predictMany(records);
    expect(predictions).toHaveLength(records.length);
    expect(Float32Array.from(predictions, (x) => x.purchase_probability)).toEqual(direct);
    expect(predictions).toEqual(Array.from(direct, (x) => decide(x, threshold)));
    // The data has both labels at this threshold, so the label is not constant by accident.
    expect(new Set(predictions.map((x) => x.purchase_prediction))).toEqual(new Set([0, 1]));
    if (p !== predictor) p.dispose();
  });

  it('predictOne of a record equals its row in predictMany', () => {
    const { records } = trees;
    const batch = predictor.predictMany(records);
    for (let i = 0; i < records.length; i++) expect(predictor.predictOne(records[i])).toEqual(batch[i]);
  });

  it('scores batches larger than its matrix buffer the same as small ones', () => {
    const many = Array.from({ length: 9000 }, (_, i) => trees.records[(i * 7) % trees.records.length]);
    const expected = trees.selected.predictProba(trees.pipeline.transform(many));
    const got = predictor.predictMany(many);
    expect(Float32Array.from(got, (x) => x.purchase_probability)).toEqual(expected);
    expect(predictor.predictMany([])).toEqual([]);
  });

  it('imputes missing values with the bundle’s fitted fills (null and absent alike)', () => {
    const complete: RawRecord = { time_spent: 12.5, pages_viewed: 4, basket_value: 20, device_type: 'Mobile', customer_type: 'New' };
    const withNull = { ...complete, time_spent: null, basket_value: null };
    const { time_spent: _t, basket_value: _b, ...absent } = complete;
    const filled = trees.pipeline.imputer.impute(withNull);
    expect(filled.time_spent).toBe(trees.pipeline.imputer.fillFor('time_spent'));
    expect(predictor.predictOne(withNull)).toEqual(predictor.predictOne(filled));
    expect(predictor.predictOne(absent)).toEqual(predictor.predictOne(filled));
  });

  it('refuses a record that breaks the spec, naming its position and every problem', () => {
    const good = trees.records[0];
    const bad = { ...good, device_type: 'Phone', pages_viewed: 2.5, colour: 'red' };
    let error: unknown;
    try {
      predictor.predictMany([good, bad]);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(InvalidRecordError);
    expect((error as InvalidRecordError).index).toBe(1);
    expect((error as InvalidRecordError).message).toBe(
      'record 1: pages_viewed: expected an integer, got 2.5; device_type: "Phone" is not one of "Mobile", "Desktop", "Tablet", "Unknown"; colour: not a field of spec "customer-sessions"',
    );
    expect(() => predictor.predictOne({ ...good, time_spent: -1 })).toThrow('record 0: time_spent: -1 is below the minimum 0');
  });
});

describe('PurchasePredictor.load', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(root, 'load-'));
  });

  it('refuses a bundle whose model does not take the pipeline’s columns', async () => {
    const { spec, records, labels } = await readSessions();
    const narrow = new GradientBoostedTrees({ nEstimators: 2, maxDepth: 2 });
    await narrow.fit({ data: new Float32Array(records.length * 3), rows: records.length, cols: 3 }, labels);
    await publishBundle(dir, {
      version: 'narrow',
      data: trees.published.manifest.data,
      spec,
      seed: 1,
      pipeline: trees.pipeline.toJSON(),
      candidates: { narrow },
      selected: { candidate: 'narrow', threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
      metrics: {},
      reportMarkdown: '',
      reportHtml: '',
    });
    await expect(PurchasePredictor.load(path.join(dir, 'current'))).rejects.toThrow(
      `bundle ${path.join(dir, 'current')} is invalid: the model takes 3 columns, the pipeline produces ${trees.pipeline.width}`,
    );
  });

  it('refuses a bundle whose manifest spec is not the pipeline’s', async () => {
    const { spec } = await readSessions();
    await publishBundle(dir, {
      version: 'other-spec',
      data: trees.published.manifest.data,
      spec: { ...spec, description: 'edited after fitting' },
      seed: 1,
      pipeline: trees.pipeline.toJSON(),
      candidates: { gbdt: trees.selected },
      selected: { candidate: 'gbdt', threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
      metrics: {},
      reportMarkdown: '',
      reportHtml: '',
    });
    await expect(PurchasePredictor.load(path.join(dir, 'other-spec'))).rejects.toThrow(
      'is invalid: the spec in manifest.json differs from the one pipeline.json was fitted with',
    );
  });

  it('names the model directory when the model itself cannot be read', async () => {
    const { spec } = await readSessions();
    const garbled = {
      kind: 'gbdt' as const,
      describe: () => trees.selected.describe(),
      save: async (modelDir: string) => {
        await mkdir(modelDir, { recursive: true });
        await writeFile(path.join(modelDir, 'trees.json'), '{"format":');
      },
    };
    const { dir: bundleDir } = await publishBundle(dir, {
      version: 'garbled',
      data: trees.published.manifest.data,
      spec,
      seed: 1,
      pipeline: trees.pipeline.toJSON(),
      candidates: { gbdt: garbled },
      selected: { candidate: 'gbdt', threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
      metrics: {},
      reportMarkdown: '',
      reportHtml: '',
    });
    const err = (await PurchasePredictor.load(bundleDir).catch((e: unknown) => e)) as BundleError;
    expect(err).toBeInstanceOf(BundleError);
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(
      new RegExp(`^model/ cannot be loaded: ${path.join(bundleDir, 'model', 'trees.json')}: not valid JSON \\(.+\\)$`),
    );
  });

  it('verifies hashes before loading anything', async () => {
    const copy = await publishSessionsBundle(dir, { version: 'tampered' });
    const file = path.join(copy.published.dir, 'model', 'trees.json');
    const text = await readFile(file, 'utf8');
    const edited = text.replace(/\d(?=\D*$)/, (d) => String((Number(d) + 1) % 10)); // the last digit: a leaf value
    expect(edited).not.toBe(text);
    await writeFile(file, edited);
    const err = (await PurchasePredictor.load(copy.published.dir).catch((e: unknown) => e)) as BundleError;
    expect(err).toBeInstanceOf(BundleError);
    expect(err.problems).toEqual(['model/trees.json does not match its SHA-256 in manifest.json']);
  });
});
