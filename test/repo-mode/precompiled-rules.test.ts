import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cilium-etcd-lint.js');
const DECLARATIVE = readdirSync(path.join(ROOT, 'rules'))
  .filter((f) => f.endsWith('.yaml'))
  .map((f) => f.slice(0, -'.yaml'.length))
  .sort();

describe('the built-in declarative rules precompiled into the bundle', () => {
  it('the bundle carries a standalone validator for every rules/<id>.yaml', () => {
    const bundle = readFileSync(path.join(ROOT, 'dist/cli.cjs'), 'utf8');
    const table = /var byId = \{([^}]*)\};\s*function precompiledRuleValidator/.exec(bundle);
    expect(table).not.toBeNull();
    const ids = [...table![1]!.matchAll(/"([\w-]+)":/g)].map((m) => m[1]);
    expect(ids).toEqual(DECLARATIVE);
  });

  it.each(DECLARATIVE)('%s: the bundle reports its failing fixture exactly as the source does', (id) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-precompiled-'));
    // Both presets, so every rule of the presets runs.
    writeFileSync(path.join(dir, '.cilium-etcd-lint.yaml'), 'extends: [recommended, baseline]\n');
    const stream = readFileSync(path.join(ROOT, 'rules/fixtures', id, 'fail.yaml'), 'utf8');
    const fromSource = runCli(['--format', 'json', '-'], { cwd: dir, readStdin: () => stream });
    const bundled = spawnSync(process.execPath, [BIN, '--format', 'json', '-'], {
      cwd: dir,
      input: stream,
      encoding: 'utf8',
      env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: 'off' },
    });
    expect(fromSource.code).toBe(1);
    expect(bundled.status).toBe(1);
    const findings = JSON.parse(bundled.stdout).findings as { ruleId: string }[];
    expect(findings.some((f) => f.ruleId === id)).toBe(true);
    expect(JSON.parse(bundled.stdout)).toEqual(JSON.parse(fromSource.stdout));
  });
});
