import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { createApiServer } from './create-api-server';
import { fuzzRequest } from '../test-fixtures/http-fuzz';
import { exchange, listening, type RawAnswer } from '../test-fixtures/raw-http';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService } from '../test-fixtures/test-service';

jest.setTimeout(120_000);

const SESSION = { customer_id: 11, time_spent: 4.5, pages_viewed: 3, basket_value: 20, device_type: 'Mobile', customer_type: 'New' };
const ENV = { BODY_LIMIT: '64kb', MAX_BATCH: '50', LOG_LEVEL: 'silent', ADMIN_TOKEN: 'fuzz-admin-token-0123', CORS_ORIGINS: 'https://shop.example' };

const services: { port: number; close: () => Promise<void> }[] = [];
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const models = await modelsDir('v1');
  cleanup = models.cleanup;
  for (const leanPostPath of [true, false]) {
    const service = await testService({ modelDir: models.current, env: ENV, leanPostPath });
    services.push(await listening(createApiServer(service.app, service.config)));
  }
});
afterAll(async () => {
  for (const s of services) await s.close();
  await cleanup();
});

/** An answer with what legitimately differs between two runs taken out: the date, ids, timings. */
function comparable(answer: RawAnswer): unknown {
  const { date: _date, 'x-request-id': _id, ...headers } = answer.headers;
  let body: unknown = answer.body;
  if (headers['content-type']?.startsWith('application/json')) {
    try {
      const parsed = JSON.parse(answer.body) as Record<string, unknown>;
      if ('request_id' in parsed) parsed.request_id = '<id>';
      if ('processing_time_seconds' in parsed) {
        parsed.processing_time_seconds = '<seconds>';
        headers['content-length'] = '<length>';
      }
      body = parsed;
    } catch {
      // Compared as text.
    }
  }
  return { status: answer.status, headers, body, ending: answer.ending };
}

/**
 * The lean POST path is invisible: the same requests, to the service with it on and with every
 * route on Express, get the same status, headers (but the date and request id) and body.
 */
describe('the lean POST path against every route on Express', () => {
  const prediction = fuzzRequest.filter((r) => !r.path.startsWith('/metrics'));
  const corpus = [
    ...fc.sample(prediction.filter((r) => r.method === 'POST'), { numRuns: 600, seed: 11 }),
    ...fc.sample(prediction, { numRuns: 400, seed: 12 }),
  ];

  it('answers the fuzz corpus identically', async () => {
    let differing = 0;
    for (const request of corpus) {
      const [lean, express] = [await exchange(services[0].port, request.bytes), await exchange(services[1].port, request.bytes)];
      const a = comparable(lean);
      const b = comparable(express);
      if (!isDeepStrictEqual(a, b)) {
        differing++;
        expect({ request: request.bytes.subarray(0, 300).toString('latin1'), answer: a }).toEqual({ request: request.bytes.subarray(0, 300).toString('latin1'), answer: b });
      }
    }
    expect(differing).toBe(0);
  });

  it('answers the contract identically: predictions, CORS, errors, 503 and 413', async () => {
    const head = (path: string, headers: string, body: string) =>
      Buffer.from(`POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\n${headers}connection: close\r\n\r\n${body}`);
    const cases = [
      head('/predict', 'origin: https://shop.example\r\nx-request-id: same-id\r\n', JSON.stringify(SESSION)),
      head('/predict', 'origin: https://elsewhere.example\r\n', JSON.stringify(SESSION)),
      head('/predict/batch', '', JSON.stringify({ customers: [SESSION, { ...SESSION, customer_id: 2, time_spent: null }] })),
      head('/v2/models/purchase-intent/infer', '', JSON.stringify({ id: 'x', inputs: [{ name: 'time_spent', datatype: 'FP64', shape: [1], data: [1] }] })),
      head('/predict', '', JSON.stringify({ ...SESSION, customers: 1 })),
      head('/predict/batch', '', JSON.stringify({ customers: Array.from({ length: 3000 }, () => SESSION) })),
    ];
    for (const bytes of cases) {
      const lean = comparable(await exchange(services[0].port, bytes));
      const express = comparable(await exchange(services[1].port, bytes));
      expect(lean).toEqual(express);
    }
  });
});
