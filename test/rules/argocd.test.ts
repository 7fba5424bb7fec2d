import argocdApplication from '../../rules/argocd-application.ts';
import argocdAutomatedSync from '../../rules/argocd-automated-sync.ts';
import argocdDestinationNamespace from '../../rules/argocd-destination-namespace.ts';
import argocdManifestGeneratePathsMissing from '../../rules/argocd-manifest-generate-paths-missing.ts';
import argocdManifestGeneratePaths from '../../rules/argocd-manifest-generate-paths.ts';
import argocdSyncFailureNotification from '../../rules/argocd-sync-failure-notification.ts';
import { APPLICATION, COMPONENT, PDB, SERVICE, stream } from './fixtures.ts';
import { BASE_PATH, REPO_ROOT, TARGET_PATH, edit, lineOf, ruleTester } from './rule-tester.ts';

const MGP = '    argocd.argoproj.io/manifest-generate-paths: /cluster/manifests/cilium-etcd\n';
const withPaths = (value: string) => edit(APPLICATION, MGP, `    argocd.argoproj.io/manifest-generate-paths: "${value}"\n`);
const MGP_LINE = lineOf(APPLICATION, 'manifest-generate-paths');

const SOURCE = `  source:
    repoURL: git@github.com:hippocampus-dev/hippocampus
    targetRevision: main
    path: cluster/manifests/cilium-etcd/overlays/dev
`;
/** Two sources; the one deploying the target is the second. */
const multiSource = (value: string) =>
  edit(
    withPaths(value),
    SOURCE,
    `  sources:
  - repoURL: git@github.com:hippocampus-dev/hippocampus
    path: cluster/manifests/cilium-etcd
  - repoURL: git@github.com:hippocampus-dev/hippocampus
    path: cluster/manifests/cilium-etcd/overlays/dev
`,
  );

const COMPONENT_DIR = `${REPO_ROOT}/cluster/manifests/cilium-etcd`;
const SHARED_COMPONENT = `${REPO_ROOT}/cluster/components/hardening`;

ruleTester('argocd-manifest-generate-paths', argocdManifestGeneratePaths, {
  subject: 'application',
  valid: [
    { name: 'the Application as written: repo-absolute component dir', input: { resources: COMPONENT, applications: APPLICATION } },
    { name: 'relative entries against the source path', input: { resources: COMPONENT, applications: withPaths('.;../../base') } },
    { name: 'relative parent of the overlay', input: { resources: COMPONENT, applications: withPaths('../..') } },
    {
      name: 'trailing slash, blanks and empty entries',
      input: { resources: COMPONENT, applications: withPaths(' /cluster/manifests/cilium-etcd/ ;; ') },
    },
    { name: 'the repository root covers everything', input: { resources: COMPONENT, applications: withPaths('/') } },
    {
      name: 'several entries together cover a shared component',
      input: {
        resources: COMPONENT,
        applications: withPaths('/cluster/manifests/cilium-etcd;/cluster/components/hardening'),
        dependencyDirs: [TARGET_PATH, BASE_PATH, SHARED_COMPONENT],
      },
    },
    {
      name: 'spec.sources[]: relative entries resolve against the source whose path is the target',
      input: { resources: COMPONENT, applications: multiSource('.;../../base') },
    },
    {
      name: 'annotation absent: left to argocd-manifest-generate-paths-missing',
      input: { resources: COMPONENT, applications: edit(APPLICATION, MGP, '') },
    },
    { name: 'ArgoCD checks not applicable', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: '"." covers the overlay but not the base it builds on',
      input: { resources: COMPONENT, applications: withPaths('.') },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/manifests/cilium-etcd/base', value: '.' } }],
    },
    {
      name: 'a path prefix is not a parent directory',
      input: { resources: COMPONENT, applications: withPaths('/cluster/manifests/cilium') },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/manifests/cilium-etcd/overlays/dev' } }],
    },
    {
      name: 'the overlays directory does not cover the base',
      input: { resources: COMPONENT, applications: withPaths('/cluster/manifests/cilium-etcd/overlays') },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/manifests/cilium-etcd/base' } }],
    },
    {
      name: 'a shared component outside the listed directory',
      input: { resources: COMPONENT, applications: APPLICATION, dependencyDirs: [TARGET_PATH, BASE_PATH, SHARED_COMPONENT] },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/components/hardening' } }],
    },
    {
      name: 'relative entries without a leading slash are not repository-absolute',
      input: { resources: COMPONENT, applications: withPaths('cluster/manifests/cilium-etcd') },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/manifests/cilium-etcd/overlays/dev' } }],
    },
    {
      name: 'spec.sources[]: "." is the matching source path, not the first source',
      input: { resources: COMPONENT, applications: multiSource('.') },
      errors: [{ messageId: 'uncovered', line: MGP_LINE, data: { directory: 'cluster/manifests/cilium-etcd/base' } }],
    },
    {
      name: 'only the Application that misses a directory is reported',
      input: {
        resources: COMPONENT,
        applications: stream(APPLICATION, edit(withPaths('.'), 'name: cilium-etcd', 'name: cilium-etcd-copy')),
        dependencyDirs: [TARGET_PATH, COMPONENT_DIR],
      },
      errors: [
        {
          messageId: 'uncovered',
          line: lineOf(stream(APPLICATION, withPaths('.')), 'manifest-generate-paths', 2),
          data: { name: 'cilium-etcd-copy', directory: 'cluster/manifests/cilium-etcd' },
        },
      ],
    },
  ],
});

