import dropAllCapabilities from '../../rules/drop-all-capabilities.ts';
import { builtinRules } from '../../rules/index.ts';
import noPrivilegeEscalation from '../../rules/no-privilege-escalation.ts';
import noPrivileged from '../../rules/no-privileged.ts';
import readOnlyRootFilesystem from '../../rules/read-only-root-filesystem.ts';
import { COMPONENT, IMAGE, PDB, SERVICE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, ruleTester } from './rule-tester.ts';
import { scopeCases } from './scope-cases.ts';

const hostNetwork = builtinRules['host-network']!;

const readOnlyScope = scopeCases({
  rule: readOnlyRootFilesystem,
  from: 'readOnlyRootFilesystem: true',
  to: 'readOnlyRootFilesystem: false',
  component: 'notReadOnly',
  workload: 'workloadNotReadOnly',
});
const dropAllScope = scopeCases({
  rule: dropAllCapabilities,
  from: '- ALL',
  to: '- NET_RAW',
  line: (text) => lineOf(text, '- NET_RAW') - 1,
  component: 'missingDropAll',
  workload: 'workloadNotDropped',
});
const privilegedScope = scopeCases({
  rule: noPrivileged,
  from: 'privileged: false',
  to: 'privileged: true',
  component: 'privileged',
  workload: 'workloadPrivileged',
});
const escalationScope = scopeCases({
  rule: noPrivilegeEscalation,
  from: 'allowPrivilegeEscalation: false',
  to: 'allowPrivilegeEscalation: true',
  component: 'notDisabled',
  workload: 'workloadNotDisabled',
});

/** The StatefulSet with a second container (a sidecar) appended after etcd. */
const WITH_SIDECAR = edit(
  STATEFUL_SET,
  '      volumes:\n',
  `      - name: sidecar
        image: ${IMAGE}
        securityContext:
          readOnlyRootFilesystem: false
          privileged: true
          allowPrivilegeEscalation: true
          capabilities:
            add:
            - NET_ADMIN
            - SYS_TIME
      volumes:
`,
);

const WITHOUT_SECURITY_CONTEXT = edit(
  STATEFUL_SET,
  `        securityContext:
          allowPrivilegeEscalation: false
          capabilities:
            drop:
            - ALL
          privileged: false
          readOnlyRootFilesystem: true
`,
  '',
);

const WITH_INIT_CONTAINER = edit(
  STATEFUL_SET,
  '      containers:\n',
  `      initContainers:
      - name: init-perms
        image: ${IMAGE}
      containers:
`,
);

