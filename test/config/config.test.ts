import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { findConfigFile, loadConfig } from '../../src/engine/config.ts';
import { PRESETS } from '../../src/engine/presets.ts';
import { cleanComponent, cli, columnOf, json, lineOf, OVERLAY, writeTree } from './helpers.ts';

const SCHEMA = JSON.parse(readFileSync(new URL('../../schemas/config.schema.json', import.meta.url), 'utf8'));

describe('finding the configuration', () => {
  it('walks up from the working directory to the repository root: .yaml, .yml, package.json key', () => {
    const root = writeTree({
      ...cleanComponent(),
      'etcd/.cilium-etcd-lint.yml': 'rules: {}\n',
      'package.json': '{"name":"x","cilium-etcd-lint":{"rules":{}}}\n',
    });
    expect(findConfigFile(path.join(root, 'etcd/overlays/dev'))).toEqual({
      file: path.join(root, 'etcd/.cilium-etcd-lint.yml'),
      packageJson: false,
    });
    expect(findConfigFile(path.join(root, 'apps'))).toEqual({ file: path.join(root, 'package.json'), packageJson: true });
    writeFileSync(path.join(root, 'etcd/.cilium-etcd-lint.yaml'), 'rules: {}\n');
    expect(findConfigFile(path.join(root, 'etcd/base'))!.file).toBe(path.join(root, 'etcd/.cilium-etcd-lint.yaml'));
  });

  it('stops at the repository root', () => {
    const outer = writeTree({ '.cilium-etcd-lint.yaml': 'rules: {}\n' });
    const inner = path.join(outer, 'repo');
    mkdirSync(path.join(inner, '.git'), { recursive: true });
    expect(findConfigFile(inner)).toBeUndefined();
  });

  it('applies what it finds: a severity change and a rule turned off change the result', () => {
    const files = cleanComponent();
    const root = writeTree({ ...files, '.cilium-etcd-lint.yaml': 'rules:\n  etcd-tls: off\n  etcd-backup: error\n' });
    const out = json(cli(root, '-f', 'json', OVERLAY));
    expect(out.findings.some((f) => f.ruleId === 'etcd-tls')).toBe(false);
    expect(out.findings.filter((f) => f.ruleId === 'etcd-backup').map((f) => f.severity)).toEqual(['error']);
    // The package.json key, and --config, work the same way.
    const root2 = writeTree({
      ...files,
      'package.json': JSON.stringify({ name: 'x', 'cilium-etcd-lint': { rules: { 'etcd-tls': 'off' } } }),
    });
    expect(json(cli(root2, '-f', 'json', OVERLAY)).findings.some((f) => f.ruleId === 'etcd-tls')).toBe(false);
    const root3 = writeTree({ ...files, 'conf/lint.yaml': 'rules:\n  etcd-tls: off\n' });
    expect(json(cli(root3, '-f', 'json', '--config', 'conf/lint.yaml', OVERLAY)).findings.some((f) => f.ruleId === 'etcd-tls')).toBe(false);
    expect(json(cli(root3, '-f', 'json', OVERLAY)).findings.some((f) => f.ruleId === 'etcd-tls')).toBe(true);
  });
});

describe('validation: exit 2 on file:line:column, with a suggestion', () => {
  it('a misspelt top-level key', () => {
    const conf =
      '# yaml-language-server: $schema=./node_modules/cilium-etcd-lint/schemas/config.schema.json\nextends: recommended\nrulse:\n  etcd-tls: off\n';
    const root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': conf });
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `cilium-etcd-lint: .cilium-etcd-lint.yaml:3:1: invalid configuration: unknown field "rulse"; did you mean "rules"?\n`,
    );
  });

  it('a misspelt nested key, in package.json', () => {
    const pkg =
      '{\n  "name": "x",\n  "cilium-etcd-lint": {\n    "exemptions": [\n      { "rule": "host-network", "resource": { "kind": "StatefulSet", "name": "a" }, "reson": "x" }\n    ]\n  }\n}\n';
    const root = writeTree({ ...cleanComponent(), 'package.json': pkg });
    const r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    const line = lineOf(pkg, '"reson"');
    const col = columnOf(pkg, '"reson"');
    expect(r.stderr).toContain(
      `package.json:${line}:${col}: invalid configuration: cilium-etcd-lint.exemptions[0]: unknown field "reson"; did you mean "reason"?`,
    );
    expect(r.stderr).toContain(`cilium-etcd-lint.exemptions[0]: missing required field "reason"`);
  });

  it('a wrong type, an unknown rule, a misspelt severity and an invalid rule option', () => {
    const typeConf = 'lockedRules: host-network\n';
    let root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': typeConf });
    expect(cli(root, OVERLAY).stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:1:1: invalid configuration: lockedRules: must be array, not string\n',
    );

    const conf = 'rules:\n  etcd-tsl: off\n  etcd-backup: warn\n';
    root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': conf });
    let r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:3:3: invalid configuration: rules.etcd-backup: "warn" is not a severity (off, info, warning or error); did you mean "warning"?\n',
    );

    root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': 'rules:\n  etcd-tsl: off\n' });
    r = cli(root, OVERLAY);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:2:3: invalid configuration: rules: unknown rule "etcd-tsl"; did you mean "etcd-tls"?\n',
    );

    const opt = 'rules:\n  etcd-listen-ports:\n    - error\n    - clientPort: "2379"\n      peerPrt: 2380\n';
    root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': opt });
    r = cli(root, OVERLAY);
    expect(r.code).toBe(2);
    // The misspelt key first, then every other problem, each on its own line.
    expect(r.stderr).toBe(
      `cilium-etcd-lint: .cilium-etcd-lint.yaml:${lineOf(opt, 'peerPrt')}:${columnOf(opt, 'peerPrt')}: invalid configuration: rules.etcd-listen-ports[1]: unknown field "peerPrt"; did you mean "peerPort"?\n` +
        `  .cilium-etcd-lint.yaml:${lineOf(opt, 'clientPort')}:${columnOf(opt, 'clientPort')}: rules.etcd-listen-ports[1].clientPort: must be integer, not string\n`,
    );
  });

  it('valid options are used by the rule', () => {
    const root = writeTree({
      ...cleanComponent(),
      '.cilium-etcd-lint.yaml': 'rules:\n  etcd-listen-ports: { severity: error, options: { clientPort: 2379 } }\n',
    });
    const out = json(cli(root, '-f', 'json', OVERLAY));
    expect(out.findings.filter((f) => f.ruleId === 'etcd-listen-ports').length).toBeGreaterThan(0);
  });
});

