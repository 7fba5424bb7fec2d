import { isKnownType } from '../builtin-types.ts';

/**
 * The slice of kustomize's embedded Kubernetes OpenAPI (v1.21.2) that decides how a
 * strategic-merge patch treats lists: lists with patch strategy "merge" are associative, keyed
 * by their x-kubernetes-list-map-keys (or else their patch merge key; no key at all makes a set
 * of scalars, like finalizers). Every other list is replaced whole, as are all lists of types
 * the schema does not know (custom resources, kinds of API versions newer than v1.21).
 */
export interface ListSchema {
  keys: readonly string[];
  item?: TypeName | CustomCursor;
}

/** A place in a user's OpenAPI document (kustomization `openapi: {path}`). */
export interface CustomCursor {
  defs: Record<string, SchemaNode>;
  node: SchemaNode;
}

export interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  'x-kubernetes-patch-strategy'?: string;
  'x-kubernetes-patch-merge-key'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-group-version-kind'?: { group?: string; version?: string; kind?: string }[];
}

/** A user's OpenAPI definitions, keyed by group/version/kind. */
export interface CustomSchema {
  defs: Record<string, SchemaNode>;
  byGvk: Map<string, SchemaNode>;
}

export function parseCustomSchema(doc: unknown): CustomSchema {
  const defs = ((doc as { definitions?: Record<string, SchemaNode> })?.definitions ?? {}) as Record<string, SchemaNode>;
  const byGvk = new Map<string, SchemaNode>();
  for (const def of Object.values(defs)) {
    const gvks = typeof def === 'object' && def !== null ? def['x-kubernetes-group-version-kind'] : undefined;
    for (const g of Array.isArray(gvks) ? gvks : []) {
      if (typeof g !== 'object' || g === null) continue;
      const apiVersion = g.group ? `${g.group}/${g.version ?? ''}` : (g.version ?? '');
      if (!byGvk.has(`${apiVersion}/${g.kind}`)) byGvk.set(`${apiVersion}/${g.kind}`, def);
    }
  }
  return { defs, byGvk };
}

