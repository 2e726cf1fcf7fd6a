import { createServer, request as httpRequest } from 'node:http';
import { deflateSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { PurchasePredictor } from '@purchase/inference';
import request from 'supertest';
import { ErrorResponse } from '../contract/error-response';
import { nonConformities } from '../test-fixtures/conforms';
import { modelsDir } from '../test-fixtures/test-bundles';
import { exchange, listening, rawPost } from '../test-fixtures/raw-http';
import { testService, type TestService } from '../test-fixtures/test-service';

const SESSION = { customer_id: 1, time_spent: 3, pages_viewed: 2, basket_value: 10, device_type: 'Desktop', customer_type: 'New' };

let service: TestService;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const models = await modelsDir();
  cleanup = models.cleanup;
  service = await testService({ modelDir: models.current, env: { BODY_LIMIT: '1kb' } });
});
afterAll(() => cleanup());

function expectErrorShape(body: unknown, status: number, code: string): void {
  expect(nonConformities(ErrorResponse, body)).toEqual([]);
  expect(body).toMatchObject({ status, code, details: [] });
}

describe('the one error shape', () => {
  it('400 for a body that is not JSON', async () => {
    const res = await request(service.app).post('/predict').set('content-type', 'application/json').send('{"customer_id": 1,').expect(400);
    expectErrorShape(res.body, 400, 'malformed_json');
    expect(res.body.error).toMatch(/^the request body is not valid JSON: /);
  });

  it('400 for JSON that is not an object or array at the top', async () => {
    const res = await request(service.app).post('/predict').set('content-type', 'application/json').send('"text"').expect(400);
    expectErrorShape(res.body, 400, 'malformed_json');
  });

  it('422, not 400, for a JSON array where an object is expected', async () => {
    const res = await request(service.app).post('/predict').send([SESSION]).expect(422);
    expect(res.body.details).toEqual([{ field: '', rule: 'isObject', message: 'the request body must be a JSON object' }]);
    expect(res.body.error).toBe('body: the request body must be a JSON object');
  });

  it('413 for a body over BODY_LIMIT', async () => {
    const customers = Array.from({ length: 20 }, (_, i) => ({ ...SESSION, customer_id: i + 1 }));
    const res = await request(service.app).post('/predict/batch').send({ customers }).expect(413);
    expectErrorShape(res.body, 413, 'payload_too_large');
    expect(res.body.error).toBe('the request body is larger than the limit of 1024 bytes');
  });

  it('415 for another content type, none, or a charset other than UTF-8', async () => {
    const text = await request(service.app).post('/predict').set('content-type', 'text/plain').send(JSON.stringify(SESSION)).expect(415);
    expectErrorShape(text.body, 415, 'unsupported_media_type');
    expect(text.body.error).toBe('the body must be sent as application/json, got Content-Type text/plain');

    const form = await request(service.app).post('/predict/batch').type('form').send({ customers: 'x' }).expect(415);
    expect(form.body.error).toBe('the body must be sent as application/json, got Content-Type application/x-www-form-urlencoded');

    const none = await request(service.app).post('/predict').expect(415);
    expect(none.body.error).toBe('the body must be sent as application/json, got no Content-Type');

    const latin1 = await request(service.app)
      .post('/predict')
      .set('content-type', 'application/json; charset=iso-8859-1')
      .send(JSON.stringify(SESSION))
      .expect(415);
    expect(latin1.body.error).toBe('the charset iso-8859-1 is not supported; send UTF-8 JSON');
  });

  it('reads gzip and deflate bodies, 400 for a corrupt one, 415 for another encoding', async () => {
    const plain = await request(service.app).post('/predict').send(SESSION).expect(200);
    const body = Buffer.from(JSON.stringify(SESSION));
    const { port, close } = await listening(service.app);
    try {
      const post = (encoding: string, bytes: Buffer) =>
        exchange(port, rawPost('/predict', { 'content-type': 'application/json', 'content-encoding': encoding, connection: 'close' }, bytes));
      for (const [encoding, bytes] of [
        ['gzip', gzipSync(body)],
        ['GZip', gzipSync(body)],
        ['x-gzip', gzipSync(body)],
        ['deflate', deflateSync(body)],
      ] as const) {
        const res = await post(encoding, bytes);
        expect([res.status, JSON.parse(res.body)]).toEqual([200, plain.body]);
      }
      const corrupt = await post('gzip', body);
      expect(corrupt.status).toBe(400);
      expectErrorShape(JSON.parse(corrupt.body), 400, 'malformed_body');
      expect(JSON.parse(corrupt.body).error).toBe('the request body is not valid gzip data: incorrect header check');
      const br = await post('br', body);
      expect(br.status).toBe(415);
      expect(JSON.parse(br.body).error).toBe('the Content-Encoding br is not supported; send the body as identity, gzip or deflate');
      expect(br.headers['accept-encoding']).toBe('gzip, deflate');
      // A small body that inflates past the limit.
      const bomb = gzipSync(Buffer.from(`{"customers": [${' '.repeat(200_000)}]}`));
      expect(bomb.length).toBeLessThan(1024);
      const big = await exchange(port, rawPost('/predict/batch', { 'content-type': 'application/json', 'content-encoding': 'gzip' }, bomb));
      expect(big.status).toBe(413);
      expect(JSON.parse(big.body).error).toBe('the request body is larger than the limit of 1024 bytes');
    } finally {
      await close();
    }
  });

  it('413 for a chunked body that grows past BODY_LIMIT', async () => {
    const server = createServer(service.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    try {
      const { port } = server.address() as AddressInfo;
      const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/predict/batch', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.write('{"customers": [');
        for (let i = 0; i < 30; i++) req.write(`${JSON.stringify(SESSION)},`);
        req.end(`${JSON.stringify(SESSION)}]}`);
      });
      expect(answer.status).toBe(413);
      expect(JSON.parse(answer.body)).toMatchObject({ code: 'payload_too_large', error: 'the request body is larger than the limit of 1024 bytes' });
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('accepts application/json with a UTF-8 charset', async () => {
    await request(service.app).post('/predict').set('content-type', 'application/json; charset=utf-8').send(JSON.stringify(SESSION)).expect(200);
  });

  it('404 for an unknown route', async () => {
    const res = await request(service.app).get('/predictions').expect(404);
    expectErrorShape(res.body, 404, 'not_found');
    expect(res.body.error).toBe('no route for GET /predictions');
  });

  it('500 without the cause or a stack trace, which go to the log', async () => {
    const models = await modelsDir();
    try {
      const broken = await testService({
        modelDir: models.current,
        load: async (dir) => {
          const real = await PurchasePredictor.load(dir);
          return {
            info: real.info,
            spec: real.spec,
            predictChecked: (records) => {
              if (records.length === 1 && records[0].time_spent === 13) throw new Error('secret detail of the failure at /srv/x.ts:12');
              return real.predictChecked(records);
            },
          };
        },
      });
      const res = await request(broken.app).post('/predict').set('x-request-id', 'req-500').send({ ...SESSION, time_spent: 13 }).expect(500);
      expect(res.body).toEqual({
        status: 500,
        code: 'internal_error',
        error: 'the server failed to answer this request; the error is logged under this request_id',
        details: [],
        request_id: 'req-500',
      });
      expect(res.text).not.toMatch(/secret|\.ts|at /);
      const logged = broken.logs.find((l) => l.msg === 'unhandled error');
      expect(logged).toMatchObject({ request_id: 'req-500', method: 'POST', path: '/predict' });
      expect((logged?.err as { message: string; stack: string }).message).toBe('secret detail of the failure at /srv/x.ts:12');
      expect((logged?.err as { stack: string }).stack).toContain('Error: secret detail');
      // The service still answers afterwards.
      await request(broken.app).post('/predict').send(SESSION).expect(200);
    } finally {
      await models.cleanup();
    }
  });
});
