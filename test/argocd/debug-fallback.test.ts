import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const FIXTURE = path.resolve(__dirname, '../../fixtures/cilium-etcd');

describe('--debug: why the fast ArgoCD lookup handed over to the full discovery', () => {
  it('names the file that made the fast lookup unsure, and the findings are the same either way', () => {
    const repo = mkdtempSync(path.join(tmpdir(), 'cel-debug-'));
    mkdirSync(path.join(repo, '.git'));
    cpSync(FIXTURE, path.join(repo, 'fixtures/cilium-etcd'), { recursive: true });
    const target = 'fixtures/cilium-etcd/overlays/dev';
    const quiet = runCli(['--format', 'json', target], { cwd: repo });
    const plain = runCli(['--debug', '--format', 'json', target], { cwd: repo });
    expect(plain.stderr).toBe('');
    // A file outside the target that spells its path could set an Application's source path: the fast lookup hands over.
    writeFileSync(path.join(repo, 'notes.yaml'), `# deploys ${target}\nkey: value\n`);
    const r = runCli(['--debug', '--format', 'json', target], { cwd: repo });
    expect(r.stderr).toContain(
      `cilium-etcd-lint: debug: ArgoCD: the fast lookup for ${target} handed over to the full discovery: ${path.join(repo, 'notes.yaml')} mentions ${target}`,
    );
    expect(JSON.parse(r.stdout).findings).toEqual(JSON.parse(quiet.stdout).findings);
    // Without --debug, nothing is said.
    expect(runCli(['--format', 'json', target], { cwd: repo }).stderr).toBe('');
  });
});
