import imageDigest from '../../rules/image-digest.ts';
import imageRegistry from '../../rules/image-registry.ts';
import { COMPONENT, DIGEST, IMAGE, STATEFUL_SET, stream } from './fixtures.ts';
import { edit, lineOf, ruleTester } from './rule-tester.ts';
import { DEPLOYMENT, scopeCases } from './scope-cases.ts';

const MIRROR = 'ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd';

const WITH_INIT_CONTAINER = edit(
  STATEFUL_SET,
  '      containers:\n',
  `      initContainers:
      - name: init
        image: busybox:1.36
      containers:
`,
);

const digestScope = scopeCases({
  rule: imageDigest,
  from: `image: ${IMAGE}`,
  to: 'image: nginx:1.27',
  component: 'notPinned',
  workload: 'workloadNotPinned',
});

const NO_IMAGE = stream(COMPONENT, edit(DEPLOYMENT, `        image: ${IMAGE}\n`, ''));

ruleTester('image-digest', imageDigest, {
  valid: [
    ...digestScope.valid,
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'tag and digest', input: { resources: edit(STATEFUL_SET, `etcd@${DIGEST}`, `etcd:v3.5.17@${DIGEST}`) } },
  ],
  invalid: [
    ...digestScope.invalid,
    {
      name: 'scope workloads: a workload without an image is not pinned either',
      input: { resources: NO_IMAGE },
      options: { scope: 'workloads' },
      errors: [{ messageId: 'workloadNotPinned', line: lineOf(NO_IMAGE, '- name: web'), object: 'Deployment/web' }],
    },
    {
      name: 'tag only',
      input: { resources: edit(STATEFUL_SET, `etcd@${DIGEST}`, 'etcd:v3.5.17') },
      errors: [
        { messageId: 'notPinned', line: lineOf(STATEFUL_SET, `image: ${IMAGE}`), data: { container: 'etcd', image: `${MIRROR}:v3.5.17` } },
      ],
    },
    {
      name: 'digest too short',
      input: { resources: edit(STATEFUL_SET, DIGEST, DIGEST.slice(0, -1)) },
      errors: [{ messageId: 'notPinned', line: lineOf(STATEFUL_SET, `image: ${IMAGE}`) }],
    },
    {
      name: 'sha512 digest',
      input: { resources: edit(STATEFUL_SET, DIGEST, `sha512:${'a'.repeat(128)}`) },
      errors: [{ messageId: 'notPinned', line: lineOf(STATEFUL_SET, `image: ${IMAGE}`) }],
    },
    {
      name: 'an unpinned init container',
      input: { resources: WITH_INIT_CONTAINER },
      errors: [{ messageId: 'notPinned', line: lineOf(WITH_INIT_CONTAINER, 'image: busybox:1.36'), data: { container: 'init' } }],
    },
    {
      name: 'no image at all: points at the container',
      input: { resources: edit(STATEFUL_SET, `        image: ${IMAGE}\n`, '') },
      errors: [{ messageId: 'missingImage', line: lineOf(STATEFUL_SET, '- name: etcd') }],
    },
  ],
});

ruleTester('image-registry', imageRegistry, {
  valid: [
    { name: 'the component as rendered', input: { resources: COMPONENT } },
    { name: 'mirror with a tag', input: { resources: edit(STATEFUL_SET, `etcd@${DIGEST}`, 'etcd:v3.5.17') } },
    {
      name: 'another mirror given as option',
      input: { resources: edit(STATEFUL_SET, `${MIRROR}@`, 'registry.local:5000/etcd@') },
      options: { mirror: 'registry.local:5000/etcd' },
    },
    {
      name: 'init containers are not the etcd container',
      input: {
        resources: edit(
          STATEFUL_SET,
          '      containers:\n',
          '      initContainers:\n      - name: init\n        image: busybox\n      containers:\n',
        ),
      },
    },
  ],
  invalid: [
    {
      name: 'upstream quay.io image',
      input: { resources: edit(STATEFUL_SET, `${MIRROR}@`, 'quay.io/coreos/etcd@') },
      errors: [
        {
          messageId: 'wrongRepository',
          line: lineOf(STATEFUL_SET, `image: ${IMAGE}`),
          data: { repository: 'quay.io/coreos/etcd', expected: MIRROR },
        },
      ],
    },
    {
      name: 'a sub-path of the mirror is not the mirror',
      input: { resources: edit(STATEFUL_SET, `${MIRROR}@`, `${MIRROR}-debug@`) },
      errors: [{ messageId: 'wrongRepository', line: lineOf(STATEFUL_SET, `image: ${IMAGE}`), data: { repository: `${MIRROR}-debug` } }],
    },
    {
      name: 'registry port is not mistaken for a tag',
      input: { resources: edit(STATEFUL_SET, `${MIRROR}@${DIGEST}`, 'registry.local:5000/etcd') },
      errors: [
        { messageId: 'wrongRepository', line: lineOf(STATEFUL_SET, `image: ${IMAGE}`), data: { repository: 'registry.local:5000/etcd' } },
      ],
    },
  ],
});
