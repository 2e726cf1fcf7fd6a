import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import fc from 'fast-check';
import { CustomerSession } from './contract/customer-session';
import { ErrorResponse } from './contract/error-response';
import { nonConformities } from './test-fixtures/conforms';
import { modelsDir } from './test-fixtures/test-bundles';
import { testService } from './test-fixtures/test-service';

const VALID = { customer_id: 11, time_spent: 4.5, pages_viewed: 3, basket_value: 20, device_type: 'Mobile', customer_type: 'New' };
const ROUTES = ['/predict', '/predict/batch', '/v2/models/purchase-intent/infer'] as const;
// Hundreds of real HTTP requests per property.
jest.setTimeout(60_000);

let server: Server;
let base: string;
let cleanup: () => Promise<void>;

beforeAll(async () => {
  const models = await modelsDir();
  cleanup = models.cleanup;
  const service = await testService({ modelDir: models.current, env: { BODY_LIMIT: '4kb', MAX_BATCH: '20', LOG_LEVEL: 'silent' } });
  server = createServer(service.app).listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((r) => server.close(r));
  await cleanup();
});

async function post(route: string, body: string, contentType: string | undefined): Promise<{ status: number; json: unknown; requestId: string | null }> {
  const res = await fetch(base + route, { method: 'POST', body, headers: contentType ? { 'content-type': contentType } : {} });
  const text = await res.text();
  return { status: res.status, json: JSON.parse(text), requestId: res.headers.get('x-request-id') };
}

/** Every answer is a success or a client error in the one error shape; never a 5xx. */
function expectClientAnswer(answer: { status: number; json: unknown; requestId: string | null }): void {
  const ok = answer.status >= 200 && answer.status < 300;
  const clientError = answer.status >= 400 && answer.status < 500;
  expect(ok || clientError).toBe(true);
  if (clientError) {
    expect(nonConformities(ErrorResponse, answer.json)).toEqual([]);
    expect((answer.json as { request_id: string }).request_id).toBe(answer.requestId);
  }
}

const jsonText = fc.oneof(
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v) ?? 'null'),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.constantFrom('', '{', '[', '{"customers": [', '{"customer_id": 1e999}', 'null', '[]', '{}', '{"__proto__": {"x": 1}}', '\u0000'),
  fc.array(fc.jsonValue({ maxDepth: 2 }), { maxLength: 300 }).map((a) => JSON.stringify({ customers: a })),
);
const contentType = fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', undefined, 'application/json; charset=latin1');

describe('random and malformed bodies', () => {
  it('are answered with 2xx or 4xx, in the error shape, on every POST route', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ROUTES), jsonText, contentType, async (route, body, type) => {
        expectClientAnswer(await post(route, body, type));
      }),
      { numRuns: 250 },
    );
  });

  it('a session with one field replaced by any JSON value is accepted exactly when class-validator accepts it', async () => {
    const field = fc.constantFrom(...Object.keys(VALID), 'unexpected');
    await fc.assert(
      fc.asyncProperty(field, fc.jsonValue({ maxDepth: 2 }), fc.boolean(), async (name, value, drop) => {
        const session: Record<string, unknown> = { ...VALID };
        if (drop) delete session[name];
        else session[name] = value;
        const answer = await post('/predict', JSON.stringify(session), 'application/json');
        expectClientAnswer(answer);
        const reference = validateSync(plainToInstance(CustomerSession, session), { whitelist: true, forbidNonWhitelisted: true });
        expect(answer.status).toBe(reference.length === 0 ? 200 : 422);
      }),
      { numRuns: 250 },
    );
  });

  it('leave the service up and answering', async () => {
    const live = await fetch(`${base}/health/live`);
    expect(live.status).toBe(200);
    const predict = await post('/predict', JSON.stringify(VALID), 'application/json');
    expect(predict.status).toBe(200);
    expect(server.listening).toBe(true);
  });
});
