import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/**
 * A clean cilium-etcd component as a file map (relative path -> text), laid out like the real
 * one: base + overlays/dev + an ArgoCD Application, inside a git repository.
 */
export function cleanComponent(): Record<string, string> {
  return {
    'etcd/base/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - statefulset.yaml
  - service.yaml
  - pdb.yaml
images:
  - name: quay.io/coreos/etcd
    newName: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd
    digest: sha256:1111111111111111111111111111111111111111111111111111111111111111
`,
    'etcd/base/statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cilium-etcd-0
spec:
  serviceName: cilium-etcd
  replicas: 1
  selector:
    matchLabels: &podLabels
      app.kubernetes.io/name: cilium
      app.kubernetes.io/component: etcd
  template:
    metadata:
      labels:
        <<: *podLabels
    spec:
      hostNetwork: true
      containers:
        - name: etcd
          image: quay.io/coreos/etcd
          command: [etcd]
          args:
            - --name=$(POD_NAME)
            - --listen-client-urls=http://0.0.0.0:12379
            - --listen-peer-urls=http://0.0.0.0:12380
            - --listen-metrics-urls=http://0.0.0.0:12381
            - --advertise-client-urls=http://$(POD_IP):12379
            - --data-dir=/var/lib/cilium/etcd-0
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
          volumeMounts:
            - name: data
              mountPath: /var/lib/cilium/etcd-0
      volumes:
        - name: data
          hostPath:
            path: /var/lib/cilium/etcd-0
`,
    'etcd/base/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: cilium-etcd
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/name: cilium
    app.kubernetes.io/component: etcd
`,
    'etcd/base/pdb.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cilium-etcd
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/name: cilium
      app.kubernetes.io/component: etcd
`,
    'etcd/overlays/dev/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: kube-system
resources:
  - ../../base
patches:
  - path: patches/statefulset.yaml
`,
    'etcd/overlays/dev/patches/statefulset.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cilium-etcd-0
spec:
  template:
    metadata:
      annotations:
        prometheus.io/scrape: "true"
        prometheus.io/port: "12381"
`,
    'apps/etcd.yaml': `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cilium-etcd
  annotations:
    argocd.argoproj.io/manifest-generate-paths: /etcd
    notifications.argoproj.io/subscribe.on-sync-failed.slack: alerts
spec:
  project: default
  source:
    repoURL: https://example.com/repo.git
    path: etcd/overlays/dev
  destination:
    server: https://kubernetes.default.svc
    namespace: kube-system
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
`,
  };
}

/** Writes a file map into a fresh temporary git-like repository (a `.git` directory marks the root). */
export function writeTree(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-accept-'));
  mkdirSync(path.join(root, '.git'));
  for (const [rel, text] of Object.entries(files)) {
    const abs = path.join(root, rel);
    mkdirSync(path.dirname(abs), { recursive: true });
    writeFileSync(abs, text);
  }
  return root;
}

/** 1-based line of the first line containing `needle`; throws when absent so tests cannot drift. */
export function lineOf(text: string, needle: string): number {
  const i = text.split('\n').findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`needle not found: ${needle}`);
  return i + 1;
}
