import etcdAdvertiseClientUrl from '../../rules/etcd-advertise-client-url.ts';
import etcdDataDir from '../../rules/etcd-data-dir.ts';
import etcdStatefulsetPresent from '../../rules/etcd-statefulset-present.ts';
import etcdTls from '../../rules/etcd-tls.ts';
import initialClusterForReplicas from '../../rules/initial-cluster-for-replicas.ts';
import { COMPONENT, PDB, SERVICE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, ruleTester } from './rule-tester.ts';

const ADVERTISE = '--advertise-client-urls=http://$(POD_IP):12379';

ruleTester('etcd-statefulset-present', etcdStatefulsetPresent, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    {
      name: 'container named in settings.component',
      input: { resources: edit(STATEFUL_SET, '- name: etcd', '- name: cilium-etcd'), component: { container: 'cilium-etcd' } },
    },
    {
      name: 'labels named in settings.component',
      input: { resources: STATEFUL_SET, component: { matchLabels: { 'app.kubernetes.io/instance': 'cilium-etcd-0' } } },
    },
    {
      name: "several targets in one run: not this rule's subject",
      input: { resources: stream(SERVICE, PDB), repoMode: { component: false } },
    },
  ],
  invalid: [
    {
      name: 'no StatefulSet at all',
      input: { resources: stream(SERVICE, PDB) },
      errors: [{ messageId: 'missing', line: 1, subject: 'target', data: { container: 'etcd' } }],
    },
    { name: 'empty render', input: { resources: '' }, errors: [{ messageId: 'missing', line: 1, subject: 'target' }] },
    {
      name: 'a StatefulSet whose container is not named etcd: a near miss',
      input: { resources: edit(COMPONENT, '- name: etcd', '- name: server') },
      errors: [
        {
          messageId: 'missingNearMisses',
          line: 1,
          subject: 'target',
          data: {
            nearMisses:
              'StatefulSet cilium-etcd-0 has labels app.kubernetes.io/name=cilium, app.kubernetes.io/component=etcd but no container etcd (containers: server)',
          },
        },
      ],
    },
    {
      name: "the container, without the component's labels: a near miss",
      input: {
        resources: edit(
          STATEFUL_SET,
          '        app.kubernetes.io/name: cilium\n    spec:',
          '        app.kubernetes.io/name: mimir\n    spec:',
        ),
      },
      errors: [
        {
          messageId: 'missingNearMisses',
          line: 1,
          subject: 'target',
          data: { nearMisses: 'StatefulSet cilium-etcd-0 has container etcd but labels app.kubernetes.io/name=mimir (want cilium)' },
        },
      ],
    },
    {
      name: 'settings.component names another container',
      input: { resources: COMPONENT, component: { container: 'etcd-main' } },
      errors: [{ messageId: 'missingNearMisses', line: 1, subject: 'target', data: { container: 'etcd-main' } }],
    },
    {
      name: 'a Deployment with an etcd container is not a StatefulSet',
      input: { resources: edit(STATEFUL_SET, 'kind: StatefulSet', 'kind: Deployment') },
      errors: [{ messageId: 'missing', line: 1, subject: 'target' }],
    },
    {
      name: 'etcd only as an init container',
      input: { resources: edit(STATEFUL_SET, '      containers:\n      - name: etcd', '      initContainers:\n      - name: etcd') },
      errors: [{ messageId: 'missingNearMisses', line: 1, subject: 'target' }],
    },
  ],
});

