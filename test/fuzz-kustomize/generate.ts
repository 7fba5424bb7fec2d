/*
 * Random kustomization trees for the differential fuzzer (scripts/fuzz-kustomize.ts).
 *
 * A tree is generated as a small abstract model (fast-check arbitraries, so it shrinks well:
 * lists get shorter, choices fall back to the first, simplest option) and then written out as
 * files. References between parts of the tree (a patch's target, a replica count's name, a
 * replacement's source) are indices into the objects the layer can see, resolved when the files
 * are written, so a shrunk tree stays meaningful.
 *
 * Layers: one or two bases (a second base may sit under the first, as a middle layer), zero to
 * two components and the overlay that is built. Objects: ~28 kinds (workloads, Services, RBAC,
 * webhooks, HPA, Ingress, CRDs and a custom resource, cluster-scoped kinds), written as YAML
 * (with quirks: quoted and YAML 1.1 scalars, comments, `---` markers, empty documents), JSON,
 * `kind: List` and multi-document files. Kustomization fields: every one the built-in renderer
 * implements, combined.
 */
import fc from 'fast-check';

export type Tree = Record<string, string>;

// ---------------------------------------------------------------------------------------------
// Pools

export const NAMES = ['app', 'web', 'db', 'cfg', 'api', 'app.v2'];
const LABEL_KEYS = ['app', 'tier', 'team', 'app.kubernetes.io/name', 'env'];
const LABEL_VALUES = ['web', 'backend', 'yes', '1.10', 'on', 'prod', '"0644"', 'x-y'];
const IMAGES = ['nginx', 'busybox', 'registry.example.com/team/api', 'redis'];
const NAMESPACES = ['prod', 'team-a', 'kube-system'];
const PREFIXES = ['p-', 'dev-', 'x'];
const SUFFIXES = ['-s', '-v1', '2'];

interface KindInfo {
  apiVersion: string;
  kind: string;
  cluster?: boolean;
  /** The object's body beyond apiVersion/kind/metadata, given a name for references. */
  body?: (ref: string, q: number) => Record<string, unknown>;
  workload?: boolean;
}

const podSpec = (ref: string, q: number) => ({
  ...(q % 3 === 0 ? { serviceAccountName: ref } : {}),
  containers: [
    {
      name: 'main',
      image: IMAGES[q % IMAGES.length] + (q % 2 ? ':1.0' : ''),
      ...(q % 4 === 1 ? { envFrom: [{ configMapRef: { name: ref } }] } : {}),
      ...(q % 4 === 2
        ? {
            env: [
              { name: 'A', valueFrom: { secretKeyRef: { name: ref, key: 'k' } } },
              { name: 'B', value: 'yes' },
            ],
          }
        : {}),
      ...(q % 5 === 3 ? { ports: [{ containerPort: 8080, name: 'http' }] } : {}),
    },
    ...(q % 6 === 5 ? [{ name: 'side', image: 'busybox' }] : []),
  ],
  ...(q % 4 === 3
    ? {
        volumes: [
          { name: 'v', configMap: { name: ref } },
          { name: 'w', persistentVolumeClaim: { claimName: ref } },
        ],
      }
    : {}),
});

const selectorWorkload = (ref: string, q: number) => ({
  replicas: q % 3,
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: podSpec(ref, q) },
});

