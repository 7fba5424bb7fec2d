/**
 * The slice of the Kubernetes OpenAPI that decides how strategic-merge patches treat lists
 * (x-kubernetes-patch-merge-key / x-kubernetes-list-map-keys / patch strategy). Lists not named
 * here are replaced whole, as kustomize does for lists without a merge strategy and for kinds
 * it has no schema for.
 */
export type ListStrategy =
  | { kind: 'map'; keys: readonly string[]; item?: TypeName }
  | { kind: 'set' }
  | { kind: 'replace' };

type TypeName =
  | 'ObjectMeta' | 'PodTemplateSpec' | 'PodSpec' | 'Container' | 'ServiceSpec' | 'Service' | 'Pod'
  | 'PodTemplate' | 'WorkloadSpec' | 'Workload' | 'JobTemplateSpec' | 'CronJobSpec' | 'CronJob' | 'Object';
type FieldType = TypeName | ListStrategy;

const keyed = (keys: string[], item?: TypeName): ListStrategy => ({ kind: 'map', keys, ...(item ? { item } : {}) });

const types: Record<TypeName, Record<string, FieldType>> = {
  ObjectMeta: {
    finalizers: { kind: 'set' } as ListStrategy,
    ownerReferences: keyed(['uid']),
  },
  PodTemplateSpec: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodSpec: {
    containers: keyed(['name'], 'Container'),
    initContainers: keyed(['name'], 'Container'),
    ephemeralContainers: keyed(['name'], 'Container'),
    volumes: keyed(['name']),
    imagePullSecrets: keyed(['name']),
    hostAliases: keyed(['ip']),
    topologySpreadConstraints: keyed(['topologyKey', 'whenUnsatisfiable']),
    resourceClaims: keyed(['name']),
    schedulingGates: keyed(['name']),
  },
  Container: {
    ports: keyed(['containerPort', 'protocol']),
    env: keyed(['name']),
    volumeMounts: keyed(['mountPath']),
    volumeDevices: keyed(['devicePath']),
  },
  ServiceSpec: { ports: keyed(['port', 'protocol']) },
  Service: { metadata: 'ObjectMeta', spec: 'ServiceSpec' },
  Pod: { metadata: 'ObjectMeta', spec: 'PodSpec' },
  PodTemplate: { metadata: 'ObjectMeta', template: 'PodTemplateSpec' },
  WorkloadSpec: { template: 'PodTemplateSpec' },
  Workload: { metadata: 'ObjectMeta', spec: 'WorkloadSpec' },
  JobTemplateSpec: { metadata: 'ObjectMeta', spec: 'WorkloadSpec' },
  CronJobSpec: { jobTemplate: 'JobTemplateSpec' },
  CronJob: { metadata: 'ObjectMeta', spec: 'CronJobSpec' },
  Object: { metadata: 'ObjectMeta' },
};

/** group/kind -> root type; kinds of other groups get no list merging beyond metadata. */
const roots: Record<string, TypeName> = {
  '/Pod': 'Pod',
  '/PodTemplate': 'PodTemplate',
  '/ReplicationController': 'Workload',
  '/Service': 'Service',
  'apps/Deployment': 'Workload',
  'apps/StatefulSet': 'Workload',
  'apps/DaemonSet': 'Workload',
  'apps/ReplicaSet': 'Workload',
  'extensions/Deployment': 'Workload',
  'extensions/DaemonSet': 'Workload',
  'extensions/ReplicaSet': 'Workload',
  'batch/Job': 'Workload',
  'batch/CronJob': 'CronJob',
};

const builtinGroups = new Set([
  '', 'apps', 'batch', 'extensions', 'policy', 'networking.k8s.io', 'rbac.authorization.k8s.io', 'autoscaling',
  'storage.k8s.io', 'scheduling.k8s.io', 'coordination.k8s.io', 'discovery.k8s.io', 'node.k8s.io',
  'admissionregistration.k8s.io', 'apiextensions.k8s.io', 'apiregistration.k8s.io', 'certificates.k8s.io',
]);

/** A cursor into the schema: where a strategic merge currently is. */
export type SchemaCursor = TypeName | undefined;

export function rootCursor(group: string, kind: string): SchemaCursor {
  return roots[`${group}/${kind}`] ?? (builtinGroups.has(group) ? 'Object' : undefined);
}

export function fieldCursor(cursor: SchemaCursor, field: string): SchemaCursor {
  if (!cursor) return undefined;
  const t = types[cursor][field];
  return typeof t === 'string' ? t : undefined;
}

export function listStrategy(cursor: SchemaCursor, field: string): ListStrategy {
  if (!cursor) return { kind: 'replace' };
  const t = types[cursor][field];
  return t && typeof t !== 'string' ? t : { kind: 'replace' };
}

export function itemCursor(strategy: ListStrategy): SchemaCursor {
  return strategy.kind === 'map' ? strategy.item : undefined;
}