ruleTester('argocd-manifest-generate-paths-missing', argocdManifestGeneratePathsMissing, {
  subject: 'application',
  valid: [
    { name: 'the Application as written', input: { resources: COMPONENT, applications: APPLICATION } },
    { name: 'ArgoCD checks not applicable', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: 'annotation absent: points at the annotations',
      input: { resources: COMPONENT, applications: edit(APPLICATION, MGP, '') },
      errors: [{ messageId: 'missing', line: lineOf(APPLICATION, 'annotations:'), data: { name: 'cilium-etcd' } }],
    },
    {
      name: 'no annotations at all: points at metadata',
      input: {
        resources: COMPONENT,
        applications: edit(
          APPLICATION,
          `  annotations:\n${MGP}    notifications.argoproj.io/subscribe.on-sync-failed.slack: notifications\n`,
          '',
        ),
      },
      errors: [{ messageId: 'missing', line: lineOf(APPLICATION, 'metadata:') }],
    },
  ],
});

const AUTOMATED = '    automated:\n      prune: true\n      selfHeal: true\n';

ruleTester('argocd-automated-sync', argocdAutomatedSync, {
  subject: 'application',
  valid: [
    { name: 'the Application as written', input: { resources: COMPONENT, applications: APPLICATION } },
    {
      name: 'enabled: true is fine',
      input: { resources: COMPONENT, applications: edit(APPLICATION, AUTOMATED, `${AUTOMATED}      enabled: true\n`) },
    },
    { name: 'ArgoCD checks not applicable', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: 'manual sync only: points at syncPolicy',
      input: { resources: COMPONENT, applications: edit(APPLICATION, AUTOMATED, '    syncOptions:\n    - Validate=true\n') },
      errors: [{ messageId: 'missingAutomated', line: lineOf(APPLICATION, 'syncPolicy:'), data: { name: 'cilium-etcd' } }],
    },
    {
      name: 'no syncPolicy: points at spec',
      input: { resources: COMPONENT, applications: edit(APPLICATION, `  syncPolicy:\n${AUTOMATED}`, '') },
      errors: [{ messageId: 'missingAutomated', line: lineOf(APPLICATION, 'spec:') }],
    },
    {
      name: 'automated: {} leaves prune and selfHeal off',
      input: { resources: COMPONENT, applications: edit(APPLICATION, AUTOMATED, '    automated: {}\n') },
      errors: [
        { messageId: 'pruneDisabled', line: lineOf(APPLICATION, 'automated:') },
        { messageId: 'selfHealDisabled', line: lineOf(APPLICATION, 'automated:') },
      ],
    },
    {
      name: 'prune: false',
      input: { resources: COMPONENT, applications: edit(APPLICATION, 'prune: true', 'prune: false') },
      errors: [{ messageId: 'pruneDisabled', line: lineOf(APPLICATION, 'prune: true') }],
    },
    {
      name: 'selfHeal: "true" is a string, not a boolean',
      input: { resources: COMPONENT, applications: edit(APPLICATION, 'selfHeal: true', 'selfHeal: "true"') },
      errors: [{ messageId: 'selfHealDisabled', line: lineOf(APPLICATION, 'selfHeal: true') }],
    },
    {
      name: 'automated but switched off with enabled: false',
      input: { resources: COMPONENT, applications: edit(APPLICATION, AUTOMATED, `${AUTOMATED}      enabled: false\n`) },
      errors: [{ messageId: 'automatedDisabled', line: lineOf(APPLICATION, 'selfHeal: true') + 1 }],
    },
  ],
});

