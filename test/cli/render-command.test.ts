import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { fixturesDir } from '../render/fixture-roots.ts';

function run(argv: string[], cwd = process.cwd()) {
  let stdout = '';
  let stderr = '';
  const code = main({
    argv,
    cwd,
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return { code, stdout, stderr };
}

describe('cilium-etcd-lint render', () => {
  it('prints the stream as kustomize build does (the parity test checks the bytes against kubectl)', () => {
    const r = run(['render', path.join(fixturesDir, 'render', 'generators', 'overlay')]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith('apiVersion: v1\ndata:\n  key: value\nkind: ConfigMap\n')).toBe(true); // keys sorted
    expect(r.stdout).toContain('\n---\n');
    expect(r.stdout).toContain('  name: base-app-config-56g68dcg6h\n');
    expect(r.stdout).toContain('\n        envFrom:\n        - configMapRef:\n'); // sequences not indented under their key
  });

  it('resolves the directory against the working directory', () => {
    const r = run(['render', 'render/generators/overlay'], fixturesDir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('name: tls-728b9885ck');
  });

  it('exits 2 naming file:line:col on an unrenderable kustomization', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-render-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - missing.yaml\n');
    const r = run(['render', dir]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/kustomization\.yaml:2:5: "missing\.yaml" does not exist/);
  });

  it('takes exactly one directory', () => {
    expect(run(['render']).code).toBe(2);
    expect(run(['render', 'a', 'b']).stderr).toMatch(/exactly one/);
    expect(run(['render', '--help']).stdout).toMatch(/Usage: cilium-etcd-lint render/);
  });
});