describe('the shipped JSON Schema', () => {
  it('is a valid draft-07 schema that accepts the documented example and rejects unknown keys', () => {
    const ajv = new Ajv({ strict: false });
    const validate = ajv.compile(SCHEMA);
    expect(
      validate({
        extends: ['recommended', 'baseline'],
        rules: { 'etcd-tls': 'off', namespace: ['error', { namespace: 'etcd' }] },
        lockedRules: ['host-network'],
        exemptions: [{ rule: 'host-network', resource: { kind: 'StatefulSet', name: 'x' }, reason: 'r', expires: '2030-01-01' }],
        customRules: { directories: ['lint-rules'] },
      }),
    ).toBe(true);
    expect(validate({ rulez: {} })).toBe(false);
    expect(validate({ exemptions: [{ rule: 'x', resource: { kind: 'A', name: 'b' } }] })).toBe(false);
  });

  it('is in the package files', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(pkg.files).toContain('schemas');
  });
});

describe('presets', () => {
  it('recommended is the default; baseline holds the generic rules; rules in no extended preset are off', () => {
    const root = writeTree({});
    const def = loadConfig({ cwd: root, builtinRules });
    expect(def.file).toBeUndefined();
    expect(def.settings['host-network']!.severity).toBe('error');
    expect(def.settings['image-digest']!.severity).toBe('error');
    // A deprecated alias is in no preset: off unless named.
    expect(def.settings['baseline-image-digest']!.severity).toBe('off');
    writeFileSync(path.join(root, '.cilium-etcd-lint.yaml'), 'extends: baseline\n');
    const base = loadConfig({ cwd: root, builtinRules });
    expect(base.settings['image-digest']!.severity).toBe('error');
    expect(base.settings['host-network']!.severity).toBe('off');
    expect(base.settings['kubernetes-schema']!.severity).toBe('error');
    expect(Object.keys(PRESETS.baseline).sort()).toEqual([
      'drop-all-capabilities',
      'image-digest',
      'kubernetes-schema',
      'kubernetes-schema-missing',
      'no-privilege-escalation',
      'no-privileged',
      'read-only-root-filesystem',
    ]);
  });

  it('baseline checks any workload: a Deployment and a CronJob (its rules with scope: workloads)', () => {
    const deploy =
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: { app: web }\n  template:\n    metadata:\n      labels: { app: web }\n    spec:\n      containers:\n        - name: web\n          image: nginx:1.27\n';
    const cron =
      'apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: job\nspec:\n  schedule: "@daily"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: Never\n          containers:\n            - name: job\n              image: busybox@sha256:1111111111111111111111111111111111111111111111111111111111111111\n              securityContext:\n                privileged: true\n';
    const root = writeTree({
      '.cilium-etcd-lint.yaml': 'extends: [baseline]\n',
      'app/kustomization.yaml': 'resources: [deploy.yaml, cron.yaml]\n',
      'app/deploy.yaml': deploy,
      'app/cron.yaml': cron,
    });
    const r = cli(root, '-f', 'json', '--no-argocd', 'app');
    expect(r.code).toBe(1);
    const got = json(r)
      .findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line}`)
      .sort();
    expect(got).toEqual(
      [
        `drop-all-capabilities app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
        `drop-all-capabilities app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
        `image-digest app/deploy.yaml:${lineOf(deploy, 'image: nginx')}`,
        `no-privilege-escalation app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
        `no-privilege-escalation app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
        `no-privileged app/cron.yaml:${lineOf(cron, 'privileged: true')}`,
        `read-only-root-filesystem app/cron.yaml:${lineOf(cron, 'securityContext:')}`,
        `read-only-root-filesystem app/deploy.yaml:${lineOf(deploy, '- name: web')}`,
      ].sort(),
    );
  });
});
