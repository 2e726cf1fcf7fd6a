import { connect } from 'node:net';
import { ErrorResponse } from '../contract/error-response';
import { nonConformities } from '../test-fixtures/conforms';
import { exchange, listening, rawPost, type RawAnswer } from '../test-fixtures/raw-http';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService, type TestService } from '../test-fixtures/test-service';
import { createApiServer } from './create-api-server';

const SESSION = { customer_id: 1, time_spent: 3, pages_viewed: 2, basket_value: 10, device_type: 'Desktop', customer_type: 'New' };
jest.setTimeout(30_000);

let service: TestService;
let port: number;
let close: () => Promise<void>;
let cleanup: () => Promise<void>;
beforeAll(async () => {
  const models = await modelsDir();
  cleanup = models.cleanup;
  service = await testService({
    modelDir: models.current,
    env: { BODY_LIMIT: '64kb', HEADERS_TIMEOUT_MS: '1000', REQUEST_TIMEOUT_MS: '2000', MAX_HEADER_BYTES: '4096', MAX_CONNECTIONS: '20' },
  });
  ({ port, close } = await listening(createApiServer(service.app, service.config)));
});
afterAll(async () => {
  await close();
  await cleanup();
});

/** An answer in the one error shape with the service's headers. */
function expectShaped(answer: RawAnswer, status: number, code: string): Record<string, unknown> {
  expect(answer.status).toBe(status);
  const body = JSON.parse(answer.body) as Record<string, unknown>;
  expect(nonConformities(ErrorResponse, body)).toEqual([]);
  expect(body).toMatchObject({ status, code });
  expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  expect(answer.headers['x-content-type-options']).toBe('nosniff');
  expect(answer.headers['x-request-id']).toBe(body.request_id);
  return body;
}

const json = { 'content-type': 'application/json' };

describe('413 that every client can read', () => {
  const big = JSON.stringify({ customers: Array.from({ length: 4000 }, () => SESSION) });

  it('a client that writes its whole 5 MB body before reading gets the 413, not a reset', async () => {
    const body = big.repeat(Math.ceil((5 * 1024 * 1024) / big.length));
    const answer = await exchange(port, rawPost('/predict/batch', { ...json, connection: 'close' }, body));
    expect(answer.written).toBe(true);
    expect(answer.ending).toBe('end');
    expectShaped(answer, 413, 'payload_too_large');
    expect(answer.headers.connection).toBe('close');
  });

  it('a chunked body that grows past the limit: 413 with Connection: close, then the socket closes', async () => {
    const chunks = [big.slice(0, 40_000), big.slice(40_000, 80_000), big.slice(80_000)].map((c) => `${c.length.toString(16)}\r\n${c}\r\n`);
    const answer = await exchange(port, rawPost('/predict/batch', { ...json, 'transfer-encoding': 'chunked' }, `${chunks.join('')}0\r\n\r\n`));
    expect(answer.ending).toBe('end');
    expectShaped(answer, 413, 'payload_too_large');
    expect(answer.headers.connection).toBe('close');
  });

  it('a keep-alive client is not kept reading an endless body: the connection closes after the answer', async () => {
    const declared = 200 * 1024 * 1024;
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (c) => (received += c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write(`POST /predict/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${declared}\r\n\r\n`);
    // Keep sending far past what the server discards; it must cut us off, not read it all.
    const chunk = Buffer.alloc(256 * 1024, 0x20);
    let sent = 0;
    const pump = setInterval(() => {
      if (socket.writable && sent < declared) {
        socket.write(chunk);
        sent += chunk.length;
      }
    }, 1);
    await closed;
    clearInterval(pump);
    expect(received).toMatch(/^HTTP\/1\.1 413 Payload Too Large\r\n/);
    expect(received).toMatch(/\r\nconnection: close\r\n/i);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
  });

  it('never says 100 Continue to an over-limit body', async () => {
    const answer = await exchange(
      port,
      `POST /predict/batch HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${10 * 1024 * 1024}\r\nexpect: 100-continue\r\n\r\n`,
      { untilAnswered: true },
    );
    expect(answer.raw).not.toMatch(/100 Continue/);
    expectShaped(answer, 413, 'payload_too_large');
  });

  it('says 100 Continue to a body within the limit, and answers it', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    const body = JSON.stringify(SESSION);
    const answered = new Promise<void>((resolve) =>
      socket.on('data', (c) => {
        received += c;
        if (received.startsWith('HTTP/1.1 100 Continue\r\n\r\n') && !received.includes('customer_id')) socket.write(body);
        if (received.includes('"customer_id":1')) resolve();
      }),
    );
    socket.write(`POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nexpect: 100-continue\r\n\r\n`);
    await answered;
    socket.destroy();
    expect(received).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
  });

  it('417 in the error shape for an Expect it cannot meet', async () => {
    const answer = await exchange(port, rawPost('/predict', { ...json, expect: 'something-else', connection: 'close' }, JSON.stringify(SESSION)));
    const body = expectShaped(answer, 417, 'expectation_failed');
    expect(body.error).toBe('the Expect header "something-else" cannot be met; only 100-continue is supported');
  });
});

