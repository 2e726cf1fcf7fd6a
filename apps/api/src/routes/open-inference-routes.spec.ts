import { PurchasePredictor } from '@purchase/inference';
import request from 'supertest';
import { InferenceResponse, ModelMetadataResponse, ServerMetadataResponse } from '../contract/open-inference';
import { ErrorResponse } from '../contract/error-response';
import { nonConformities } from '../test-fixtures/conforms';
import { sessionRows, type SessionRow } from '../test-fixtures/session-rows';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService, type TestService } from '../test-fixtures/test-service';

/** The V2 request for rows: one tensor per field, numbers FP32, strings BYTES. */
function inferBody(rows: SessionRow[], shape: 'flat' | 'column' = 'flat') {
  const tensor = (name: keyof SessionRow, datatype: string) => ({
    name,
    datatype,
    shape: shape === 'flat' ? [rows.length] : [rows.length, 1],
    data: rows.map((r) => (shape === 'flat' ? r[name] : [r[name]])) as unknown[],
  });
  return {
    id: 'req-7',
    inputs: [
      tensor('time_spent', 'FP32'),
      tensor('pages_viewed', 'FP32'),
      tensor('basket_value', 'FP32'),
      tensor('device_type', 'BYTES'),
      tensor('customer_type', 'BYTES'),
    ],
  };
}

let service: TestService;
let predictor: PurchasePredictor;
let cleanup: () => Promise<void>;
const rows = sessionRows().slice(0, 25);

beforeAll(async () => {
  const models = await modelsDir('v1');
  cleanup = models.cleanup;
  service = await testService({ modelDir: models.current, env: { MODEL_NAME: 'purchase-intent', MAX_BATCH: '30' } });
  predictor = await PurchasePredictor.load(models.current);
});
afterAll(async () => {
  predictor.dispose();
  await cleanup();
});

describe('Open Inference Protocol: health and metadata', () => {
  it('server live, ready and metadata', async () => {
    await request(service.app).get('/v2/health/live').expect(200, { live: true });
    await request(service.app).get('/v2/health/ready').expect(200, { ready: true });
    const meta = await request(service.app).get('/v2').expect(200);
    expect(nonConformities(ServerMetadataResponse, meta.body)).toEqual([]);
    expect(meta.body).toMatchObject({ name: 'purchase-api', extensions: [] });
  });

  it('model ready and metadata, by name and by version', async () => {
    await request(service.app).get('/v2/models/purchase-intent/ready').expect(200, { name: 'purchase-intent', ready: true });
    await request(service.app).get('/v2/models/purchase-intent/versions/v1/ready').expect(200, { name: 'purchase-intent', ready: true });
    const meta = await request(service.app).get('/v2/models/purchase-intent').expect(200);
    expect(nonConformities(ModelMetadataResponse, meta.body)).toEqual([]);
    expect(meta.body).toEqual({
      name: 'purchase-intent',
      versions: ['v1'],
      platform: `purchase-bundle/${predictor.info.model_type}`,
      inputs: [
        { name: 'time_spent', datatype: 'FP64', shape: [-1], parameters: { nullable: true, minimum: 0, description: expect.stringContaining('(minutes)') } },
        { name: 'pages_viewed', datatype: 'INT64', shape: [-1], parameters: { nullable: true, minimum: 0, description: expect.any(String) } },
        { name: 'basket_value', datatype: 'FP64', shape: [-1], parameters: { nullable: true, minimum: 0, description: expect.any(String) } },
        {
          name: 'device_type',
          datatype: 'BYTES',
          shape: [-1],
          parameters: { nullable: true, categories: ['Mobile', 'Desktop', 'Tablet', 'Unknown'], description: expect.stringContaining('imputed with "Unknown"') },
        },
        {
          name: 'customer_type',
          datatype: 'BYTES',
          shape: [-1],
          parameters: { nullable: true, categories: ['New', 'Returning', 'Unknown'], description: expect.stringContaining('imputed with "New"') },
        },
      ],
      outputs: [
        { name: 'purchase_probability', datatype: 'FP32', shape: [-1] },
        { name: 'purchase_prediction', datatype: 'INT64', shape: [-1] },
        { name: 'prediction_confidence', datatype: 'BYTES', shape: [-1] },
      ],
    });
  });

  it('404 for another model name or version, 503 without a model', async () => {
    const other = await request(service.app).get('/v2/models/churn').expect(404);
    expect(other.body).toMatchObject({ code: 'model_not_found', error: 'model churn is not served here; this server serves purchase-intent' });
    const version = await request(service.app).get('/v2/models/purchase-intent/versions/v9').expect(404);
    expect(version.body.error).toBe('version v9 of purchase-intent is not loaded; version v1 is');

    const models = await modelsDir();
    try {
      const empty = await testService({ modelDir: models.current, loaded: false });
      await request(empty.app).get('/v2/health/ready').expect(503, { ready: false });
      const ready = await request(empty.app).get('/v2/models/purchase-intent/ready').expect(503, { name: 'purchase-intent', ready: false });
      expect(ready.headers['retry-after']).toBe('5');
      await request(empty.app).get('/v2/models/purchase-intent/versions/v1/ready').expect(503, { name: 'purchase-intent', ready: false });
      await request(empty.app).get('/v2/models/churn/ready').expect(404);
      const infer = await request(empty.app).post('/v2/models/purchase-intent/infer').send(inferBody(rows)).expect(503);
      expect(infer.body.code).toBe('model_not_loaded');
    } finally {
      await models.cleanup();
    }
  });
});