export const KINDS: KindInfo[] = [
  { apiVersion: 'apps/v1', kind: 'Deployment', body: (r, q) => ({ spec: selectorWorkload(r, q) }), workload: true },
  { apiVersion: 'v1', kind: 'ConfigMap', body: (_r, q) => ({ data: q % 2 ? { key: 'value', num: '1' } : { 'a.txt': 'line1\nline2\n' } }) },
  {
    apiVersion: 'v1',
    kind: 'Service',
    body: (_r, q) => ({ spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: q % 2 ? 8080 : 'http', name: 'http' }] } }),
  },
  {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    body: (r, q) => ({
      spec: {
        ...selectorWorkload(r, q),
        serviceName: r,
        ...(q % 2
          ? {
              volumeClaimTemplates: [
                { metadata: { name: 'data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } },
              ],
            }
          : {}),
      },
    }),
    workload: true,
  },
  { apiVersion: 'v1', kind: 'Secret', body: (_r, q) => (q % 2 ? { type: 'Opaque', data: { k: 'dmFsdWU=' } } : { stringData: { k: 'v' } }) },
  { apiVersion: 'v1', kind: 'ServiceAccount' },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    body: () => ({ rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] }),
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    body: (r) => ({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: r },
      subjects: [{ kind: 'ServiceAccount', name: r, namespace: 'default' }],
    }),
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRole',
    cluster: true,
    body: () => ({ rules: [{ apiGroups: ['apps'], resources: ['deployments'], verbs: ['list'] }] }),
  },
  {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'ClusterRoleBinding',
    cluster: true,
    body: (r) => ({
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: r },
      subjects: [{ kind: 'ServiceAccount', name: r, namespace: 'default' }],
    }),
  },
  { apiVersion: 'v1', kind: 'Namespace', cluster: true },
  {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    body: (r, q) => ({
      spec: { selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: podSpec(r, q) } },
    }),
    workload: true,
  },
  {
    apiVersion: 'batch/v1',
    kind: 'Job',
    body: (r, q) => ({ spec: { template: { spec: { ...podSpec(r, q), restartPolicy: 'Never' } } } }),
    workload: true,
  },
  {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    body: (r, q) => ({
      spec: { schedule: '*/5 * * * *', jobTemplate: { spec: { template: { spec: { ...podSpec(r, q), restartPolicy: 'OnFailure' } } } } },
    }),
    workload: true,
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    body: () => ({ spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } } }),
  },
  {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    cluster: true,
    body: (r) => ({
      spec: {
        capacity: { storage: '1Gi' },
        accessModes: ['ReadWriteOnce'],
        hostPath: { path: '/tmp' },
        claimRef: { name: r, namespace: 'default' },
      },
    }),
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    body: (r, q) => ({
      spec: {
        ...(q % 2 ? { tls: [{ hosts: ['a.example.com'], secretName: r }] } : {}),
        rules: [
          {
            host: 'a.example.com',
            http: { paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: r, port: { number: 80 } } } }] },
          },
        ],
      },
    }),
  },
  {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    body: (r) => ({ spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: r }, minReplicas: 1, maxReplicas: 3 } }),
  },
  {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    body: () => ({ spec: { minAvailable: 1, selector: { matchLabels: { app: 'web' } } } }),
  },
  {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    body: () => ({ spec: { podSelector: { matchLabels: { app: 'web' } }, policyTypes: ['Ingress'] } }),
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'MutatingWebhookConfiguration',
    cluster: true,
    body: (r) => ({
      webhooks: [
        {
          name: 'm.example.com',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: { service: { name: r, namespace: 'default', path: '/m' } },
        },
      ],
    }),
  },
  {
    apiVersion: 'admissionregistration.k8s.io/v1',
    kind: 'ValidatingWebhookConfiguration',
    cluster: true,
    body: (r) => ({
      webhooks: [
        {
          name: 'v.example.com',
          admissionReviewVersions: ['v1'],
          sideEffects: 'None',
          clientConfig: { service: { name: r, namespace: 'default' } },
        },
      ],
    }),
  },
  {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    cluster: true,
    body: () => ({
      spec: {
        group: 'example.com',
        names: { kind: 'Widget', plural: 'widgets' },
        scope: 'Namespaced',
        versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: { type: 'object' } } }],
      },
    }),
  },
  {
    apiVersion: 'example.com/v1',
    kind: 'Widget',
    body: (r, q) => ({ spec: { size: q % 4, configMapName: r, enabled: q % 2 === 0, ratio: 0.5 } }),
  },
  { apiVersion: 'v1', kind: 'Pod', body: (r, q) => ({ spec: podSpec(r, q) }), workload: true },
  { apiVersion: 'apps/v1', kind: 'ReplicaSet', body: (r, q) => ({ spec: selectorWorkload(r, q) }), workload: true },
  {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    cluster: true,
    body: () => ({ provisioner: 'example.com/disk', parameters: { type: 'ssd' } }),
  },
  { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', cluster: true, body: () => ({ value: 1000, globalDefault: false }) },
];

// ---------------------------------------------------------------------------------------------
// The model

export interface ObjSpec {
  kind: number;
  name: number;
  /** 0: none; else NAMESPACES[ns - 1]. */
  ns: number;
  ref: number;
  q: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

export interface FileSpec {
  format: 'yaml' | 'json' | 'list' | 'quirky';
  objs: ObjSpec[];
}

export interface PatchSpec {
  how: 'smp' | 'json';
  /** Which object of the layer's view it is for. */
  obj: number;
  body: number;
  target: 'none' | 'name' | 'kind' | 'kindRegex' | 'labels' | 'nameRegex' | 'all';
  inline: boolean;
  allowNameChange?: boolean;
}

export interface GenSpec {
  name: number;
  literals: string[];
  behavior?: 'create' | 'merge' | 'replace';
  noHash?: boolean;
  ns?: number;
  env?: boolean;
  type?: boolean;
}

export interface ReplacementSpec {
  src: number;
  srcPath: number;
  tgt: number;
  tgtPath: number;
  create?: boolean;
  delimiter?: boolean;
}

export interface LayerSpec {
  files: FileSpec[];
  namespace?: number; // 0: `namespace:` left empty
  namePrefix?: number;
  nameSuffix?: number;
  commonLabels?: Record<string, string>;
  labels?: { pairs: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean }[];
  commonAnnotations?: Record<string, string>;
  images?: { name: number; newName?: boolean; newTag?: string; digest?: boolean }[];
  replicas?: { obj: number; count: number }[];
  configMapGenerator?: GenSpec[];
  secretGenerator?: GenSpec[];
  generatorOptions?: { noHash?: boolean; labels?: boolean };
  patches?: PatchSpec[];
  patchesStrategicMerge?: PatchSpec[];
  patchesJson6902?: PatchSpec[];
  replacements?: ReplacementSpec[];
  configurations?: number;
  buildMetadata?: ('originAnnotations' | 'transformerAnnotations' | 'managedByLabel')[];
  builtinPlugin?: number;
  empties?: number;
}

export interface TreeSpec {
  bases: LayerSpec[];
  /** The second base builds on the first (a middle layer) rather than beside it. */
  stacked: boolean;
  components: LayerSpec[];
  overlay: LayerSpec;
  sortFifo: boolean;
}

// ---------------------------------------------------------------------------------------------
// Arbitraries

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
const labelMap = fc.dictionary(pick(LABEL_KEYS), pick(LABEL_VALUES), { minKeys: 1, maxKeys: 2 });
/** `a` one time in `freq` (else left out; shrinks to left out). */
const opt = <T>(a: fc.Arbitrary<T>, freq = 3): fc.Arbitrary<T | undefined> =>
  fc.oneof({ weight: freq - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: a });

const objSpec: fc.Arbitrary<ObjSpec> = fc.record(
  {
    kind: fc.nat(KINDS.length - 1),
    name: fc.nat(NAMES.length - 1),
    ns: fc.oneof({ weight: 4, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: NAMESPACES.length }) }),
    ref: fc.nat(NAMES.length - 1),
    q: fc.nat(11),
    labels: opt(labelMap, 2),
    annotations: opt(labelMap, 4),
  },
  { requiredKeys: ['kind', 'name', 'ns', 'ref', 'q'] },
);

