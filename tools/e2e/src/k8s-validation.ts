/**
 * API objects checked against the schemas of one Kubernetes release, the way the API server with
 * strict field validation (kubectl's default) checks them: types, formats, enums, required fields,
 * and no field the schema does not define (a misspelt `readinesProbe` would otherwise be dropped
 * in silence, and with it the probe).
 *
 * The schemas are those of kubernetes-models 4.5.1: Kubernetes 1.33 (it has the 1.33 fields, such
 * as a container's lifecycle.stopSignal, and none of 1.34's, such as fileKeyRef). Its compiled
 * validators do not refuse unknown fields, so each object is validated through a proxy that
 * records every field the validator reads: a field it never reads is one the schema does not have.
 */
import { ConfigMap, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';

export const KUBERNETES_VERSION = '1.33';

/** The kinds the manifests may use, by apiVersion and kind. */
const MODELS: Record<string, { prototype: { validate(): void } }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'v1/Secret': Secret,
  'v1/Service': Service,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'batch/v1/CronJob': CronJob,
  'batch/v1/Job': Job,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
};

/** What is wrong with an object, one line per problem at its JSON pointer; empty when it is valid. */
export function schemaProblems(object: unknown): string[] {
  if (typeof object !== 'object' || object === null || Array.isArray(object)) return ['/ must be an object'];
  const { apiVersion, kind } = object as { apiVersion?: unknown; kind?: unknown };
  const model = MODELS[`${String(apiVersion)}/${String(kind)}`];
  if (!model) return [`/ ${String(apiVersion)} ${String(kind)} is not a kind checked here (${Object.keys(MODELS).join(', ')})`];

  const problems: string[] = [];
  const read = new Set<string>(['']);
  try {
    model.prototype.validate.call(recordingReads(object, '', read));
  } catch (err) {
    const errors = (err as { errors?: { instancePath: string; message?: string }[] }).errors;
    if (!errors) throw err;
    problems.push(...errors.map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`));
  }
  for (const [pointer, parent] of fieldPointers(object, '')) {
    if (read.has(parent) && !read.has(pointer)) problems.push(`${pointer} is not a field of ${kind} in Kubernetes ${KUBERNETES_VERSION}`);
  }
  return problems;
}

/** The object behind a proxy that adds the pointer of each own field read to `read`. */
function recordingReads(value: unknown, pointer: string, read: Set<string>): unknown {
  if (typeof value !== 'object' || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      const field = Reflect.get(target, key, receiver);
      if (typeof key !== 'string' || !Object.prototype.hasOwnProperty.call(target, key)) return field;
      const child = `${pointer}/${escapePointer(key)}`;
      read.add(child);
      return recordingReads(field, child, read);
    },
  });
}

/** Every field (object key or array index) of a value: its pointer and its parent's. */
function* fieldPointers(value: unknown, pointer: string): Generator<[string, string]> {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const childPointer = `${pointer}/${escapePointer(key)}`;
    yield [childPointer, pointer];
    yield* fieldPointers(child, childPointer);
  }
}

function escapePointer(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}
