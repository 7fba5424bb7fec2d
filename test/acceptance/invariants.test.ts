import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { cleanComponent, lineOf, writeTree } from './component.ts';

type Files = Record<string, string>;

interface Case {
  rule: string;
  /** How the invariant is broken: in a base file, an overlay strategic-merge patch, a JSON6902 op, an images entry, ... */
  via: string;
  edit: (f: Files) => void;
  /** File (repository-relative) and a text on the line the error must point at. */
  file: string;
  needle: string;
}

const BASE_STS = 'etcd/base/statefulset.yaml';
const BASE_K = 'etcd/base/kustomization.yaml';
const OVERLAY_K = 'etcd/overlays/dev/kustomization.yaml';
const EXTRA_PATCH = 'etcd/overlays/dev/patches/extra.yaml';
const OPS = 'etcd/overlays/dev/patches/ops.yaml';
const APP = 'apps/etcd.yaml';

function replace(f: Files, file: string, from: string, to: string): void {
  const text = f[file]!;
  if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
  f[file] = text.replace(from, to);
}

/** Adds a strategic-merge patch of the StatefulSet (or `kind`/`name`) to the overlay. */
function smp(body: string, kind = 'StatefulSet', apiVersion = 'apps/v1', name = 'cilium-etcd-0') {
  return (f: Files) => {
    f[EXTRA_PATCH] = `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: ${name}\n${body}`;
    f[OVERLAY_K] += '  - path: patches/extra.yaml\n';
  };
}

/** Adds one JSON6902 operation against the StatefulSet (or `kind`) to the overlay. */
function op(text: string, kind = 'StatefulSet') {
  return (f: Files) => {
    f[OPS] = text;
    f[OVERLAY_K] += `  - path: patches/ops.yaml\n    target:\n      kind: ${kind}\n`;
  };
}

function images(entry: string) {
  return (f: Files) => {
    f[OVERLAY_K] += `images:\n${entry}`;
  };
}

const C = '/spec/template/spec/containers/0';