ruleTester('etcd-advertise-client-url', etcdAdvertiseClientUrl, {
  valid: [
    { name: 'the component as rendered ($(POD_IP) host)', input: { resources: COMPONENT } },
    {
      name: 'several advertised URLs on the client port',
      input: { resources: edit(STATEFUL_SET, ADVERTISE, `${ADVERTISE},https://cilium-etcd.kube-system.svc:12379`) },
    },
    {
      name: 'client port given as option',
      input: { resources: edit(STATEFUL_SET, ADVERTISE, '--advertise-client-urls=http://$(POD_IP):2379') },
      options: { clientPort: 2379 },
    },
  ],
  invalid: [
    {
      name: 'flag missing',
      input: { resources: edit(STATEFUL_SET, `        - ${ADVERTISE}\n`, '') },
      errors: [{ messageId: 'missingFlag', line: lineOf(STATEFUL_SET, '        args:'), data: { flag: '--advertise-client-urls' } }],
    },
    {
      name: 'advertises the peer port',
      input: { resources: edit(STATEFUL_SET, ADVERTISE, '--advertise-client-urls=http://$(POD_IP):12380') },
      errors: [{ messageId: 'wrongPort', line: lineOf(STATEFUL_SET, ADVERTISE), data: { url: 'http://$(POD_IP):12380', expected: 12379 } }],
    },
    {
      name: 'the last occurrence of a repeated flag is the one that counts',
      input: {
        resources: edit(
          STATEFUL_SET,
          '        - --data-dir',
          '        - --advertise-client-urls=http://$(POD_IP):2379\n        - --data-dir',
        ),
      },
      errors: [{ messageId: 'wrongPort', line: lineOf(STATEFUL_SET, '        - --data-dir') }],
    },
    {
      name: 'not a URL',
      input: { resources: edit(STATEFUL_SET, ADVERTISE, '--advertise-client-urls=$(POD_IP):12379') },
      errors: [{ messageId: 'invalidUrl', line: lineOf(STATEFUL_SET, ADVERTISE) }],
    },
  ],
});

const DATA_DIR = '/var/lib/cilium/etcd-0';
const MOUNT = `        volumeMounts:\n        - mountPath: ${DATA_DIR}\n          name: data\n`;
const VOLUME = `      volumes:\n      - hostPath:\n          path: ${DATA_DIR}\n        name: data\n`;
const EMPTY_DIR_VOLUME = edit(STATEFUL_SET, VOLUME, '      volumes:\n      - name: data\n        emptyDir: {}\n');

ruleTester('etcd-data-dir', etcdDataDir, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    {
      name: 'trailing slashes are insignificant',
      input: { resources: edit(STATEFUL_SET, `--data-dir=${DATA_DIR}`, `--data-dir=${DATA_DIR}/`) },
    },
    {
      name: 'data dir given as option',
      input: { resources: STATEFUL_SET.replaceAll(DATA_DIR, '/var/lib/etcd') },
      options: { dataDir: '/var/lib/etcd' },
    },
  ],
  invalid: [
    {
      name: '--data-dir elsewhere',
      input: { resources: edit(STATEFUL_SET, `--data-dir=${DATA_DIR}`, '--data-dir=/var/lib/etcd') },
      errors: [
        { messageId: 'wrongDataDir', line: lineOf(STATEFUL_SET, '--data-dir'), data: { value: '/var/lib/etcd', expected: DATA_DIR } },
      ],
    },
    {
      name: '--data-dir missing',
      input: { resources: edit(STATEFUL_SET, `        - --data-dir=${DATA_DIR}\n`, '') },
      errors: [{ messageId: 'missingFlag', line: lineOf(STATEFUL_SET, '        args:') }],
    },
    {
      name: 'no volumeMounts: points at the container',
      input: { resources: edit(STATEFUL_SET, MOUNT, '') },
      errors: [{ messageId: 'missingMount', line: lineOf(STATEFUL_SET, '- name: etcd') }],
    },
    {
      name: 'mounted at another path',
      input: { resources: edit(STATEFUL_SET, `- mountPath: ${DATA_DIR}`, '- mountPath: /data') },
      errors: [{ messageId: 'missingMount', line: lineOf(STATEFUL_SET, 'volumeMounts:') }],
    },
    {
      name: 'the mount names no volume',
      input: { resources: edit(STATEFUL_SET, '          name: data\n', '          name: etcd-data\n') },
      errors: [{ messageId: 'missingVolume', line: lineOf(STATEFUL_SET, '          name: data'), data: { volume: 'etcd-data' } }],
    },
    {
      name: 'an emptyDir volume loses the data on reschedule',
      input: { resources: EMPTY_DIR_VOLUME },
      errors: [{ messageId: 'notHostPath', line: lineOf(EMPTY_DIR_VOLUME, '      - name: data'), data: { volume: 'data' } }],
    },
    {
      name: 'hostPath of another directory',
      input: { resources: edit(STATEFUL_SET, `          path: ${DATA_DIR}`, '          path: /var/lib/cilium/etcd-1') },
      errors: [
        {
          messageId: 'wrongHostPath',
          line: lineOf(STATEFUL_SET, `          path: ${DATA_DIR}`),
          data: { value: '/var/lib/cilium/etcd-1' },
        },
      ],
    },
  ],
});

