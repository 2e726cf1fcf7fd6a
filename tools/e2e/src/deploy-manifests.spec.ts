/**
 * The Kubernetes manifests (deploy/k8s) against the Kubernetes API schemas and against the service
 * they deploy: settings that env.example declares, the port, the shutdown budget, the image's user
 * and model directory (the Dockerfile), and the options of the built command lines the Jobs run.
 * deploy/README.md is held to the same names. Nothing here starts a service:
 * container-runtime.spec.ts runs the image's runtime with these manifests' settings.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { IDeployment } from 'kubernetes-models/apps/v1';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import type { IJob } from 'kubernetes-models/batch/v1';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1';
import type { IConfigMap, IContainer, IPodTemplateSpec, IService } from 'kubernetes-models/v1';
import { parse } from 'yaml';
import { argDeclaration, envPairs, onlyInstruction, parseDockerfile, stageNamed } from './dockerfile';
import {
  applyPatch,
  baseManifests,
  findObject,
  jobManifests,
  readKustomization,
  yamlFilesUnder,
  type Manifest,
  type PatchOperation,
} from './k8s-manifests';
import { KUBERNETES_VERSION, schemaProblems } from './k8s-validation';
import { ROOT, run } from './scratch';
import { envExample, helpOptions } from './service-interface';

const base = baseManifests();
const jobs = jobManifests();
const deployment = findObject<IDeployment>(base, 'Deployment', 'purchase-api');
const config = findObject<IConfigMap>(base, 'ConfigMap', 'purchase-api').data!;
const pod = deployment.spec!.template;
const api = pod.spec!.containers[0];
const example = envExample();
const runtime = stageNamed(parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')), 'runtime');
const imageEnv = Object.fromEntries(runtime.instructions.filter((i) => i.keyword === 'ENV').flatMap(envPairs));
const [imageUid, imageGid] = onlyInstruction(runtime, 'USER').args.split(':').map(Number);
const imageWorkdir = onlyInstruction(runtime, 'WORKDIR').args;

const named = (m: Manifest) => `${m.file}: ${m.object.kind} ${m.object.metadata.name ?? m.object.metadata.generateName}`;
const podTemplates: [string, IPodTemplateSpec][] = [
  ['Deployment purchase-api', pod],
  ...jobs.map((m) => [named(m), (m.object as unknown as IJob).spec!.template] as [string, IPodTemplateSpec]),
];
/** The mount of a container that holds a path, if any (the longest mount path that contains it). */
const mountOf = (container: IContainer, inContainer: string) =>
  (container.volumeMounts ?? [])
    .filter((m) => inContainer === m.mountPath || inContainer.startsWith(`${m.mountPath}/`))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];

describe(`the manifests are valid API objects of Kubernetes ${KUBERNETES_VERSION}`, () => {
  it('every object of the base and the Jobs, with no field the schema does not define', () => {
    const problems = [...base, ...jobs].flatMap((m) => schemaProblems(m.object).map((p) => `${named(m)}: ${p}`));
    expect(problems).toEqual([]);
    expect(base.map((m) => m.object.kind).sort()).toEqual(['ConfigMap', 'Deployment', 'HorizontalPodAutoscaler', 'PersistentVolumeClaim', 'PersistentVolumeClaim', 'PodDisruptionBudget', 'Service']);
  });

  it('the check reports a misspelt field, a wrong type and a missing required field', () => {
    const broken = structuredClone(deployment) as unknown as { spec: { template: { spec: { containers: Record<string, unknown>[] } } } };
    const container = broken.spec.template.spec.containers[0];
    container.readinesProbe = container.readinessProbe;
    (container.ports as { containerPort: unknown }[])[0].containerPort = '8000';
    delete container.name;
    expect(schemaProblems(broken)).toEqual([
      '/spec/template/spec/containers/0 must have required property name',
      '/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      '/spec/template/spec/containers/0/readinesProbe is not a field of Deployment in Kubernetes 1.33',
    ]);
  });

  it('the base lists every manifest outside jobs/ and overlays/, and each overlay patches what is there', () => {
    const listed = readKustomization().resources;
    const files = yamlFilesUnder('').filter((f) => !/^(jobs|overlays)\//.test(f) && path.basename(f) !== 'kustomization.yaml');
    expect([...listed].sort()).toEqual(files);

    const overlay = readKustomization('overlays/baked-model');
    expect(overlay.resources).toEqual(['../..']);
    expect(overlay.images).toBeUndefined();
    const [patch] = overlay.patches!;
    expect(patch.target).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'purchase-api' });
    const patched = applyPatch(deployment, parse(patch.patch) as PatchOperation[]);
    expect(schemaProblems(patched)).toEqual([]);
    expect(patched.spec!.template.spec!.volumes).toEqual([]);
    expect(patched.spec!.template.spec!.containers[0].volumeMounts).toEqual([]);
  });
});

