import { builtinDeclarativeRule } from '../src/engine/builtin-declarative.ts';
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
import dropAllCapabilities from './drop-all-capabilities.ts';
import etcdAdvertiseClientUrl from './etcd-advertise-client-url.ts';
import etcdBackup from './etcd-backup.ts';
import etcdDataDir from './etcd-data-dir.ts';
import etcdListenPorts from './etcd-listen-ports.ts';
import etcdStatefulsetPresent from './etcd-statefulset-present.ts';
import etcdTls from './etcd-tls.ts';
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
import { renamedRule } from './support/renamed.ts';

/**
 * The declarative built-in rules: `rules/<id>.yaml` each, with no module of its own (the engine
 * makes the rule of the file: src/engine/builtin-declarative.ts). Sorted by id.
 */
export const DECLARATIVE_RULE_IDS = ['host-network'] as const;

/** The code rules: `rules/<id>.ts` each, default-exporting the rule. Sorted by id. */
const codeRules: Record<string, Rule<any, any>> = {
  'argocd-application': argocdApplication,
  'argocd-automated-sync': argocdAutomatedSync,
  'argocd-create-namespace': argocdCreateNamespace,
  'argocd-destination-namespace': argocdDestinationNamespace,
  'argocd-ignore-differences': argocdIgnoreDifferences,
  'argocd-manifest-generate-paths': argocdManifestGeneratePaths,
  'argocd-manifest-generate-paths-missing': argocdManifestGeneratePathsMissing,
  'argocd-project': argocdProject,
  'argocd-sync-failure-notification': argocdSyncFailureNotification,
  'drop-all-capabilities': dropAllCapabilities,
  'etcd-advertise-client-url': etcdAdvertiseClientUrl,
  'etcd-backup': etcdBackup,
  'etcd-data-dir': etcdDataDir,
  'etcd-listen-ports': etcdListenPorts,
  'etcd-statefulset-present': etcdStatefulsetPresent,
  'etcd-tls': etcdTls,
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

/**
 * Old ids that still work, as deprecated aliases (meta.deprecated: the rule that replaced each,
 * and the options it stands for). The `baseline-*` rules were the generic twins of five
 * component rules; each pair is now one rule with a `scope` option, and `baseline-<id>` means
 * `<id>` with `scope: workloads` (rules/support/renamed.ts). Sorted by id.
 */
export const DEPRECATED_RULES: Record<string, Rule<any, any>> = {
  'baseline-drop-all-capabilities': renamedRule('drop-all-capabilities', dropAllCapabilities, { scope: 'workloads' }),
  'baseline-image-digest': renamedRule('image-digest', imageDigest, { scope: 'workloads' }),
  'baseline-no-privilege-escalation': renamedRule('no-privilege-escalation', noPrivilegeEscalation, { scope: 'workloads' }),
  'baseline-no-privileged': renamedRule('no-privileged', noPrivileged, { scope: 'workloads' }),
  'baseline-read-only-root-filesystem': renamedRule('read-only-root-filesystem', readOnlyRootFilesystem, { scope: 'workloads' }),
};

/**
 * Every built-in rule, keyed by id and sorted by id, the deprecated aliases included (so that a
 * configuration, an exemption, a lock or an annotation naming an old id is valid). Each has a doc
 * at `rules/<id>.md` (an alias's says what it was renamed to); each rule that is not an alias has a
 * passing and a failing fixture in `rules/fixtures/<id>/`. Which of them run is the presets'
 * business (each rule's `meta.presets`; src/engine/presets.ts): without a configuration, `recommended`.
 */
export const builtinRules: Record<string, Rule<any, any>> = Object.fromEntries(
  [
    ...Object.entries(codeRules),
    ...DECLARATIVE_RULE_IDS.map((id) => [id, builtinDeclarativeRule(id)] as const),
    ...Object.entries(DEPRECATED_RULES),
  ].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
);
