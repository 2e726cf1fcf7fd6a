import request from 'supertest';
import { ErrorResponse } from '../contract/error-response';
import { nonConformities } from '../test-fixtures/conforms';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService, type TestService } from '../test-fixtures/test-service';

const SESSION = { customer_id: 1, time_spent: 3, pages_viewed: 2, basket_value: 10, device_type: 'Desktop', customer_type: 'New' };

let service: TestService;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const models = await modelsDir();
  cleanup = models.cleanup;
  service = await testService({ modelDir: models.current, env: { MAX_JSON_DEPTH: '8', BODY_LIMIT: '2mb', LOG_LEVEL: 'silent' } });
});
afterAll(() => cleanup());

function expectError(body: unknown, status: number, code: string): void {
  expect(nonConformities(ErrorResponse, body)).toEqual([]);
  expect(body).toMatchObject({ status, code });
}

describe('malformed paths', () => {
  it('400 for a malformed escape on the infer route, and the service still answers', async () => {
    for (const path of ['/v2/models/%ZZ/infer', '/v2/models/%E0%A4%A/infer', '/v2/models/%C0%AF/versions/%FF/infer', '/predict%']) {
      const res = await request(service.app).post(path).set('content-type', 'application/json').send('{}').expect(400);
      expectError(res.body, 400, 'malformed_path');
      expect(res.body.error).toBe('the request path is not a valid URL path: a percent-escape is malformed or does not decode to UTF-8');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
    await request(service.app).post('/predict').send(SESSION).expect(200);
  });

  it('400, not 500, for malformed escapes on GET routes', async () => {
    for (const path of ['/v2/models/%ZZ', '/v2/models/%ZZ/ready', '/v2/models/purchase-intent/versions/%E0/ready', '/docs/%ZZ', '/%']) {
      const res = await request(service.app).get(path).expect(400);
      expectError(res.body, 400, 'malformed_path');
    }
  });

  it('echoes at most a bounded part of a long path', async () => {
    const path = `/${'a'.repeat(6000)}`;
    const res = await request(service.app).get(path).expect(404);
    expect(res.body.error).toBe(`no route for GET /${'a'.repeat(119)}... (6001 characters)`);
  });

  it('paths are case-sensitive on the V2 routes too', async () => {
    await request(service.app).get('/V2/models/purchase-intent').expect(404);
    await request(service.app).post('/v2/Models/purchase-intent/infer').send({ inputs: [] }).expect(404);
    await request(service.app).get('/HEALTH/ready').expect(404);
  });
});

describe('structure before anything recursive', () => {
  it('400 for a body nested deeper than MAX_JSON_DEPTH, on every POST route', async () => {
    const deep = `{"customers": [${'['.repeat(5000)}${']'.repeat(5000)}]}`;
    for (const path of ['/predict', '/predict/batch', '/v2/models/purchase-intent/infer']) {
      const res = await request(service.app).post(path).set('content-type', 'application/json').send(deep).expect(400);
      expectError(res.body, 400, 'too_deeply_nested');
      expect(res.body.error).toBe('the request body nests arrays and objects deeper than 8 levels (MAX_JSON_DEPTH)');
    }
    // Brackets inside strings are not nesting; 8 levels are fine.
    const strings = { ...SESSION, device_type: '[[[[[[[[[[[[[[[[[[[[' };
    const res = await request(service.app).post('/predict').send(strings).expect(422);
    expect(res.body.details[0].field).toBe('device_type');
    await request(service.app).post('/predict/batch').send({ customers: [SESSION] }).expect(200);
  });

  it('422 at customers[i] for every element that is not an object', async () => {
    const res = await request(service.app)
      .post('/predict/batch')
      .send({ customers: [[], null, 3, 'x', [SESSION]] })
      .expect(422);
    expect(res.body.details).toEqual([
      { field: 'customers[0]', rule: 'isObject', message: 'each element of customers must be an object, got an array' },
      { field: 'customers[1]', rule: 'isObject', message: 'each element of customers must be an object, got null' },
      { field: 'customers[2]', rule: 'isObject', message: 'each element of customers must be an object, got a number' },
      { field: 'customers[3]', rule: 'isObject', message: 'each element of customers must be an object, got a string' },
      { field: 'customers[4]', rule: 'isObject', message: 'each element of customers must be an object, got an array' },
    ]);
  });

  it('an error answer is never larger than its request: details capped, the rest counted', async () => {
    const keys = Object.fromEntries(Array.from({ length: 60_000 }, (_, i) => [`k${i}`, 1]));
    const body = JSON.stringify({ ...SESSION, ...keys });
    const res = await request(service.app).post('/predict').set('content-type', 'application/json').send(body).expect(422);
    expect(res.body.details).toHaveLength(100);
    expect(res.body.details_omitted).toBe(60_000 - 100);
    expect(res.body.details[0]).toEqual({ field: 'k0', rule: 'whitelistValidation', message: 'property k0 should not exist' });
    expect(res.text.length).toBeLessThan(body.length / 10);
    // A small request with many problems: the answer stays within 4 KiB.
    const small = await request(service.app)
      .post('/predict/batch')
      .send({ customers: Array.from({ length: 300 }, () => 0) })
      .expect(422);
    expect(small.text.length).toBeLessThanOrEqual(4096);
    expect(small.body.details.length + small.body.details_omitted).toBe(300);
  });
});

describe('HTTP conventions', () => {
  it('HEAD answers like GET without a body', async () => {
    const res = await request(service.app).head('/health/live').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.text).toBeUndefined();
  });
});
