import type { FieldPath, Json, JsonObject } from '../../src/model/provenance.ts';
import { isObject } from '../../src/model/provenance.ts';
import type { KubeObject } from '../../src/engine/types.ts';

/** The API group of an apiVersion (`apps/v1` -> `apps`, `v1` -> ``). */
export function apiGroup(obj: KubeObject): string {
  const v = obj['apiVersion'];
  if (typeof v !== 'string') return '';
  const i = v.indexOf('/');
  return i < 0 ? '' : v.slice(0, i);
}

/** Whether `obj` is a `kind` of API group `group` (any version). */
export function isKind(obj: KubeObject, group: string, kind: string): boolean {
  return obj['kind'] === kind && apiGroup(obj) === group;
}

function metadata(obj: KubeObject): JsonObject | undefined {
  const m = obj['metadata'];
  return isObject(m) ? m : undefined;
}

export function nameOf(obj: KubeObject): string {
  const n = metadata(obj)?.['name'];
  return typeof n === 'string' ? n : '';
}

/** The namespace as written, or undefined when the rendered object has none. */
export function namespaceOf(obj: KubeObject): string | undefined {
  const n = metadata(obj)?.['namespace'];
  return typeof n === 'string' && n !== '' ? n : undefined;
}

/** Namespaces are compared as written: two objects without one are in the same (unset) namespace. */
export function sameNamespace(a: KubeObject, b: KubeObject): boolean {
  return (namespaceOf(a) ?? '') === (namespaceOf(b) ?? '');
}

/** A string-to-string map (labels, annotations, a Service selector); other entries are dropped. */
export function stringMap(v: Json | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isObject(v)) return out;
  for (const [k, val] of Object.entries(v)) if (typeof val === 'string') out[k] = val;
  return out;
}

/** An IntOrString port as a number when it is one (or a numeric string), else undefined. */
export function numericPort(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^\d+$/.test(v)) return Number(v);
  return undefined;
}

/**
 * Where the pod spec of a workload sits, by kind (core Pods, PodTemplates and
 * ReplicationControllers; apps Deployments, StatefulSets, DaemonSets and ReplicaSets; batch Jobs
 * and CronJobs); undefined for any other object.
 */
export function podSpecPath(obj: KubeObject): FieldPath | undefined {
  const kind = obj['kind'];
  const group = apiGroup(obj);
  if (kind === 'Pod' && group === '') return ['spec'];
  if (kind === 'PodTemplate' && group === '') return ['template', 'spec'];
  if (kind === 'ReplicationController' && group === '') return ['spec', 'template', 'spec'];
  if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(String(kind)) && group === 'apps')
    return ['spec', 'template', 'spec'];
  if (kind === 'Job' && group === 'batch') return ['spec', 'template', 'spec'];
  if (kind === 'CronJob' && group === 'batch') return ['spec', 'jobTemplate', 'spec', 'template', 'spec'];
  return undefined;
}
