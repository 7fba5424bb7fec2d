import type { Resource } from './resource.ts';
import { idOf } from './resource.ts';

/** Kustomize's default ("legacy") output order: these kinds first, in this order ... */
export const LEGACY_ORDER_FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
/** ... these last, and every other kind in between. */
export const LEGACY_ORDER_LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

function gvkString(g: string, v: string, k: string): string {
  return `${g || '~G'}_${v || '~V'}_${k || '~K'}`;
}

/** Sorts like kustomize's legacy order: kind rank, then group/version/kind, then namespace and name. */
export function legacySort(resources: Resource[], first = LEGACY_ORDER_FIRST, last = LEGACY_ORDER_LAST): Resource[] {
  const rank = new Map<string, number>();
  first.forEach((k, i) => rank.set(k, i - first.length));
  last.forEach((k, i) => rank.set(k, i + 1));
  const keyed = resources.map((r, i) => {
    const id = idOf(r.object);
    return {
      r,
      i,
      kind: id.kind,
      group: id.group,
      rank: rank.get(id.kind) ?? 0,
      gvk: gvkString(id.group, id.version, id.kind),
      rest: `${id.namespace || '~X'}|${id.name || '~N'}`,
    };
  });
  keyed.sort((a, b) => {
    if (a.rank !== b.rank) return a.rank - b.rank;
    if (a.gvk !== b.gvk) {
      // Kustomize's one exception: the core Namespace sorts before namespaces of other groups.
      if (a.kind === 'Namespace' && b.kind === 'Namespace' && (a.group === '' || b.group === '')) return cmp(b.gvk, a.gvk);
      return cmp(a.gvk, b.gvk);
    }
    return cmp(a.rest, b.rest) || a.i - b.i;
  });
  return keyed.map((k) => k.r);
}

/**
 * Kustomize's Gvk.IsLessThan: the legacy kind rank, then group_version_kind. It also orders the
 * nameReference table (TransformerConfig.sortFields), which decides which kind a reference
 * resolves to when several could (an HPA's scaleTargetRef: a StatefulSet before a ReplicaSet).
 */
export function compareGvk(
  a: { group?: string; version?: string; kind?: string },
  b: { group?: string; version?: string; kind?: string },
): number {
  const rank = (k: string | undefined) => {
    const f = LEGACY_ORDER_FIRST.indexOf(k ?? '');
    if (f >= 0) return f - LEGACY_ORDER_FIRST.length;
    const l = LEGACY_ORDER_LAST.indexOf(k ?? '');
    return l >= 0 ? l + 1 : 0;
  };
  return (
    rank(a.kind) - rank(b.kind) ||
    cmp(gvkString(a.group ?? '', a.version ?? '', a.kind ?? ''), gvkString(b.group ?? '', b.version ?? '', b.kind ?? ''))
  );
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
