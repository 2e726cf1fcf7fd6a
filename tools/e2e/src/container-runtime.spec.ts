/**
 * The image, without a container runtime (none runs on these machines): the Dockerfile's runtime
 * stage replayed instruction by instruction into a directory that stands for the image's root
 * (image-replay.ts), from the build that nx ran before these tests and a bundle baked in by the
 * build stage's own script. That root is made read-only, as the Deployment's
 * readOnlyRootFilesystem makes it, and the service is started from it as the image's user, with
 * the image's CMD and the settings of the Kubernetes manifests; what the pod's probes, the image's
 * HEALTHCHECK and the Jobs rely on is then asked of it.
 */
import { chmodSync, chownSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IConfigMap, IContainer } from 'kubernetes-models/v1';
import { argDeclaration, instructionsOf, parseDockerfile, stageNamed, substitute } from './dockerfile';
import { dockerignoreMatcher } from './dockerignore';
import { containerProcess, replayStage, type Container, type ReplayedImage } from './image-replay';
import { baseManifests, findObject, jobManifests } from './k8s-manifests';
import { listeningUrl, ROOT, run, scratchDir, start } from './scratch';

jest.setTimeout(300_000);

const dockerfile = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8'));
const build = stageNamed(dockerfile, 'build');
const runtime = stageNamed(dockerfile, 'runtime');
const manifests = baseManifests();
const deployment = findObject<IDeployment>(manifests, 'Deployment', 'purchase-api');
const podSpec = deployment.spec!.template.spec!;
const apiContainer = podSpec.containers[0];
const config = findObject<IConfigMap>(manifests, 'ConfigMap', 'purchase-api').data!;
const jobs = jobManifests().map((m) => m.object as unknown as IJob);
const jobNamed = (generateName: string) => jobs.find((j) => j.metadata!.generateName === generateName)!;
const SESSION = { customer_id: 5, time_spent: 12, pages_viewed: 6, basket_value: 80, device_type: 'Desktop', customer_type: 'Returning' };
const TRAINING_LOG = 'training the default model';

describe('the Dockerfile', () => {
  it("builds on node, runs on node slim, both of this Node's major version", () => {
    const major = process.versions.node.split('.')[0];
    expect(dockerfile.globalArgs.NODE_VERSION).toBe(major);
    expect(dockerfile.stages.map((s) => [s.name, s.base])).toEqual([
      ['build', `node:${major}-bookworm`],
      ['runtime', `node:${major}-bookworm-slim`],
    ]);
  });

  it('build stage: npm ci and npm run build (what nx ran before these tests), then the bundle to bake in, by its script', () => {
    expect(instructionsOf(build, 'RUN').map((i) => i.args)).toEqual([
      'npm ci --ignore-scripts --no-audit --no-fund',
      'npm run build',
      'sh deploy/docker/bake-model.sh "$MODEL_BUNDLE" /models',
    ]);
    expect(instructionsOf(build, 'ARG').map(argDeclaration)).toEqual([['MODEL_BUNDLE', 'none']]);
  });

  it('its build context keeps every file the build reads and leaves out installs, builds, bundles and secrets', () => {
    const ignored = dockerignoreMatcher(readFileSync(path.join(ROOT, '.dockerignore'), 'utf8'));
    const tracked = run('git', ['ls-files', '-co', '--exclude-standard'], { cwd: ROOT }).stdout.split('\n').filter((f) => f !== '');
    // Of the workspace's own files, only the Kubernetes side (it changes no image) and the README
    // of the local models folder stay out.
    expect(tracked.filter(ignored).filter((f) => !f.startsWith('deploy/k8s/') && !['deploy/README.md', 'models/README.md'].includes(f))).toEqual([]);
    for (const kept of ['package-lock.json', 'deploy/docker/bake-model.sh', 'deploy/bundles/current/manifest.json', 'data/raw/customer_sessions.csv']) {
      expect([kept, ignored(kept)]).toEqual([kept, false]);
    }
    for (const left of ['.git/HEAD', '.env', 'node_modules/express/package.json', 'apps/api/node_modules/x/index.js', 'dist/apps/api/main.js', 'models/current/manifest.json', '.nx/cache/x', 'tmp/x', 'npm-debug.log', 'deploy/bundles/.publish-host-1/manifest.json']) {
      expect([left, ignored(left)]).toEqual([left, true]);
    }
  });
});