ruleTester('read-only-root-filesystem', readOnlyRootFilesystem, {
  valid: [
    ...readOnlyScope.valid,
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'no etcd StatefulSet: nothing to check', input: { resources: stream(SERVICE, PDB) } },
    {
      name: 'settings.component naming another container skips this StatefulSet',
      input: {
        resources: edit(STATEFUL_SET, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
        component: { container: 'etcd-main' },
      },
    },
    {
      name: 'an etcd StatefulSet that is not the component (other labels) is not judged',
      input: {
        resources: edit(
          edit(STATEFUL_SET, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
          '        app.kubernetes.io/name: cilium\n    spec:',
          '        app.kubernetes.io/name: mimir\n    spec:',
        ),
      },
    },
  ],
  invalid: [
    ...readOnlyScope.invalid,
    {
      name: 'readOnlyRootFilesystem: false',
      input: { resources: edit(COMPONENT, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false') },
      errors: [
        {
          messageId: 'notReadOnly',
          line: lineOf(COMPONENT, 'readOnlyRootFilesystem: true'),
          data: { container: 'etcd' },
        },
      ],
    },
    {
      name: 'field absent: points at the securityContext',
      input: { resources: edit(STATEFUL_SET, '          readOnlyRootFilesystem: true\n', '') },
      errors: [{ messageId: 'notReadOnly', line: lineOf(STATEFUL_SET, '        securityContext:') }],
    },
    {
      name: 'no securityContext at all: points at the container',
      input: { resources: WITHOUT_SECURITY_CONTEXT },
      errors: [{ messageId: 'notReadOnly', line: lineOf(WITHOUT_SECURITY_CONTEXT, '- name: etcd') }],
    },
    {
      name: 'a sidecar container is checked too',
      input: { resources: WITH_SIDECAR },
      errors: [{ messageId: 'notReadOnly', line: lineOf(WITH_SIDECAR, 'readOnlyRootFilesystem: false'), data: { container: 'sidecar' } }],
    },
    {
      name: 'an init container is checked too',
      input: { resources: WITH_INIT_CONTAINER },
      errors: [{ messageId: 'notReadOnly', line: lineOf(WITH_INIT_CONTAINER, '- name: init-perms'), data: { container: 'init-perms' } }],
    },
  ],
});

ruleTester('drop-all-capabilities', dropAllCapabilities, {
  valid: [
    ...dropAllScope.valid,
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'lower-case all is accepted', input: { resources: edit(STATEFUL_SET, '            - ALL', '            - all') } },
  ],
  invalid: [
    ...dropAllScope.invalid,
    {
      name: 'drops only some capabilities',
      input: { resources: edit(STATEFUL_SET, '            - ALL', '            - NET_RAW') },
      errors: [{ messageId: 'missingDropAll', line: lineOf(STATEFUL_SET, 'drop:') }],
    },
    {
      name: 'no capabilities block: points at securityContext',
      input: { resources: edit(STATEFUL_SET, '          capabilities:\n            drop:\n            - ALL\n', '') },
      errors: [{ messageId: 'missingDropAll', line: lineOf(STATEFUL_SET, '        securityContext:') }],
    },
    {
      name: 'sidecar adds capabilities and drops nothing',
      input: { resources: WITH_SIDECAR },
      errors: [
        { messageId: 'missingDropAll', line: lineOf(WITH_SIDECAR, '          capabilities:', 2), data: { container: 'sidecar' } },
        { messageId: 'addedCapability', line: lineOf(WITH_SIDECAR, '- NET_ADMIN'), data: { capability: 'NET_ADMIN' } },
        { messageId: 'addedCapability', line: lineOf(WITH_SIDECAR, '- SYS_TIME'), data: { capability: 'SYS_TIME' } },
      ],
    },
    {
      name: 'drops ALL but adds one back',
      input: { resources: edit(STATEFUL_SET, '            - ALL\n', '            - ALL\n            add:\n            - CHOWN\n') },
      errors: [{ messageId: 'addedCapability', line: lineOf(STATEFUL_SET, '            - ALL') + 2, data: { container: 'etcd' } }],
    },
  ],
});

ruleTester('no-privileged', noPrivileged, {
  valid: [
    ...privilegedScope.valid,
    { name: 'the component as rendered (privileged: false)', input: { resources: COMPONENT } },
    { name: 'privileged absent', input: { resources: edit(STATEFUL_SET, '          privileged: false\n', '') } },
  ],
  invalid: [
    ...privilegedScope.invalid,
    {
      name: 'etcd privileged',
      input: { resources: edit(STATEFUL_SET, 'privileged: false', 'privileged: true') },
      errors: [{ messageId: 'privileged', line: lineOf(STATEFUL_SET, 'privileged: false'), data: { container: 'etcd' } }],
    },
    {
      name: 'privileged sidecar',
      input: { resources: WITH_SIDECAR },
      errors: [{ messageId: 'privileged', line: lineOf(WITH_SIDECAR, 'privileged: true'), data: { container: 'sidecar' } }],
    },
  ],
});

ruleTester('no-privilege-escalation', noPrivilegeEscalation, {
  valid: [...escalationScope.valid, { name: 'the component as rendered', input: { resources: COMPONENT } }],
  invalid: [
    ...escalationScope.invalid,
    {
      name: 'allowPrivilegeEscalation: true',
      input: { resources: edit(STATEFUL_SET, 'allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true') },
      errors: [{ messageId: 'notDisabled', line: lineOf(STATEFUL_SET, 'allowPrivilegeEscalation: false') }],
    },
    {
      name: 'not set explicitly: points at securityContext',
      input: { resources: edit(STATEFUL_SET, '          allowPrivilegeEscalation: false\n', '') },
      errors: [{ messageId: 'notDisabled', line: lineOf(STATEFUL_SET, '        securityContext:') }],
    },
    {
      name: 'sidecar allows escalation',
      input: { resources: WITH_SIDECAR },
      errors: [{ messageId: 'notDisabled', line: lineOf(WITH_SIDECAR, 'allowPrivilegeEscalation: true'), data: { container: 'sidecar' } }],
    },
  ],
});

ruleTester('host-network', hostNetwork, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'no etcd StatefulSet: nothing to check', input: { resources: SERVICE } },
  ],
  invalid: [
    {
      name: 'hostNetwork: false',
      input: { resources: edit(STATEFUL_SET, 'hostNetwork: true', 'hostNetwork: false') },
      errors: [{ messageId: 'notHostNetwork', line: lineOf(STATEFUL_SET, 'hostNetwork: true'), data: { name: 'cilium-etcd-0' } }],
    },
    {
      name: 'hostNetwork absent: points at the pod spec',
      input: { resources: edit(STATEFUL_SET, '      hostNetwork: true\n', '') },
      errors: [{ messageId: 'notHostNetwork', line: lineOf(STATEFUL_SET, '    spec:') }],
    },
    {
      name: 'quoted "true" is not a boolean',
      input: { resources: edit(STATEFUL_SET, 'hostNetwork: true', 'hostNetwork: "true"') },
      errors: [{ messageId: 'notHostNetwork', line: lineOf(STATEFUL_SET, 'hostNetwork: true') }],
    },
  ],
});