const fileSpec: fc.Arbitrary<FileSpec> = fc.record({
  format: fc.oneof(
    { weight: 6, arbitrary: fc.constant('yaml' as const) },
    { weight: 1, arbitrary: pick(['json', 'list', 'quirky'] as const) },
  ),
  objs: fc.array(objSpec, { minLength: 1, maxLength: 3 }),
});

const patchSpec: fc.Arbitrary<PatchSpec> = fc.record(
  {
    how: pick(['smp', 'json'] as const),
    obj: fc.nat(20),
    body: fc.nat(15),
    target: pick(['none', 'name', 'kind', 'kindRegex', 'labels', 'nameRegex', 'all'] as const),
    inline: fc.boolean(),
    allowNameChange: opt(fc.boolean(), 6),
  },
  { requiredKeys: ['how', 'obj', 'body', 'target', 'inline'] },
);

const genSpec: fc.Arbitrary<GenSpec> = fc.record(
  {
    name: fc.nat(NAMES.length - 1),
    literals: fc.uniqueArray(fc.constantFrom('k=v', 'key=value', 'n=1', 'b=yes', 'e=', 'x=a=b', 'q="quoted"'), {
      minLength: 0,
      maxLength: 2,
      selector: (l) => l.split('=')[0],
    }),
    behavior: opt(pick(['create', 'merge', 'replace'] as const), 5),
    noHash: opt(fc.boolean(), 4),
    ns: opt(fc.integer({ min: 1, max: NAMESPACES.length }), 5),
    env: opt(fc.boolean(), 4),
    type: opt(fc.boolean(), 5),
  },
  { requiredKeys: ['name', 'literals'] },
);

const replacementSpec: fc.Arbitrary<ReplacementSpec> = fc.record(
  {
    src: fc.nat(20),
    srcPath: fc.oneof({ weight: 6, arbitrary: fc.constant(0) }, fc.nat(5)),
    tgt: fc.nat(20),
    tgtPath: fc.nat(7),
    create: opt(fc.boolean(), 2),
    delimiter: opt(fc.boolean(), 5),
  },
  { requiredKeys: ['src', 'srcPath', 'tgt', 'tgtPath'] },
);