describe("the image's runtime stage, replayed without a container runtime", () => {
  const scratch = scratchDir('image');
  const rootfs = path.join(scratch.dir, 'rootfs');
  /** The purchase-models volume. */
  const volume = path.join(scratch.dir, 'purchase-models');
  /** Where the build stage baked the bundle into (its /models). */
  const baked = path.join(scratch.dir, 'build-models');
  const asRoot = process.getuid?.() === 0;
  let image: ReplayedImage;

  beforeAll(() => {
    for (const built of ['dist/apps/api/main.js', 'dist/apps/train/main.js', 'dist/apps/train/predict.js']) {
      if (!existsSync(path.join(ROOT, built))) throw new Error(`${built} is missing: the e2e tests run after npm run build (nx: dependsOn ^build)`);
    }
    // A bundle staged in the build context, as deploy/README.md has it staged in deploy/bundles/.
    const context = path.join(scratch.dir, 'context/deploy/bundles');
    const trained = run(process.execPath, ['dist/apps/train/main.js', '--models', 'lr', '--resamples', '10', '--out', context], { cwd: ROOT });
    if (trained.status !== 0) throw new Error(`training the bundle to bake failed:\n${trained.output}`);

    // The build stage's last step, in the workspace (its WORKDIR), baking that bundle into /models.
    const bake = instructionsOf(build, 'RUN').at(-1)!.args;
    const out = /\s(\/\S+)$/.exec(bake)![1];
    const baking = run('sh', ['-c', substitute(bake, { MODEL_BUNDLE: path.join(context, 'current') }).replace(/\s\/\S+$/, ` ${baked}`)], { cwd: ROOT });
    if (baking.status !== 0) throw new Error(`${bake} failed:\n${baking.output}`);

    const workspace = instructionsOf(build, 'WORKDIR')[0].args;
    image = replayStage(runtime, { rootfs, from: 'build', buildPaths: { [workspace]: ROOT, [out]: baked } });
    // Read-only for everyone, as readOnlyRootFilesystem has it; traversable by the image's user.
    run('chmod', ['-R', 'a-w', rootfs], { cwd: scratch.dir });
    chmodSync(scratch.dir, 0o755);
    mkdirSync(volume, { mode: 0o755 });
  });
  afterAll(() => {
    run('chmod', ['-R', 'u+w', scratch.dir], { cwd: ROOT });
    scratch.remove();
  });

  /** The process of a container of the image, started. */
  const startContainer = (container: Container) => {
    const proc = containerProcess(image, container);
    return start(proc.command, proc.args, { cwd: proc.cwd, env: proc.env });
  };
  /** What the Deployment's container gets: the image's ENV, then the ConfigMap (envFrom), then env. */
  const podEnv = (extra: Record<string, string> = {}) => ({ ...config, ...extra, PORT: '0' });
  const portOf = async (api: ReturnType<typeof start>) => new URL(await listeningUrl(api.stderr, api.exited)).port;
  const get = (port: string, route: string) => fetch(`http://127.0.0.1:${port}${route}`);
  /** Log lines are written 4 KiB at a time or every 250 ms: wait for one. */
  const untilLogged = async (api: ReturnType<typeof start>, text: string) => {
    for (const deadline = Date.now() + 5000; !api.stdout().includes(text); await new Promise((r) => setTimeout(r, 50))) {
      if (Date.now() > deadline) throw new Error(`the service did not log ${text}:\n${api.stdout()}`);
    }
  };
  /** A finished process, in a form whose mismatch shows why it failed. */
  const outcome = (ran: { status: number | null; stderr: string }) => ({ status: ran.status, stderr: ran.status === 0 ? '' : ran.stderr });
  const untilStatus = async (port: string, route: string, status: number) => {
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 50))) {
      if ((await get(port, route)).status === status) return;
    }
    throw new Error(`${route} did not answer ${status}`);
  };

  it('holds the production dependencies only, and its user can write no file of it', () => {
    const modules = path.join(rootfs, image.workdir, 'node_modules');
    for (const dev of ['typescript', 'esbuild', 'jest', 'nx', 'kubernetes-models']) expect([dev, existsSync(path.join(modules, dev))]).toEqual([dev, false]);
    expect(existsSync(path.join(modules, 'express'))).toBe(true);
    const write = "require('node:fs').writeFileSync(process.env.TARGET, 'x')";
    for (const target of [path.posix.join(image.workdir, 'written'), '/models/written']) {
      const proc = containerProcess(image, { argv: ['node', '-e', write], env: { TARGET: target } });
      const attempt = run(proc.command, proc.args, { cwd: proc.cwd, env: proc.env });
      expect(attempt.status).not.toBe(0);
      expect(attempt.stderr).toMatch(/EACCES|EROFS|EPERM/);
    }
  });

  it("serves the baked bundle as the image's user with the manifests' settings: probes, HEALTHCHECK, /predict, /admin/reload, drain", async () => {
    const token = 'replayed-admin-token-0123456789';
    const api = startContainer({ env: podEnv({ ADMIN_TOKEN: token }) });
    let port = '';
    try {
      port = await portOf(api);
      if (asRoot) expect(readFileSync(`/proc/${api.child.pid}/status`, 'utf8')).toMatch(new RegExp(`^Uid:\\t${image.user.uid}\\t`, 'm'));

      const routes = (await (await get(port, '/openapi.json')).json()) as { paths: Record<string, { get?: unknown }> };
      for (const probe of [apiContainer.startupProbe!, apiContainer.livenessProbe!, apiContainer.readinessProbe!]) {
        const route = probe.httpGet!.path!;
        expect([route, (await get(port, route)).status, routes.paths[route]?.get !== undefined]).toEqual([route, 200, true]);
      }
      // Every route deploy/README.md names is one the service has (another method is 405, not 404).
      const readme = readFileSync(path.join(ROOT, 'deploy/README.md'), 'utf8');
      const named = new Set([...readme.matchAll(/(?<![\w.])\/(?:health|admin|predict|docs|metrics|openapi\.json|v2)[\w/.-]*/g)].map((m) => m[0]));
      expect(named.size).toBeGreaterThan(2);
      for (const route of named) expect([route, (await get(port, route)).status]).not.toEqual([route, 404]);

      const healthcheck = containerProcess(image, { argv: image.healthcheck.cmd, env: { PORT: port } });
      expect(run(healthcheck.command, healthcheck.args, { cwd: healthcheck.cwd, env: healthcheck.env }).status).toBe(0);

      const answer = await fetch(`http://127.0.0.1:${port}/predict`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(SESSION) });
      expect(answer.status).toBe(200);
      expect(await answer.json()).toMatchObject({ customer_id: 5, purchase_prediction: expect.any(Number), purchase_probability: expect.any(Number) });
      const reload = await fetch(`http://127.0.0.1:${port}/admin/reload`, { method: 'POST', headers: { authorization: `Bearer ${token}` } });
      expect(reload.status).toBe(200);

      // SIGTERM, as the kubelet (and docker stop) sends it: unready at once, gone within the grace period.
      const stoppedAt = Date.now();
      api.child.kill(image.stopSignal as NodeJS.Signals);
      await untilStatus(port, apiContainer.readinessProbe!.httpGet!.path!, 503);
      expect(await api.exited).toBe(0);
      expect(Date.now() - stoppedAt).toBeLessThan(podSpec.terminationGracePeriodSeconds! * 1000);
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(Number(config.DRAIN_DELAY_MS));
      expect(run(healthcheck.command, healthcheck.args, { cwd: healthcheck.cwd, env: healthcheck.env }).status).toBe(1);
    } finally {
      await api.stop();
    }
    expect(api.stdout()).not.toContain(TRAINING_LOG);
    expect(api.stdout()).toContain('"msg":"model in service"');
  });

  it('with the models volume mounted read-only and empty: unready without training; ready on SIGHUP once the publish Job put a bundle there', async () => {
    const mounts = { [apiContainer.volumeMounts![0].mountPath]: volume };
    const api = startContainer({ env: podEnv(), mounts });
    try {
      const port = await portOf(api);
      expect((await get(port, apiContainer.livenessProbe!.httpGet!.path!)).status).toBe(200);
      expect((await get(port, apiContainer.readinessProbe!.httpGet!.path!)).status).toBe(503);
      await untilLogged(api, 'no model bundle at MODEL_DIR');
      expect(readdirSync(volume)).toEqual([]);

      // The publish Job: this image's baked bundle onto the volume, writable for it (its fsGroup).
      const publish = jobNamed('purchase-publish-model-').spec!.template.spec!.containers[0];
      if (asRoot) chownSync(volume, image.user.uid, image.user.gid);
      const job = containerProcess(image, { argv: [...publish.command!, ...publish.args!], mounts: { [publish.volumeMounts![0].mountPath]: volume } });
      const published = run(job.command, job.args, { cwd: job.cwd, env: job.env });
      expect(outcome(published)).toEqual({ status: 0, stderr: '' });
      run('chmod', ['-R', 'a-w', volume], { cwd: scratch.dir });
      if (asRoot) run('chown', ['-R', '0:0', volume], { cwd: scratch.dir });
      expect(readdirSync(volume).sort()).toEqual([expect.stringMatching(/^\d{8}-\d{6}-[0-9a-f]+$/), 'current', 'history.json']);

      // kubectl exec <pod> -- node -e "process.kill(1, 'SIGHUP')" (deploy/README.md), here to the process itself.
      api.child.kill('SIGHUP');
      await untilStatus(port, apiContainer.readinessProbe!.httpGet!.path!, 200);
    } finally {
      api.child.kill('SIGINT');
      expect(await api.exited).toBe(0);
    }
    expect(api.stdout()).not.toContain(TRAINING_LOG);
  });

  it('scores a file in shards as the Indexed scoring Job does, and the merge Job joins them into what one run writes', () => {
    const scoring = jobNamed('purchase-scoring-').spec!;
    const container = scoring.template.spec!.containers[0];
    const option = (args: string[], name: string) => args[args.indexOf(name) + 1];
    const data = path.join(scratch.dir, 'purchase-scoring');
    const onData = (inContainer: string) => path.join(data, path.posix.relative('/data', inContainer));
    mkdirSync(path.dirname(onData(option(container.args!, '--input'))), { recursive: true });
    cpSync(path.join(ROOT, 'data/raw/customer_sessions.csv'), onData(option(container.args!, '--input')));
    if (asRoot) run('chown', ['-R', `${image.user.uid}:${image.user.gid}`, data], { cwd: scratch.dir });
    // The purchase-models volume holds the bundle this image baked (the publish Job's work).
    const mountsOf = (c: IContainer) => Object.fromEntries(c.volumeMounts!.map((m) => [m.mountPath, m.name === 'models' ? baked : data]));
    const runIn = (c: IContainer, argv: string[], env: Record<string, string> = {}) => {
      const proc = containerProcess(image, { argv, env, mounts: mountsOf(c) });
      return outcome(run(proc.command, proc.args, { cwd: proc.cwd, env: proc.env }));
    };

    for (let index = 0; index < scoring.completions!; index++) {
      // $(JOB_COMPLETION_INDEX) is expanded by the kubelet from the env the Job controller sets.
      const args = container.args!.map((a) => a.replace('$(JOB_COMPLETION_INDEX)', String(index)));
      expect({ index, ...runIn(container, [...container.command!, ...args], { JOB_COMPLETION_INDEX: String(index) }) }).toEqual({ index, status: 0, stderr: '' });
    }
    const output = option(container.args!, '--output');
    expect(readdirSync(path.dirname(onData(output))).filter((f) => /\.part-\d+$/.test(f)).length).toBeGreaterThanOrEqual(scoring.completions!);

    const merge = jobNamed('purchase-scoring-merge-').spec!.template.spec!.containers[0];
    expect([option(merge.args!, '--input'), option(merge.args!, '--output')]).toEqual([option(container.args!, '--input'), output]);
    expect(runIn(merge, [...merge.command!, ...merge.args!])).toEqual({ status: 0, stderr: '' });

    const whole = '/data/output/whole.csv';
    const unsharded = ['--model', option(container.args!, '--model'), '--input', option(container.args!, '--input'), '--output', whole];
    expect(runIn(container, [...container.command!, ...unsharded])).toEqual({ status: 0, stderr: '' });
    expect(readFileSync(onData(output), 'utf8')).toBe(readFileSync(onData(whole), 'utf8'));
    expect(readFileSync(onData(output), 'utf8').split('\n').length).toBeGreaterThan(400);
  });
});