describe('POST /v2/models/{name}/infer', () => {
  it('answers the output tensors, equal to PurchasePredictor and to POST /predict/batch', async () => {
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(inferBody(rows)).expect(200);
    expect(nonConformities(InferenceResponse, res.body)).toEqual([]);
    const expected = predictor.predictMany(rows);
    expect(res.body).toEqual({
      model_name: 'purchase-intent',
      model_version: 'v1',
      id: 'req-7',
      outputs: [
        { name: 'purchase_probability', datatype: 'FP32', shape: [25], data: expected.map((p) => p.purchase_probability) },
        { name: 'purchase_prediction', datatype: 'INT64', shape: [25], data: expected.map((p) => p.purchase_prediction) },
        { name: 'prediction_confidence', datatype: 'BYTES', shape: [25], data: expected.map((p) => p.prediction_confidence) },
      ],
    });
    const batch = await request(service.app).post('/predict/batch').send({ customers: rows }).expect(200);
    expect(batch.body.predictions.map((p: { purchase_probability: number }) => p.purchase_probability)).toEqual(res.body.outputs[0].data);
  });

  it('takes [N, 1] tensors and nested data, in any input order, and returns the outputs asked for', async () => {
    const body = inferBody(rows.slice(0, 3), 'column');
    body.inputs.reverse();
    const res = await request(service.app)
      .post('/v2/models/purchase-intent/versions/v1/infer')
      .send({ ...body, outputs: [{ name: 'purchase_prediction' }] })
      .expect(200);
    expect(res.body.outputs).toEqual([
      { name: 'purchase_prediction', datatype: 'INT64', shape: [3], data: predictor.predictMany(rows.slice(0, 3)).map((p) => p.purchase_prediction) },
    ]);
  });

  it('reports structural problems of the tensors together', async () => {
    const body = inferBody(rows.slice(0, 2));
    body.inputs[0].datatype = 'BYTES';
    body.inputs[1].shape = [2, 3];
    body.inputs[2].data = [1];
    body.inputs.pop();
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(body).expect(422);
    expect(nonConformities(ErrorResponse, res.body)).toEqual([]);
    expect(res.body.details).toEqual([
      { field: 'inputs[0].datatype', rule: 'datatype', message: 'time_spent must have datatype FP64 (or another numeric datatype), got BYTES' },
      { field: 'inputs[1].shape', rule: 'shape', message: 'shape must be [N] or [N, 1], got [2, 3]' },
      { field: 'inputs[2].data', rule: 'shape', message: 'data has 1 values, shape [2] needs 2' },
      { field: 'inputs', rule: 'required', message: 'input customer_type is missing' },
    ]);
  });

  it('checks every value by the rules of POST /predict, at its place in the tensor', async () => {
    const body = inferBody(rows.slice(0, 3));
    body.inputs[0].data[1] = -4;
    body.inputs[3].data[2] = 'Phone';
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(body).expect(422);
    expect(res.body.details).toEqual([
      { field: 'inputs[0].data[1]', rule: 'min', message: 'time_spent must not be less than 0' },
      { field: 'inputs[3].data[2]', rule: 'isIn', message: 'device_type must be one of the following values: Mobile, Desktop, Tablet, Unknown' },
    ]);
  });

  it('checks each value against its declared datatype; integer fields are INT64', async () => {
    const body = inferBody(rows.slice(0, 3));
    body.inputs[1] = { ...body.inputs[1], datatype: 'INT64', data: [1, 1.5, 2] };
    body.inputs[0] = { ...body.inputs[0], datatype: 'UINT8', data: [3, 300, 4] };
    body.inputs[2] = { ...body.inputs[2], datatype: 'FP16', data: [1, 2, 70000] };
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(body).expect(422);
    expect(res.body.details).toEqual([
      { field: 'inputs[0].data[1]', rule: 'datatype', message: '300 is not a valid UINT8 value' },
      { field: 'inputs[1].data[1]', rule: 'datatype', message: '1.5 is not a valid INT64 value' },
      { field: 'inputs[2].data[2]', rule: 'datatype', message: '70000 is not a valid FP16 value' },
    ]);
    // 7.5 pages declared as a float is still not a page count.
    const float = inferBody(rows.slice(0, 1));
    float.inputs[1] = { ...float.inputs[1], datatype: 'FP64', data: [7.5] };
    const pages = await request(service.app).post('/v2/models/purchase-intent/infer').send(float).expect(422);
    expect(pages.body.details).toEqual([{ field: 'inputs[1].data[0]', rule: 'isInt', message: 'pages_viewed must be an integer number' }]);
    // As advertised (INT64, FP64), with a missing value as null: answered.
    const advertised = inferBody(rows.slice(0, 2));
    advertised.inputs[1] = { ...advertised.inputs[1], datatype: 'INT64', data: [4, null] };
    advertised.inputs[0] = { ...advertised.inputs[0], datatype: 'FP64' };
    await request(service.app).post('/v2/models/purchase-intent/infer').send(advertised).expect(200);
  });

  it('refuses unknown inputs and outputs, different N and N over MAX_BATCH', async () => {
    const unknown = await request(service.app)
      .post('/v2/models/purchase-intent/infer')
      .send({ inputs: [{ name: 'age', shape: [1], datatype: 'FP32', data: [3] }], outputs: [{ name: 'score' }] })
      .expect(422);
    expect(unknown.body.details.slice(0, 2)).toEqual([
      { field: 'inputs[0].name', rule: 'isIn', message: 'name must be one of the following values: time_spent, pages_viewed, basket_value, device_type, customer_type' },
      { field: 'outputs[0].name', rule: 'isIn', message: 'name must be one of the following values: purchase_probability, purchase_prediction, prediction_confidence' },
    ]);

    const uneven = inferBody(rows.slice(0, 2));
    uneven.inputs[4] = { ...uneven.inputs[4], shape: [1], data: ['New'] };
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(uneven).expect(422);
    expect(res.body.details).toEqual([{ field: 'inputs', rule: 'sameBatch', message: 'every input must have the same N: time_spent has 2, customer_type has 1' }]);

    const many = inferBody(Array.from({ length: 31 }, () => rows[0]));
    const tooMany = await request(service.app).post('/v2/models/purchase-intent/infer').send(many).expect(422);
    expect(tooMany.body.details).toEqual([{ field: 'inputs', rule: 'batchSize', message: 'N must be from 1 to 30, got 31' }]);
  });
});
