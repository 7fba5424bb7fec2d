import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { LOCS, isObject, seqLocs, type Json, type JsonArray, type JsonObject } from '../../model/provenance.ts';
import { isClusterScoped } from '../builtin-types.ts';
import { apiVersionOf, describeId, effectiveNamespace, idOf, type ResId, type Resource } from '../resource.ts';
import { setScalarText } from '../untagged.ts';
import { compareGvk } from '../order.ts';

/*
 * Kustomize's name references: after the build, a field that names another object of the
 * build (a Deployment's ConfigMap volume, a StatefulSet's serviceName, a RoleBinding's subjects)
 * follows that object's renames (prefix, suffix) and namespace moves. The table restates
 * kustomize's default nameReference configuration; the selection mirrors its rules.
 */

export interface Gvk {
  group?: string;
  version?: string;
  kind?: string;
}

export interface Referrer extends Gvk {
  /** Slash path; `\/` is a slash inside a key. Lists along the way are walked item by item. */
  path: string;
}

export interface Reference {
  target: Gvk;
  referrers: Referrer[];
}

/** Pod-template owners and where their pod spec sits. */
const podSpecOwners: { kind: string; version?: string; spec: string }[] = [
  { kind: 'Pod', version: 'v1', spec: 'spec' },
  { kind: 'PodTemplate', spec: 'template/spec' },
  { kind: 'Deployment', spec: 'spec/template/spec' },
  { kind: 'ReplicaSet', spec: 'spec/template/spec' },
  { kind: 'DaemonSet', spec: 'spec/template/spec' },
  { kind: 'StatefulSet', spec: 'spec/template/spec' },
  { kind: 'Job', spec: 'spec/template/spec' },
  { kind: 'CronJob', spec: 'spec/jobTemplate/spec/template/spec' },
];

function inPodSpecs(paths: string[]): Referrer[] {
  return podSpecOwners.flatMap((o) =>
    paths.map((p) => ({ kind: o.kind, ...(o.version ? { version: o.version } : {}), path: `${o.spec}/${p}` })),
  );
}

/** Owners of a pod spec that name their service account, PVCs and priority class. */
const workloadSpecs: { kind: string; spec: string }[] = [
  { kind: 'Pod', spec: 'spec' },
  { kind: 'StatefulSet', spec: 'spec/template/spec' },
  { kind: 'Deployment', spec: 'spec/template/spec' },
  { kind: 'ReplicationController', spec: 'spec/template/spec' },
  { kind: 'CronJob', spec: 'spec/jobTemplate/spec/template/spec' },
  { kind: 'Job', spec: 'spec/template/spec' },
  { kind: 'DaemonSet', spec: 'spec/template/spec' },
];

function inWorkloads(path: string): Referrer[] {
  return workloadSpecs.map((w) => ({ kind: w.kind, path: `${w.spec}/${path}` }));
}

const scaleTarget = (kind: string): Reference => ({
  target: { kind },
  referrers: [{ kind: 'HorizontalPodAutoscaler', path: 'spec/scaleTargetRef/name' }],
});

