import type { Rule } from '../src/engine/types.ts';
import argocdApplication from './argocd-application.ts';
import argocdAutomatedSync from './argocd-automated-sync.ts';
import argocdCreateNamespace from './argocd-create-namespace.ts';
import argocdDestinationNamespace from './argocd-destination-namespace.ts';
import argocdIgnoreDifferences from './argocd-ignore-differences.ts';
import argocdManifestGeneratePaths from './argocd-manifest-generate-paths.ts';
import argocdManifestGeneratePathsMissing from './argocd-manifest-generate-paths-missing.ts';
import argocdProject from './argocd-project.ts';
import argocdSyncFailureNotification from './argocd-sync-failure-notification.ts';
import baselineDropAllCapabilities from './baseline-drop-all-capabilities.ts';
import baselineImageDigest from './baseline-image-digest.ts';
import baselineNoPrivilegeEscalation from './baseline-no-privilege-escalation.ts';
import baselineNoPrivileged from './baseline-no-privileged.ts';
import baselineReadOnlyRootFilesystem from './baseline-read-only-root-filesystem.ts';
import dropAllCapabilities from './drop-all-capabilities.ts';
import etcdAdvertiseClientUrl from './etcd-advertise-client-url.ts';
import etcdBackup from './etcd-backup.ts';
import etcdDataDir from './etcd-data-dir.ts';
import etcdListenPorts from './etcd-listen-ports.ts';
import etcdStatefulsetPresent from './etcd-statefulset-present.ts';
import etcdTls from './etcd-tls.ts';
import hostNetwork from './host-network.ts';
import imageDigest from './image-digest.ts';
import imageRegistry from './image-registry.ts';
import initialClusterForReplicas from './initial-cluster-for-replicas.ts';
import kubernetesSchema from './kubernetes-schema.ts';
import kubernetesSchemaMissing from './kubernetes-schema-missing.ts';
import namespaceRule from './namespace.ts';
import noPrivilegeEscalation from './no-privilege-escalation.ts';
import noPrivileged from './no-privileged.ts';
import podDisruptionBudget from './pod-disruption-budget.ts';
import prometheusScrape from './prometheus-scrape.ts';
import readOnlyRootFilesystem from './read-only-root-filesystem.ts';
import serviceExists from './service-exists.ts';

/**
 * Every built-in rule, keyed by id and sorted by id. Each has a doc at `rules/<id>.md` and a
 * passing and a failing fixture in `rules/fixtures/<id>/`. Which of them run is the presets'
 * business (rules/presets.ts): without a configuration, `recommended`.
 */
export const builtinRules: Record<string, Rule<any>> = {
  'argocd-application': argocdApplication,
  'argocd-automated-sync': argocdAutomatedSync,
  'argocd-create-namespace': argocdCreateNamespace,
  'argocd-destination-namespace': argocdDestinationNamespace,
  'argocd-ignore-differences': argocdIgnoreDifferences,
  'argocd-manifest-generate-paths': argocdManifestGeneratePaths,
  'argocd-manifest-generate-paths-missing': argocdManifestGeneratePathsMissing,
  'argocd-project': argocdProject,
  'argocd-sync-failure-notification': argocdSyncFailureNotification,
  'baseline-drop-all-capabilities': baselineDropAllCapabilities,
  'baseline-image-digest': baselineImageDigest,
  'baseline-no-privilege-escalation': baselineNoPrivilegeEscalation,
  'baseline-no-privileged': baselineNoPrivileged,
  'baseline-read-only-root-filesystem': baselineReadOnlyRootFilesystem,
  'drop-all-capabilities': dropAllCapabilities,
  'etcd-advertise-client-url': etcdAdvertiseClientUrl,
  'etcd-backup': etcdBackup,
  'etcd-data-dir': etcdDataDir,
  'etcd-listen-ports': etcdListenPorts,
  'etcd-statefulset-present': etcdStatefulsetPresent,
  'etcd-tls': etcdTls,
  'host-network': hostNetwork,
  'image-digest': imageDigest,
  'image-registry': imageRegistry,
  'initial-cluster-for-replicas': initialClusterForReplicas,
  'kubernetes-schema': kubernetesSchema,
  'kubernetes-schema-missing': kubernetesSchemaMissing,
  namespace: namespaceRule,
  'no-privilege-escalation': noPrivilegeEscalation,
  'no-privileged': noPrivileged,
  'pod-disruption-budget': podDisruptionBudget,
  'prometheus-scrape': prometheusScrape,
  'read-only-root-filesystem': readOnlyRootFilesystem,
  'service-exists': serviceExists,
};
