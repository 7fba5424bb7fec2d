import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { cleanComponent, OVERLAY, writeTree } from '../config/helpers.ts';
import { runCli } from '../support/cli.ts';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cilium-etcd-lint.js');

/** The CLI from source and the bundle, on the same repository and arguments. */
function both(
  config: string,
  ...args: string[]
): { source: { code: number; stdout: string; stderr: string }; bundle: { code: number | null; stdout: string; stderr: string } } {
  const root = writeTree({ ...cleanComponent(), '.cilium-etcd-lint.yaml': config });
  const source = runCli([...args, OVERLAY], { cwd: root });
  const r = spawnSync(process.execPath, [BIN, ...args, OVERLAY], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: 'off', NO_COLOR: '1' },
  });
  return { source, bundle: { code: r.status, stdout: r.stdout, stderr: r.stderr } };
}

describe('the configuration validators precompiled into the bundle', () => {
  it('the bundle carries the configuration schema and the options schema of every built-in rule', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist/cli.cjs'), 'utf8');
    const table = /var byId\d* = \{\n([\s\S]*?)\n\};\s*function precompiledConfigValidator/.exec(bundle);
    expect(table).not.toBeNull();
    const ids = [...table![1]!.matchAll(/^\s*"([\w-]+)": \[options_/gm)].map((m) => m[1]);
    expect(ids).toEqual(Object.keys(builtinRules).sort());
  });

  it.each([
    ['a misspelt key', 'rulse: {}\n'],
    ['a malformed search glob', 'rules:\n  argocd-application: [error, { search: ["a[b", "/abs/**"] }]\n'],
    ['an option out of range and an unknown option', 'rules:\n  etcd-listen-ports: [error, { clientPort: 99999, peerPrt: 1 }]\n'],
    ['a blank exemption reason', 'exemptions:\n  - rule: host-network\n    resource: { kind: StatefulSet, name: x }\n    reason: " "\n'],
  ])('%s: the bundle rejects it exactly as the source does', (_name, config) => {
    const { source, bundle } = both(config);
    expect(source.code).toBe(2);
    expect(bundle.code).toBe(2);
    expect(bundle.stderr).toBe(source.stderr);
  });

  it('valid options: the same findings', () => {
    const { source, bundle } = both(
      'rules:\n  etcd-listen-ports: [error, { clientPort: 2379 }]\n  argocd-application: [error, { search: [nowhere] }]\n',
      '--format',
      'json',
    );
    expect(bundle.code).toBe(source.code);
    expect(JSON.parse(bundle.stdout)).toEqual(JSON.parse(source.stdout));
    expect(JSON.parse(source.stdout).findings.map((f: { ruleId: string }) => f.ruleId)).toEqual(
      expect.arrayContaining(['etcd-listen-ports', 'argocd-application']),
    );
  });
});
