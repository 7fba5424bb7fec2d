import type { StatefulSet } from 'kubernetes-types/apps/v1.js';
import type { Container, PodSpec } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../src/engine/types.ts';
import type { ComponentSetting } from '../../src/model/component.ts';
import { getPath, type FieldPath } from '../../src/model/provenance.ts';
import { isKind, nameOf, namespaceOf, stringMap } from './k8s.ts';
import { COMPONENT_DEFAULTS } from './options.ts';

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

/**
 * StatefulSets (apps group) whose pod template has a container named `containerName`, whatever
 * their labels. The cilium-etcd rules use findComponentStatefulSets (labels and container).
 */
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

/** `settings.component` with every field filled in. */
export interface ResolvedComponent {
  /** Pod template labels the component carries (all of them; `{}`: any). */
  matchLabels: Readonly<Record<string, string>>;
  /** Name of the etcd container (in `containers`, not only as an init container). */
  container: string;
}

/**
 * `settings.component` with the upstream component's values for what it leaves out. A given
 * `matchLabels` replaces the default labels (it is not merged with them); `{}` matches any labels.
 */
export function resolveComponent(component?: ComponentSetting): ResolvedComponent {
  return {
    matchLabels: component?.matchLabels ?? COMPONENT_DEFAULTS.matchLabels,
    container: component?.container ?? COMPONENT_DEFAULTS.container,
  };
}

// Every cilium-etcd rule asks for the component of the same render: found once per resources
// array and component setting.
const found = new WeakMap<readonly KubeObject[], Map<string, readonly EtcdStatefulSet[]>>();

/**
 * The StatefulSets of the render that are the cilium-etcd component (`settings.component`): pod
 * template labels carrying every `matchLabels` entry, and a container named `container`. Other
 * etcd StatefulSets of a monorepo (mimir-etcd: container `etcd`, labels
 * `app.kubernetes.io/name: mimir`) are not the component and no cilium-etcd rule judges them.
 */
export function findComponentStatefulSets(resources: readonly KubeObject[], component?: ComponentSetting): EtcdStatefulSet[] {
  const c = resolveComponent(component);
  const key = JSON.stringify([c.container, Object.entries(c.matchLabels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))]);
  let byKey = found.get(resources);
  if (!byKey) found.set(resources, (byKey = new Map()));
  let list = byKey.get(key);
  if (!list) {
    list = findEtcdStatefulSets(resources, c.container).filter((s) => labelMismatches(s.podLabels, c.matchLabels).length === 0);
    byKey.set(key, list);
  }
  return [...list];
}

/** A pod template label the component needs and a StatefulSet lacks or sets otherwise. */
export interface LabelMismatch {
  key: string;
  expected: string;
  /** The StatefulSet's value; undefined when it does not carry the label. */
  actual: string | undefined;
}

function labelMismatches(labels: Record<string, string>, matchLabels: Readonly<Record<string, string>>): LabelMismatch[] {
  return Object.entries(matchLabels)
    .filter(([k, v]) => labels[k] !== v)
    .map(([key, expected]) => ({ key, expected, actual: Object.hasOwn(labels, key) ? labels[key] : undefined }));
}

/** A StatefulSet that is almost the component: it has the container, or some of the labels. */
export interface ComponentNearMiss {
  resource: KubeObject;
  name: string;
  namespace: string | undefined;
  /** Whether its pod template has the component's container. */
  hasContainer: boolean;
  /** Names of its containers (for the message when it lacks the component's). */
  containers: string[];
  /** The component's labels it lacks or sets otherwise. */
  labelMismatches: LabelMismatch[];
  /** One phrase for a message: `StatefulSet mimir-etcd has container etcd but labels app.kubernetes.io/name=mimir (want cilium)`. */
  description: string;
}

function describeMismatches(m: readonly LabelMismatch[]): string {
  return m
    .map((x) => (x.actual === undefined ? `${x.key} unset (want ${x.expected})` : `${x.key}=${x.actual} (want ${x.expected})`))
    .join(', ');
}

function describeLabels(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
}

/**
 * StatefulSets that are not the component but nearly are, in render order: those with the
 * component's container whose pod template labels differ, and those carrying at least one of the
 * component's labels (with its value) that lack the container. What `etcd-statefulset-present`
 * lists when no StatefulSet is the component, so a wrong selector (or a relabelled component) is
 * obvious: `StatefulSet mimir-etcd has container etcd but labels app.kubernetes.io/name=mimir (want cilium)`.
 */
export function componentNearMisses(resources: readonly KubeObject[], component?: ComponentSetting): ComponentNearMiss[] {
  const c = resolveComponent(component);
  const out: ComponentNearMiss[] = [];
  for (const resource of resources) {
    if (!isKind(resource, 'apps', 'StatefulSet')) continue;
    const list = getPath(resource, [...POD_SPEC_PATH, 'containers']);
    const containers = Array.isArray(list)
      ? list.map((x) => (x && typeof x === 'object' && !Array.isArray(x) && typeof x.name === 'string' ? x.name : ''))
      : [];
    const hasContainer = containers.includes(c.container);
    const mismatches = labelMismatches(stringMap(getPath(resource, [...TEMPLATE_METADATA_PATH, 'labels'])), c.matchLabels);
    const matched = Object.keys(c.matchLabels).length - mismatches.length;
    if (hasContainer && mismatches.length === 0) continue; // the component itself
    if (!hasContainer && matched === 0) continue; // neither: not a near miss
    const name = nameOf(resource);
    const named = containers.filter((n) => n !== '');
    const noContainer = `no container ${c.container} (containers: ${named.length ? named.join(', ') : 'none'})`;
    let description: string;
    if (hasContainer) description = `StatefulSet ${name} has container ${c.container} but labels ${describeMismatches(mismatches)}`;
    else if (mismatches.length === 0) description = `StatefulSet ${name} has labels ${describeLabels(c.matchLabels)} but ${noContainer}`;
    else description = `StatefulSet ${name} has ${noContainer} and labels ${describeMismatches(mismatches)}`;
    out.push({
      resource,
      name,
      namespace: namespaceOf(resource),
      hasContainer,
      containers: named,
      labelMismatches: mismatches,
      description,
    });
  }
  return out;
}

/** The component's selector in words: `pod template labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd and a container named "etcd"`. */
export function describeComponent(component?: ComponentSetting): string {
  const c = resolveComponent(component);
  const labels = describeLabels(c.matchLabels);
  return `${labels ? `pod template labels ${labels} and ` : ''}a container named "${c.container}"`;
}
