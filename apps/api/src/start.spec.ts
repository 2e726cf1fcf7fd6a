import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { openApiDocument } from './openapi/openapi-document';
import { referenceContract } from './test-fixtures/contracts';
import { killStartedServices, start, startServing, until } from './test-fixtures/spawned-service';
import { copyBundle, modelsDir, pointCurrentAt } from './test-fixtures/test-bundles';

// npm start as a user runs it (spawned-service.ts). Each test starts a Node process that loads
// tfjs and a bundle: seconds on a busy machine.
jest.setTimeout(60_000);
afterEach(killStartedServices);
const SESSION = { customer_id: 3, time_spent: 8, pages_viewed: 4, basket_value: 30, device_type: 'Mobile', customer_type: 'Returning' };

describe('npm start (apps/api/src/start.ts)', () => {
  it('refuses a bad configuration with every problem and exit code 2', async () => {
    const run = start({ PORT: 'eighty', MAX_BATCH: '0' });
    expect(await run.exited).toBe(2);
    expect(run.stderr()).toBe(
      'purchase-api: invalid configuration:\n' +
        '  - PORT must be an integer from 0 to 65535, got "eighty"\n' +
        '  - MAX_BATCH must be an integer from 1 to 100000, got "0"\n',
    );
  });

  it('says which address is taken and exits 1', async () => {
    const taken = createServer().listen(0, '127.0.0.1');
    await new Promise((r) => taken.once('listening', r));
    const { port } = taken.address() as AddressInfo;
    const models = await modelsDir('v1');
    try {
      const run = start({ MODEL_DIR: models.current, PORT: String(port) });
      expect(await run.exited).toBe(1);
      expect(run.stderr()).toBe(`purchase-api: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
    } finally {
      taken.close();
      await models.cleanup();
    }
  });

  it('serves, prints the docs URL, reloads on SIGHUP and stops on SIGTERM', async () => {
    const models = await modelsDir('v1');
    const service = await startServing({ MODEL_DIR: models.current, MAX_BATCH: '77' });
    try {
      // The OpenAPI document of the esbuild bundle is the one the tests see.
      const served = await (await fetch(`${service.url}/openapi.json`)).json();
      const contract = referenceContract(77);
      expect(served).toEqual(JSON.parse(JSON.stringify(openApiDocument({ contract, modelName: 'purchase-intent', adminEnabled: false }))));
      const docs = await fetch(`${service.url}/docs/`);
      expect(docs.status).toBe(200);

      const predict = await fetch(`${service.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': 'start-1' }, body: JSON.stringify(SESSION) });
      expect(predict.status).toBe(200);
      expect(predict.headers.get('x-model-version')).toBe('v1');

      await copyBundle(models.root, 'v2');
      await pointCurrentAt(models.root, 'v2');
      service.child.kill('SIGHUP');
      const health = await until(
        async () => (await (await fetch(`${service.url}/health`)).json()) as { version: string },
        (h) => h.version === 'v2',
      );
      expect(health.version).toBe('v2');

      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      const lines = service.stdout().trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(lines.find((l) => l.msg === 'listening')).toMatchObject({ service: 'purchase-api', model_loaded: true });
      expect(lines.find((l) => l.request_id === 'start-1')).toMatchObject({ msg: 'request', route: '/predict', status: 200 });
      expect(lines.find((l) => l.msg === 'model in service' && l.version === 'v2')).toMatchObject({ previous: 'v1' });
      expect(lines.at(-1)).toMatchObject({ msg: 'server closed', forced: false });
    } finally {
      await models.cleanup();
    }
  });

  it('starts without a model when MODEL_DIR holds none, and is not ready', async () => {
    const models = await modelsDir('v1');
    const service = await startServing({ MODEL_DIR: path.join(models.root, 'nothing-here') });
    try {
      expect((await fetch(`${service.url}/health/ready`)).status).toBe(503);
      const predict = await fetch(`${service.url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SESSION) });
      expect(predict.status).toBe(503);
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(service.stdout()).toContain('no model bundle at MODEL_DIR; serving 503 until one is there, then SIGHUP or POST /admin/reload');
    } finally {
      await models.cleanup();
    }
  });

  it('on SIGTERM under keep-alive load: not ready at once, serves the drain delay with Connection: close, resets nothing, exits in time', async () => {
    const models = await modelsDir('v1');
    const DRAIN = 1500;
    const GRACE = 1500;
    const service = await startServing({ MODEL_DIR: models.current, DRAIN_DELAY_MS: String(DRAIN), SHUTDOWN_GRACE_MS: String(GRACE), LOG_LEVEL: 'warn' });
    try {
      const { port } = new URL(service.url);
      const body = JSON.stringify(SESSION);
      let sigtermAt = Infinity;
      const outcomes: { sentAt: number; status?: number; connection?: string; error?: string }[] = [];
      /** One keep-alive client: a request at a time, a new connection whenever told to close. */
      const client = async (until: number) => {
        const agent = new Agent({ keepAlive: true, maxSockets: 1 });
        while (Date.now() < until) {
          const sentAt = Date.now();
          const outcome = await new Promise<(typeof outcomes)[number]>((resolve) => {
            const req = request({ host: '127.0.0.1', port, path: '/predict', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => {
              res.resume();
              res.on('end', () => resolve({ sentAt, status: res.statusCode, connection: res.headers.connection }));
            });
            req.on('error', (err: NodeJS.ErrnoException) => resolve({ sentAt, error: err.code ?? err.message }));
            req.end(body);
          });
          outcomes.push(outcome);
          if (outcome.error === 'ECONNREFUSED') break;
        }
        agent.destroy();
      };
      const readiness: { at: number; answeredAt: number; status: number }[] = [];
      const poll = async (until: number) => {
        while (Date.now() < until) {
          const at = Date.now();
          try {
            const { status } = await fetch(`${service.url}/health/ready`, { headers: { connection: 'close' } });
            readiness.push({ at, answeredAt: Date.now(), status });
          } catch {
            break;
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      };
      // The clients stop opening connections a little before the drain delay ends, as they do once
      // the load balancer has taken the instance out: a connection still in the listen queue when
      // the listener closes is reset by the kernel, whatever the server does.
      const loadUntil = Date.now() + 300 + DRAIN - 200;
      const load = Promise.all([client(loadUntil), client(loadUntil), client(loadUntil), poll(loadUntil)]);
      await new Promise((r) => setTimeout(r, 300));
      sigtermAt = Date.now();
      service.child.kill('SIGTERM');
      await load;
      // Once the drain delay is over, the listener is closed: a new connection is refused.
      await new Promise((r) => setTimeout(r, Math.max(0, sigtermAt + DRAIN + 100 - Date.now())));
      await expect(fetch(`${service.url}/health/live`)).rejects.toThrow();
      const code = await service.exited;
      const exitedAfter = Date.now() - sigtermAt;

      expect(code).toBe(0);
      expect(exitedAfter).toBeGreaterThanOrEqual(DRAIN);
      expect(exitedAfter).toBeLessThan(DRAIN + GRACE + 500);
      // Not ready from the signal on, while still answering predictions. (A probe sent before the
      // signal but answered after it may see either; one answered before it was ready.)
      expect(readiness.filter((r) => r.answeredAt < sigtermAt).every((r) => r.status === 200)).toBe(true);
      expect(readiness.filter((r) => r.answeredAt < sigtermAt).length).toBeGreaterThan(0);
      const during = readiness.filter((r) => r.at > sigtermAt + 50);
      expect(during.length).toBeGreaterThan(5);
      expect(during.every((r) => r.status === 503)).toBe(true);
      // Nothing reset: every request got its answer.
      expect(outcomes.filter((o) => o.error !== undefined)).toEqual([]);
      const drained = outcomes.filter((o) => o.sentAt > sigtermAt + 50 && o.error === undefined);
      expect(drained.length).toBeGreaterThan(20);
      expect(drained.every((o) => o.status === 200 && o.connection === 'close')).toBe(true);
      expect(outcomes.filter((o) => o.sentAt < sigtermAt - 50).every((o) => o.status === 200 && o.connection === 'keep-alive')).toBe(true);
    } finally {
      await models.cleanup();
    }
  });

  it('on SIGINT skips the drain delay', async () => {
    const models = await modelsDir('v1');
    const service = await startServing({ MODEL_DIR: models.current, DRAIN_DELAY_MS: '20000' });
    try {
      const started = Date.now();
      service.child.kill('SIGINT');
      expect(await service.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(3000);
    } finally {
      await models.cleanup();
    }
  });
});
