import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';
import { runCli } from '../support/cli.ts';

/** Needs ../shared (the reference corpus); run by `npm run corpus`, not by `npm test`. */
const CORPUS = HIPPOCAMPUS;

function lint(cwd: string, target: string) {
  const r = runCli(['--format', 'json', target], { cwd });
  return { code: r.code, stderr: r.stderr, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
}

describe.skipIf(!existsSync(CORPUS))('the real cilium-etcd component in a git copy of the hippocampus monorepo', () => {
  const root = gitCopyOfHippocampus('cel-hippocampus-');
  const component = path.join(root, 'cluster/manifests/cilium-etcd');

  it('lints clean from the repository root', () => {
    const r = lint(root, 'cluster/manifests/cilium-etcd/overlays/dev');
    expect(r.stderr).toBe('');
    expect(r.doc.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    expect(r.doc.targets).toEqual([{ path: 'cluster/manifests/cilium-etcd/overlays/dev', renderer: 'builtin', resources: 3 }]);
    expect(r.code).toBe(0);
  });

  it('lints clean from the component directory, and finds its Application', () => {
    const r = lint(component, 'overlays/dev');
    expect(r.stderr).toBe('');
    expect(r.doc.findings.filter((f: { severity: string }) => f.severity === 'error')).toEqual([]);
    // Only the advisory warnings remain: plaintext etcd and no backup CronJob.
    expect([...new Set(r.doc.findings.map((f: { ruleId: string }) => f.ruleId))].sort()).toEqual(['etcd-backup', 'etcd-tls']);
    expect(r.code).toBe(0);
  });

  it('points a broken invariant at the upstream line', () => {
    const r = lint(component, 'overlays/dev');
    const tls = r.doc.findings.find((f: { ruleId: string; field: string }) => f.ruleId === 'etcd-tls' && f.field.endsWith('args[1]'));
    expect(tls.location).toMatchObject({ file: 'base/stateful_set.yaml', line: 47, column: 15 });
  });
});
