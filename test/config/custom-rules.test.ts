import { describe, expect, it } from 'vitest';
import { cleanComponent, cli, columnOf, json, lineOf, OVERLAY, writeTree } from './helpers.ts';

const RULE = `# yaml-language-server: $schema=../node_modules/cilium-etcd-lint/schemas/custom-rule.schema.json
id: container-resource-requests
description: Every container sets resources.requests (cpu and memory).
severity: error
match:
  kind: [StatefulSet, CronJob, Deployment]
target: Container
schema:
  required: [resources]
  properties:
    resources:
      required: [requests]
      properties:
        requests:
          required: [cpu, memory]
message: '{{kind}} "{{name}}" container "{{container}}": {{field}} {{error}}'
`;

const CRON = `apiVersion: batch/v1
kind: CronJob
metadata:
  name: etcd-backup
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd@sha256:1111111111111111111111111111111111111111111111111111111111111111
              command: [etcdctl, snapshot, save, /backup/snapshot.db]
              resources:
                requests:
                  cpu: 10m
`;

function repo(extra: Record<string, string> = {}) {
  const files = cleanComponent();
  files['etcd/base/cronjob.yaml'] = CRON;
  files['etcd/base/kustomization.yaml'] = files['etcd/base/kustomization.yaml']!.replace(
    '  - pdb.yaml\n',
    '  - pdb.yaml\n  - cronjob.yaml\n',
  );
  files['.cilium-etcd-lint.yaml'] = 'customRules:\n  directories: [lint-rules]\n';
  files['lint-rules/requests.yaml'] = RULE;
  Object.assign(files, extra);
  return { root: writeTree(files), files };
}

