import etcdListenPorts from '../../rules/etcd-listen-ports.ts';
import { COMPONENT, PDB, SERVICE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, ruleTester } from './rule-tester.ts';

const CLIENT = '        - --listen-client-urls=http://0.0.0.0:12379\n';

/** The etcd container with declared ports and probes that all agree with the flags. */
const WITH_PORTS_AND_PROBES = edit(
  STATEFUL_SET,
  '        securityContext:\n          allowPrivilegeEscalation',
  `        ports:
        - containerPort: 12379
          name: client
        - containerPort: 12380
          name: peer
        - containerPort: 12381
          name: metrics
        livenessProbe:
          httpGet:
            path: /health
            port: metrics
        readinessProbe:
          tcpSocket:
            port: 12379
        startupProbe:
          grpc:
            port: 12379
        securityContext:
          allowPrivilegeEscalation`,
);

const SERVICE_WITH_PORTS = edit(
  SERVICE,
  '  clusterIP: None\n',
  `  clusterIP: None
  ports:
  - name: client
    port: 12379
    targetPort: client
  - name: peer
    port: 12380
  - name: metrics
    port: 12381
    targetPort: 12381
`,
);

const BAD_SERVICE = edit(
  SERVICE,
  '  clusterIP: None\n',
  `  clusterIP: None
  ports:
  - name: client
    port: 2379
    targetPort: etcd-client
`,
);

const SEPARATE_VALUE = edit(STATEFUL_SET, CLIENT, '        - --listen-client-urls\n        - http://0.0.0.0:2379\n');
const IN_COMMAND = edit(
  edit(STATEFUL_SET, CLIENT, ''),
  '        - etcd\n',
  '        - /usr/local/bin/etcd\n        - --listen-client-urls=http://0.0.0.0:12379\n',
);