describe('the manifests agree with the service', () => {
  it('the ConfigMap holds every setting of env.example but ADMIN_TOKEN, which comes from an optional Secret', () => {
    expect(Object.keys(config).sort()).toEqual(Object.keys(example).filter((name) => name !== 'ADMIN_TOKEN').sort());
    expect(api.envFrom).toEqual([{ configMapRef: { name: 'purchase-api' } }]);
    expect(api.env).toEqual([{ name: 'ADMIN_TOKEN', valueFrom: { secretKeyRef: { name: 'purchase-api-admin', key: 'token', optional: true } } }]);
    // Where the ConfigMap differs from env.example, it is for the cluster: listen on the pod's
    // address, serve the mounted bundles.
    const changed = Object.keys(config).filter((name) => config[name] !== example[name]);
    expect(changed.sort()).toEqual(['HOST', 'MODEL_DIR']);
    expect(config.HOST).toBe('0.0.0.0');
  });

  it('the container port is PORT, the probes and the Service use it, and the image exposes it', () => {
    const http = api.ports!.find((p) => p.name === 'http')!;
    expect(http.containerPort).toBe(Number(example.PORT));
    expect(config.PORT).toBe(example.PORT);
    expect(imageEnv.PORT).toBe(example.PORT);
    expect(onlyInstruction(runtime, 'EXPOSE').args).toBe(example.PORT);
    for (const probe of [api.startupProbe, api.livenessProbe, api.readinessProbe]) expect(probe!.httpGet!.port).toBe('http');
    const service = findObject<IService>(base, 'Service', 'purchase-api');
    expect(service.spec!.ports!.map((p) => p.targetPort)).toEqual(['http']);
  });

  it('probes the liveness and readiness routes (container-runtime.spec.ts asks them of the service)', () => {
    expect(api.startupProbe!.httpGet!.path).toBe('/health/live');
    expect(api.livenessProbe!.httpGet!.path).toBe('/health/live');
    expect(api.readinessProbe!.httpGet!.path).toBe('/health/ready');
    // Liveness waits for the start-up: the service listens once its bundle is loaded.
    expect(api.startupProbe!.periodSeconds! * api.startupProbe!.failureThreshold!).toBeGreaterThanOrEqual(30);
  });

  it('lets a pod drain: terminationGracePeriodSeconds exceeds DRAIN_DELAY_MS + SHUTDOWN_GRACE_MS', () => {
    const budgetSeconds = (Number(config.DRAIN_DELAY_MS) + Number(config.SHUTDOWN_GRACE_MS)) / 1000;
    expect(pod.spec!.terminationGracePeriodSeconds).toBeGreaterThan(budgetSeconds);
    // No preStop hook: the service answers unready and keeps serving on SIGTERM by itself.
    expect(api.lifecycle).toBeUndefined();
  });

  it.each(podTemplates)("%s runs as the image's non-root user, read-only, without privilege escalation or capabilities", (_name, template) => {
    const spec = template.spec!;
    expect(spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: imageUid, runAsGroup: imageGid, seccompProfile: { type: 'RuntimeDefault' } });
    expect(imageUid).not.toBe(0);
    expect(spec.automountServiceAccountToken).toBe(false);
    for (const container of spec.containers) {
      expect(container.securityContext).toEqual({ runAsNonRoot: true, allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
      expect(container.resources!.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container.resources!.limits).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
    }
  });

  it("serves MODEL_DIR from a read-only volume, the image's MODEL_DIR, outside what start-up would train", () => {
    expect(config.MODEL_DIR).toBe(imageEnv.MODEL_DIR);
    const mount = mountOf(api, config.MODEL_DIR)!;
    expect(mount).toMatchObject({ name: 'models', readOnly: true });
    // The whole models volume, not the bundle alone: a switched `current` is seen on SIGHUP.
    expect(path.posix.relative(mount.mountPath, config.MODEL_DIR)).toBe('current');
    const volume = pod.spec!.volumes!.find((v) => v.name === mount.name)!;
    expect(volume.persistentVolumeClaim).toEqual({ claimName: 'purchase-models', readOnly: true });
    // The service trains a model at start-up only when MODEL_DIR is the default models/current
    // of its working directory (apps/api/src/startup/ensure-model.ts): never in a pod.
    expect(path.posix.resolve(imageWorkdir, config.MODEL_DIR)).not.toBe(path.posix.resolve(imageWorkdir, example.MODEL_DIR));
  });

  it("scales the Deployment from its replicas, and the PDB and the Service select its pods and no Job's", () => {
    const hpa = findObject<IHorizontalPodAutoscaler>(base, 'HorizontalPodAutoscaler', 'purchase-api');
    expect(hpa.spec!.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: 'purchase-api' });
    expect(hpa.spec!.minReplicas).toBe(deployment.spec!.replicas);
    expect(deployment.spec!.replicas).toBeGreaterThanOrEqual(2);
    expect(hpa.spec!.metrics).toEqual([{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: expect.any(Number) } } }]);
    expect(config.WORKERS).toBe('1');

    const selects = (selector: Record<string, string>, labels: Record<string, string> | undefined) => Object.entries(selector).every(([k, v]) => labels?.[k] === v);
    const pdb = findObject<IPodDisruptionBudget>(base, 'PodDisruptionBudget', 'purchase-api');
    const service = findObject<IService>(base, 'Service', 'purchase-api');
    for (const selector of [deployment.spec!.selector.matchLabels!, pdb.spec!.selector!.matchLabels!, service.spec!.selector!]) {
      expect(selects(selector, pod.metadata!.labels)).toBe(true);
      for (const [name, template] of podTemplates.slice(1)) expect([name, selects(selector, template.metadata!.labels)]).toEqual([name, false]);
    }
    expect(pdb.spec!.maxUnavailable).toBe(1);
  });

  it('every container runs the image that the kustomization tags', () => {
    const [image] = readKustomization().images!;
    expect(api.image).toBe(image.name);
    for (const [name, template] of podTemplates.slice(1)) {
      for (const container of template.spec!.containers) expect([name, container.image]).toEqual([name, `${image.name}:${image.newTag}`]);
    }
  });
});