const THREE = edit(STATEFUL_SET, 'replicas: 1', 'replicas: 3');

ruleTester('initial-cluster-for-replicas', initialClusterForReplicas, {
  valid: [
    { name: 'the component as rendered (1 replica)', input: { resources: COMPONENT } },
    { name: 'replicas absent (defaults to 1)', input: { resources: edit(STATEFUL_SET, '  replicas: 1\n', '') } },
    {
      name: 'three replicas with --initial-cluster',
      input: {
        resources: edit(
          THREE,
          '        - --data-dir',
          '        - --initial-cluster=cilium-etcd-0=http://a:12380,cilium-etcd-1=http://b:12380,cilium-etcd-2=http://c:12380\n        - --data-dir',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'three replicas without --initial-cluster',
      input: { resources: THREE },
      errors: [{ messageId: 'missingInitialCluster', line: lineOf(THREE, 'replicas: 3'), data: { replicas: 3, name: 'cilium-etcd-0' } }],
    },
    {
      name: 'an empty --initial-cluster does not count',
      input: { resources: edit(THREE, '        - --data-dir', '        - --initial-cluster=\n        - --data-dir') },
      errors: [{ messageId: 'missingInitialCluster', line: lineOf(THREE, 'replicas: 3') }],
    },
  ],
});

ruleTester('etcd-tls', etcdTls, {
  valid: [
    {
      name: 'https everywhere',
      input: { resources: STATEFUL_SET.replaceAll('http://', 'https://') },
    },
    {
      name: 'only the flags given as option are inspected',
      input: { resources: STATEFUL_SET.replace('--listen-client-urls=http://', '--listen-client-urls=https://') },
      options: { flags: ['--listen-client-urls'] },
    },
    { name: 'no etcd StatefulSet: nothing to check', input: { resources: SERVICE } },
  ],
  invalid: [
    {
      name: 'the component as rendered: one finding per plaintext flag',
      input: { resources: STATEFUL_SET },
      errors: [
        { messageId: 'plaintext', line: lineOf(STATEFUL_SET, '--listen-client-urls'), data: { flag: '--listen-client-urls' } },
        { messageId: 'plaintext', line: lineOf(STATEFUL_SET, '--listen-peer-urls'), data: { flag: '--listen-peer-urls' } },
        { messageId: 'plaintext', line: lineOf(STATEFUL_SET, '--listen-metrics-urls'), data: { flag: '--listen-metrics-urls' } },
        {
          messageId: 'plaintext',
          line: lineOf(STATEFUL_SET, '--advertise-client-urls'),
          data: { flag: '--advertise-client-urls', url: 'http://$(POD_IP):12379' },
        },
      ],
    },
    {
      name: 'one plaintext URL among TLS ones is still one finding for the flag',
      input: {
        resources: STATEFUL_SET.replaceAll('http://', 'https://').replace(
          'https://0.0.0.0:12379',
          'https://0.0.0.0:12379,http://127.0.0.1:12379,http://[::1]:12379',
        ),
      },
      errors: [{ messageId: 'plaintext', line: lineOf(STATEFUL_SET, '--listen-client-urls'), data: { url: 'http://127.0.0.1:12379' } }],
    },
  ],
});
