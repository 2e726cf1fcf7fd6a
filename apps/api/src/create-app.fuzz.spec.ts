import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { ErrorResponse } from './contract/error-response';
import { createApiServer } from './http/create-api-server';
import { nonConformities } from './test-fixtures/conforms';
import { referenceContract } from './test-fixtures/contracts';
import { fuzzRequest, type FuzzRequest } from './test-fixtures/http-fuzz';
import { exchange, listening, rawPost, type RawAnswer } from './test-fixtures/raw-http';
import { modelsDir } from './test-fixtures/test-bundles';
import { testService } from './test-fixtures/test-service';

const VALID = { customer_id: 11, time_spent: 4.5, pages_viewed: 3, basket_value: 20, device_type: 'Mobile', customer_type: 'New' };
// Thousands of real HTTP requests.
jest.setTimeout(120_000);

let port: number;
let close: () => Promise<void>;
let listeningNow: () => boolean;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const models = await modelsDir('v1');
  cleanup = models.cleanup;
  const service = await testService({
    modelDir: models.current,
    env: { BODY_LIMIT: '64kb', MAX_BATCH: '50', LOG_LEVEL: 'silent', ADMIN_TOKEN: 'fuzz-admin-token-0123', MAX_HEADER_BYTES: '16384', MAX_HEADERS_COUNT: '100' },
  });
  const started = await listening(createApiServer(service.app, service.config));
  ({ port, close } = started);
  listeningNow = () => started.server.listening;
});
afterAll(async () => {
  await close();
  await cleanup();
});

/**
 * What every answer must be: never a 5xx, never silence or a reset; an error in the one error
 * shape, with the service's headers, never larger than its request (4 KiB at least).
 */
function expectWellFormed(request: FuzzRequest, answer: RawAnswer): void {
  const context = `${request.method} ${request.path.slice(0, 80)} -> ${answer.status} ${answer.body.slice(0, 200)}`;
  if (answer.status === 0 || answer.ending !== 'end') throw new Error(`no answer (${answer.ending}): ${context}`);
  if (answer.status >= 500) throw new Error(`5xx: ${context}`);
  if (answer.status < 400) return;
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  if (request.method === 'HEAD') return;
  const body = JSON.parse(answer.body) as { request_id: string };
  const problems = nonConformities(ErrorResponse, body);
  if (problems.length > 0) throw new Error(`not the error shape (${problems.join('; ')}): ${context}`);
  expect(body.request_id).toBe(answer.headers['x-request-id']);
  expect(Buffer.byteLength(answer.body)).toBeLessThanOrEqual(Math.max(4096, request.bytes.length));
}

describe('the service under a seeded fuzzer, every route', () => {
  it('answers thousands of random paths, methods, headers and bodies: no 5xx, the error shape, bounded memory', async () => {
    const heapBefore = process.memoryUsage().heapUsed;
    let cases = 0;
    await fc.assert(
      fc.asyncProperty(fuzzRequest, async (request) => {
        cases++;
        expectWellFormed(request, await exchange(port, request.bytes, { timeoutMs: 5000 }));
      }),
      { numRuns: 2500, seed: 20261201, endOnFailure: true },
    );
    expect(cases).toBe(2500);
    expect(listeningNow()).toBe(true);
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(200 * 1024 * 1024);
  });

  it('a session with one field replaced by any JSON value is accepted exactly when class-validator accepts it', async () => {
    const field = fc.constantFrom(...Object.keys(VALID), 'unexpected');
    await fc.assert(
      fc.asyncProperty(field, fc.jsonValue({ maxDepth: 2 }), fc.boolean(), async (name, value, drop) => {
        const session: Record<string, unknown> = { ...VALID };
        if (drop) delete session[name];
        else session[name] = value;
        const answer = await exchange(port, rawPost('/predict', { 'content-type': 'application/json', connection: 'close' }, JSON.stringify(session)));
        const reference = validateSync(plainToInstance(referenceContract().sessionClass, session), { whitelist: true, forbidNonWhitelisted: true });
        expect(answer.status).toBe(reference.length === 0 ? 200 : 422);
      }),
      { numRuns: 250, seed: 7 },
    );
  });

  it('leaves the service up and answering', async () => {
    const live = await fetch(`http://127.0.0.1:${port}/health/live`);
    expect(live.status).toBe(200);
    const predict = await exchange(port, rawPost('/predict', { 'content-type': 'application/json', connection: 'close' }, JSON.stringify(VALID)));
    expect(predict.status).toBe(200);
  });
});
