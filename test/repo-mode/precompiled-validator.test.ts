import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cilium-etcd-lint.js');

/** Kustomization files the validator rejects, each for another reason. */
const BAD: Record<string, string> = {
  'wrong-type': 'resources: []\nnamePrefix: [1]\n',
  'not-a-list': 'resources: deployment.yaml\n',
  'bad-selector': 'resources: []\npatches:\n  - path: p.yaml\n    target: { kind: 1 }\n',
  'bad-kind': 'kind: Kustomisation\nresources: []\n',
};

describe('the kustomization validator precompiled into the bundle', () => {
  it('the bundle carries the standalone validator instead of compiling the schema at start-up', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist/cli.cjs'), 'utf8');
    expect(bundle).toMatch(/function kustomizationValidator\(\) \{\s*return validate;\s*\}/);
  });

  it.each(Object.keys(BAD))('rejects %s exactly as the validator compiled at run time does', (name) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-validator-'));
    mkdirSync(path.join(dir, 'k'));
    writeFileSync(path.join(dir, 'k/kustomization.yaml'), BAD[name]!);
    const fromSource = runCli(['--no-argocd', 'k'], { cwd: dir });
    const bundled = spawnSync(process.execPath, [BIN, '--no-argocd', 'k'], { cwd: dir, encoding: 'utf8' });
    expect(fromSource.code).toBe(2);
    expect(bundled.status).toBe(2);
    expect(bundled.stderr).toBe(fromSource.stderr);
  });
});
