import etcdBackup from '../../rules/etcd-backup.ts';
import namespace from '../../rules/namespace.ts';
import podDisruptionBudget from '../../rules/pod-disruption-budget.ts';
import prometheusScrape from '../../rules/prometheus-scrape.ts';
import serviceExists from '../../rules/service-exists.ts';
import { BACKUP_CRONJOB, COMPONENT, PDB, SERVICE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, ruleTester } from './rule-tester.ts';

const PDB_MATCH_LABELS = `    matchLabels:
      app.kubernetes.io/component: etcd
      app.kubernetes.io/name: cilium
`;
const NO_PDB = stream(SERVICE, STATEFUL_SET);
const pdbWithSelector = (selector: string) => edit(PDB, PDB_MATCH_LABELS, selector);
const OTHER_PODS = stream(STATEFUL_SET, edit(PDB, 'component: etcd', 'component: agent'));
const PDB_OTHER_NAMESPACE = stream(STATEFUL_SET, edit(PDB, 'namespace: kube-system', 'namespace: default'));
const NOT_IN_ETCD = stream(
  STATEFUL_SET,
  pdbWithSelector(
    '    matchExpressions:\n    - key: app.kubernetes.io/name\n      operator: Exists\n    - key: app.kubernetes.io/component\n      operator: NotIn\n      values: [etcd]\n',
  ),
);
const DOES_NOT_EXIST = stream(
  STATEFUL_SET,
  pdbWithSelector('    matchExpressions:\n    - key: app.kubernetes.io/instance\n      operator: DoesNotExist\n'),
);
const NO_SELECTOR = stream(STATEFUL_SET, edit(PDB, `  selector:\n${PDB_MATCH_LABELS}`, ''));

ruleTester('pod-disruption-budget', podDisruptionBudget, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    {
      name: 'matchExpressions In / Exists / NotIn / DoesNotExist',
      input: {
        resources: stream(
          STATEFUL_SET,
          pdbWithSelector(`    matchExpressions:
    - key: app.kubernetes.io/name
      operator: In
      values: [cilium, other]
    - key: app.kubernetes.io/instance
      operator: Exists
    - key: app.kubernetes.io/component
      operator: NotIn
      values: [agent]
    - key: tier
      operator: DoesNotExist
`),
        ),
      },
    },
    { name: 'an empty selector selects every pod', input: { resources: stream(STATEFUL_SET, pdbWithSelector('    {}\n')) } },
    { name: 'one matching PDB is enough; another one selecting other pods is not blamed', input: { resources: stream(OTHER_PODS, PDB) } },
  ],
  invalid: [
    {
      name: 'no PodDisruptionBudget',
      input: { resources: NO_PDB },
      errors: [
        { messageId: 'missing', line: lineOf(NO_PDB, 'name: cilium-etcd-0'), data: { namespace: 'kube-system', name: 'cilium-etcd-0' } },
      ],
    },
    {
      name: 'the PDB selects other pods: reported on the failing matchLabels entry',
      input: { resources: OTHER_PODS },
      errors: [
        {
          messageId: 'selectorMismatch',
          line: lineOf(OTHER_PODS, 'component: agent'),
          object: 'PodDisruptionBudget/cilium-etcd',
          data: { pdb: 'cilium-etcd', name: 'cilium-etcd-0', field: 'spec.selector.matchLabels["app.kubernetes.io/component"]' },
        },
      ],
    },
    {
      name: 'the only PDB is in another namespace: reported on the StatefulSet',
      input: { resources: PDB_OTHER_NAMESPACE },
      errors: [{ messageId: 'missing', line: lineOf(PDB_OTHER_NAMESPACE, 'name: cilium-etcd-0'), object: 'StatefulSet/cilium-etcd-0' }],
    },
    {
      name: 'a matchExpressions requirement fails: reported on that requirement',
      input: { resources: NOT_IN_ETCD },
      errors: [
        {
          messageId: 'selectorMismatch',
          line: lineOf(NOT_IN_ETCD, '- key: app.kubernetes.io/component'),
          data: { field: 'spec.selector.matchExpressions[1]' },
        },
      ],
    },
    {
      name: 'DoesNotExist on a label the pods carry',
      input: { resources: DOES_NOT_EXIST },
      errors: [{ messageId: 'selectorMismatch', line: lineOf(DOES_NOT_EXIST, '- key: app.kubernetes.io/instance') }],
    },
    {
      name: 'a PDB without a selector selects nothing: reported on its spec',
      input: { resources: NO_SELECTOR },
      errors: [
        { messageId: 'selectorMismatch', line: lineOf(NO_SELECTOR, 'maxUnavailable: 1') - 1, object: 'PodDisruptionBudget/cilium-etcd' },
      ],
    },
  ],
});

