/**
 * mimir-etcd, modelled on the hippocampus monorepo (../shared/corpus/hippocampus/repo/cluster/manifests:
 * utilities/etcd, made mimir-etcd by mimir/overlays/dev/etcd with namePrefix mimir- and the labels
 * app.kubernetes.io/name: mimir, variant: utilities). Another etcd StatefulSet, with a container
 * named etcd, that is NOT the cilium-etcd component: its pod template labels say
 * app.kubernetes.io/name: mimir. A small in-repo copy (../shared is not always present): the files
 * of utilities/etcd and mimir/overlays/dev/etcd as upstream, less the Istio resources of the
 * latter (PeerAuthentication, Sidecar, Telemetry); mimir/overlays/dev/kustomization.yaml is cut
 * down to the namespace and the etcd directory.
 */

/** The overlay that renders mimir-etcd, relative to the tree's root. */
export const MIMIR_TARGET = 'cluster/manifests/mimir/overlays/dev';

/** The kustomize tree (relative path -> text). */
export const MIMIR_TREE: Record<string, string> = {
  'cluster/manifests/mimir/overlays/dev/etcd/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

namePrefix: mimir-

labels:
  - includeSelectors: true
    pairs:
      app.kubernetes.io/name: mimir
      variant: utilities

resources:
  - ../../../../utilities/etcd

patches:
  - path: patches/pod_disruption_budget.yaml
  - path: patches/service.yaml
  - path: patches/stateful_set.yaml
`,
  'cluster/manifests/mimir/overlays/dev/etcd/patches/pod_disruption_budget.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: etcd
spec:
  maxUnavailable: 1
`,
  'cluster/manifests/mimir/overlays/dev/etcd/patches/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: etcd
spec:
  trafficDistribution: PreferClose
`,
  'cluster/manifests/mimir/overlays/dev/etcd/patches/stateful_set.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd
spec:
  replicas: 3
  template:
    metadata:
      labels:
        sidecar.istio.io/inject: "true"
      annotations:
        sidecar.istio.io/proxyCPULimit: 1000m
        sidecar.istio.io/proxyMemoryLimit: 1Gi
        sidecar.istio.io/proxyCPU: 10m
        sidecar.istio.io/proxyMemory: 64Mi
        prometheus.io/scrape: "true"
        prometheus.io/scheme: http
        prometheus.io/port: "2381"
        prometheus.io/path: /metrics
    spec:
      dnsConfig:
        options:
          - name: ndots
            value: "1"
      topologySpreadConstraints:
        - maxSkew: 1
          nodeAffinityPolicy: Honor
          nodeTaintsPolicy: Honor
          topologyKey: kubernetes.io/hostname
          whenUnsatisfiable: ScheduleAnyway
          matchLabelKeys:
            - controller-revision-hash
          labelSelector:
            matchLabels:
              app.kubernetes.io/component: etcd
        - maxSkew: 1
          nodeAffinityPolicy: Honor
          nodeTaintsPolicy: Honor
          topologyKey: topology.kubernetes.io/zone
          #minDomains: 3
          #whenUnsatisfiable: DoNotSchedule
          whenUnsatisfiable: ScheduleAnyway
          matchLabelKeys:
            - controller-revision-hash
          labelSelector:
            matchLabels:
              app.kubernetes.io/component: etcd
      containers:
        - name: etcd
          args:
            - --name=$(POD_NAME)
            - --listen-client-urls=http://0.0.0.0:2379
            - --listen-peer-urls=http://0.0.0.0:2380
            - --listen-metrics-urls=http://0.0.0.0:2381
            - --advertise-client-urls=http://$(POD_IP):2379
            - --initial-cluster-state=new
            - --initial-cluster-token=etcd-$(NAMESPACE)
            - --initial-cluster=mimir-etcd-0=http://mimir-etcd-0.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380,mimir-etcd-1=http://mimir-etcd-1.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380,mimir-etcd-2=http://mimir-etcd-2.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380
            - --initial-advertise-peer-urls=http://$(POD_NAME).mimir-etcd.$(NAMESPACE).svc.cluster.local:2380
            - --data-dir=/var/lib/etcd
          volumeMounts:
            - name: storage
              mountPath: /var/lib/etcd
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Delete
  volumeClaimTemplates:
    - metadata:
        name: storage
      spec:
        accessModes:
          - ReadWriteOnce
        resources:
          requests:
            storage: 1Gi
`,
  'cluster/manifests/mimir/overlays/dev/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

namespace: mimir

resources:
- etcd
`,
  'cluster/manifests/utilities/etcd/kustomization.yaml': `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization

resources:
- network_policy.yaml
- pod_disruption_budget.yaml
- service.yaml
- stateful_set.yaml

images:
- digest: sha256:5a03e6f0361f9a0e64b34fe5fa7e7ae4bb5c230c20178413e1bddd8fa5ca00b6
  name: quay.io/coreos/etcd
  newName: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd
`,
  'cluster/manifests/utilities/etcd/network_policy.yaml': `apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  # kustomize does not support NetworkPolicy ingress merge
  name: etcd-peer
spec:
  podSelector:
    matchLabels:
      app.kubernetes.io/component: etcd
  ingress:
    - from:
        - podSelector:
            matchLabels:
              app.kubernetes.io/component: etcd
      ports:
        - protocol: TCP
          port: 2380
`,
  'cluster/manifests/utilities/etcd/pod_disruption_budget.yaml': `apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: etcd
spec:
  selector:
    matchLabels:
      app.kubernetes.io/component: etcd
`,
  'cluster/manifests/utilities/etcd/service.yaml': `apiVersion: v1
kind: Service
metadata:
  name: etcd
spec:
  clusterIP: None
  selector:
    app.kubernetes.io/component: etcd
  ports:
    - name: tcp-client
      port: 2379
      protocol: TCP
      targetPort: client
    - name: tcp-peer
      port: 2380
      protocol: TCP
      targetPort: peer
`,
  'cluster/manifests/utilities/etcd/stateful_set.yaml': `apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: etcd
spec:
  serviceName: etcd
  updateStrategy:
    type: RollingUpdate
    rollingUpdate:
      maxUnavailable: 1
  podManagementPolicy: Parallel
  selector:
    matchLabels: &labels
      app.kubernetes.io/component: etcd
  template:
    metadata:
      labels:
        <<: *labels
    spec:
      automountServiceAccountToken: false
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: etcd
          securityContext:
            privileged: false
            allowPrivilegeEscalation: false
            capabilities:
              drop:
                - ALL
            readOnlyRootFilesystem: true
            runAsUser: 65532
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          image: quay.io/coreos/etcd
          imagePullPolicy: IfNotPresent
          command:
            - etcd
          env:
            - name: NAMESPACE
              valueFrom:
                fieldRef:
                  fieldPath: metadata.namespace
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            - name: POD_IP
              valueFrom:
                fieldRef:
                  fieldPath: status.podIP
            - name: ETCD_QUOTA_BACKEND_BYTES
              value: "8589934592"
          ports:
            - name: client
              containerPort: 2379
              protocol: TCP
            - name: peer
              containerPort: 2380
              protocol: TCP
            - name: metrics
              containerPort: 2381
              protocol: TCP
`,
};

/**
 * What MIMIR_TARGET renders (`cilium-etcd-lint render`, the same as `kustomize build`): Service,
 * StatefulSet, PodDisruptionBudget and NetworkPolicy, all mimir-etcd in namespace mimir.
 */
export const MIMIR_RENDERED = `apiVersion: v1
kind: Service
metadata:
  labels:
    app.kubernetes.io/name: mimir
    variant: utilities
  name: mimir-etcd
  namespace: mimir
spec:
  clusterIP: None
  ports:
  - name: tcp-client
    port: 2379
    protocol: TCP
    targetPort: client
  - name: tcp-peer
    port: 2380
    protocol: TCP
    targetPort: peer
  selector:
    app.kubernetes.io/component: etcd
    app.kubernetes.io/name: mimir
    variant: utilities
  trafficDistribution: PreferClose
---
apiVersion: apps/v1
kind: StatefulSet
metadata:
  labels:
    app.kubernetes.io/name: mimir
    variant: utilities
  name: mimir-etcd
  namespace: mimir
spec:
  persistentVolumeClaimRetentionPolicy:
    whenDeleted: Delete
    whenScaled: Delete
  podManagementPolicy: Parallel
  replicas: 3
  selector:
    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/name: mimir
      variant: utilities
  serviceName: mimir-etcd
  template:
    metadata:
      annotations:
        prometheus.io/path: /metrics
        prometheus.io/port: "2381"
        prometheus.io/scheme: http
        prometheus.io/scrape: "true"
        sidecar.istio.io/proxyCPU: 10m
        sidecar.istio.io/proxyCPULimit: 1000m
        sidecar.istio.io/proxyMemory: 64Mi
        sidecar.istio.io/proxyMemoryLimit: 1Gi
      labels:
        app.kubernetes.io/component: etcd
        app.kubernetes.io/name: mimir
        sidecar.istio.io/inject: "true"
        variant: utilities
    spec:
      automountServiceAccountToken: false
      containers:
      - args:
        - --name=$(POD_NAME)
        - --listen-client-urls=http://0.0.0.0:2379
        - --listen-peer-urls=http://0.0.0.0:2380
        - --listen-metrics-urls=http://0.0.0.0:2381
        - --advertise-client-urls=http://$(POD_IP):2379
        - --initial-cluster-state=new
        - --initial-cluster-token=etcd-$(NAMESPACE)
        - --initial-cluster=mimir-etcd-0=http://mimir-etcd-0.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380,mimir-etcd-1=http://mimir-etcd-1.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380,mimir-etcd-2=http://mimir-etcd-2.mimir-etcd.$(NAMESPACE).svc.cluster.local:2380
        - --initial-advertise-peer-urls=http://$(POD_NAME).mimir-etcd.$(NAMESPACE).svc.cluster.local:2380
        - --data-dir=/var/lib/etcd
        command:
        - etcd
        env:
        - name: NAMESPACE
          valueFrom:
            fieldRef:
              fieldPath: metadata.namespace
        - name: POD_NAME
          valueFrom:
            fieldRef:
              fieldPath: metadata.name
        - name: POD_IP
          valueFrom:
            fieldRef:
              fieldPath: status.podIP
        - name: ETCD_QUOTA_BACKEND_BYTES
          value: "8589934592"
        image: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd@sha256:5a03e6f0361f9a0e64b34fe5fa7e7ae4bb5c230c20178413e1bddd8fa5ca00b6
        imagePullPolicy: IfNotPresent
        name: etcd
        ports:
        - containerPort: 2379
          name: client
          protocol: TCP
        - containerPort: 2380
          name: peer
          protocol: TCP
        - containerPort: 2381
          name: metrics
          protocol: TCP
        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          privileged: false
          readOnlyRootFilesystem: true
          runAsNonRoot: true
          runAsUser: 65532
          seccompProfile:
            type: RuntimeDefault
        volumeMounts:
        - mountPath: /var/lib/etcd
          name: storage
      dnsConfig:
        options:
        - name: ndots
          value: "1"
      securityContext:
        seccompProfile:
          type: RuntimeDefault
      topologySpreadConstraints:
      - labelSelector:
          matchLabels:
            app.kubernetes.io/component: etcd
            app.kubernetes.io/name: mimir
            variant: utilities
        matchLabelKeys:
        - controller-revision-hash
        maxSkew: 1
        nodeAffinityPolicy: Honor
        nodeTaintsPolicy: Honor
        topologyKey: kubernetes.io/hostname
        whenUnsatisfiable: ScheduleAnyway
      - labelSelector:
          matchLabels:
            app.kubernetes.io/component: etcd
            app.kubernetes.io/name: mimir
            variant: utilities
        matchLabelKeys:
        - controller-revision-hash
        maxSkew: 1
        nodeAffinityPolicy: Honor
        nodeTaintsPolicy: Honor
        topologyKey: topology.kubernetes.io/zone
        whenUnsatisfiable: ScheduleAnyway
  updateStrategy:
    rollingUpdate:
      maxUnavailable: 1
    type: RollingUpdate
  volumeClaimTemplates:
  - metadata:
      labels:
        app.kubernetes.io/name: mimir
        variant: utilities
      name: storage
    spec:
      accessModes:
      - ReadWriteOnce
      resources:
        requests:
          storage: 1Gi
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  labels:
    app.kubernetes.io/name: mimir
    variant: utilities
  name: mimir-etcd
  namespace: mimir
spec:
  maxUnavailable: 1
  selector:
    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/name: mimir
      variant: utilities
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  labels:
    app.kubernetes.io/name: mimir
    variant: utilities
  name: mimir-etcd-peer
  namespace: mimir
spec:
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app.kubernetes.io/component: etcd
          app.kubernetes.io/name: mimir
          variant: utilities
    ports:
    - port: 2380
      protocol: TCP
  podSelector:
    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/name: mimir
      variant: utilities
`;
