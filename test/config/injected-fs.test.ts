/*
 * The configuration and the custom rules are read through the FileSystem they are given: a tree
 * that exists only in memory (under /repo, nowhere on the disk) is found, read and validated, and
 * a recording FileSystem sees every path the loader touches. No chdir, no patching of node:fs.
 */
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { main } from '../../src/cli/main.ts';
import { findConfigFile, loadConfig } from '../../src/engine/config.ts';
import { UserError } from '../../src/model/errors.ts';
import type { FileSystem } from '../../src/util/fs.ts';
import { memFs } from '../render/memfs.ts';
import { cleanComponent, OVERLAY } from './helpers.ts';

const RULE = `id: replicas-set
description: A StatefulSet sets spec.replicas.
severity: warning
match:
  kind: [StatefulSet]
target: Resource
schema:
  required: [spec]
  properties:
    spec:
      required: [replicas]
`;

/** `fs` with every path it is asked about remembered. */
function recording(fs: FileSystem): { fs: FileSystem; seen: string[] } {
  const seen: string[] = [];
  const at =
    <R>(f: (p: string) => R) =>
    (p: string): R => {
      seen.push(p);
      return f(p);
    };
  return {
    seen,
    fs: {
      readFile: at((p) => fs.readFile(p)),
      kind: at((p) => fs.kind(p)),
      readDir: at((p) => fs.readDir(p)),
      realPath: at((p) => fs.realPath(p)),
    },
  };
}

describe('the configuration, read through an injected FileSystem', () => {
  it('is found by walking up to the repository root of the in-memory tree', () => {
    const fs = memFs({ '.git/HEAD': 'ref: refs/heads/main\n', 'etcd/.cilium-etcd-lint.yml': 'rules: {}\n', 'apps/x.yaml': '' });
    expect(findConfigFile('/repo/etcd/overlays/dev', fs)).toEqual({ file: '/repo/etcd/.cilium-etcd-lint.yml', packageJson: false });
    expect(findConfigFile('/repo/apps', fs)).toBeUndefined();
    // The package.json key, read through the FileSystem too.
    const pkg = memFs({ '.git/HEAD': '', 'package.json': '{"name":"x","cilium-etcd-lint":{"rules":{}}}\n' });
    expect(findConfigFile('/repo/apps', pkg)).toEqual({ file: '/repo/package.json', packageJson: true });
    // Above the repository root nothing is looked at.
    const outer = memFs({ '.cilium-etcd-lint.yaml': 'rules: {}\n', 'repo/.git/HEAD': '' }, '/top');
    expect(findConfigFile('/top/repo', outer)).toBeUndefined();
  });

  it('loads the settings and the declarative custom rules from memory, and touches nothing else', () => {
    const rec = recording(
      memFs({
        '.git/HEAD': '',
        '.cilium-etcd-lint.yaml': 'rules:\n  etcd-tls: off\ncustomRules:\n  directories: [lint-rules]\n',
        'lint-rules/replicas.yaml': RULE,
        'lint-rules/README.md': 'not a rule\n',
      }),
    );
    const config = loadConfig({ cwd: '/repo/etcd', builtinRules, fs: rec.fs, today: '2025-01-01' });
    expect(config.file).toBe('/repo/.cilium-etcd-lint.yaml');
    expect(config.settings['etcd-tls']!.severity).toBe('off');
    expect(config.customRules).toEqual({ 'replicas-set': '/repo/lint-rules/replicas.yaml' });
    expect(config.settings['replicas-set']!.severity).toBe('warning');
    // Every path asked about is in the in-memory repository (the walk up stops at its root).
    for (const p of rec.seen) expect(p === '/repo' || p.startsWith('/repo/'), p).toBe(true);
    expect(rec.seen).toContain('/repo/lint-rules/replicas.yaml');
    expect(rec.seen).not.toContain('/repo/lint-rules/README.md');
  });

  it('--config names a file of the FileSystem; a directory or a missing file is refused', () => {
    const fs = memFs({ '.git/HEAD': '', 'conf/lint.yaml': 'rules:\n  etcd-tls: off\n' });
    const load = (explicit: string) => loadConfig({ cwd: '/repo', explicit, builtinRules, fs });
    expect(load('conf/lint.yaml').settings['etcd-tls']!.severity).toBe('off');
    expect(() => load('conf')).toThrow(/configuration file conf: no such file/);
    expect(() => load('conf/none.yaml')).toThrow(/configuration file conf\/none\.yaml: no such file/);
  });

  it('errors are located in the in-memory files', () => {
    const fs = memFs({
      '.git/HEAD': '',
      '.cilium-etcd-lint.yaml': 'customRules:\n  directories: [lint-rules, missing]\n',
      'lint-rules/replicas.yaml': RULE,
    });
    let error: unknown;
    try {
      loadConfig({ cwd: '/repo', builtinRules, fs });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).message).toBe('customRules.directories: missing is not a directory');
    expect((error as UserError).location).toMatchObject({ file: '/repo/.cilium-etcd-lint.yaml', line: 2, column: 29 });
    const bad = memFs({ '.git/HEAD': '', '.cilium-etcd-lint.yaml': 'customRules:\n  directories: [r]\n', 'r/x.yaml': 'id: x\n' });
    expect(() => loadConfig({ cwd: '/repo', builtinRules, fs: bad })).toThrow(/invalid rule file/);
  });

  it('a code rule: its path is probed through the FileSystem, the module loaded by loadModule', () => {
    const fs = memFs({
      '.git/HEAD': '',
      '.cilium-etcd-lint.yaml': 'customRules:\n  modules: [lint/my-rule.js, lint/gone.js]\n',
      'lint/my-rule.js': '',
    });
    const loaded: string[] = [];
    const rule = {
      meta: { type: 'problem', docs: { description: 'mine' }, defaultSeverity: 'info', messages: { m: 'm' } },
      check: () => {},
    };
    const load = () =>
      loadConfig({
        cwd: '/repo',
        builtinRules,
        fs,
        loadModule: (abs) => {
          loaded.push(abs);
          return { default: rule };
        },
      });
    expect(load).toThrow(/customRules\.modules: lint\/gone\.js: no such file/);
    expect(loaded).toEqual(['/repo/lint/my-rule.js']);
  });
});

describe('the CLI', () => {
  it('reads the configuration through io.fs, as it reads the targets', () => {
    const files = { ...cleanComponent(), '.git/HEAD': '' };
    const run = (extra: Record<string, string>) => {
      let stdout = '';
      let stderr = '';
      const code = main({
        argv: ['-f', 'json', '--no-argocd', OVERLAY],
        cwd: '/repo',
        env: {},
        stdout: (s) => (stdout += s),
        stderr: (s) => (stderr += s),
        stdoutIsTty: false,
        readStdin: () => '',
        fs: memFs({ ...files, ...extra }),
      });
      expect(stderr).toBe('');
      return { code, ids: (JSON.parse(stdout) as { findings: { ruleId: string }[] }).findings.map((f) => f.ruleId) };
    };
    expect(run({}).ids).toContain('etcd-tls');
    expect(run({ '.cilium-etcd-lint.yaml': 'rules:\n  etcd-tls: off\n' }).ids).not.toContain('etcd-tls');
  });
});