const references: Reference[] = [
  scaleTarget('Deployment'),
  scaleTarget('ReplicationController'),
  scaleTarget('ReplicaSet'),
  scaleTarget('StatefulSet'),
  {
    target: { kind: 'ConfigMap', version: 'v1' },
    referrers: [
      ...inPodSpecs([
        'volumes/configMap/name',
        'containers/env/valueFrom/configMapKeyRef/name',
        'initContainers/env/valueFrom/configMapKeyRef/name',
        'containers/envFrom/configMapRef/name',
        'initContainers/envFrom/configMapRef/name',
        'volumes/projected/sources/configMap/name',
      ]),
      { kind: 'Node', path: 'spec/configSource/configMap' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap' },
    ],
  },
  {
    target: { kind: 'Secret', version: 'v1' },
    referrers: [
      ...inPodSpecs([
        'volumes/secret/secretName',
        'containers/env/valueFrom/secretKeyRef/name',
        'initContainers/env/valueFrom/secretKeyRef/name',
        'containers/envFrom/secretRef/name',
        'initContainers/envFrom/secretRef/name',
        'imagePullSecrets/name',
        'volumes/projected/sources/secret/name',
      ]),
      { kind: 'Ingress', path: 'spec/tls/secretName' },
      { kind: 'Ingress', path: 'metadata/annotations/ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret' },
      { kind: 'Ingress', path: 'metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret' },
      { kind: 'ServiceAccount', path: 'imagePullSecrets/name' },
      { kind: 'StorageClass', path: 'parameters/secretName' },
      { kind: 'StorageClass', path: 'parameters/adminSecretName' },
      { kind: 'StorageClass', path: 'parameters/userSecretName' },
      { kind: 'StorageClass', path: 'parameters/secretRef' },
      { kind: 'Role', path: 'rules/resourceNames' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
      {
        kind: 'Service',
        group: 'serving.knative.dev',
        version: 'v1',
        path: 'spec/template/spec/containers/env/valueFrom/secretKeyRef/name',
      },
      { kind: 'PersistentVolume', path: 'spec/azureFile/secretName' },
    ],
  },
  {
    target: { kind: 'Service', version: 'v1' },
    referrers: [
      { kind: 'StatefulSet', group: 'apps', path: 'spec/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/backend/serviceName' },
      { kind: 'Ingress', path: 'spec/rules/http/paths/backend/service/name' },
      { kind: 'Ingress', path: 'spec/defaultBackend/service/name' },
      { kind: 'APIService', group: 'apiregistration.k8s.io', path: 'spec/service/name' },
      { kind: 'ValidatingWebhookConfiguration', group: 'admissionregistration.k8s.io', path: 'webhooks/clientConfig/service' },
      { kind: 'MutatingWebhookConfiguration', group: 'admissionregistration.k8s.io', path: 'webhooks/clientConfig/service' },
    ],
  },
  {
    target: { kind: 'Role', group: 'rbac.authorization.k8s.io' },
    referrers: [{ kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' }],
  },
  {
    target: { kind: 'ClusterRole', group: 'rbac.authorization.k8s.io' },
    referrers: [
      { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' },
      { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', path: 'roleRef/name' },
    ],
  },
  {
    target: { kind: 'ServiceAccount', version: 'v1' },
    referrers: [
      { kind: 'RoleBinding', group: 'rbac.authorization.k8s.io', path: 'subjects' },
      { kind: 'ClusterRoleBinding', group: 'rbac.authorization.k8s.io', path: 'subjects' },
      ...inWorkloads('serviceAccountName'),
    ],
  },
  { target: { kind: 'PersistentVolumeClaim', version: 'v1' }, referrers: inWorkloads('volumes/persistentVolumeClaim/claimName') },
  {
    target: { kind: 'PersistentVolume', version: 'v1' },
    referrers: [
      { kind: 'PersistentVolumeClaim', path: 'spec/volumeName' },
      { kind: 'ClusterRole', path: 'rules/resourceNames' },
    ],
  },
  {
    target: { kind: 'StorageClass', version: 'v1', group: 'storage.k8s.io' },
    referrers: [
      { kind: 'PersistentVolume', path: 'spec/storageClassName' },
      { kind: 'PersistentVolumeClaim', path: 'spec/storageClassName' },
      { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates/spec/storageClassName' },
    ],
  },
  { target: { kind: 'PriorityClass', version: 'v1', group: 'scheduling.k8s.io' }, referrers: inWorkloads('priorityClassName') },
  // Kustomize's own table spells this group "networking.k8s.io/v1", so it never matches anything.
  {
    target: { kind: 'IngressClass', version: 'v1', group: 'networking.k8s.io/v1' },
    referrers: [{ kind: 'Ingress', path: 'spec/ingressClassName' }],
  },
];

function selected(id: Pick<ResId, 'group' | 'version' | 'kind'>, gvk: Gvk): boolean {
  return (!gvk.group || gvk.group === id.group) && (!gvk.version || gvk.version === id.version) && (!gvk.kind || gvk.kind === id.kind);
}

function splitPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < path.length; i++) {
    if (path[i] === '\\' && path[i + 1] === '/') {
      cur += '/';
      i++;
    } else if (path[i] === '/') {
      out.push(cur);
      cur = '';
    } else cur += path[i];
  }
  out.push(cur);
  return out;
}

/** Calls `visit` with every value `path` reaches; lists along the way are walked item by item. */
function walk(
  node: Json | undefined,
  segs: string[],
  visit: (parent: JsonObject | JsonArray, key: string | number) => void,
  parent?: JsonObject | JsonArray,
  key?: string | number,
): void {
  if (segs.length === 0) {
    if (parent !== undefined && key !== undefined) visit(parent, key);
    return;
  }
  if (node === undefined || node === null) return;
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(item, segs, visit, node, i));
    return;
  }
  if (!isObject(node)) return;
  const [head, ...rest] = segs as [string, ...string[]];
  if (!Object.prototype.hasOwnProperty.call(node, head)) return;
  walk(node[head] as Json, rest, visit, node, head);
}

/** The shorter list is the end of the longer one; an empty list only matches another. */
const sameEnding = (a: readonly string[], b: readonly string[]) => {
  if (a.length === 0 || b.length === 0) return a.length === b.length;
  const n = Math.min(a.length, b.length);
  for (let i = 1; i <= n; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return true;
};

class Fixer {
  constructor(private readonly all: Resource[]) {}

  /** Kustomize's candidates for a referrer: cluster-scoped objects, its own namespace, and the namespaces of a RoleBinding's service accounts. */
  candidatesFor(referrer: Resource): Resource[] {
    const rid = idOf(referrer.object);
    if (isClusterScoped(apiVersionOf(rid), rid.kind)) return this.all;
    const saNamespaces = new Set<string>();
    if (rid.kind === 'RoleBinding' && Array.isArray(referrer.object.subjects)) {
      for (const s of referrer.object.subjects) {
        if (!isObject(s) || !('namespace' in s) || !('kind' in s) || s.kind !== 'ServiceAccount') continue;
        if (typeof s.namespace !== 'string') {
          throw new UserError(
            `a ServiceAccount subject of ${describeId(rid)} has a blank namespace (kustomize: "namespace is blank")`,
            referrer.location,
          );
        }
        saNamespaces.add(s.namespace);
      }
    }
    return this.all.filter((r) => {
      const id = idOf(r.object);
      if (isClusterScoped(apiVersionOf(id), id.kind)) return true;
      if (effectiveNamespace(id) === effectiveNamespace(rid)) return true;
      return saNamespaces.has(id.namespace);
    });
  }

  select(referrer: Resource, field: Referrer, target: Gvk, oldName: string, candidates: Resource[]): Resource | undefined {
    const history = (r: Resource) => r.history ?? [];
    let list = candidates.filter((r) => history(r).some((id) => id.name === oldName));
    list = list.filter((r) => history(r).some((id) => selected(id, target)));
    if (field.path.endsWith('roleRef/name')) {
      const roleRef = referrer.object.roleRef;
      if (isObject(roleRef) && typeof roleRef.apiGroup === 'string' && typeof roleRef.kind === 'string') {
        const gvk = { group: roleRef.apiGroup, kind: roleRef.kind };
        list = list.filter((r) => history(r).some((id) => selected(id, gvk)));
      }
    }
    const rid = idOf(referrer.object);
    if (!isClusterScoped(apiVersionOf(rid), rid.kind)) {
      list = list.filter((r) => {
        const id = idOf(r.object);
        return (
          isClusterScoped(apiVersionOf(id), id.kind) || id.kind === 'ServiceAccount' || effectiveNamespace(id) === effectiveNamespace(rid)
        );
      });
    }
    if (list.length === 1) return list[0];
    list = list.filter(
      (r) => sameEnding(r.prefixes ?? [], referrer.prefixes ?? []) && sameEnding(r.suffixes ?? [], referrer.suffixes ?? []),
    );
    if (list.length <= 1) return list[0];
    const names = new Set(list.map((r) => idOf(r.object).name));
    if (names.size === 1) return list[0];
    throw new UserError(
      `cannot fix the name reference "${oldName}" in ${field.path} of ${describeId(rid)}: it could be any of ${list.map((r) => describeId(idOf(r.object))).join(', ')}`,
      referrer.location,
    );
  }

  fix(referrer: Resource, field: Referrer, target: Gvk): void {
    const candidates = this.candidatesFor(referrer);
    walk(referrer.object, splitPath(field.path), (parent, key) => {
      const value = (parent as Record<string | number, Json>)[key] as Json;
      if (value === null || value === undefined) return;
      if (Array.isArray(value)) {
        value.forEach((item, i) => this.fixValue(referrer, field, target, candidates, value, i, item));
      } else {
        this.fixValue(referrer, field, target, candidates, parent, key, value);
      }
    });
  }

  private fixValue(
    referrer: Resource,
    field: Referrer,
    target: Gvk,
    candidates: Resource[],
    parent: JsonObject | JsonArray,
    key: string | number,
    value: Json,
  ): void {
    if (isObject(value)) {
      this.fixMapping(referrer, field, target, candidates, value);
      return;
    }
    if (Array.isArray(value) || value === null) return;
    const oldName = String(value);
    const referral = this.select(referrer, field, target, oldName, candidates);
    if (!referral) return;
    const name = idOf(referral.object).name;
    if (name === oldName) return;
    // The new value comes from wherever the referral's name was last set (its prefix or suffix).
    const loc = metaLoc(referral, 'name');
    if (Array.isArray(parent)) {
      parent[key as number] = name;
      if (loc) seqLocs(parent)[key as number] = loc;
    } else setScalarText(parent, key as string, name, loc);
  }

  /** A `{name, namespace}` reference (subjects, webhook services): both follow the referral. */
  private fixMapping(referrer: Resource, field: Referrer, target: Gvk, candidates: Resource[], node: JsonObject): void {
    if (!Object.prototype.hasOwnProperty.call(node, 'name')) {
      throw new UserError(`the name reference at ${field.path} of ${describeId(idOf(referrer.object))} has no "name"`, referrer.location);
    }
    let list = candidates;
    if (Object.prototype.hasOwnProperty.call(node, 'namespace')) {
      const ns = scalarText(node.namespace as Json);
      const byOriginal = candidates.filter((r) => effectiveNamespace(r.previousIds[0] ?? idOf(r.object)) === ns);
      list = byOriginal.length ? byOriginal : candidates.filter((r) => effectiveNamespace(idOf(r.object)) === ns);
    }
    const oldName = scalarText(node.name as Json);
    const referral = this.select(referrer, field, target, oldName, list);
    if (!referral) return;
    const { name, namespace } = idOf(referral.object);
    if (name === oldName && namespace === '') return;
    setScalarText(node, 'name', name, metaLoc(referral, 'name'));
    // An empty namespace is a wildcard here: it never overwrites one.
    if (namespace !== '') setScalarText(node, 'namespace', namespace, metaLoc(referral, 'namespace'));
  }
}

function scalarText(v: Json | undefined): string {
  return v === null || v === undefined || typeof v === 'object' ? '' : String(v);
}

function metaLoc(res: Resource, key: string): SourceLocation | undefined {
  const meta = res.object.metadata;
  return isObject(meta) ? meta[LOCS]?.[key] : undefined;
}

/**
 * Fixes every name reference of the build (kustomize does this once, at the end of the
 * top-level kustomization, before sorting).
 */
export function fixNameReferences(resources: Resource[], custom: readonly Reference[] = []): void {
  const fixer = new Fixer(resources);
  // Kustomize sorts its table by target (see compareGvk) before it fixes anything.
  const table = mergeReferences(references, custom).sort((a, b) => compareGvk(a.target, b.target));
  for (const referrer of resources) {
    const id = idOf(referrer.object);
    for (const ref of table) {
      for (const field of ref.referrers) {
        if (selected(id, field)) fixer.fix(referrer, field, ref.target);
      }
    }
  }
}

const gvkKey = (g: Gvk) => `${g.group ?? ''}|${g.version ?? ''}|${g.kind ?? ''}`;

/** Kustomize merges user nameReference entries into its table: same target, the union of referrers. */
function mergeReferences(base: readonly Reference[], custom: readonly Reference[]): Reference[] {
  if (!custom.length) return [...base];
  const out = base.map((r) => ({ target: r.target, referrers: [...r.referrers] }));
  for (const c of custom) {
    let entry = out.find((r) => gvkKey(r.target) === gvkKey(c.target));
    if (!entry) {
      entry = { target: c.target, referrers: [] };
      out.push(entry);
    }
    for (const f of c.referrers) {
      if (!entry.referrers.some((e) => gvkKey(e) === gvkKey(f) && e.path === f.path)) entry.referrers.push(f);
    }
  }
  return out;
}
