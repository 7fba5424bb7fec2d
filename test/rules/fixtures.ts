/**
 * Hand-written inputs shaped like the rendered cilium-etcd component (Service, StatefulSet and
 * PodDisruptionBudget in kube-system; ports only in etcd's --listen-*-urls args; a headless Service
 * without ports; scrape annotations on the pod template) and its ArgoCD Application.
 * Tests derive their cases from these with `edit()` so each case differs in one place.
 */

export const DIGEST = 'sha256:5a03e6f0361f9a0e64b34fe5fa7e7ae4bb5c230c20178413e1bddd8fa5ca00b6';
export const IMAGE = `ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd@${DIGEST}`;

export const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: cilium-etcd
  namespace: kube-system
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/component: etcd
    app.kubernetes.io/name: cilium
`;

export const STATEFUL_SET = `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: cilium-etcd-0
  namespace: kube-system
spec:
  replicas: 1
  serviceName: cilium-etcd
  selector:
    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/instance: cilium-etcd-0
      app.kubernetes.io/name: cilium
  template:
    metadata:
      annotations:
        prometheus.io/port: "12381"
        prometheus.io/scrape: "true"
      labels:
        app.kubernetes.io/component: etcd
        app.kubernetes.io/instance: cilium-etcd-0
        app.kubernetes.io/name: cilium
    spec:
      hostNetwork: true
      containers:
      - name: etcd
        image: ${IMAGE}
        command:
        - etcd
        args:
        - --name=$(POD_NAME)
        - --listen-client-urls=http://0.0.0.0:12379
        - --listen-peer-urls=http://0.0.0.0:12380
        - --listen-metrics-urls=http://0.0.0.0:12381
        - --advertise-client-urls=http://$(POD_IP):12379
        - --data-dir=/var/lib/cilium/etcd-0
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          privileged: false
          readOnlyRootFilesystem: true
        volumeMounts:
        - mountPath: /var/lib/cilium/etcd-0
          name: data
      volumes:
      - hostPath:
          path: /var/lib/cilium/etcd-0
        name: data
`;

export const PDB = `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: cilium-etcd
  namespace: kube-system
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/name: cilium
`;

/** Joins YAML documents into one stream. */
export function stream(...docs: string[]): string {
  return docs.join('---\n');
}

/** The whole valid render: Service, StatefulSet, PodDisruptionBudget. */
export const COMPONENT = stream(SERVICE, STATEFUL_SET, PDB);

/** A backup CronJob: makes the render satisfy etcd-backup. */
export const BACKUP_CRONJOB = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: cilium-etcd-backup
  namespace: kube-system
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
          - name: backup
            image: ${IMAGE}
            command:
            - etcdctl
            args:
            - --endpoints=http://127.0.0.1:12379
            - snapshot
            - save
            - /backup/snapshot.db
`;

export const APPLICATION = `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: cilium-etcd
  annotations:
    argocd.argoproj.io/manifest-generate-paths: /cluster/manifests/cilium-etcd
    notifications.argoproj.io/subscribe.on-sync-failed.slack: notifications
spec:
  project: default
  source:
    repoURL: git@github.com:hippocampus-dev/hippocampus
    targetRevision: main
    path: cluster/manifests/cilium-etcd/overlays/dev
  destination:
    server: https://kubernetes.default.svc
    namespace: kube-system
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
`;
