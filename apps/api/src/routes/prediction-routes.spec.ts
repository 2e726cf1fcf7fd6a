import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PurchasePredictor } from '@purchase/inference';
import request from 'supertest';
import { ErrorResponse } from '../contract/error-response';
import { nonConformities } from '../test-fixtures/conforms';
import { referenceContract } from '../test-fixtures/contracts';
import { SESSIONS_CSV, sessionRows } from '../test-fixtures/session-rows';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService, type TestService } from '../test-fixtures/test-service';

const SESSION = { customer_id: 42, time_spent: 12.5, pages_viewed: 7, basket_value: 64.9, device_type: 'Mobile', customer_type: 'Returning' };

const { predictionResponseClass: PredictionResponse, batchResponseClass: BatchPredictionResponse } = referenceContract();

let service: TestService;
let predictor: PurchasePredictor;
let cleanup: () => Promise<void>;
let modelsRoot: string;

beforeAll(async () => {
  const models = await modelsDir('v1');
  cleanup = models.cleanup;
  modelsRoot = models.root;
  service = await testService({ modelDir: models.current, env: { MAX_BATCH: '50' } });
  predictor = await PurchasePredictor.load(models.current);
});
afterAll(async () => {
  predictor.dispose();
  await cleanup();
});

describe('POST /predict', () => {
  it('answers the reference shape, deciding by the threshold in the manifest and the reference bands', async () => {
    // The bundle's own threshold, read from the file a user would read, and the reference system's
    // confidence bands (low below 0.3, medium below 0.7, high from 0.7), written out here.
    const manifest = JSON.parse(await readFile(path.join(modelsRoot, 'v1', 'manifest.json'), 'utf8')) as { model: { threshold: number } };
    const sessions = [SESSION, { ...SESSION, basket_value: 0, pages_viewed: 0, time_spent: 0 }, { ...SESSION, basket_value: 500, pages_viewed: 40 }];
    for (const session of sessions) {
      const res = await request(service.app).post('/predict').send(session).expect(200);
      const p = res.body.purchase_probability as number;
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
      expect(res.body.purchase_prediction).toBe(p >= manifest.model.threshold ? 1 : 0);
      expect(res.body.prediction_confidence).toBe(p < 0.3 ? 'low' : p < 0.7 ? 'medium' : 'high');
    }
    // The same session scored through the library directly gets the same answer.
    const res = await request(service.app).post('/predict').send(SESSION).expect(200);
    const [expected] = predictor.predictMany([SESSION]);
    expect(res.body).toEqual({ customer_id: 42, ...expected });
    expect(Object.keys(res.body)).toEqual(['customer_id', 'purchase_prediction', 'purchase_probability', 'prediction_confidence']);
    expect(nonConformities(PredictionResponse, res.body)).toEqual([]);
    expect(res.headers['x-model-version']).toBe('v1');
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('matches the path case-sensitively, with a trailing slash or a query string', async () => {
    const reference = await request(service.app).post('/predict').send(SESSION).expect(200);
    for (const path of ['/predict/', '/predict?source=test']) {
      const res = await request(service.app).post(path).send(SESSION).expect(200);
      expect(res.body).toEqual(reference.body);
    }
    const upper = await request(service.app).post('/PREDICT').send(SESSION).expect(404);
    expect(upper.body.error).toBe('no route for POST /PREDICT');
  });

  it('405 with Allow for another method, HEAD included', async () => {
    const get = await request(service.app).get('/predict').expect(405);
    expect(get.headers.allow).toBe('POST');
    expect(get.body).toMatchObject({ status: 405, code: 'method_not_allowed', error: 'GET is not allowed on /predict; it answers POST' });
    const head = await request(service.app).head('/predict/batch').expect(405);
    expect(head.headers.allow).toBe('POST');
    const put = await request(service.app).put('/health').expect(405);
    expect(put.headers.allow).toBe('GET, HEAD');
  });

  it('imputes null or absent measurements as the bundle does', async () => {
    const missing = { customer_id: 7, device_type: 'Unknown', customer_type: 'New' };
    const absent = await request(service.app).post('/predict').send(missing).expect(200);
    const asNull = await request(service.app)
      .post('/predict')
      .send({ ...missing, time_spent: null, pages_viewed: null, basket_value: null })
      .expect(200);
    const [expected] = predictor.predictMany([{ ...missing, time_spent: null, pages_viewed: null, basket_value: null }]);
    expect(absent.body).toEqual({ customer_id: 7, ...expected });
    expect(asNull.body).toEqual(absent.body);
  });

  it('names every failing field and rule in one 422', async () => {
    const res = await request(service.app)
      .post('/predict')
      .send({ customer_id: 2.5, time_spent: '5', pages_viewed: 1.5, device_type: 'Phone', customer_type: 'Returning', coupon: 'X' })
      .expect(422);
    expect(res.body).toEqual({
      status: 422,
      code: 'validation_failed',
      error: 'coupon: property coupon should not exist (and 5 more problem(s), see details)',
      details: [
        { field: 'coupon', rule: 'whitelistValidation', message: 'property coupon should not exist' },
        { field: 'customer_id', rule: 'isInt', message: 'customer_id must be an integer number' },
        { field: 'time_spent', rule: 'min', message: 'time_spent must not be less than 0' },
        { field: 'time_spent', rule: 'isNumber', message: 'time_spent must be a number conforming to the specified constraints' },
        { field: 'pages_viewed', rule: 'isInt', message: 'pages_viewed must be an integer number' },
        { field: 'device_type', rule: 'isIn', message: 'device_type must be one of the following values: Mobile, Desktop, Tablet, Unknown' },
      ],
      request_id: res.headers['x-request-id'],
    });
    expect(nonConformities(ErrorResponse, res.body)).toEqual([]);
  });

  it('requires customer_id only: every other field of the reference spec has a missing-value rule', async () => {
    const res = await request(service.app).post('/predict').send({}).expect(422);
    expect(res.body.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`)).toEqual([
      'customer_id:min',
      'customer_id:max',
      'customer_id:isInt',
    ]);
    const bare = await request(service.app).post('/predict').send({ customer_id: 9 }).expect(200);
    const [expected] = predictor.predictMany([{}]);
    expect(bare.body).toEqual({ customer_id: 9, ...expected });
  });

  it('settles where the old contract and the spec disagreed, as the spec (and CSV scoring) reads it', async () => {
    // Any integer id, as a CSV id cell is read: 0 and -4 were refused by the hand-written contract.
    for (const customer_id of [0, -4]) {
      const res = await request(service.app).post('/predict').send({ ...SESSION, customer_id }).expect(200);
      expect(res.body.customer_id).toBe(customer_id);
    }
    // customer_type "Unknown" is a category of every category column; missing is filled with "New".
    const newcomer = await request(service.app).post('/predict').send({ ...SESSION, customer_type: 'New' }).expect(200);
    for (const customer_type of [null, undefined]) {
      const res = await request(service.app).post('/predict').send({ ...SESSION, customer_type }).expect(200);
      expect(res.body).toEqual(newcomer.body);
    }
    const unknown = await request(service.app).post('/predict').send({ ...SESSION, customer_type: 'Unknown' }).expect(200);
    expect(unknown.body).toEqual({ customer_id: 42, ...predictor.predictMany([{ ...SESSION, customer_type: 'Unknown' }])[0] });
    // device_type missing is filled with "Unknown", as in training.
    const noDevice = await request(service.app).post('/predict').send({ ...SESSION, device_type: null }).expect(200);
    const unknownDevice = await request(service.app).post('/predict').send({ ...SESSION, device_type: 'Unknown' }).expect(200);
    expect(noDevice.body).toEqual(unknownDevice.body);
  });
});

describe('POST /predict/batch', () => {
  it('answers every session in order, with the same probabilities as one by one and as PurchasePredictor', async () => {
    const rows = sessionRows().slice(0, 40);
    const res = await request(service.app).post('/predict/batch').send({ customers: rows }).expect(200);
    expect(nonConformities(BatchPredictionResponse, res.body)).toEqual([]);
    expect(res.body.total_customers).toBe(40);
    expect(res.body.processing_time_seconds).toBeGreaterThan(0);
    expect(res.body.processing_time_seconds).toBeLessThan(5);
    const expected = predictor.predictMany(rows).map((p, i) => ({ customer_id: rows[i].customer_id, ...p }));
    expect(res.body.predictions).toEqual(expected);

    for (const i of [0, 1, 17, 39]) {
      const single = await request(service.app).post('/predict').send(rows[i]).expect(200);
      expect(single.body).toEqual(res.body.predictions[i]);
    }
  });

  it('gives the probabilities npm run predict writes for the same rows of the bundled data', async () => {
    const rows = sessionRows();
    const answers = new Map<number, number>();
    for (let start = 0; start < rows.length; start += 50) {
      const res = await request(service.app).post('/predict/batch').send({ customers: rows.slice(start, start + 50) }).expect(200);
      for (const p of res.body.predictions) answers.set(p.customer_id, p.purchase_probability);
    }

    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-predict-cli-'));
    try {
      const output = path.join(dir, 'scored.csv');
      const root = path.resolve(__dirname, '../../../..');
      const cli = spawnSync(
        process.execPath,
        ['tools/run-ts.mjs', 'apps/train/src/predict.ts', '--model', service.config.modelDir, '--input', SESSIONS_CSV, '--output', output],
        { cwd: root, encoding: 'utf8' },
      );
      expect(cli.status).toBe(0);
      const [header, ...lines] = (await readFile(output, 'utf8')).trim().split('\n');
      expect(header).toBe('customer_id,purchase_probability,purchase_prediction,prediction_confidence');
      const scored = new Map(lines.map((l) => l.split(',')).map(([id, p]) => [Number(id), Number(p)]));
      expect(answers.size).toBe(rows.length);
      for (const [id, probability] of answers) expect(probability).toBe(scored.get(id));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('predicts both labels on the bundled data', async () => {
    const res = await request(service.app).post('/predict/batch').send({ customers: sessionRows().slice(0, 50) }).expect(200);
    const labels = new Set(res.body.predictions.map((p: { purchase_prediction: number }) => p.purchase_prediction));
    expect([...labels].sort()).toEqual([0, 1]);
  });

  it('refuses an empty batch and one over MAX_BATCH', async () => {
    const empty = await request(service.app).post('/predict/batch').send({ customers: [] }).expect(422);
    expect(empty.body.details).toEqual([{ field: 'customers', rule: 'arrayMinSize', message: 'customers must contain at least 1 elements' }]);
    const big = await request(service.app)
      .post('/predict/batch')
      .send({ customers: Array.from({ length: 51 }, (_, i) => ({ ...SESSION, customer_id: i + 1 })) })
      .expect(422);
    expect(big.body.details).toEqual([{ field: 'customers', rule: 'arrayMaxSize', message: 'customers must contain no more than 50 elements' }]);
  });

  it('points at the failing element and field', async () => {
    const res = await request(service.app)
      .post('/predict/batch')
      .send({ customers: [SESSION, { ...SESSION, basket_value: -1 }, 'not a session'], extra: true })
      .expect(422);
    expect(res.body.details).toEqual([
      { field: 'extra', rule: 'whitelistValidation', message: 'property extra should not exist' },
      { field: 'customers[1].basket_value', rule: 'min', message: 'basket_value must not be less than 0' },
      { field: 'customers[2]', rule: 'isObject', message: 'each element of customers must be an object, got a string' },
    ]);
  });
});

describe('without a model', () => {
  it('answers 503 on both routes, whatever the body', async () => {
    const models = await modelsDir();
    try {
      const empty = await testService({ modelDir: models.current, loaded: false });
      for (const [path, body] of [
        ['/predict', SESSION],
        ['/predict/batch', { customers: [SESSION] }],
        ['/predict', { nonsense: true }],
      ] as const) {
        const res = await request(empty.app).post(path).send(body).expect(503);
        expect(res.body).toMatchObject({
          status: 503,
          code: 'model_not_loaded',
          error: 'no model is loaded yet; retry when /health/ready answers 200',
          details: [],
        });
      }
    } finally {
      await models.cleanup();
    }
  });
});