const cases: Case[] = [
  // image-digest
  {
    rule: 'image-digest',
    via: 'base images entry',
    edit: (f) =>
      replace(f, BASE_K, '    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111', '    newTag: v3.5.9'),
    file: BASE_K,
    needle: '- name: quay.io/coreos/etcd',
  },
  {
    rule: 'image-digest',
    via: 'overlay SMP',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          image: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd:v3.5.9\n',
    ),
    file: EXTRA_PATCH,
    needle: 'image: ghcr.io',
  },
  {
    rule: 'image-digest',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/image\n  value: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd:latest\n`),
    file: OPS,
    needle: 'op: replace',
  },
  {
    rule: 'image-digest',
    via: 'overlay images',
    edit: images('  - name: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd\n    newTag: v3.5.9\n'),
    file: OVERLAY_K,
    needle: '- name: ghcr.io',
  },
  // image-registry
  {
    rule: 'image-registry',
    via: 'base images entry',
    edit: (f) =>
      replace(f, BASE_K, 'newName: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd', 'newName: docker.io/bitnami/etcd'),
    file: BASE_K,
    needle: '- name: quay.io/coreos/etcd',
  },
  {
    rule: 'image-registry',
    via: 'overlay SMP',
    edit: smp(
      `spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd@sha256:${'2'.repeat(64)}\n`,
    ),
    file: EXTRA_PATCH,
    needle: 'image: quay.io',
  },
  {
    rule: 'image-registry',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/image\n  value: quay.io/coreos/etcd@sha256:${'3'.repeat(64)}\n`),
    file: OPS,
    needle: 'op: replace',
  },
  {
    rule: 'image-registry',
    via: 'overlay images',
    edit: images('  - name: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd\n    newName: registry.example.com/etcd\n'),
    file: OVERLAY_K,
    needle: '- name: ghcr.io',
  },
  // host-network
  {
    rule: 'host-network',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'hostNetwork: true', 'hostNetwork: false'),
    file: BASE_STS,
    needle: 'hostNetwork: false',
  },
  {
    rule: 'host-network',
    via: 'overlay SMP',
    edit: smp('spec:\n  template:\n    spec:\n      hostNetwork: false\n'),
    file: EXTRA_PATCH,
    needle: 'hostNetwork',
  },
  {
    rule: 'host-network',
    via: 'JSON6902 remove',
    edit: op('- op: remove\n  path: /spec/template/spec/hostNetwork\n'),
    file: OPS,
    needle: 'op: remove',
  },
  // read-only-root-filesystem
  {
    rule: 'read-only-root-filesystem',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
    file: BASE_STS,
    needle: 'readOnlyRootFilesystem',
  },
  {
    rule: 'read-only-root-filesystem',
    via: 'overlay SMP',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n',
    ),
    file: EXTRA_PATCH,
    needle: 'readOnlyRootFilesystem',
  },
  {
    rule: 'read-only-root-filesystem',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/securityContext/readOnlyRootFilesystem\n  value: false\n`),
    file: OPS,
    needle: 'op: replace',
  },
  // drop-all-capabilities
  {
    rule: 'drop-all-capabilities',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'drop: [ALL]', 'drop: [NET_RAW]'),
    file: BASE_STS,
    needle: 'drop: [NET_RAW]',
  },
  {
    rule: 'drop-all-capabilities',
    via: 'overlay SMP',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            capabilities:\n              add: [NET_ADMIN]\n',
    ),
    file: EXTRA_PATCH,
    needle: 'add: [NET_ADMIN]',
  },
  {
    rule: 'drop-all-capabilities',
    via: 'JSON6902',
    edit: op(`- op: add\n  path: ${C}/securityContext/capabilities/add\n  value: [SYS_ADMIN]\n`),
    file: OPS,
    needle: 'value: [SYS_ADMIN]',
  },
  // no-privileged
  {
    rule: 'no-privileged',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'privileged: false', 'privileged: true'),
    file: BASE_STS,
    needle: 'privileged: true',
  },
  {
    rule: 'no-privileged',
    via: 'overlay SMP',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            privileged: true\n',
    ),
    file: EXTRA_PATCH,
    needle: 'privileged: true',
  },
  {
    rule: 'no-privileged',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/securityContext/privileged\n  value: true\n`),
    file: OPS,
    needle: 'op: replace',
  },
  // no-privilege-escalation
  {
    rule: 'no-privilege-escalation',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'),
    file: BASE_STS,
    needle: 'allowPrivilegeEscalation',
  },
  {
    rule: 'no-privilege-escalation',
    via: 'overlay SMP null',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            allowPrivilegeEscalation: null\n',
    ),
    file: EXTRA_PATCH,
    needle: 'allowPrivilegeEscalation',
  },
  {
    rule: 'no-privilege-escalation',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/securityContext/allowPrivilegeEscalation\n  value: true\n`),
    file: OPS,
    needle: 'op: replace',
  },
  // etcd-listen-ports
  {
    rule: 'etcd-listen-ports',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, '--listen-client-urls=http://0.0.0.0:12379', '--listen-client-urls=http://0.0.0.0:2379'),
    file: BASE_STS,
    needle: '--listen-client-urls',
  },
  {
    rule: 'etcd-listen-ports',
    via: 'overlay SMP (args replaced)',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          args:\n            - --listen-client-urls=http://0.0.0.0:12379\n            - --listen-peer-urls=http://0.0.0.0:2380\n            - --listen-metrics-urls=http://0.0.0.0:12381\n            - --advertise-client-urls=http://$(POD_IP):12379\n            - --data-dir=/var/lib/cilium/etcd-0\n',
    ),
    file: EXTRA_PATCH,
    needle: '--listen-peer-urls',
  },
  {
    rule: 'etcd-listen-ports',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/args/3\n  value: --listen-metrics-urls=http://0.0.0.0:9090\n`),
    file: OPS,
    needle: 'op: replace',
  },
  {
    rule: 'etcd-listen-ports',
    via: 'overlay SMP containerPort',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          ports:\n            - name: client\n              containerPort: 2379\n',
    ),
    file: EXTRA_PATCH,
    needle: 'containerPort: 2379',
  },
  // etcd-advertise-client-url
  {
    rule: 'etcd-advertise-client-url',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, '--advertise-client-urls=http://$(POD_IP):12379', '--advertise-client-urls=http://$(POD_IP):2379'),
    file: BASE_STS,
    needle: '--advertise-client-urls',
  },
  {
    rule: 'etcd-advertise-client-url',
    via: 'JSON6902',
    edit: op(`- op: replace\n  path: ${C}/args/4\n  value: --advertise-client-urls=http://$(POD_IP):2379\n`),
    file: OPS,
    needle: 'op: replace',
  },
  // etcd-data-dir
  {
    rule: 'etcd-data-dir',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, '--data-dir=/var/lib/cilium/etcd-0', '--data-dir=/var/lib/etcd'),
    file: BASE_STS,
    needle: '--data-dir',
  },
  {
    rule: 'etcd-data-dir',
    via: 'overlay SMP (volume merged by name)',
    edit: smp('spec:\n  template:\n    spec:\n      volumes:\n        - name: data\n          hostPath:\n            path: /tmp/etcd\n'),
    file: EXTRA_PATCH,
    needle: 'path: /tmp/etcd',
  },
  {
    rule: 'etcd-data-dir',
    via: 'JSON6902',
    edit: op('- op: replace\n  path: /spec/template/spec/volumes/0/hostPath/path\n  value: /srv/etcd\n'),
    file: OPS,
    needle: 'op: replace',
  },
  // pod-disruption-budget
  {
    rule: 'pod-disruption-budget',
    via: 'base',
    edit: (f) => replace(f, 'etcd/base/pdb.yaml', '      app.kubernetes.io/component: etcd', '      app.kubernetes.io/component: agent'),
    file: 'etcd/base/pdb.yaml',
    needle: 'component: agent',
  },
  {
    rule: 'pod-disruption-budget',
    via: 'overlay SMP',
    edit: smp(
      'spec:\n  selector:\n    matchLabels:\n      app.kubernetes.io/name: hubble\n',
      'PodDisruptionBudget',
      'policy/v1',
      'cilium-etcd',
    ),
    file: EXTRA_PATCH,
    needle: 'hubble',
  },
  {
    rule: 'pod-disruption-budget',
    via: 'JSON6902',
    edit: op('- op: replace\n  path: /spec/selector/matchLabels\n  value: {app: other}\n', 'PodDisruptionBudget'),
    file: OPS,
    needle: 'value: {app: other}',
  },
  // service-exists
  {
    rule: 'service-exists',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'serviceName: cilium-etcd', 'serviceName: etcd-peers'),
    file: BASE_STS,
    needle: 'serviceName',
  },
  {
    rule: 'service-exists',
    via: 'overlay SMP',
    edit: smp('spec:\n  selector:\n    app.kubernetes.io/name: other\n', 'Service', 'v1', 'cilium-etcd'),
    file: EXTRA_PATCH,
    needle: 'name: other',
  },
  {
    rule: 'service-exists',
    via: 'JSON6902',
    edit: op('- op: replace\n  path: /spec/serviceName\n  value: missing\n'),
    file: OPS,
    needle: 'op: replace',
  },
  // namespace
  {
    rule: 'namespace',
    via: 'overlay namespace',
    edit: (f) => replace(f, OVERLAY_K, 'namespace: kube-system', 'namespace: default'),
    file: OVERLAY_K,
    needle: 'namespace: default',
  },
  {
    rule: 'namespace',
    via: 'legacy patchesJson6902',
    edit: (f) => {
      f[OPS] = '- op: replace\n  path: /metadata/namespace\n  value: etcd\n';
      f[OVERLAY_K] +=
        'patchesJson6902:\n  - path: patches/ops.yaml\n    target:\n      group: apps\n      version: v1\n      kind: StatefulSet\n      name: cilium-etcd-0\n';
    },
    file: OPS,
    needle: 'op: replace',
  },
  // initial-cluster-for-replicas
  {
    rule: 'initial-cluster-for-replicas',
    via: 'base',
    edit: (f) => replace(f, BASE_STS, 'replicas: 1', 'replicas: 3'),
    file: BASE_STS,
    needle: 'replicas: 3',
  },
  {
    rule: 'initial-cluster-for-replicas',
    via: 'overlay SMP',
    edit: smp('spec:\n  replicas: 3\n'),
    file: EXTRA_PATCH,
    needle: 'replicas: 3',
  },
  {
    rule: 'initial-cluster-for-replicas',
    via: 'JSON6902',
    edit: op('- op: replace\n  path: /spec/replicas\n  value: 5\n'),
    file: OPS,
    needle: 'op: replace',
  },
  {
    rule: 'initial-cluster-for-replicas',
    via: 'overlay replicas',
    edit: (f) => (f[OVERLAY_K] += 'replicas:\n  - name: cilium-etcd-0\n    count: 3\n'),
    file: OVERLAY_K,
    needle: 'count: 3',
  },
  // prometheus-scrape
  {
    rule: 'prometheus-scrape',
    via: 'overlay patch',
    edit: (f) => replace(f, 'etcd/overlays/dev/patches/statefulset.yaml', 'prometheus.io/port: "12381"', 'prometheus.io/port: "2381"'),
    file: 'etcd/overlays/dev/patches/statefulset.yaml',
    needle: 'prometheus.io/port',
  },
  {
    rule: 'prometheus-scrape',
    via: 'JSON6902',
    edit: op('- op: replace\n  path: /spec/template/metadata/annotations/prometheus.io~1scrape\n  value: "false"\n'),
    file: OPS,
    needle: 'op: replace',
  },
  // etcd-statefulset-present
  {
    rule: 'etcd-statefulset-present',
    via: 'overlay SMP $patch: delete',
    edit: smp('$patch: delete\n'),
    file: OVERLAY_K,
    needle: 'apiVersion',
  },
  // ArgoCD Application
  {
    rule: 'argocd-application',
    via: 'application path',
    edit: (f) => replace(f, APP, 'path: etcd/overlays/dev', 'path: etcd/overlays/prod'),
    file: OVERLAY_K,
    needle: 'apiVersion',
  },
  {
    rule: 'argocd-automated-sync',
    via: 'application',
    edit: (f) => replace(f, APP, 'prune: true', 'prune: false'),
    file: APP,
    needle: 'prune: false',
  },
  {
    rule: 'argocd-destination-namespace',
    via: 'application',
    edit: (f) => replace(f, APP, '    namespace: kube-system', '    namespace: default'),
    file: APP,
    needle: 'namespace: default',
  },
  {
    rule: 'argocd-sync-failure-notification',
    via: 'application',
    edit: (f) => replace(f, APP, 'subscribe.on-sync-failed.slack', 'subscribe.on-deployed.slack'),
    file: APP,
    needle: 'annotations:',
  },
  // kubernetes-schema: strict validation of every rendered object (and the Application)
  {
    rule: 'kubernetes-schema',
    via: 'overlay SMP (typo)',
    edit: smp(
      'spec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFileSystem: true\n',
    ),
    file: EXTRA_PATCH,
    needle: 'readOnlyRootFileSystem',
  },
  {
    rule: 'kubernetes-schema',
    via: 'application (typo)',
    edit: (f) => replace(f, APP, '    selfHeal: true', '    selfHeal: true\n    prunne: true'),
    file: APP,
    needle: 'prunne',
  },
  {
    rule: 'argocd-manifest-generate-paths',
    via: 'application',
    edit: (f) => replace(f, APP, 'manifest-generate-paths: /etcd', 'manifest-generate-paths: /etcd/overlays'),
    file: APP,
    needle: 'manifest-generate-paths',
  },
  // Issue 8: checks on the Application itself, and its spec.source.kustomize applied to the render.
  {
    rule: 'argocd-create-namespace',
    via: 'application',
    edit: (f) => replace(f, APP, '      selfHeal: true\n', '      selfHeal: true\n    syncOptions:\n      - CreateNamespace=true\n'),
    file: APP,
    needle: 'CreateNamespace=true',
  },
  {
    rule: 'argocd-project',
    via: 'application',
    edit: (f) => {
      f['apps/project.yaml'] = 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: platform\n';
      replace(f, APP, 'project: default', 'project: plattform');
    },
    file: APP,
    needle: 'project: plattform',
  },
  {
    rule: 'argocd-ignore-differences',
    via: 'application',
    edit: (f) =>
      replace(f, APP, '  syncPolicy:', '  ignoreDifferences:\n    - group: apps\n      jsonPointers: [/spec/replicas]\n  syncPolicy:'),
    file: APP,
    needle: '- group: apps',
  },
  {
    rule: 'image-digest',
    via: 'application kustomize.images',
    edit: (f) =>
      replace(
        f,
        APP,
        '    path: etcd/overlays/dev\n',
        '    path: etcd/overlays/dev\n    kustomize:\n      images:\n        - ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd:v3.5.17\n',
      ),
    file: APP,
    needle: ':v3.5.17',
  },
  {
    rule: 'namespace',
    via: 'application kustomize.namespace',
    edit: (f) =>
      replace(f, APP, '    path: etcd/overlays/dev\n', '    path: etcd/overlays/dev\n    kustomize:\n      namespace: default\n'),
    file: APP,
    needle: 'namespace: default',
  },
];