describe('requests Node itself refuses, in the one error shape', () => {
  it('400 for malformed HTTP', async () => {
    for (const raw of ['GARBAGE\r\n\r\n', 'GET / HTTP/1.1\r\nbad header\r\n\r\n', 'POST /predict HTTP/1.1\r\nhost: x\r\ncontent-length: 1\r\ntransfer-encoding: chunked\r\n\r\n']) {
      const answer = await exchange(port, raw);
      const body = expectShaped(answer, 400, 'malformed_request');
      expect(body.error).toMatch(/^the request is not valid HTTP\/1\.1 \(HPE_[A-Z_]+\)$/);
      expect(answer.headers.connection).toBe('close');
    }
  });

  it('431 for headers over MAX_HEADER_BYTES', async () => {
    const answer = await exchange(port, `GET /health HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(8000)}\r\n\r\n`);
    expectShaped(answer, 431, 'headers_too_large');
  });

  it('408 for headers that trickle in past HEADERS_TIMEOUT_MS, and the connection is closed', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (c) => (received += c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write('GET /health HTTP/1.1\r\nhost: x\r\n');
    const started = Date.now();
    const trickle = setInterval(() => socket.writable && socket.write('x-slow: 1\r\n'), 200);
    await closed;
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(4000);
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(received.slice(received.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 408, code: 'request_timeout' });
  });

  it('408 for a body that trickles in past REQUEST_TIMEOUT_MS', async () => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (c) => (received += c));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.on('error', () => undefined);
    socket.write('POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n');
    const trickle = setInterval(() => socket.writable && socket.write(' '), 100);
    const started = Date.now();
    await closed;
    clearInterval(trickle);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
  });

  it('counts them in the metrics', async () => {
    await exchange(port, 'GARBAGE\r\n\r\n');
    const metrics = await exchange(port, 'GET /metrics HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(metrics.body).toMatch(/http_requests_total\{[^}]*route="unparsed"[^}]*status="400"[^}]*\} [1-9]/);
  });
});

describe('the connection cap', () => {
  it('closes connections past MAX_CONNECTIONS as they arrive and keeps serving the others', async () => {
    const sockets = await Promise.all(
      Array.from({ length: 20 }, () => new Promise<ReturnType<typeof connect>>((resolve) => {
        const s = connect(port, '127.0.0.1', () => resolve(s));
        s.on('error', () => undefined);
      })),
    );
    await new Promise((r) => setTimeout(r, 100));
    const refused = await exchange(port, 'GET /health/live HTTP/1.1\r\nhost: x\r\n\r\n', { timeoutMs: 2000 });
    expect(refused.status).toBe(0);
    for (const s of sockets) s.destroy();
    await new Promise((r) => setTimeout(r, 100));
    const served = await exchange(port, 'GET /health/live HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n');
    expect(served.status).toBe(200);
  });
});
