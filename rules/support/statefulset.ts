import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/engine/types.ts';
import { getPath, type FieldPath } from '../../src/model/provenance.ts';
import { isKind, nameOf, namespaceOf, stringMap } from './k8s.ts';

export const POD_SPEC_PATH: FieldPath = ['spec', 'template', 'spec'];
export const TEMPLATE_METADATA_PATH: FieldPath = ['spec', 'template', 'metadata'];

/** One etcd StatefulSet of the render, with its etcd container located. */
export interface EtcdStatefulSet {
  resource: KubeObject;
  sts: StatefulSet;
  name: string;
  namespace: string | undefined;
  podSpec: PodSpec;
  /** Labels of the pod template (what selectors must select). */
  podLabels: Record<string, string>;
  /** Annotations of the pod template. */
  podAnnotations: Record<string, string>;
  container: Container;
  containerIndex: number;
  /** Path of the etcd container: `spec.template.spec.containers[i]`. */
  containerPath: FieldPath;
}

/** A container of a pod spec with its path, regular containers first, then init containers. */
export interface PodContainer {
  container: Container;
  path: FieldPath;
}

/** StatefulSets (apps group) whose pod template has a container named `containerName`. */
export function findEtcdStatefulSets(resources: readonly KubeObject[], containerName: string): EtcdStatefulSet[] {
  const out: EtcdStatefulSet[] = [];
  for (const resource of resources) {
    if (!isKind(resource, 'apps', 'StatefulSet')) continue;
    const sts = resource as unknown as StatefulSet;
    const podSpec = sts.spec?.template?.spec;
    if (!podSpec || !Array.isArray(podSpec.containers)) continue;
    const containerIndex = podSpec.containers.findIndex((c) => c && typeof c === 'object' && c.name === containerName);
    const container = podSpec.containers[containerIndex];
    if (containerIndex < 0 || !container) continue;
    out.push({
      resource,
      sts,
      name: nameOf(resource),
      namespace: namespaceOf(resource),
      podSpec,
      podLabels: stringMap(getPath(resource, [...TEMPLATE_METADATA_PATH, 'labels'])),
      podAnnotations: stringMap(getPath(resource, [...TEMPLATE_METADATA_PATH, 'annotations'])),
      container,
      containerIndex,
      containerPath: [...POD_SPEC_PATH, 'containers', containerIndex],
    });
  }
  return out;
}

/** Every container and init container of a pod spec found at `podSpecPath`. */
export function podContainers(podSpec: PodSpec | undefined, podSpecPath: FieldPath = POD_SPEC_PATH): PodContainer[] {
  const out: PodContainer[] = [];
  if (!podSpec) return out;
  for (const field of ['containers', 'initContainers'] as const) {
    const list = podSpec[field];
    if (!Array.isArray(list)) continue;
    list.forEach((container, i) => {
      if (container && typeof container === 'object') out.push({ container, path: [...podSpecPath, field, i] });
    });
  }
  return out;
}

/** A container's name for messages. */
export function containerName(c: Container): string {
  return typeof c.name === 'string' ? c.name : '';
}
