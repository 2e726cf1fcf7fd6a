import request from 'supertest';
import { HealthResponse } from '../contract/health-response';
import { nonConformities } from '../test-fixtures/conforms';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService } from '../test-fixtures/test-service';

let models: Awaited<ReturnType<typeof modelsDir>>;
beforeAll(async () => {
  models = await modelsDir('v1');
});
afterAll(() => models.cleanup());

describe('health routes', () => {
  it('GET /health describes the model in service', async () => {
    const service = await testService({ modelDir: models.current });
    const res = await request(service.app).get('/health').expect(200);
    expect(nonConformities(HealthResponse, res.body)).toEqual([]);
    const { version: _version, ...info } = service.models.current!.info;
    expect(res.body).toEqual({ status: 'healthy', model_loaded: true, version: 'v1', model_info: info });
    expect(res.body.model_info.features).toEqual(['time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type']);
    expect(res.body.model_info.dataset).toEqual({ spec: 'customer-sessions', file: 'customer_sessions.csv', rows: 500, target: 'purchase', positive: '1' });
    expect(Object.keys(res.body.model_info)).toEqual(
      expect.arrayContaining(['model_type', 'features', 'threshold', 'created_at', 'metrics', 'encoded_features']),
    );
  });

  it('GET /health without a model says so', async () => {
    const service = await testService({ modelDir: models.current, loaded: false });
    const res = await request(service.app).get('/health').expect(200);
    expect(res.body).toEqual({ status: 'unhealthy', model_loaded: false, version: null, model_info: null });
    expect(nonConformities(HealthResponse, res.body)).toEqual([]);
  });

  it('liveness is unconditional; readiness needs a model and no shutdown', async () => {
    const none = await testService({ modelDir: models.current, loaded: false });
    await request(none.app).get('/health/live').expect(200, { live: true });
    const unready = await request(none.app).get('/health/ready').expect(503, { ready: false });
    expect(unready.headers['retry-after']).toBe('5');
    const predict = await request(none.app).post('/predict').send({}).expect(503);
    expect(predict.headers['retry-after']).toBe('5');

    const loaded = await testService({ modelDir: models.current });
    await request(loaded.app).get('/health/ready').expect(200, { ready: true });
    loaded.lifecycle.startDraining();
    await request(loaded.app).get('/health/ready').expect(503, { ready: false });
    await request(loaded.app).get('/health/live').expect(200, { live: true });
    const health = await request(loaded.app).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'unhealthy', model_loaded: true });
  });
});