const SERVICE_ELSEWHERE = stream(edit(SERVICE, 'namespace: kube-system', 'namespace: default'), STATEFUL_SET);

ruleTester('service-exists', serviceExists, {
  valid: [
    { name: 'the component as rendered (headless Service)', input: { resources: COMPONENT } },
    {
      name: 'extra Service selector labels that the pods carry',
      input: {
        resources: stream(
          edit(
            SERVICE,
            '    app.kubernetes.io/name: cilium\n',
            '    app.kubernetes.io/name: cilium\n    app.kubernetes.io/instance: cilium-etcd-0\n',
          ),
          STATEFUL_SET,
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'spec.serviceName missing: points at spec',
      input: { resources: edit(COMPONENT, '  serviceName: cilium-etcd\n', '') },
      errors: [{ messageId: 'missingServiceName', line: lineOf(COMPONENT, 'spec:', 2) }],
    },
    {
      name: 'the named Service does not exist',
      input: { resources: stream(STATEFUL_SET, PDB) },
      errors: [
        {
          messageId: 'missingService',
          line: lineOf(STATEFUL_SET, 'serviceName: cilium-etcd'),
          data: { service: 'cilium-etcd', namespace: 'kube-system' },
        },
      ],
    },
    {
      name: 'serviceName names another Service',
      input: { resources: edit(COMPONENT, 'serviceName: cilium-etcd', 'serviceName: etcd') },
      errors: [{ messageId: 'missingService', line: lineOf(COMPONENT, 'serviceName: cilium-etcd'), data: { service: 'etcd' } }],
    },
    {
      name: 'the Service is in another namespace',
      input: { resources: SERVICE_ELSEWHERE },
      errors: [{ messageId: 'missingService', line: lineOf(SERVICE_ELSEWHERE, 'serviceName: cilium-etcd') }],
    },
    {
      name: 'the Service selects other pods: reported on the failing selector entry',
      input: { resources: stream(edit(SERVICE, 'component: etcd', 'component: agent'), STATEFUL_SET) },
      errors: [{ messageId: 'selectorMismatch', line: lineOf(SERVICE, 'component: etcd'), object: 'Service/cilium-etcd' }],
    },
    {
      name: 'a Service without selector selects nothing',
      input: {
        resources: stream(
          edit(SERVICE, '  selector:\n    app.kubernetes.io/component: etcd\n    app.kubernetes.io/name: cilium\n', ''),
          STATEFUL_SET,
        ),
      },
      errors: [{ messageId: 'selectorMismatch', line: lineOf(SERVICE, 'spec:') }],
    },
  ],
});

const PDB_ELSEWHERE = stream(SERVICE, STATEFUL_SET, edit(PDB, 'namespace: kube-system', 'namespace: cilium'));
const COMPONENT_IN_DEFAULT = COMPONENT.replaceAll('namespace: kube-system', 'namespace: default');

ruleTester('namespace', namespace, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'namespace given as option', input: { resources: COMPONENT_IN_DEFAULT }, options: { namespace: 'default' } },
    {
      name: 'unrelated objects elsewhere are not checked',
      input: {
        resources: stream(
          COMPONENT,
          edit(edit(PDB, 'name: cilium-etcd', 'name: other'), 'component: etcd', 'component: agent').replace('kube-system', 'default'),
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'everything in default',
      input: { resources: COMPONENT_IN_DEFAULT },
      errors: [
        { messageId: 'wrongNamespace', line: lineOf(COMPONENT, 'namespace: kube-system', 1), object: 'Service/cilium-etcd' },
        {
          messageId: 'wrongNamespace',
          line: lineOf(COMPONENT, 'namespace: kube-system', 2),
          object: 'StatefulSet/cilium-etcd-0',
          data: { actual: 'default', expected: 'kube-system' },
        },
        { messageId: 'wrongNamespace', line: lineOf(COMPONENT, 'namespace: kube-system', 3), object: 'PodDisruptionBudget/cilium-etcd' },
      ],
    },
    {
      name: 'rendered without a namespace: points at metadata',
      input: { resources: edit(STATEFUL_SET, '  namespace: kube-system\n', '') },
      errors: [
        { messageId: 'missingNamespace', line: lineOf(STATEFUL_SET, 'metadata:', 1), data: { kind: 'StatefulSet', name: 'cilium-etcd-0' } },
      ],
    },
    {
      name: 'only the PDB is elsewhere',
      input: { resources: PDB_ELSEWHERE },
      errors: [
        {
          messageId: 'wrongNamespace',
          line: lineOf(PDB_ELSEWHERE, 'namespace: cilium'),
          object: 'PodDisruptionBudget/cilium-etcd',
          data: { actual: 'cilium' },
        },
      ],
    },
  ],
});

ruleTester('prometheus-scrape', prometheusScrape, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'metrics port given as option', input: { resources: edit(STATEFUL_SET, '"12381"', '"2381"') }, options: { metricsPort: 2381 } },
  ],
  invalid: [
    {
      name: 'scrape disabled',
      input: { resources: edit(STATEFUL_SET, 'prometheus.io/scrape: "true"', 'prometheus.io/scrape: "false"') },
      errors: [{ messageId: 'scrapeDisabled', line: lineOf(STATEFUL_SET, 'prometheus.io/scrape'), data: { value: 'false' } }],
    },
    {
      name: 'port annotation on the client port',
      input: { resources: edit(STATEFUL_SET, 'prometheus.io/port: "12381"', 'prometheus.io/port: "12379"') },
      errors: [{ messageId: 'wrongPort', line: lineOf(STATEFUL_SET, 'prometheus.io/port'), data: { value: '12379', expected: 12381 } }],
    },
    {
      name: 'no annotations (the base without the overlay): both missing, at the template metadata',
      input: {
        resources: edit(
          STATEFUL_SET,
          '      annotations:\n        prometheus.io/port: "12381"\n        prometheus.io/scrape: "true"\n',
          '',
        ),
      },
      errors: [
        { messageId: 'missingAnnotation', line: lineOf(STATEFUL_SET, '    metadata:'), data: { annotation: 'prometheus.io/scrape' } },
        { messageId: 'missingAnnotation', line: lineOf(STATEFUL_SET, '    metadata:'), data: { annotation: 'prometheus.io/port' } },
      ],
    },
    {
      name: 'only the port annotation missing: at the annotations',
      input: { resources: edit(STATEFUL_SET, '        prometheus.io/port: "12381"\n', '') },
      errors: [{ messageId: 'missingAnnotation', line: lineOf(STATEFUL_SET, 'annotations:'), data: { annotation: 'prometheus.io/port' } }],
    },
  ],
});