ruleTester('etcd-listen-ports', etcdListenPorts, {
  valid: [
    { name: 'the component as rendered (no containerPorts, headless Service without ports)', input: { resources: COMPONENT } },
    {
      name: 'declared containerPorts, named and numeric probe ports all agree',
      input: { resources: stream(SERVICE_WITH_PORTS, WITH_PORTS_AND_PROBES) },
    },
    { name: 'flag in command after the executable', input: { resources: IN_COMMAND } },
    {
      name: '--flag value form',
      input: { resources: edit(STATEFUL_SET, CLIENT, '        - --listen-client-urls\n        - http://0.0.0.0:12379\n') },
    },
    {
      name: 'several URLs, IPv6 and $(VAR) hosts',
      input: {
        resources: edit(STATEFUL_SET, 'http://0.0.0.0:12379', 'http://[::1]:12379,https://$(POD_IP):12379, unix://localhost:12379'),
      },
    },
    {
      name: 'single-dash flag spelling',
      input: { resources: edit(STATEFUL_SET, '- --listen-client-urls=', '- -listen-client-urls=') },
    },
    {
      name: 'ports given as options',
      input: {
        resources: STATEFUL_SET.replaceAll('12379', '2379').replaceAll('12380', '2380').replaceAll('12381', '2381'),
      },
      options: { clientPort: 2379, peerPort: 2380, metricsPort: 2381 },
    },
    {
      name: 'a Service of the same name in another namespace is not the governing one',
      input: { resources: stream(STATEFUL_SET, edit(BAD_SERVICE, 'namespace: kube-system', 'namespace: other')) },
    },
    { name: 'no etcd StatefulSet: nothing to check', input: { resources: stream(SERVICE, PDB) } },
  ],
  invalid: [
    {
      name: 'client URL on the upstream default port',
      input: { resources: edit(STATEFUL_SET, 'http://0.0.0.0:12379', 'http://0.0.0.0:2379') },
      errors: [
        {
          messageId: 'wrongPort',
          line: lineOf(STATEFUL_SET, '--listen-client-urls'),
          data: { flag: '--listen-client-urls', url: 'http://0.0.0.0:2379', expected: 12379 },
        },
      ],
    },
    {
      name: 'one bad URL in a list',
      input: { resources: edit(STATEFUL_SET, 'http://0.0.0.0:12380', 'http://127.0.0.1:12380,http://0.0.0.0:2380') },
      errors: [{ messageId: 'wrongPort', line: lineOf(STATEFUL_SET, '--listen-peer-urls'), data: { url: 'http://0.0.0.0:2380' } }],
    },
    {
      name: 'client and peer ports swapped',
      input: {
        resources: edit(edit(STATEFUL_SET, '0.0.0.0:12379', '0.0.0.0:X'), '0.0.0.0:12380', '0.0.0.0:12379').replace(
          '0.0.0.0:X',
          '0.0.0.0:12380',
        ),
      },
      errors: [
        { messageId: 'wrongPort', line: lineOf(STATEFUL_SET, '--listen-client-urls'), data: { expected: 12379 } },
        { messageId: 'wrongPort', line: lineOf(STATEFUL_SET, '--listen-peer-urls'), data: { expected: 12380 } },
      ],
    },
    {
      name: 'wrong port in the --flag value form points at the value item',
      input: { resources: SEPARATE_VALUE },
      errors: [{ messageId: 'wrongPort', line: lineOf(SEPARATE_VALUE, '- http://0.0.0.0:2379') }],
    },
    {
      name: 'metrics flag missing: points at args',
      input: { resources: edit(STATEFUL_SET, '        - --listen-metrics-urls=http://0.0.0.0:12381\n', '') },
      errors: [
        {
          messageId: 'missingFlag',
          line: lineOf(STATEFUL_SET, '        args:'),
          data: { flag: '--listen-metrics-urls', container: 'etcd' },
        },
      ],
    },
    {
      name: 'URL without a port',
      input: { resources: edit(STATEFUL_SET, 'http://0.0.0.0:12380', 'http://0.0.0.0') },
      errors: [{ messageId: 'invalidUrl', line: lineOf(STATEFUL_SET, '--listen-peer-urls'), data: { url: 'http://0.0.0.0' } }],
    },
    {
      name: 'port that is a $(VAR) reference cannot be verified',
      input: { resources: edit(STATEFUL_SET, 'http://0.0.0.0:12380', 'http://0.0.0.0:$(PEER_PORT)') },
      errors: [{ messageId: 'wrongPort', line: lineOf(STATEFUL_SET, '--listen-peer-urls') }],
    },
    {
      name: 'empty flag value',
      input: { resources: edit(STATEFUL_SET, '--listen-peer-urls=http://0.0.0.0:12380', '--listen-peer-urls=') },
      errors: [{ messageId: 'invalidUrl', line: lineOf(STATEFUL_SET, '--listen-peer-urls') }],
    },
    {
      name: 'declared containerPort outside the etcd ports',
      input: { resources: edit(WITH_PORTS_AND_PROBES, 'containerPort: 12380', 'containerPort: 2380') },
      errors: [
        {
          messageId: 'containerPort',
          line: lineOf(WITH_PORTS_AND_PROBES, 'containerPort: 12380'),
          data: { port: '2380', ports: '12379, 12380, 12381' },
        },
      ],
    },
    {
      name: 'probe on a foreign port',
      input: {
        resources: edit(
          WITH_PORTS_AND_PROBES,
          '          tcpSocket:\n            port: 12379',
          '          tcpSocket:\n            port: 2379',
        ),
      },
      errors: [
        { messageId: 'probePort', line: lineOf(WITH_PORTS_AND_PROBES, 'tcpSocket:') + 1, data: { probe: 'readinessProbe', port: '2379' } },
      ],
    },
    {
      name: 'probe on a port name no containerPort declares',
      input: { resources: edit(WITH_PORTS_AND_PROBES, 'port: metrics', 'port: prom') },
      errors: [{ messageId: 'unknownNamedPort', line: lineOf(WITH_PORTS_AND_PROBES, 'port: metrics'), data: { port: 'prom' } }],
    },
    {
      name: 'grpc probe on the wrong port',
      input: {
        resources: edit(WITH_PORTS_AND_PROBES, '          grpc:\n            port: 12379', '          grpc:\n            port: 2379'),
      },
      errors: [{ messageId: 'probePort', line: lineOf(WITH_PORTS_AND_PROBES, 'grpc:') + 1, data: { probe: 'startupProbe' } }],
    },
    {
      name: 'Service port and named targetPort that do not agree',
      input: { resources: stream(BAD_SERVICE, STATEFUL_SET, PDB) },
      errors: [
        {
          messageId: 'servicePort',
          line: lineOf(BAD_SERVICE, 'port: 2379'),
          object: 'Service/cilium-etcd',
          data: { field: 'port', port: '2379' },
        },
        {
          messageId: 'unknownNamedPort',
          line: lineOf(BAD_SERVICE, 'targetPort: etcd-client'),
          object: 'Service/cilium-etcd',
          data: { port: 'etcd-client' },
        },
      ],
    },
    {
      name: 'Service numeric targetPort outside the etcd ports',
      input: { resources: stream(edit(SERVICE_WITH_PORTS, 'targetPort: 12381', 'targetPort: 9090'), WITH_PORTS_AND_PROBES) },
      errors: [
        { messageId: 'servicePort', line: lineOf(SERVICE_WITH_PORTS, 'targetPort: 12381'), data: { field: 'targetPort', port: '9090' } },
      ],
    },
    {
      name: 'scrape annotation on another port',
      input: { resources: edit(STATEFUL_SET, 'prometheus.io/port: "12381"', 'prometheus.io/port: "2381"') },
      errors: [{ messageId: 'annotationPort', line: lineOf(STATEFUL_SET, 'prometheus.io/port'), data: { value: '2381', expected: 12381 } }],
    },
  ],
});