function layerSpec(kind: 'base' | 'component' | 'overlay'): fc.Arbitrary<LayerSpec> {
  return fc.record(
    {
      files: fc.array(fileSpec, { minLength: kind === 'base' ? 1 : 0, maxLength: kind === 'base' ? 3 : 1 }),
      namespace: opt(fc.nat(NAMESPACES.length), 3),
      namePrefix: opt(fc.nat(PREFIXES.length - 1), 3),
      nameSuffix: opt(fc.nat(SUFFIXES.length - 1), 4),
      commonLabels: opt(labelMap, 4),
      labels: opt(
        fc.array(
          fc.record(
            { pairs: labelMap, includeSelectors: opt(fc.boolean(), 2), includeTemplates: opt(fc.boolean(), 2) },
            { requiredKeys: ['pairs'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        3,
      ),
      commonAnnotations: opt(labelMap, 4),
      images: opt(
        fc.array(
          fc.record(
            {
              name: fc.nat(IMAGES.length - 1),
              newName: opt(fc.boolean()),
              newTag: opt(pick(['2.0', '1.10', 'latest', '3'])),
              digest: opt(fc.boolean(), 5),
            },
            { requiredKeys: ['name'] },
          ),
          { minLength: 1, maxLength: 2 },
        ),
        4,
      ),
      replicas: opt(fc.array(fc.record({ obj: fc.nat(20), count: fc.nat(5) }), { minLength: 1, maxLength: 2 }), 5),
      configMapGenerator: opt(fc.array(genSpec, { minLength: 1, maxLength: 2 }), 2),
      secretGenerator: opt(fc.array(genSpec, { minLength: 1, maxLength: 2 }), 4),
      generatorOptions: opt(fc.record({ noHash: opt(fc.boolean()), labels: opt(fc.boolean()) }), 5),
      patches: opt(fc.array(patchSpec, { minLength: 1, maxLength: 3 }), 2),
      patchesStrategicMerge: opt(fc.array(patchSpec, { minLength: 1, maxLength: 2 }), 5),
      patchesJson6902: opt(fc.array(patchSpec, { minLength: 1, maxLength: 2 }), 5),
      replacements: opt(fc.array(replacementSpec, { minLength: 1, maxLength: 2 }), 4),
      configurations: opt(fc.nat(3), 6),
      buildMetadata: opt(fc.subarray(['originAnnotations', 'transformerAnnotations', 'managedByLabel'] as const, { minLength: 1 }), 6),
      builtinPlugin: opt(fc.nat(9 * 12 - 1), 6), // BUILTIN_PLUGINS (9) × 12 variants
      empties: opt(fc.nat(4), 6),
    },
    { requiredKeys: ['files'] },
  );
}

export const treeSpec: fc.Arbitrary<TreeSpec> = fc.record({
  bases: fc.array(layerSpec('base'), { minLength: 1, maxLength: 2 }),
  stacked: fc.boolean(),
  components: fc.array(layerSpec('component'), { maxLength: 2 }),
  overlay: layerSpec('overlay'),
  sortFifo: fc.boolean().map((b) => b && false),
});

// ---------------------------------------------------------------------------------------------
// Writing the tree

/** A YAML writer for the generated objects, with the quirks turned on by `quirky`. */
function toYaml(v: unknown, indent = 0, quirky = false): string {
  const pad = ' '.repeat(indent);
  if (Array.isArray(v)) {
    if (v.length === 0) return ' []\n';
    return '\n' + v.map((item) => `${pad}-${toYaml(item, indent + 2, quirky).replace(/^\n\s*/, ' ')}`).join('');
  }
  if (v !== null && typeof v === 'object') {
    const keys = Object.keys(v).filter((k) => (v as Record<string, unknown>)[k] !== undefined);
    if (keys.length === 0) return ' {}\n';
    return (
      '\n' + keys.map((k) => `${pad}${scalar(k, quirky, true)}:${toYaml((v as Record<string, unknown>)[k], indent + 2, quirky)}`).join('')
    );
  }
  return ` ${scalar(v, quirky, false)}\n`;
}

/** Scalars: strings quoted when YAML would read them as something else. */
function scalar(v: unknown, quirky: boolean, key: boolean): string {
  if (typeof v === 'string') {
    if (v.startsWith('"') && v.endsWith('"') && v.length >= 2) return v; // written as given (already quoted)
    if (v.includes('\n')) return JSON.stringify(v);
    const special =
      v === '' ||
      /^[-+]?[0-9.]/.test(v) ||
      /^(y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF|null|Null|NULL|~)$/.test(v) ||
      /[:#{}[\],&*!|>'"%@`]/.test(v) ||
      /^\s|\s$/.test(v) ||
      /^[-?:](\s|$)/.test(v);
    if (special) return quirky && !key ? `'${v.replace(/'/g, "''")}'` : JSON.stringify(v);
    return v;
  }
  if (v === null) return quirky ? '~' : 'null';
  return String(v);
}

/** Names given so far (kind/name), to keep clashes rare: a clash only where `q` is 11. */
let taken = new Set<string>();

function nameOf(o: ObjSpec): string {
  const k = KINDS[o.kind % KINDS.length]!;
  let name = NAMES[o.name % NAMES.length]!;
  if (o.q !== 11) for (let n = 2; taken.has(`${k.kind}/${name}`); n++) name = `${NAMES[o.name % NAMES.length]}-${n}`;
  taken.add(`${k.kind}/${name}`);
  return name;
}

function objectOf(o: ObjSpec, name: string): Record<string, unknown> {
  const k = KINDS[o.kind % KINDS.length]!;
  const ref = NAMES[o.ref % NAMES.length]!;
  const metadata: Record<string, unknown> = { name };
  if (o.ns && !k.cluster) metadata.namespace = NAMESPACES[(o.ns - 1) % NAMESPACES.length];
  if (o.labels) metadata.labels = { ...o.labels };
  if (o.annotations) metadata.annotations = { ...o.annotations };
  return { apiVersion: k.apiVersion, kind: k.kind, metadata, ...(k.body ? k.body(ref, o.q) : {}) };
}

function fileText(f: FileSpec, names: string[]): { ext: string; text: string } {
  const objs = f.objs.map((o, i) => objectOf(o, names[i]!));
  switch (f.format) {
    case 'json':
      return objs.length === 1
        ? { ext: 'json', text: JSON.stringify(objs[0], null, 2) + '\n' }
        : { ext: 'json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objs }, null, 2) + '\n' };
    case 'list':
      return { ext: 'yaml', text: `apiVersion: v1\nkind: List\nitems:${toYaml(objs, 0)}` };
    case 'quirky':
      return {
        ext: 'yaml',
        text: '# generated\n---\n' + objs.map((o) => toYaml(o, 0, true).replace(/^\n/, '')).join('---\n# between\n---\n') + '...\n',
      };
    default:
      return { ext: 'yaml', text: objs.map((o) => toYaml(o).replace(/^\n/, '')).join('---\n') };
  }
}

interface View {
  kind: KindInfo;
  name: string;
  labels?: Record<string, string>;
  /** Its namespace as written, if any. */
  ns?: string;
}

function smpBody(v: View, body: number, withId: boolean): Record<string, unknown> {
  const id = withId
    ? { apiVersion: v.kind.apiVersion, kind: v.kind.kind, metadata: { name: v.name, ...(v.ns ? { namespace: v.ns } : {}) } }
    : { metadata: {} };
  const meta = (extra: Record<string, unknown>) => ({ ...id, metadata: { ...(id.metadata as object), ...extra } });
  const w = v.kind.workload;
  const tmpl = (spec: Record<string, unknown>) =>
    v.kind.kind === 'Pod'
      ? { spec }
      : v.kind.kind === 'CronJob'
        ? { spec: { jobTemplate: { spec: { template: { spec } } } } }
        : { spec: { template: { spec } } };
  switch (body % 12) {
    case 0:
      return meta({ labels: { patched: 'true' } });
    case 1:
      return meta({ annotations: { note: 'yes', n: '"1"' } });
    case 2:
      return w ? { ...id, ...tmpl({ containers: [{ name: 'main', image: 'nginx:patched' }] }) } : meta({ labels: { app: null } });
    case 3:
      return w
        ? { ...id, ...tmpl({ containers: [{ name: 'main', env: [{ name: 'X', value: '1' }] }] }) }
        : meta({ annotations: { a: null } });
    case 4:
      return w ? { ...id, ...tmpl({ containers: [{ name: 'side', $patch: 'delete' }] }) } : meta({ labels: { tier: 'patched' } });
    case 5:
      return v.kind.kind === 'Deployment' || v.kind.kind === 'StatefulSet'
        ? { ...id, spec: { replicas: 7 } }
        : meta({ labels: { r: '7' } });
    case 6:
      return { ...id, $patch: 'delete' };
    case 7:
      return v.kind.kind === 'ConfigMap' ? { ...id, data: { key: null, added: 'x' } } : meta({ annotations: { k: null } });
    case 8:
      return v.kind.kind === 'Service' ? { ...id, spec: { ports: [{ port: 443, name: 'https' }] } } : meta({ labels: { tier: null } });
    case 9:
      return w ? { ...id, ...tmpl({ containers: [{ name: 'extra', image: 'redis' }] }) } : meta({ annotations: { quoted: "'str'" } });
    case 10:
      return meta({ name: withId ? v.name : undefined, labels: { e: '' } });
    default:
      return v.kind.kind === 'Widget' ? { ...id, spec: { size: '3', extra: { a: 1 } } } : meta({ annotations: { z: 'v' } });
  }
}

function jsonOps(v: View, body: number): unknown[] {
  const w = v.kind.workload && v.kind.kind !== 'Pod' && v.kind.kind !== 'CronJob';
  switch (body % 12) {
    case 0:
      return [{ op: 'add', path: '/metadata/labels', value: { j: 'x' } }];
    case 1:
      return [{ op: 'add', path: '/metadata/annotations/j', value: 'y' }];
    case 2:
      return w
        ? [{ op: 'replace', path: '/spec/template/spec/containers/0/image', value: 'nginx:json' }]
        : [{ op: 'add', path: '/metadata/annotations', value: { n: 1 } }];
    case 3:
      return v.labels ? [{ op: 'remove', path: '/metadata/labels' }] : [{ op: 'add', path: '/metadata/name', value: v.name }];
    case 4:
      return w
        ? [{ op: 'add', path: '/spec/template/spec/containers/0/env', value: [{ name: 'J', value: '2' }] }]
        : [{ op: 'add', path: '/metadata/labels', value: { j: 'z' } }];
    case 5:
      return [{ op: 'replace', path: '/metadata/name', value: `${v.name}-renamed` }];
    case 6:
      return [
        { op: 'test', path: '/kind', value: v.kind.kind },
        { op: 'add', path: '/metadata/labels/t', value: 'ok' },
      ];
    case 7:
      return [{ op: 'copy', from: '/metadata/name', path: '/metadata/annotations/copied' }];
    case 8:
      return v.kind.kind === 'Deployment'
        ? [{ op: 'replace', path: '/spec/replicas', value: 4 }]
        : [{ op: 'add', path: '/metadata/annotations/num', value: 1.5 }];
    case 9:
      return [{ op: 'add', path: '/metadata/annotations/big', value: 12345678901 }];
    case 10:
      return v.labels
        ? [{ op: 'move', from: '/metadata/labels', path: '/metadata/annotations' }]
        : [{ op: 'add', path: '', value: { apiVersion: v.kind.apiVersion, kind: v.kind.kind, metadata: { name: v.name } } }];
    default:
      return [{ op: 'add', path: '/data', value: { k: 'true' } }];
  }
}

function targetOf(v: View, t: PatchSpec['target']): Record<string, unknown> | undefined {
  switch (t) {
    case 'none':
      return undefined;
    case 'name':
      return { kind: v.kind.kind, name: v.name };
    case 'kind':
      return { kind: v.kind.kind };
    case 'kindRegex':
      return { kind: `(${v.kind.kind}|Service)` };
    case 'labels':
      return v.labels && Object.keys(v.labels).length ? { labelSelector: `${Object.keys(v.labels)[0]}` } : { name: v.name };
    case 'nameRegex':
      return { name: `${v.name.slice(0, 2)}.*` };
    default:
      return { version: v.kind.apiVersion.split('/').pop() };
  }
}

const SRC_PATHS = ['metadata.name', 'metadata.labels.app', 'spec.replicas', 'data.key', 'metadata.annotations.note', 'kind'];
const TGT_PATHS = [
  'metadata.annotations.from',
  'metadata.labels.copy',
  'spec.template.spec.containers.0.image',
  'spec.template.spec.containers.[name=main].env.0.value',
  'data.key',
  'spec.replicas',
  'spec.size',
  'metadata.name',
];

const CONFIGURATIONS = [
  'nameReference:\n- kind: ConfigMap\n  fieldSpecs:\n  - kind: Widget\n    path: spec/configMapName\n',
  'commonLabels:\n- kind: Widget\n  path: spec/selector\n  create: true\n',
  'namePrefix:\n- kind: Widget\n  path: spec/configMapName\n',
  'images:\n- kind: Widget\n  path: spec/image\n',
];

/**
 * Builtin plugin configurations (apiVersion: builtin), written to plugin.yaml and named by
 * `generators:` / `transformers:`. `view` is what the layer sees (objects to name); `variant`
 * picks a form (with or without fieldSpecs, narrowed by kind).
 */
const BUILTIN_PLUGINS: ((view: View[], variant: number) => { field: 'generators' | 'transformers'; text: string })[] = [
  () => ({
    field: 'transformers',
    text: 'apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: lab\nlabels:\n  plugin: "yes"\nfieldSpecs:\n- path: metadata/labels\n  create: true\n',
  }),
  () => ({ field: 'generators', text: 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: plug\nliterals:\n- p=1\n' }),
  () => ({
    field: 'transformers',
    text: 'apiVersion: builtin\nkind: AnnotationsTransformer\nmetadata:\n  name: ann\nannotations:\n  plugin: a\nfieldSpecs:\n- path: metadata/annotations\n  create: true\n',
  }),
  () => ({ field: 'transformers', text: 'apiVersion: builtin\nkind: NamespaceTransformer\nmetadata:\n  name: ns\n  namespace: plugged\n' }),
  // ImageTagTransformer: without fieldSpecs (containers only), or with its own (a custom
  // kind's string field, the containers by path, create: true asking for what it never does).
  (view, variant) => {
    const image = IMAGES[variant % IMAGES.length]!;
    const name = variant % 3 === 2 ? (view[variant % Math.max(view.length, 1)]?.name ?? image) : image;
    const specs =
      variant % 3 === 0
        ? ''
        : 'fieldSpecs:\n- path: spec/configMapName\n  kind: Widget\n- path: spec/template/spec/containers[]/image\n  kind: Deployment\n' +
          (variant % 2 ? '  create: true\n' : '');
    return {
      field: 'transformers',
      text: `apiVersion: builtin\nkind: ImageTagTransformer\nmetadata:\n  name: img\nimageTag:\n  name: ${name}\n  ${variant % 2 ? 'newTag: "9"' : `newName: mirror.example.com/${image}`}\n${specs}`,
    };
  },
  // ReplicaCountTransformer: an object the layer sees, through fieldSpecs (a workload's
  // spec/replicas, a custom kind's number, created or not), or without any (kustomize fails).
  (view, variant) => {
    const scalable = view.filter((v) => ['Deployment', 'StatefulSet', 'ReplicaSet', 'Widget'].includes(v.kind.kind));
    const target = scalable.length ? scalable[variant % scalable.length]! : view[0];
    const specs =
      variant % 4 === 3
        ? ''
        : `fieldSpecs:\n- path: spec/replicas\n  kind: ${target?.kind.kind === 'Widget' ? 'Deployment' : (target?.kind.kind ?? 'Deployment')}\n- path: spec/${variant % 2 ? 'size' : 'count'}\n  kind: Widget\n${variant % 4 === 1 ? '  create: true\n' : ''}`;
    return {
      field: 'transformers',
      text: `apiVersion: builtin\nkind: ReplicaCountTransformer\nmetadata:\n  name: rc\nreplica:\n  name: ${target?.name ?? 'app'}\n  count: ${variant % 5}\n${specs}`,
    };
  },
  // ReplacementTransformer: a name or label of an object the layer sees into a ConfigMap or an annotation.
  (view, variant) => {
    const src = view[variant % Math.max(view.length, 1)];
    const to =
      variant % 2
        ? 'kind: ConfigMap\n    fieldPaths:\n    - data.copied'
        : 'kind: Deployment\n    fieldPaths:\n    - metadata.annotations.copied';
    return {
      field: 'transformers',
      text: `apiVersion: builtin\nkind: ReplacementTransformer\nmetadata:\n  name: rep\nreplacements:\n- source:\n    kind: ${src?.kind.kind ?? 'ConfigMap'}\n    name: ${src?.name ?? 'app'}\n    fieldPath: ${variant % 3 ? 'metadata.name' : 'metadata.labels.app'}\n  targets:\n  - select:\n      ${to}\n    options:\n      create: true\n`,
    };
  },
  // PrefixSuffixTransformer: on every metadata/name, or narrowed by kind (written twice: twice the prefix).
  (_view, variant) => ({
    field: 'transformers',
    text:
      `apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata:\n  name: ps\n${variant % 2 ? 'prefix: pp-\n' : 'suffix: -ss\n'}fieldSpecs:\n` +
      (variant % 3 === 0
        ? '- path: metadata/name\n'
        : variant % 3 === 1
          ? '- path: metadata/name\n  kind: ConfigMap\n'
          : '- path: metadata/name\n  kind: Deployment\n- path: metadata/name\n  kind: Deployment\n'),
  }),
];

/** Writes one layer into `tree` under `dir`; returns what it contributes to the view of layers above. */
function writeLayer(
  tree: Tree,
  dir: string,
  l: LayerSpec,
  kind: 'Kustomization' | 'Component',
  below: string[],
  belowView: View[],
): View[] {
  const k: Record<string, unknown> = {};
  const lines: string[] = [];
  k.apiVersion = kind === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  k.kind = kind;
  const view: View[] = [...belowView];
  const resources: string[] = [...below];
  l.files.forEach((f, i) => {
    const names = f.objs.map(nameOf);
    const { ext, text } = fileText(f, names);
    const name = `res${i}.${ext}`;
    tree[`${dir}/${name}`] = text;
    resources.push(name);
    f.objs.forEach((o, j) => {
      const kind = KINDS[o.kind % KINDS.length]!;
      view.push({
        kind,
        name: names[j]!,
        labels: o.labels,
        ...(o.ns && !kind.cluster ? { ns: NAMESPACES[(o.ns - 1) % NAMESPACES.length] } : {}),
      });
    });
  });
  if (resources.length) k.resources = resources;
  const at = (n: number) => (view.length ? view[n % view.length] : undefined);
  if (l.namespace !== undefined) k.namespace = l.namespace === 0 ? null : NAMESPACES[(l.namespace - 1) % NAMESPACES.length];
  if (l.namePrefix !== undefined) k.namePrefix = PREFIXES[l.namePrefix];
  if (l.nameSuffix !== undefined) k.nameSuffix = SUFFIXES[l.nameSuffix];
  if (l.commonLabels) k.commonLabels = l.commonLabels;
  if (l.labels)
    k.labels = l.labels.map((x) => ({
      pairs: x.pairs,
      ...(x.includeSelectors !== undefined ? { includeSelectors: x.includeSelectors } : {}),
      ...(x.includeTemplates !== undefined ? { includeTemplates: x.includeTemplates } : {}),
    }));
  if (l.commonAnnotations) k.commonAnnotations = l.commonAnnotations;
  if (l.images)
    k.images = l.images.map((i) => ({
      name: IMAGES[i.name],
      ...(i.newName ? { newName: `mirror.example.com/${IMAGES[i.name]}` } : {}),
      ...(i.newTag ? { newTag: i.newTag } : {}),
      ...(i.digest ? { digest: 'sha256:' + 'a'.repeat(64) } : {}),
    }));
  const scalable = view.filter((v) => ['Deployment', 'StatefulSet', 'ReplicaSet'].includes(v.kind.kind));
  if (l.replicas && scalable.length) {
    const reps = l.replicas.map((r) => ({ name: scalable[r.obj % scalable.length]!.name, count: r.count }));
    k.replicas = reps.filter((r, i) => reps.findIndex((x) => x.name === r.name) === i);
  }
  const gen = (g: GenSpec, field: string, i: number) => {
    const kind = field === 'configMapGenerator' ? 'ConfigMap' : 'Secret';
    const existing = view.filter((v) => v.kind.kind === kind && !v.ns);
    // A merge or replace names an existing object (without one it creates); a new name otherwise,
    // one per layer, but for one name in six (a clash).
    const merges = g.behavior !== undefined && g.behavior !== 'create' && existing.length > 0;
    const name = merges
      ? existing[g.name % existing.length]!.name
      : g.name === 5
        ? NAMES[0]
        : `${NAMES[g.name]}-${dir.replace(/[^a-z0-9]/g, '')}`;
    const out: Record<string, unknown> = { name };
    if (g.literals.length) out.literals = g.literals;
    if (g.env) {
      const file = `${field}-${i}.env`;
      tree[`${dir}/${file}`] = '# comment\nENV_A=1\nENV_B=two words\n';
      out.envs = [file];
    }
    if (g.behavior === 'create' || merges) out.behavior = g.behavior;
    if (g.noHash !== undefined) out.options = { disableNameSuffixHash: g.noHash };
    if (g.ns && !merges) out.namespace = NAMESPACES[(g.ns - 1) % NAMESPACES.length];
    if (g.type && field === 'secretGenerator') out.type = 'kubernetes.io/tls';
    return out;
  };
  if (l.configMapGenerator) k.configMapGenerator = l.configMapGenerator.map((g, i) => gen(g, 'configMapGenerator', i));
  if (l.secretGenerator) k.secretGenerator = l.secretGenerator.map((g, i) => gen(g, 'secretGenerator', i));
  if (l.generatorOptions)
    k.generatorOptions = {
      ...(l.generatorOptions.noHash !== undefined ? { disableNameSuffixHash: l.generatorOptions.noHash } : {}),
      ...(l.generatorOptions.labels ? { labels: { generated: 'yes' } } : {}),
    };
  let patchFiles = 0;
  const patchEntry = (p: PatchSpec, legacy: 'patches' | 'patchesJson6902' | 'patchesStrategicMerge'): unknown => {
    const v = at(p.obj);
    if (!v) return undefined;
    const json = legacy === 'patchesJson6902' || (legacy === 'patches' && p.how === 'json');
    const legacyTarget = {
      ...(v.kind.apiVersion.includes('/') ? { group: v.kind.apiVersion.split('/')[0] } : {}),
      version: v.kind.apiVersion.split('/').pop(),
      kind: v.kind.kind,
      name: v.name,
      ...(v.ns ? { namespace: v.ns } : {}),
    };
    const target =
      legacy === 'patchesJson6902'
        ? p.body % 7 === 6
          ? targetOf(v, p.target === 'none' ? 'name' : p.target)
          : legacyTarget
        : json
          ? (targetOf(v, p.target === 'none' ? 'name' : p.target) ?? { kind: v.kind.kind, name: v.name })
          : legacy === 'patchesStrategicMerge'
            ? undefined
            : targetOf(v, p.target);
    const text = json
      ? p.inline
        ? JSON.stringify(jsonOps(v, p.body))
        : toYaml(jsonOps(v, p.body)).replace(/^\n/, '')
      : toYaml(smpBody(v, p.body, !target || p.body < 13)).replace(/^\n/, '');
    if (legacy === 'patchesStrategicMerge') {
      if (p.inline) return text;
      const file = `patch${patchFiles++}.yaml`;
      tree[`${dir}/${file}`] = text;
      return file;
    }
    const entry: Record<string, unknown> = {};
    if (p.inline) entry.patch = text;
    else {
      const file = `patch${patchFiles++}.${json && p.body % 2 ? 'json' : 'yaml'}`;
      tree[`${dir}/${file}`] = json && p.body % 2 ? JSON.stringify(jsonOps(v, p.body), null, 1) : text;
      entry.path = file;
    }
    if (target) entry.target = target;
    if (p.allowNameChange !== undefined && !json) entry.options = { allowNameChange: p.allowNameChange };
    return entry;
  };
  for (const field of ['patches', 'patchesStrategicMerge', 'patchesJson6902'] as const) {
    const list = l[field];
    if (list) {
      const entries = list.map((p) => patchEntry(p, field)).filter((e) => e !== undefined);
      if (entries.length) k[field] = entries;
    }
  }
  if (l.replacements && view.length) {
    k.replacements = l.replacements.map((r) => {
      const s = at(r.src)!;
      const t = at(r.tgt)!;
      return {
        source: { kind: s.kind.kind, name: s.name, fieldPath: SRC_PATHS[r.srcPath % SRC_PATHS.length] },
        targets: [
          {
            select: { kind: t.kind.kind },
            fieldPaths: [TGT_PATHS[r.tgtPath % TGT_PATHS.length]],
            ...(r.create !== false || r.delimiter
              ? { options: { ...(r.create !== false ? { create: true } : {}), ...(r.delimiter ? { delimiter: '-', index: 0 } : {}) } }
              : {}),
          },
        ],
      };
    });
  }
  if (l.configurations !== undefined) {
    tree[`${dir}/config.yaml`] = CONFIGURATIONS[l.configurations % CONFIGURATIONS.length]!;
    k.configurations = ['config.yaml'];
  }
  if (l.buildMetadata) k.buildMetadata = l.buildMetadata;
  if (l.builtinPlugin !== undefined) {
    const p = BUILTIN_PLUGINS[l.builtinPlugin % BUILTIN_PLUGINS.length]!(view, Math.floor(l.builtinPlugin / BUILTIN_PLUGINS.length));
    tree[`${dir}/plugin.yaml`] = p.text;
    k[p.field] = ['plugin.yaml'];
  }
  let text = toYaml(k).replace(/^\n/, '');
  switch (l.empties) {
    case 0:
      text += 'patches:\n# - path: nothing.yaml\n';
      break;
    case 1:
      text += k.resources ? '' : 'resources:\n';
      break;
    case 2:
      text = '# a comment first\n' + text;
      break;
    case 3:
      text += k.commonLabels ? '' : 'commonLabels: {}\n';
      break;
  }
  lines.push(text);
  tree[`${dir}/kustomization.yaml`] = lines.join('');
  return view;
}

/** The files of a generated tree; the build root is `overlay`. */
export function writeTree(spec: TreeSpec): Tree {
  const tree: Tree = {};
  taken = new Set();
  const baseDirs: string[] = [];
  let lower: View[] = [];
  const views: View[] = [];
  spec.bases.forEach((b, i) => {
    const dir = `base${i}`;
    if (spec.stacked && i > 0) {
      lower = writeLayer(tree, dir, b, 'Kustomization', [`../${baseDirs[i - 1]}`], lower);
      baseDirs[i - 1] = dir;
      views.splice(0, views.length, ...lower);
    } else {
      lower = writeLayer(tree, dir, b, 'Kustomization', [], []);
      views.push(...lower);
      baseDirs.push(dir);
    }
  });
  const uniqueBases = [...new Set(baseDirs)];
  const compDirs = spec.components.map((c, i) => {
    const dir = `comp${i}`;
    writeLayer(tree, dir, c, 'Component', [], views);
    return dir;
  });
  const over = { ...spec.overlay };
  writeLayer(
    tree,
    'overlay',
    over,
    'Kustomization',
    uniqueBases.map((d) => `../${d}`),
    views,
  );
  if (compDirs.length) {
    // Components are listed in the overlay's kustomization.
    tree['overlay/kustomization.yaml'] += `components:\n${compDirs.map((d) => `- ../${d}\n`).join('')}`;
  }
  if (spec.sortFifo) tree['overlay/kustomization.yaml'] += 'sortOptions:\n  order: fifo\n';
  return tree;
}