function deref(defs: Record<string, SchemaNode>, node: SchemaNode | undefined): SchemaNode | undefined {
  let n = node;
  for (let i = 0; n && typeof n === 'object' && typeof n.$ref === 'string' && i < 32; i++)
    n = defs[n.$ref.replace(/^#\/definitions\//, '')];
  return n && typeof n === 'object' ? n : undefined;
}

const isCustom = (c: SchemaCursor): c is CustomCursor => typeof c === 'object' && c !== null;

/** Kubernetes definitions a user schema may refer to without defining: kustomize's own schema has them. */
const BUILTIN_DEFS: Record<string, TypeName> = {
  'io.k8s.api.core.v1.PodTemplateSpec': 'PodTemplateSpec',
  'io.k8s.api.core.v1.PodSpec': 'PodSpec',
  'io.k8s.api.core.v1.Container': 'Container',
  'io.k8s.api.core.v1.ServiceSpec': 'ServiceSpec',
  'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': 'ObjectMeta',
};

function builtinFor(defs: Record<string, SchemaNode>, node: SchemaNode | undefined): TypeName | undefined {
  const name = typeof node?.$ref === 'string' ? node.$ref.replace(/^#\/definitions\//, '') : undefined;
  return name && !defs[name] ? BUILTIN_DEFS[name] : undefined;
}

type TypeName =
  | 'ObjectMeta'
  | 'PodTemplateSpec'
  | 'PodSpec'
  | 'Container'
  | 'ServiceSpec'
  | 'Service'
  | 'Pod'
  | 'PodTemplate'
  | 'WorkloadSpec'
  | 'Workload'
  | 'JobTemplateSpec'
  | 'CronJobSpec'
  | 'CronJob'
  | 'ServiceAccount'
  | 'WebhookConfiguration'
  | 'Object';
type FieldType = TypeName | { list: ListSchema };

const list = (keys: string[], item?: TypeName): FieldType => ({ list: { keys, ...(item ? { item } : {}) } });

const types: Record<TypeName, Record<string, FieldType>> = {
  ObjectMeta: {
    finalizers: list([]),
    ownerReferences: list(['uid']),
  },
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    containers: list(['name'], 'Container'),
    initContainers: list(['name'], 'Container'),
    ephemeralContainers: list(['name'], 'Container'),
    volumes: list(['name']),
    imagePullSecrets: list(['name']),
    hostAliases: list(['ip']),
    topologySpreadConstraints: list(['topologyKey', 'whenUnsatisfiable']),
  },
  Container: {
    ports: list(['containerPort', 'protocol']),
    env: list(['name']),
    volumeMounts: list(['mountPath']),
    volumeDevices: list(['devicePath']),
  },
  ServiceSpec: { ports: list(['port', 'protocol']) },
  Service: { metadata: 'ObjectMeta', spec: 'ServiceSpec' },
  Pod: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodTemplate: { metadata: 'ObjectMeta', template: 'PodTemplateSpec' },
  WorkloadSpec: { template: 'PodTemplateSpec' },
  Workload: { metadata: 'ObjectMeta', spec: 'WorkloadSpec' },
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'WorkloadSpec' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },
  CronJob: { metadata: 'ObjectMeta', spec: 'CronJobSpec' },
  ServiceAccount: { metadata: 'ObjectMeta', secrets: list(['name']) },
  WebhookConfiguration: { metadata: 'ObjectMeta', webhooks: list(['name']) },
  Object: { metadata: 'ObjectMeta' },
};

/** apiVersion/kind -> root type, for the types with associative lists beyond metadata. */
const roots: Record<string, TypeName> = {
  'v1/Pod': 'Pod',
  'v1/PodTemplate': 'PodTemplate',
  'v1/ReplicationController': 'Workload',
  'v1/Service': 'Service',
  'v1/ServiceAccount': 'ServiceAccount',
  'apps/v1/Deployment': 'Workload',
  'apps/v1/StatefulSet': 'Workload',
  'apps/v1/DaemonSet': 'Workload',
  'apps/v1/ReplicaSet': 'Workload',
  'batch/v1/Job': 'Workload',
  'batch/v1/CronJob': 'CronJob',
  'batch/v1beta1/CronJob': 'CronJob',
  'admissionregistration.k8s.io/v1/MutatingWebhookConfiguration': 'WebhookConfiguration',
  'admissionregistration.k8s.io/v1/ValidatingWebhookConfiguration': 'WebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1/MutatingWebhookConfiguration': 'WebhookConfiguration',
  'admissionregistration.k8s.io/v1beta1/ValidatingWebhookConfiguration': 'WebhookConfiguration',
};

/** A cursor into the schema: the type a strategic merge is currently in (undefined: unknown). */
export type SchemaCursor = TypeName | CustomCursor | undefined;

export function rootCursor(apiVersion: string, kind: string, custom?: CustomSchema): SchemaCursor {
  const def = custom?.byGvk.get(`${apiVersion}/${kind}`);
  if (custom && def) return { defs: custom.defs, node: def };
  // A custom schema replaces the built-in one: a kind it does not define is unknown (its lists
  // are replaced whole, not merged by the built-in merge keys).
  if (custom) return undefined;
  return roots[`${apiVersion}/${kind}`] ?? (isKnownType(apiVersion, kind) ? 'Object' : undefined);
}

/** The type of a map-valued field. */
export function fieldCursor(cursor: SchemaCursor, field: string): SchemaCursor {
  if (!cursor) return undefined;
  if (isCustom(cursor)) {
    const raw = deref(cursor.defs, cursor.node)?.properties?.[field];
    const builtin = builtinFor(cursor.defs, raw);
    if (builtin) return builtin;
    const n = deref(cursor.defs, raw);
    return n ? { defs: cursor.defs, node: n } : undefined;
  }
  const t = types[cursor][field];
  return typeof t === 'string' ? t : undefined;
}

/** The merge keys of an associative list field, or undefined for a list that is replaced whole. */
export function listSchema(cursor: SchemaCursor, field: string): ListSchema | undefined {
  if (!cursor) return undefined;
  if (isCustom(cursor)) {
    const n = deref(cursor.defs, deref(cursor.defs, cursor.node)?.properties?.[field]);
    const strategy = n?.['x-kubernetes-patch-strategy'];
    if (!n || typeof strategy !== 'string' || !strategy.split(',').includes('merge')) return undefined;
    const mapKeys = n['x-kubernetes-list-map-keys'];
    const mergeKey = n['x-kubernetes-patch-merge-key'];
    const keys =
      Array.isArray(mapKeys) && mapKeys.every((k) => typeof k === 'string')
        ? mapKeys
        : typeof mergeKey === 'string' && mergeKey
          ? [mergeKey]
          : [];
    const builtinItem = builtinFor(cursor.defs, n.items);
    const item = deref(cursor.defs, n.items);
    return { keys, ...(builtinItem ? { item: builtinItem } : item ? { item: { defs: cursor.defs, node: item } } : {}) };
  }
  const t = types[cursor][field];
  return t && typeof t !== 'string' ? t.list : undefined;
}