const SCRIPT_CRONJOB = edit(
  BACKUP_CRONJOB,
  `            command:
            - etcdctl
            args:
            - --endpoints=http://127.0.0.1:12379
            - snapshot
            - save
            - /backup/snapshot.db
`,
  `            command:
            - /bin/sh
            - -c
            - ETCDCTL_API=3 etcdctl --endpoints=$ENDPOINTS snapshot save /backup/$(date +%s).db
`,
);

ruleTester('etcd-backup', etcdBackup, {
  valid: [
    { name: 'a CronJob running etcdctl snapshot save', input: { resources: stream(COMPONENT, BACKUP_CRONJOB) } },
    { name: 'a CronJob running it from a shell script', input: { resources: stream(COMPONENT, SCRIPT_CRONJOB) } },
    { name: 'no etcd StatefulSet: nothing to back up', input: { resources: stream(SERVICE, PDB) } },
  ],
  invalid: [
    {
      name: 'the component as rendered has no backup',
      input: { resources: COMPONENT },
      errors: [{ messageId: 'missingBackup', line: lineOf(COMPONENT, 'name: cilium-etcd-0'), data: { name: 'cilium-etcd-0' } }],
    },
    {
      name: 'a CronJob that does something else',
      input: { resources: stream(STATEFUL_SET, edit(BACKUP_CRONJOB, '            - save\n', '            - status\n')) },
      errors: [{ messageId: 'missingBackup', line: lineOf(STATEFUL_SET, 'name: cilium-etcd-0') }],
    },
    {
      name: 'a Job (not a CronJob) is a one-off, not a schedule',
      input: { resources: stream(STATEFUL_SET, edit(BACKUP_CRONJOB, 'kind: CronJob', 'kind: Job')) },
      errors: [{ messageId: 'missingBackup', line: lineOf(STATEFUL_SET, 'name: cilium-etcd-0') }],
    },
  ],
});
