import request from 'supertest';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService, type TestService } from '../test-fixtures/test-service';

let service: TestService;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const models = await modelsDir();
  cleanup = models.cleanup;
  service = await testService({ modelDir: models.current, env: { MAX_BATCH: '250', ADMIN_TOKEN: 'a-long-enough-admin-token' } });
});
afterAll(() => cleanup());

describe('GET /openapi.json', () => {
  it('documents every route', async () => {
    const { body } = await request(service.app).get('/openapi.json').expect(200);
    expect(body.openapi).toBe('3.1.0');
    expect(Object.keys(body.paths).sort()).toEqual([
      '/admin/reload',
      '/health',
      '/health/live',
      '/health/ready',
      '/metrics',
      '/predict',
      '/predict/batch',
      '/v2',
      '/v2/health/live',
      '/v2/health/ready',
      '/v2/models/{name}',
      '/v2/models/{name}/infer',
      '/v2/models/{name}/ready',
    ]);
    expect(Object.keys(body.paths['/predict'].post.responses).sort()).toEqual(['200', '400', '413', '415', '422', '500', '503']);
  });

  it('states the validation rules of the DTOs, the batch limit from the configuration included', async () => {
    const { body } = await request(service.app).get('/openapi.json').expect(200);
    const session = body.components.schemas.CustomerSession;
    expect(session.required).toEqual(['customer_id']);
    expect(session.additionalProperties).toBe(false);
    expect(session.properties.customer_id).toMatchObject({ type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER });
    expect(session.properties.time_spent).toMatchObject({ type: ['number', 'null'], minimum: 0 });
    expect(session.properties.pages_viewed).toMatchObject({ type: ['integer', 'null'], minimum: 0 });
    expect(session.properties.basket_value).toMatchObject({ type: ['number', 'null'], minimum: 0 });
    expect(session.properties.device_type).toMatchObject({ type: ['string', 'null'], enum: ['Mobile', 'Desktop', 'Tablet', 'Unknown', null] });
    expect(session.properties.customer_type).toMatchObject({ type: ['string', 'null'], enum: ['New', 'Returning', 'Unknown', null] });

    const batch = body.components.schemas.BatchPredictionRequest;
    expect(batch.properties.customers).toMatchObject({
      type: 'array',
      minItems: 1,
      maxItems: 250,
      items: { $ref: '#/components/schemas/CustomerSession' },
    });
    expect(body.components.schemas.ErrorResponse.properties.details.items).toEqual({ $ref: '#/components/schemas/ErrorDetail' });
  });

  it('resolves every $ref', async () => {
    const { body } = await request(service.app).get('/openapi.json').expect(200);
    const refs = [...JSON.stringify(body).matchAll(/"\$ref":"#\/components\/schemas\/([A-Za-z]+)"/g)].map((m) => m[1]);
    expect(refs.length).toBeGreaterThan(20);
    for (const name of refs) expect(body.components.schemas[name]).toBeDefined();
  });
});

describe('GET /docs', () => {
  it('serves Swagger UI with this document', async () => {
    const page = await request(service.app).get('/docs/').expect(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.text).toContain('<div id="swagger-ui"></div>');
    expect(page.text).toContain('<title>Purchase intent API</title>');
    const init = await request(service.app).get('/docs/swagger-ui-init.js').expect(200);
    expect(init.text).toContain('"maxItems": 250');
    await request(service.app).get('/docs/swagger-ui-bundle.js').expect(200);
  });

  it('redirects /docs to /docs/', async () => {
    const res = await request(service.app).get('/docs').expect(301);
    expect(res.headers.location).toBe('/docs/');
  });
});