describe('the Jobs run the built command lines', () => {
  const entry = (container: IContainer) => {
    expect(container.command![0]).toBe('node');
    expect(existsSync(path.join(ROOT, container.command![1]))).toBe(true);
    return container.command![1];
  };

  it.each(jobs.map((m) => [named(m), m.object as unknown as IJob]))('%s: options from the --help of the program it runs, paths on its volumes', (_name, job) => {
    for (const container of job.spec!.template.spec!.containers) {
      const options = helpOptions(entry(container));
      const args = container.args!;
      expect(args.filter((a) => a.startsWith('-')).filter((a) => !options.has(a))).toEqual([]);
      for (const value of args.filter((a) => a.startsWith('/'))) {
        const mount = mountOf(container, value);
        // A path of the image itself is fine only where the image has it: its baked /models.
        if (!mount) expect([value, path.posix.dirname(value)]).toEqual([value, path.posix.dirname(imageEnv.MODEL_DIR)]);
      }
    }
  });

  it('scoring: an Indexed Job whose pods score shard $(JOB_COMPLETION_INDEX)/completions into files of their own', () => {
    const job = jobs.find((m) => m.object.metadata.generateName === 'purchase-scoring-')!.object as unknown as IJob;
    const spec = job.spec!;
    expect(spec.completionMode).toBe('Indexed');
    expect(spec.parallelism).toBeLessThanOrEqual(spec.completions!);
    expect(spec.template.spec!.restartPolicy).toBe('Never');
    const [container] = spec.template.spec!.containers;
    const option = (name: string) => container.args![container.args!.indexOf(name) + 1];
    expect(option('--shard')).toBe(`$(JOB_COMPLETION_INDEX)/${spec.completions}`);
    expect(option('--model')).toBe(config.MODEL_DIR);
    expect(mountOf(container, option('--model'))).toMatchObject({ readOnly: true });
    expect(mountOf(container, option('--input'))!.name).toBe(mountOf(container, option('--output'))!.name);
    expect(mountOf(container, option('--output'))!.readOnly).toBeUndefined();
  });
});

