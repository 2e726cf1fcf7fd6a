/**
 * The Kubernetes manifests under deploy/k8s, read as kubectl reads them: the kustomize base (the
 * files its kustomization.yaml lists), the overlays, and the Jobs that are created one at a time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseAllDocuments } from 'yaml';
import { ROOT } from './scratch';

export const K8S_DIR = path.join(ROOT, 'deploy/k8s');

/** An API object as it stands in a file. */
export interface ApiObject {
  apiVersion: string;
  kind: string;
  metadata: { name?: string; generateName?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

export interface Manifest {
  /** Relative to deploy/k8s. */
  file: string;
  object: ApiObject;
}

/** A JSON 6902 operation of a kustomize patch. */
export interface PatchOperation {
  op: string;
  path: string;
  value?: unknown;
}

export interface Kustomization {
  resources: string[];
  images?: { name: string; newName?: string; newTag?: string }[];
  patches?: { target: { group?: string; version: string; kind: string; name: string }; patch: string }[];
}

/** Every YAML document of a file; a syntax error or warning is an error. */
export function readYamlDocuments(file: string): unknown[] {
  return parseAllDocuments(readFileSync(file, 'utf8')).map((doc) => {
    const problems = [...doc.errors, ...doc.warnings];
    if (problems.length > 0) throw new Error(`${path.relative(ROOT, file)}: ${problems.map((p) => p.message).join('; ')}`);
    return doc.toJS();
  });
}

/** The kustomization.yaml of a directory under deploy/k8s ('' for the base). */
export function readKustomization(dir = ''): Kustomization {
  const [kustomization] = readYamlDocuments(path.join(K8S_DIR, dir, 'kustomization.yaml'));
  return kustomization as Kustomization;
}

/** The API objects of files under deploy/k8s. */
export function readManifests(files: string[]): Manifest[] {
  return files.flatMap((file) => readYamlDocuments(path.join(K8S_DIR, file)).map((object) => ({ file, object: object as ApiObject })));
}

/** What `kubectl apply -k deploy/k8s` applies, before kustomize sets the image tags. */
export function baseManifests(): Manifest[] {
  return readManifests(readKustomization().resources);
}

/** The Jobs, created with `kubectl create -f deploy/k8s/jobs/<file>`. */
export function jobManifests(): Manifest[] {
  return readManifests(yamlFilesUnder('jobs'));
}

/** YAML files under a directory of deploy/k8s, relative to deploy/k8s, sorted. */
export function yamlFilesUnder(dir: string): string[] {
  return readdirSync(path.join(K8S_DIR, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => path.join(dir, f))
    .sort();
}

/** The one object of that kind (and name) among the manifests; throws when there is not exactly one. */
export function findObject<T>(manifests: Manifest[], kind: string, name?: string): T {
  const found = manifests.filter((m) => m.object.kind === kind && (name === undefined || m.object.metadata.name === name));
  if (found.length !== 1) throw new Error(`expected one ${kind}${name ? ` named ${name}` : ''}, found ${found.length}`);
  return found[0].object as unknown as T;
}

/**
 * JSON 6902 `test` and `remove` applied as kustomize applies them (the only operations the
 * overlays use); returns a patched copy, throws when a test fails.
 */
export function applyPatch<T>(object: T, operations: PatchOperation[]): T {
  const copy = structuredClone(object) as unknown;
  for (const operation of operations) {
    const keys = operation.path.split('/').slice(1).map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
    const last = keys.pop() as string;
    let parent = copy as Record<string, unknown> | unknown[];
    for (const key of keys) parent = (parent as Record<string, unknown>)[key] as Record<string, unknown>;
    if (parent === undefined || parent === null) throw new Error(`patch ${operation.op} ${operation.path}: no such path`);
    const current = (parent as Record<string, unknown>)[last];
    if (operation.op === 'test') {
      if (JSON.stringify(current) !== JSON.stringify(operation.value)) {
        throw new Error(`patch test ${operation.path}: expected ${JSON.stringify(operation.value)}, found ${JSON.stringify(current)}`);
      }
    } else if (operation.op === 'remove') {
      if (current === undefined) throw new Error(`patch remove ${operation.path}: no such path`);
      if (Array.isArray(parent)) parent.splice(Number(last), 1);
      else delete parent[last];
    } else {
      throw new Error(`patch ${operation.op} ${operation.path}: only test and remove are applied here`);
    }
  }
  return copy as T;
}