interface JsonOut {
  findings: { ruleId: string; severity: string; location: { file: string; line: number } }[];
}

function lint(root: string, target = 'etcd/overlays/dev'): { code: number; out: JsonOut; stderr: string } {
  const { code, stdout, stderr } = runCli(['--format', 'json', target], { cwd: root });
  return { code, out: stdout ? (JSON.parse(stdout) as JsonOut) : { findings: [] }, stderr };
}

describe('the clean component', () => {
  it('lints with exit 0 and no errors', () => {
    const root = writeTree(cleanComponent());
    const { code, out, stderr } = lint(root);
    expect(stderr).toBe('');
    expect(out.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(code).toBe(0);
  });
});

describe('each invariant broken once gives exit 1 and an error on the responsible line', () => {
  it.each(cases.map((c) => [c.rule, c.via, c] as const))('%s via %s', (_rule, _via, c) => {
    const files = cleanComponent();
    c.edit(files);
    const root = writeTree(files);
    const { code, out, stderr } = lint(root);
    expect(stderr).toBe('');
    const errors = out.findings.filter((f) => f.severity === 'error');
    const mine = errors.filter((f) => f.ruleId === c.rule);
    expect(mine.map((f) => `${f.location.file}:${f.location.line}`)).toContain(`${c.file}:${lineOf(files[c.file]!, c.needle)}`);
    expect(code).toBe(1);
  });

  it('covers every error-severity built-in rule', async () => {
    const { builtinRules } = await import('../../rules/index.ts');
    const { PRESETS } = await import('../../src/engine/presets.ts');
    // The rules that run without a configuration (preset recommended).
    const errorRules = Object.entries(builtinRules)
      .filter(([id, r]) => r.meta.defaultSeverity === 'error' && Object.hasOwn(PRESETS.recommended, id))
      .map(([id]) => id)
      .filter((id) => id !== 'argocd-manifest-generate-paths-missing');
    const covered = new Set(cases.map((c) => c.rule));
    expect(errorRules.filter((id) => !covered.has(id))).toEqual([]);
  });
});