ruleTester('argocd-destination-namespace', argocdDestinationNamespace, {
  subject: 'application',
  valid: [
    { name: 'the Application as written', input: { resources: COMPONENT, applications: APPLICATION } },
    {
      name: 'no etcd StatefulSet: nothing to compare with',
      input: { resources: stream(SERVICE, PDB), applications: edit(APPLICATION, 'namespace: kube-system', 'namespace: default') },
    },
    { name: 'ArgoCD checks not applicable', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: 'deploys to another namespace',
      input: { resources: COMPONENT, applications: edit(APPLICATION, 'namespace: kube-system', 'namespace: cilium') },
      errors: [
        {
          messageId: 'wrongDestinationNamespace',
          line: lineOf(APPLICATION, 'namespace: kube-system'),
          data: { actual: 'cilium', expected: 'kube-system', statefulSet: 'cilium-etcd-0' },
        },
      ],
    },
    {
      name: 'the StatefulSet moved but the Application did not',
      input: { resources: COMPONENT.replaceAll('namespace: kube-system', 'namespace: etcd'), applications: APPLICATION },
      errors: [
        {
          messageId: 'wrongDestinationNamespace',
          line: lineOf(APPLICATION, 'namespace: kube-system'),
          data: { actual: 'kube-system', expected: 'etcd' },
        },
      ],
    },
    {
      name: 'no destination namespace: points at destination',
      input: { resources: COMPONENT, applications: edit(APPLICATION, '    namespace: kube-system\n', '') },
      errors: [{ messageId: 'missingDestinationNamespace', line: lineOf(APPLICATION, 'destination:'), data: { expected: 'kube-system' } }],
    },
  ],
});

const SYNC_FAILED = '    notifications.argoproj.io/subscribe.on-sync-failed.slack: notifications\n';

ruleTester('argocd-sync-failure-notification', argocdSyncFailureNotification, {
  subject: 'application',
  valid: [
    { name: 'the Application as written (slack)', input: { resources: COMPONENT, applications: APPLICATION } },
    {
      name: 'any notification service',
      input: {
        resources: COMPONENT,
        applications: edit(APPLICATION, SYNC_FAILED, '    notifications.argoproj.io/subscribe.on-sync-failed.webhook: ops\n'),
      },
    },
    { name: 'ArgoCD checks not applicable', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: 'only other triggers subscribed: points at annotations',
      input: {
        resources: COMPONENT,
        applications: edit(
          APPLICATION,
          SYNC_FAILED,
          '    notifications.argoproj.io/subscribe.on-sync-status-unknown.slack: notifications\n',
        ),
      },
      errors: [{ messageId: 'missing', line: lineOf(APPLICATION, 'annotations:'), data: { name: 'cilium-etcd' } }],
    },
    {
      name: 'a prefix without a service name',
      input: {
        resources: COMPONENT,
        applications: edit(APPLICATION, SYNC_FAILED, '    notifications.argoproj.io/subscribe.on-sync-failed.: x\n'),
      },
      errors: [{ messageId: 'missing', line: lineOf(APPLICATION, 'annotations:') }],
    },
    {
      name: 'no annotations at all: points at metadata',
      input: { resources: COMPONENT, applications: edit(APPLICATION, `  annotations:\n${MGP}${SYNC_FAILED}`, '') },
      errors: [{ messageId: 'missing', line: lineOf(APPLICATION, 'metadata:') }],
    },
  ],
});

ruleTester('argocd-application', argocdApplication, {
  subject: 'target',
  valid: [
    { name: 'one Application', input: { resources: COMPONENT, applications: APPLICATION } },
    { name: 'ArgoCD checks not applicable (stdin, no git repository)', input: { resources: COMPONENT } },
  ],
  invalid: [
    {
      name: 'no Application deploys the target',
      input: { resources: COMPONENT, applications: '' },
      errors: [{ messageId: 'missing', line: 1 }],
    },
    {
      name: 'none in a configured search scope: the message names the scope',
      input: { resources: COMPONENT, applications: '' },
      options: { search: ['deploy/argocd/**', '!deploy/argocd/old/**'] },
      errors: [{ messageId: 'missingInScope', line: 1, data: { search: 'deploy/argocd/**, !deploy/argocd/old/**' } }],
    },
  ],
});
