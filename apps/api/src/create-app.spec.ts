import request from 'supertest';
import { modelsDir } from './test-fixtures/test-bundles';
import { testService } from './test-fixtures/test-service';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const SESSION = { customer_id: 5, time_spent: 98.7654321, pages_viewed: 3, basket_value: 12.3456789, device_type: 'Tablet', customer_type: 'New' };

let models: Awaited<ReturnType<typeof modelsDir>>;
beforeAll(async () => {
  models = await modelsDir();
});
afterAll(() => models.cleanup());

describe('request ids and logs', () => {
  it('echoes a given x-request-id and makes one otherwise', async () => {
    const service = await testService({ modelDir: models.current });
    const given = await request(service.app).get('/health/live').set('x-request-id', 'edge-42.a:b').expect(200);
    expect(given.headers['x-request-id']).toBe('edge-42.a:b');
    const made = await request(service.app).get('/health/live').expect(200);
    expect(made.headers['x-request-id']).toMatch(UUID);
    // An id that could forge log lines or headers is replaced.
    const odd = await request(service.app).get('/health/live').set('x-request-id', 'a b"c').expect(200);
    expect(odd.headers['x-request-id']).toMatch(UUID);
  });

  it('logs one JSON line per request with its id, route and status, and never the body', async () => {
    const service = await testService({ modelDir: models.current });
    await request(service.app).post('/predict').set('x-request-id', 'log-test-1').send(SESSION).expect(200);
    await request(service.app).post('/predict').set('x-request-id', 'log-test-2').send({ ...SESSION, customer_id: 0.5 }).expect(422);
    const lines = service.logs.filter((l) => l.msg === 'request');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatchObject({ level: 30, request_id: 'log-test-1', method: 'POST', path: '/predict', route: '/predict', status: 200 });
    expect(lines[1]).toMatchObject({ request_id: 'log-test-2', status: 422 });
    expect(typeof lines[0].duration_ms).toBe('number');
    const everything = JSON.stringify(service.logs);
    expect(everything).not.toContain('98.7654321');
    expect(everything).not.toContain('12.3456789');
  });

  it('writes no request lines at LOG_LEVEL=warn', async () => {
    const service = await testService({ modelDir: models.current, env: { LOG_LEVEL: 'warn' } });
    await request(service.app).get('/health').expect(200);
    expect(service.logs).toEqual([]);
  });
});

describe('security headers and CORS', () => {
  it('sends helmet headers and no x-powered-by or ETag', async () => {
    const service = await testService({ modelDir: models.current });
    const res = await request(service.app).post('/predict').send(SESSION).expect(200);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(res.headers['x-powered-by']).toBeUndefined();
    expect(res.headers.etag).toBeUndefined();
  });

  it('sends the same security headers on the prediction routes as on the Express routes', async () => {
    const service = await testService({ modelDir: models.current });
    const security = (headers: Record<string, string>) =>
      Object.fromEntries(Object.entries(headers).filter(([name]) => !/^(content-|date|connection|keep-alive|x-request-id|x-model-version|transfer-encoding)/.test(name)));
    const express = await request(service.app).get('/health').expect(200);
    const lean = await request(service.app).post('/predict').send(SESSION).expect(200);
    const leanError = await request(service.app).post('/predict').send({}).expect(422);
    expect(Object.keys(security(express.headers)).length).toBeGreaterThanOrEqual(10);
    expect(security(lean.headers)).toEqual(security(express.headers));
    expect(security(leanError.headers)).toEqual(security(express.headers));
  });

  it('answers no CORS headers unless CORS_ORIGINS is set', async () => {
    const service = await testService({ modelDir: models.current });
    const res = await request(service.app).get('/health').set('origin', 'https://shop.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('allows the configured origins only, preflight included', async () => {
    const service = await testService({ modelDir: models.current, env: { CORS_ORIGINS: 'https://shop.example' } });
    const allowed = await request(service.app).post('/predict').set('origin', 'https://shop.example').send(SESSION).expect(200);
    expect(allowed.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(allowed.headers['access-control-expose-headers']).toBe('x-request-id,x-model-version');
    const other = await request(service.app).post('/predict').set('origin', 'https://evil.example').send(SESSION).expect(200);
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    const preflight = await request(service.app)
      .options('/predict')
      .set('origin', 'https://shop.example')
      .set('access-control-request-method', 'POST')
      .set('access-control-request-headers', 'content-type')
      .expect(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://shop.example');
    expect(preflight.headers['access-control-allow-methods']).toContain('POST');
  });

  it('allows any origin with CORS_ORIGINS=*', async () => {
    const service = await testService({ modelDir: models.current, env: { CORS_ORIGINS: '*' } });
    const res = await request(service.app).get('/health').set('origin', 'https://anyone.example').expect(200);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });
});