describe('deploy/README.md names only what exists', () => {
  const readme = readFileSync(path.join(ROOT, 'deploy/README.md'), 'utf8');
  const helpText = ['dist/apps/train/main.js', 'dist/apps/train/predict.js'].map((entry) => run(process.execPath, [entry, '--help'], { cwd: ROOT }).stdout).join('\n');

  it('every environment variable: a setting of env.example, of the image, a build argument, or one the CLIs read', () => {
    const buildArgs = parseDockerfile(readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')).stages.flatMap((s) => s.instructions.filter((i) => i.keyword === 'ARG').map((i) => argDeclaration(i)[0]));
    const known = new Set([...Object.keys(example), ...Object.keys(imageEnv), ...buildArgs, ...(helpText.match(/\b[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+\b/g) ?? [])]);
    const named = new Set([...readme.matchAll(/\b([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+)\b/g), ...readme.matchAll(/\b([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1]));
    expect([...named].filter((name) => !known.has(name))).toEqual([]);
    expect(named.has('WORKERS')).toBe(true);
  });

  it("every command-line option: the training or scoring CLI's, or docker's, kubectl's and npm's it uses", () => {
    const others = ['--build-arg', '--rm', '--stop-timeout', '--signal', '--from-literal', '--for', '--timeout', '--omit'];
    const cli = new Set([...helpOptions('dist/apps/train/main.js'), ...helpOptions('dist/apps/train/predict.js'), ...others]);
    const options = new Set([...readme.matchAll(/(?<![\w-])(--[a-z][a-z-]*)/g)].map((m) => m[1]));
    expect([...options].filter((o) => !cli.has(o))).toEqual([]);
  });

  it('every file, Kubernetes object, Secret and label it names', () => {
    const files = new Set([...readme.matchAll(/(?<![\w/])((?:deploy|apps|libs|tools)\/[\w./-]*[\w/])/g)].map((m) => m[1]));
    // deploy/bundles/<name> is where a reader stages a bundle: only the folder exists here.
    expect([...files].filter((f) => !f.startsWith('deploy/bundles/') || f === 'deploy/bundles/').filter((f) => !existsSync(path.join(ROOT, f)))).toEqual([]);
    const objects = [...readme.matchAll(/\b(deployment|service)\/([a-z][a-z0-9-]*)/g)].map((m) => [m[1], m[2]]);
    expect(objects.length).toBeGreaterThan(0);
    for (const [kind, name] of objects) findObject(base, kind === 'service' ? 'Service' : 'Deployment', name);
    expect(readme).toContain(`secret generic ${api.env![0].valueFrom!.secretKeyRef!.name} --from-literal=${api.env![0].valueFrom!.secretKeyRef!.key}=`);
    const selectors = [...readme.matchAll(/-l ([\w./-]+)=([\w-]+)/g)];
    expect(selectors.length).toBeGreaterThan(0);
    for (const [, label, value] of selectors) expect(pod.metadata!.labels![label]).toBe(value);
  });
});
