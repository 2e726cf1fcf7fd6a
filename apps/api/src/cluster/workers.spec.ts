import { execFileSync } from 'node:child_process';
import { killStartedServices, logLines, startServing, until, type Started } from '../test-fixtures/spawned-service';
import { copyBundle, corruptBundle, modelsDir, pointCurrentAt } from '../test-fixtures/test-bundles';

// WORKERS=2 as an operator runs it: a primary and two node:cluster workers, driven by signals.
jest.setTimeout(90_000);
afterEach(killStartedServices);

const TOKEN = 'test-admin-token-0123456789';
const SESSION = { customer_id: 3, time_spent: 8, pages_viewed: 4, basket_value: 30, device_type: 'Mobile', customer_type: 'Returning' };

/** A /predict on a connection of its own (so that the primary hands it to the next worker). */
async function predict(url: string): Promise<{ status: number; version: string | null }> {
  const res = await fetch(`${url}/predict`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: JSON.stringify(SESSION) });
  await res.arrayBuffer();
  return { status: res.status, version: res.headers.get('x-model-version') };
}

async function versions(url: string, n: number): Promise<string[]> {
  const seen: string[] = [];
  for (let i = 0; i < n; i++) seen.push(String((await predict(url)).version));
  return [...new Set(seen)].sort();
}

/** The primary's node:cluster workers (not esbuild's service process, its other child). */
function workerPids(service: Started): number[] {
  const out = execFileSync('pgrep', ['-P', String(service.child.pid), '-f', 'apps_api_src_start'], { encoding: 'utf8' });
  return out.trim().split('\n').filter(Boolean).map(Number);
}

async function metric(url: string, line: RegExp): Promise<number> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = text.split('\n').find((l) => line.test(l));
  return match ? Number(match.split(' ').at(-1)) : NaN;
}

describe('WORKERS=2', () => {
  it('serves from two workers, counts metrics per service, reloads every worker together or none, restarts a dead one, drains all on SIGTERM', async () => {
    const models = await modelsDir('v1');
    try {
      const service = await startServing({ MODEL_DIR: models.current, WORKERS: '2', ADMIN_TOKEN: TOKEN, DRAIN_DELAY_MS: '500', SHUTDOWN_GRACE_MS: '2000' });
      expect(service.stderr()).toContain(`listening on ${service.url} with 2 workers`);
      expect(workerPids(service)).toHaveLength(2);

      // 30 requests on fresh connections, spread over both workers; /metrics counts all 30.
      for (let i = 0; i < 30; i++) expect((await predict(service.url)).status).toBe(200);
      expect(await metric(service.url, /^http_requests_total\{method="POST",route="\/predict",status="200"\}/)).toBe(30);
      expect(await metric(service.url, /^predictions_total\{/)).toBe(30);
      expect(await metric(service.url, /^model_info\{model_version="v1"/)).toBe(1);

      // A reload asked of any worker reaches both: every answer after it is v2's.
      await copyBundle(models.root, 'v2', { threshold: 0 });
      await pointCurrentAt(models.root, 'v2');
      const reload = await fetch(`${service.url}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(reload.status).toBe(200);
      expect(await reload.json()).toEqual({ status: 'reloaded', version: 'v2', previous_version: 'v1' });
      expect(await versions(service.url, 12)).toEqual(['v2']);
      expect(await metric(service.url, /^model_reloads_total\{outcome="loaded"\}/)).toBe(1);

      // A bundle the workers refuse is refused by the cluster (SIGHUP to the primary): both keep v2.
      const broken = await copyBundle(models.root, 'v3');
      await corruptBundle(broken);
      await pointCurrentAt(models.root, 'v3');
      service.child.kill('SIGHUP');
      await until(
        async () => logLines(service.stdout()).some((l) => l.msg === 'reload refused by the cluster; every worker keeps its model'),
        (done) => done,
      );
      const refusal = logLines(service.stdout()).find((l) => l.msg === 'reload refused by the cluster; every worker keeps its model');
      expect(String(refusal?.reason)).toMatch(/^worker \d+: bundle .* is invalid: pipeline.json does not match its SHA-256 in manifest.json$/);
      expect(await versions(service.url, 12)).toEqual(['v2']);

      // A worker that dies is restarted, on the bundle in service (v2), not on what current points at.
      const [victim] = workerPids(service);
      process.kill(victim, 'SIGKILL');
      const restarted = await until(
        async () => workerPids(service),
        (pids) => pids.length === 2 && !pids.includes(victim),
      );
      expect(restarted).toHaveLength(2);
      // Log lines are written in 4 KiB blocks or every 250 ms.
      const died = await until(
        async () => logLines(service.stdout()).find((l) => l.msg === 'worker died; restarting it'),
        (line) => line !== undefined,
      );
      expect(died).toMatchObject({ signal: 'SIGKILL' });
      await until(
        async () => logLines(service.stdout()).filter((l) => l.msg === 'listening' && l.worker !== undefined).length,
        (n) => n >= 3,
      );
      expect(await versions(service.url, 12)).toEqual(['v2']);

      // SIGTERM: every worker drains and exits, then the primary exits 0.
      const stoppedAt = Date.now();
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(500);
      expect(logLines(service.stdout()).filter((l) => l.msg === 'server closed')).toHaveLength(2);
    } finally {
      await models.cleanup();
    }
  });
});
