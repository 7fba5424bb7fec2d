import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { PRESETS } from '../../src/engine/presets.ts';
import { ruleDoc } from '../../src/report/rule-docs.ts';
import { cli, writeTree } from './helpers.ts';

describe('--list-rules', () => {
  it('lists every rule with the severity it runs at and its description (text)', () => {
    const r = cli(writeTree({}), '--list-rules');
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^rule +runs as +description$/);
    for (const [id, rule] of Object.entries(builtinRules)) {
      const sev = Object.hasOwn(PRESETS.recommended, id) ? rule.meta.defaultSeverity : 'off';
      expect(
        lines.some((l) => l.startsWith(`${id} `) && l.includes(` ${sev} `) && l.includes(rule.meta.docs.description)),
        id,
      ).toBe(true);
    }
    expect(lines.find((l) => l.startsWith('image-digest '))).toMatch(/ error +Every container image .*\[recommended, baseline\]$/);
    // A deprecated alias is listed (an old configuration may name it), off, saying what replaced it.
    expect(lines.find((l) => l.startsWith('baseline-image-digest '))).toMatch(
      / off +Deprecated: renamed to image-digest with scope: workloads\.$/,
    );
  });

  it('--format json, under the configuration in effect', () => {
    const root = writeTree({ '.cilium-etcd-lint.yaml': 'extends: [recommended, baseline]\nrules:\n  etcd-tls: off\n' });
    const rows = JSON.parse(cli(root, '--list-rules', '--format', 'json').stdout) as {
      id: string;
      severity: string;
      defaultSeverity: string;
      presets: string[];
      source: string;
      description: string;
    }[];
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(byId.get('etcd-tls')).toEqual({
      id: 'etcd-tls',
      defaultSeverity: 'warning',
      severity: 'off',
      presets: ['recommended'],
      source: 'builtin',
      description: builtinRules['etcd-tls']!.meta.docs.description,
    });
    expect(byId.get('image-digest')!.presets).toEqual(['recommended', 'baseline']);
    expect(byId.get('baseline-image-digest')).toMatchObject({ severity: 'off', presets: [] });
    expect(byId.get('kubernetes-schema')!.presets).toEqual(['recommended', 'baseline']);
    expect(byId.get('suppression')!.source).toBe('tool');
    expect(rows.map((r) => r.id)).toEqual([...rows.map((r) => r.id)].sort());
  });
});

describe('explain <rule>', () => {
  it('prints the rule page', () => {
    const r = cli(writeTree({}), 'explain', 'read-only-root-filesystem');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(ruleDoc('read-only-root-filesystem'));
    expect(r.stdout).toContain('## Why');
    expect(r.stdout).toContain('## Incorrect');
  });

  it('an unknown rule is exit 2 with a suggestion; no rule is a usage error', () => {
    const r = cli(writeTree({}), 'explain', 'read-only-root-filesytem');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: explain: unknown rule "read-only-root-filesytem"; did you mean "read-only-root-filesystem"?\n',
    );
    expect(cli(writeTree({}), 'explain').stderr).toContain('explain needs a rule id');
  });
});

describe('the built bundle (dist/cli.cjs)', () => {
  const BIN = fileURLToPath(new URL('../../bin/cilium-etcd-lint.js', import.meta.url));
  const run = (cwd: string, ...args: string[]) => spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8' });

  it('lists the rules, explains one, and finds the schemas beside dist/', () => {
    const dir = writeTree({});
    const list = run(dir, '--list-rules', '--format', 'json');
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout).map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining(Object.keys(builtinRules)));
    const explain = run(dir, 'explain', 'host-network');
    expect(explain.stdout).toBe(ruleDoc('host-network'));
    const root = writeTree({
      'app/kustomization.yaml': 'resources: [pod.yaml]\n',
      'app/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: x\n      securityContext:\n        readOnlyRootFileSystem: true\n',
    });
    const lint = run(root, '--no-argocd', 'app');
    expect(lint.stdout).toContain(
      'app/pod.yaml:10:9  error  Pod "p" spec.containers[0].securityContext: unknown field "readOnlyRootFileSystem"; did you mean "readOnlyRootFilesystem"?  kubernetes-schema',
    );
  });
});
