import { existsSync, writeFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { allTargets } from '../../src/lint/targets.ts';
import { runCli } from '../support/cli.ts';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';

/** `--all` on a git copy of the real monorepo: every target accounted for, only the component judged by its rules. */
describe.skipIf(!existsSync(HIPPOCAMPUS))('--all on the hippocampus monorepo', () => {
  const root = gitCopyOfHippocampus('cel-hippocampus-all-');
  const all = (...args: string[]) => {
    const r = runCli(['--all', '--format', 'json', ...args], { cwd: root });
    return { code: r.code, stderr: r.stderr, doc: JSON.parse(r.stdout) };
  };
  // The component's rules: the recommended rules but the generic schema checks (and the deprecated aliases, which never report).
  const componentRules = new Set(
    Object.keys(builtinRules).filter((id) => !builtinRules[id]!.meta.deprecated && !id.startsWith('kubernetes-schema')),
  );
  const COMPONENT = 'cluster/manifests/cilium-etcd/overlays/dev';

  it('lints every renderable target, each unrenderable one is one fatal finding with its cause, and the counts add up', () => {
    const { code, stderr, doc } = all();
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const roots = allTargets(root, ['.']);
    const fatal = doc.targets.filter((t: { fatal?: boolean }) => t.fatal).map((t: { path: string }) => t.path);
    const linted = doc.targets.filter((t: { fatal?: boolean }) => !t.fatal).map((t: { path: string }) => t.path);
    expect([...fatal, ...linted].sort()).toEqual([...roots].sort());
    expect(doc.summary.targets).toEqual({ linted: linted.length, fatal: fatal.length, excluded: 0 });
    expect(linted.length).toBeGreaterThanOrEqual(100);
    const fatalFindings = doc.findings.filter((f: { fatal?: boolean }) => f.fatal);
    expect(fatalFindings.map((f: { target: string }) => f.target).sort()).toEqual([...fatal].sort());
    for (const f of fatalFindings) {
      expect(f.ruleId).toBe('fatal');
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(existsSync(path.join(root, f.location.file))).toBe(true);
      expect(f.message.length).toBeGreaterThan(10);
    }
    expect(linted).toContain(COMPONENT);
  });

  it('no finding of the component rules on any target but the cilium-etcd component (mimir-etcd is another etcd)', () => {
    const { doc } = all();
    const elsewhere = doc.findings.filter(
      (f: { ruleId: string; target: string }) => componentRules.has(f.ruleId) && f.target !== COMPONENT,
    );
    expect(elsewhere).toEqual([]);
    // mimir's overlay renders the mimir-etcd StatefulSet (container etcd, other labels, ports and namespace) and is linted.
    expect(doc.targets.filter((t: { fatal?: boolean }) => !t.fatal).map((t: { path: string }) => t.path)).toContain(
      'cluster/manifests/mimir/overlays/dev',
    );
    // kubernetes-schema-missing: once per kind per run.
    const kinds = doc.findings
      .filter((f: { ruleId: string }) => f.ruleId === 'kubernetes-schema-missing')
      .map((f: { message: string }) => f.message);
    expect(new Set(kinds).size).toBe(kinds.length);
  });

  it('plugins: skip lints the overlays with generator plugins (a warning on each generators: entry); exclude leaves the rest out with its reason', () => {
    const refused = all().doc.summary.targets.linted;
    const config = path.join(root, '.cilium-etcd-lint.yaml');
    writeFileSync(config, 'plugins: skip\n');
    try {
      const skip = all();
      expect(skip.doc.summary.targets.linted).toBeGreaterThan(refused);
      const alert = skip.doc.findings.filter(
        (f: { ruleId: string; target: string }) => f.ruleId === 'render' && f.target === 'cluster/manifests/alerthandler/overlays/dev',
      );
      expect(alert).toEqual([
        expect.objectContaining({
          severity: 'warning',
          location: expect.objectContaining({ file: 'cluster/manifests/alerthandler/overlays/dev/kustomization.yaml' }),
        }),
      ]);
      expect(alert[0].message).toMatch(/generator plugin .*SecretsFromVault.* was not run/);
      const stillFatal = skip.doc.targets.filter((t: { fatal?: boolean }) => t.fatal).map((t: { path: string }) => t.path);
      writeFileSync(
        config,
        `plugins: skip\nexclude:\n${stillFatal.map((p: string) => `  - path: ${p}\n    reason: remote base or file missing from the copy\n`).join('')}`,
      );
      const clean = all();
      expect(clean.doc.summary.targets).toEqual({ linted: skip.doc.summary.targets.linted, fatal: 0, excluded: stillFatal.length });
      expect(clean.doc.excluded.map((e: { path: string }) => e.path).sort()).toEqual([...stillFatal].sort());
      expect(clean.code).toBe(0);
    } finally {
      rmSync(config);
    }
  });
});