describe('declarative custom rules', () => {
  it('fire on the right source lines for a StatefulSet and a CronJob', () => {
    const { root, files } = repo();
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(r.code).toBe(1);
    const mine = json(r).findings.filter((f) => f.ruleId === 'container-resource-requests');
    const sts = files['etcd/base/statefulset.yaml']!;
    expect(mine.map((f) => [f.location.file, f.location.line, f.message])).toEqual([
      [
        'etcd/base/cronjob.yaml',
        lineOf(CRON, 'requests:'),
        'CronJob "etcd-backup" container "backup": spec.jobTemplate.spec.template.spec.containers[0].resources.requests.memory missing required field "memory"',
      ],
      [
        'etcd/base/statefulset.yaml',
        lineOf(sts, '- name: etcd'),
        'StatefulSet "cilium-etcd-0" container "etcd": spec.template.spec.containers[0].resources missing required field "resources"',
      ],
    ]);
  });

  it('are silent when satisfied', () => {
    const files = cleanComponent();
    const { root } = repo({
      'etcd/base/cronjob.yaml': CRON.replace('cpu: 10m\n', 'cpu: 10m\n                  memory: 16Mi\n'),
      'etcd/base/statefulset.yaml': files['etcd/base/statefulset.yaml']!.replace(
        '          volumeMounts:',
        '          resources:\n            requests: { cpu: 100m, memory: 256Mi }\n          volumeMounts:',
      ),
    });
    const r = cli(root, '-f', 'json', OVERLAY);
    expect(json(r).findings.filter((f) => f.ruleId === 'container-resource-requests')).toEqual([]);
  });

  it('can be configured like a built-in rule, and are listed and explained', () => {
    const { root } = repo({
      '.cilium-etcd-lint.yaml': 'customRules:\n  directories: [lint-rules]\nrules:\n  container-resource-requests: warning\n',
    });
    expect(
      json(cli(root, '-f', 'json', OVERLAY))
        .findings.filter((f) => f.ruleId === 'container-resource-requests')
        .map((f) => f.severity),
    ).toEqual(['warning', 'warning']);
    expect(cli(root, '--list-rules').stdout).toMatch(
      /^container-resource-requests +warning +Every container sets resources\.requests \(cpu and memory\)\. +\[custom\]$/m,
    );
    expect(cli(root, 'explain', 'container-resource-requests').stdout).toContain('Defined by');
  });

  it('a malformed rule file: exit 2 on file:line:column with a suggestion', () => {
    const bad = RULE.replace('target: Container', 'tagret: Container');
    const { root } = repo({ 'lint-rules/requests.yaml': bad });
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `cilium-etcd-lint: lint-rules/requests.yaml:${lineOf(bad, 'tagret')}:1: invalid rule file: unknown field "tagret"; did you mean "target"?\n` +
        `  lint-rules/requests.yaml:2:1: missing required field "target"\n`,
    );
    const badMatch = RULE.replace('  kind: [StatefulSet, CronJob, Deployment]', '  kinds: StatefulSet');
    const r2 = cli(repo({ 'lint-rules/requests.yaml': badMatch }).root, OVERLAY);
    expect(r2.stderr).toBe(
      `cilium-etcd-lint: lint-rules/requests.yaml:${lineOf(badMatch, 'kinds')}:${columnOf(badMatch, 'kinds')}: invalid rule file: match: unknown field "kinds"; did you mean "kind"?\n`,
    );
    const badSeverity = RULE.replace('severity: error', 'severity: fatal');
    expect(cli(repo({ 'lint-rules/requests.yaml': badSeverity }).root, OVERLAY).stderr).toBe(
      `cilium-etcd-lint: lint-rules/requests.yaml:${lineOf(badSeverity, 'severity')}:1: invalid rule file: severity: must be one of "error", "warning", "info"\n`,
    );
  });

  it('a rule file with tests: is refused with a clear error on the key (they were never run)', () => {
    const withTests = `${RULE}tests:\n  valid: []\n`;
    const r = cli(repo({ 'lint-rules/requests.yaml': withTests }).root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^cilium-etcd-lint: lint-rules/requests\\.yaml:${lineOf(withTests, 'tests:')}:\\d+: invalid rule file: tests: a rule file carries no tests \\(they were never run\\); test the rule with the RuleTester of cilium-etcd-lint/testing`,
      ),
    );
  });

  it('a custom rule file with presets: is refused (only built-in rules belong to presets)', () => {
    const withPresets = `${RULE}presets: [recommended]\n`;
    const r = cli(repo({ 'lint-rules/requests.yaml': withPresets }).root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      new RegExp(
        `^cilium-etcd-lint: lint-rules/requests\\.yaml:${lineOf(withPresets, 'presets:')}:\\d+: invalid rule file: presets: only built-in rules belong to presets`,
      ),
    );
  });

  it('scope: component narrows a rule to the component; fix: declares the fix of its field', () => {
    const SCOPED = `id: etcd-replicas
description: The component runs three replicas.
severity: error
match: { kind: [StatefulSet, CronJob] }
target: Resource
schema: { required: [spec], properties: { spec: { required: [replicas], properties: { replicas: { const: 3 } } } } }
field: spec.replicas
scope: component
fix: { set: 3, description: 'set spec.replicas: 3' }
`;
    const { root, files } = repo({ 'lint-rules/requests.yaml': SCOPED });
    const r = cli(root, '-f', 'json', OVERLAY);
    const mine = json(r).findings.filter((f) => f.ruleId === 'etcd-replicas');
    // The CronJob matches but is not the component: only the StatefulSet is judged.
    expect(mine.map((f) => [f.location.file, f.location.line])).toEqual([
      ['etcd/base/statefulset.yaml', lineOf(files['etcd/base/statefulset.yaml']!, 'replicas:')],
    ]);
    const dry = cli(root, '--fix-dry-run', OVERLAY);
    expect(dry.stdout).toContain('replicas: 3');
  });

  it('a rule id already taken is refused', () => {
    const { root } = repo({ 'lint-rules/requests.yaml': RULE.replace('id: container-resource-requests', 'id: host-network') });
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('rule id "host-network" is already taken by a built-in rule');
  });
});

describe('code rules', () => {
  const MODULE = `export default {
  meta: { type: 'problem', docs: { description: 'No StatefulSet has more than one replica.' }, defaultSeverity: 'error', schema: { type: 'object' }, defaultOptions: {}, messages: { many: 'StatefulSet {{name}} has {{n}} replicas' } },
  check(context) {
    for (const r of context.input.resources) {
      if (r.kind === 'StatefulSet' && r.spec.replicas > 1) context.report({ resource: r, path: ['spec', 'replicas'], messageId: 'many', data: { name: r.metadata.name, n: r.spec.replicas } });
    }
  },
};
`;
  it('are loaded only when the configuration names them', () => {
    const files = cleanComponent();
    files['etcd/base/statefulset.yaml'] = files['etcd/base/statefulset.yaml']!.replace(
      'replicas: 1',
      'replicas: 3\n  # initial-cluster is tested elsewhere',
    );
    files['lint/single-replica.mjs'] = MODULE;
    const sts = files['etcd/base/statefulset.yaml']!;
    // Present in the repository but not named: never loaded.
    let out = json(cli(writeTree(files), '-f', 'json', OVERLAY));
    expect(out.findings.map((f) => f.ruleId)).not.toContain('single-replica');
    files['.cilium-etcd-lint.yaml'] = 'customRules:\n  modules: [lint/single-replica.mjs]\n';
    out = json(cli(writeTree(files), '-f', 'json', OVERLAY));
    expect(out.findings.filter((f) => f.ruleId === 'single-replica').map((f) => [f.location.line, f.message])).toEqual([
      [lineOf(sts, 'replicas: 3'), 'StatefulSet cilium-etcd-0 has 3 replicas'],
    ]);
  });

  it('a module that is not a rule is refused on its configuration line', () => {
    const files = cleanComponent();
    files['lint/nothing.mjs'] = 'export default 42;\n';
    files['.cilium-etcd-lint.yaml'] = 'customRules:\n  modules:\n    - lint/nothing.mjs\n';
    const r = cli(writeTree(files), OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^cilium-etcd-lint: \.cilium-etcd-lint\.yaml:3:7: customRules\.modules: lint\/nothing\.mjs must export \(as default\) a rule object/,
    );
  });
});
