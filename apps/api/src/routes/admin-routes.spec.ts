import { createServer, request as httpRequest, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { PurchasePredictor } from '@purchase/inference';
import request from 'supertest';
import { ReloadResponse } from '../contract/admin-response';
import { nonConformities } from '../test-fixtures/conforms';
import { copyBundle, corruptBundle, modelsDir, pointCurrentAt } from '../test-fixtures/test-bundles';
import { testService } from '../test-fixtures/test-service';

const TOKEN = 'test-admin-token-0123456789';
const SESSION = { customer_id: 9, time_spent: 20, pages_viewed: 8, basket_value: 55, device_type: 'Desktop', customer_type: 'Returning' };

let models: Awaited<ReturnType<typeof modelsDir>>;
beforeEach(async () => {
  models = await modelsDir('v1');
});
afterEach(() => models.cleanup());

describe('POST /admin/reload', () => {
  it('does not exist without ADMIN_TOKEN', async () => {
    const service = await testService({ modelDir: models.current });
    const res = await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(404);
    expect(res.body.code).toBe('not_found');
  });

  it('wants the token as a bearer token', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    for (const authorization of [undefined, 'Bearer wrong-token-wrong-token', `Basic ${TOKEN}`, `Bearer ${TOKEN}x`]) {
      const req = request(service.app).post('/admin/reload');
      if (authorization) req.set('authorization', authorization);
      const res = await req.expect(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.body).toMatchObject({ code: 'unauthorized', error: 'POST /admin/reload needs the admin token as "Authorization: Bearer <token>"' });
    }
  });

  it('takes the auth scheme in any case (RFC 9110)', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    for (const authorization of [`bearer ${TOKEN}`, `BEARER ${TOKEN}`, `Bearer  ${TOKEN}`]) {
      await request(service.app).post('/admin/reload').set('authorization', authorization).expect(200);
    }
  });

  it('swaps in the bundle models/current now points at', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    const before = await request(service.app).post('/predict').send(SESSION).expect(200);
    expect(before.headers['x-model-version']).toBe('v1');

    // v2: the same model at threshold 0, so every session is predicted a purchase.
    await copyBundle(models.root, 'v2', { threshold: 0 });
    await pointCurrentAt(models.root, 'v2');
    const reload = await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(200);
    expect(reload.body).toEqual({ status: 'reloaded', version: 'v2', previous_version: 'v1' });
    expect(nonConformities(ReloadResponse, reload.body)).toEqual([]);

    const after = await request(service.app).post('/predict').send(SESSION).expect(200);
    expect(after.headers['x-model-version']).toBe('v2');
    expect(after.body.purchase_probability).toBe(before.body.purchase_probability);
    expect(after.body.purchase_prediction).toBe(1);
    const health = await request(service.app).get('/health').expect(200);
    expect(health.body).toMatchObject({ version: 'v2', model_info: { threshold: 0 } });
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toContain('model_reloads_total{outcome="loaded"} 1');
    expect(metrics.text).toContain(`model_info{model_version="v2",model_type="${health.body.model_info.model_type}"} 1`);
    expect(metrics.text).not.toContain('model_info{model_version="v1"');
  });

  it('refuses a corrupted bundle with 409 and keeps serving the old model', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    const before = await request(service.app).post('/predict').send(SESSION).expect(200);

    const broken = await copyBundle(models.root, 'v2');
    await corruptBundle(broken);
    await pointCurrentAt(models.root, 'v2');
    const reload = await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(409);
    expect(reload.body).toMatchObject({ status: 409, code: 'reload_refused', details: [] });
    expect(reload.body.error).toBe(
      `refused the model bundle at ${models.current}: bundle ${models.current} is invalid: pipeline.json does not match its SHA-256 in manifest.json; the model in service is unchanged`,
    );

    const after = await request(service.app).post('/predict').send(SESSION).expect(200);
    expect(after.headers['x-model-version']).toBe('v1');
    expect(after.body).toEqual(before.body);
    await request(service.app).get('/health/ready').expect(200);
    expect(service.logs.find((l) => l.msg === 'model bundle refused')).toMatchObject({ level: 50, serving: 'v1' });
    const metrics = await request(service.app).get('/metrics');
    expect(metrics.text).toContain('model_reloads_total{outcome="refused"} 1');
  });

  it('answers a request in flight with the model it arrived to, and drops none while swapping', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    await copyBundle(models.root, 'v2', { threshold: 0 });
    const server: Server = createServer(service.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      // A request whose body is still arriving when the swap happens: it arrived to v1.
      const body = JSON.stringify(SESSION);
      const inFlight = new Promise<{ status: number; version: string }>((resolve, reject) => {
        const req = httpRequest({ port, host: '127.0.0.1', method: 'POST', path: '/predict', headers: { 'content-type': 'application/json', 'content-length': body.length } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, version: String(res.headers['x-model-version']) }));
        });
        req.on('error', reject);
        req.write(body.slice(0, 10));
        setTimeout(() => req.end(body.slice(10)), 300);
      });
      const traffic = Array.from({ length: 40 }, () => request(server).post('/predict').send(SESSION));
      await pointCurrentAt(models.root, 'v2');
      const reload = request(server).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`);
      const answers = await Promise.all([...traffic, reload]);
      expect(answers.map((a) => a.status)).toEqual(Array(41).fill(200));
      expect(await inFlight).toEqual({ status: 200, version: 'v1' });
      const after = await request(server).post('/predict').send(SESSION).expect(200);
      expect(after.headers['x-model-version']).toBe('v2');
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('releases the lease of a client that goes away mid-body, so the replaced model is disposed', async () => {
    const disposed: string[] = [];
    const service = await testService({
      modelDir: models.current,
      env: { ADMIN_TOKEN: TOKEN },
      load: async (dir) => {
        const model = await PurchasePredictor.load(dir);
        return {
          info: model.info,
          spec: model.spec,
          predictChecked: (records) => model.predictChecked(records),
          dispose: () => {
            disposed.push(model.info.version);
            model.dispose();
          },
        };
      },
    });
    const server: Server = createServer(service.app).listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const { port } = server.address() as AddressInfo;
    try {
      const socket = connect(port, '127.0.0.1');
      await new Promise((r) => socket.once('connect', r));
      socket.write('POST /predict HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{"customer_id":');
      await new Promise((r) => setTimeout(r, 100));
      await copyBundle(models.root, 'v2');
      await pointCurrentAt(models.root, 'v2');
      await request(server).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(200);
      expect(disposed).toEqual([]); // v1 is still leased by the unfinished request
      socket.destroy();
      for (let i = 0; i < 50 && disposed.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(disposed).toEqual(['v1']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});

describe('MODEL_VERSION', () => {
  it('pins the service to a version beside MODEL_DIR: promotions of current do not move it, reloads keep it', async () => {
    await copyBundle(models.root, 'v2');
    await pointCurrentAt(models.root, 'v2');
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN, MODEL_VERSION: 'v1' } });
    const before = await request(service.app).post('/predict').send(SESSION).expect(200);
    expect(before.headers['x-model-version']).toBe('v1');
    await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(200, { status: 'reloaded', version: 'v1', previous_version: 'v1' });
    expect((await request(service.app).get('/health').expect(200)).body.version).toBe('v1');
  });
});
