import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { cli, COMPONENT, fixtureRepo, lintJson, OVERLAY, snapshot, type Repo } from './support.ts';

/**
 * `--fix` for every fixable rule, at each kind of location responsible for a field: the base, the
 * overlay patch, a JSON6902 operation (an inline literal patch of the overlay), a Kustomize
 * component, the ArgoCD Application. Each case breaks the fixture component, runs --fix, and checks
 * that the rule no longer reports, that the lint is the unbroken component's, that the render (and
 * the Application) equal the unbroken ones, that a second --fix changes nothing, and that every
 * comment of the edited files survives.
 */

const STS = `${COMPONENT}/base/stateful_set.yaml`;
const PATCH = `${OVERLAY}/patches/stateful_set.yaml`;
const OVERLAY_K = `${OVERLAY}/kustomization.yaml`;
const APP = `${COMPONENT}/argocd/application.yaml`;
/** Under the base: the Application's manifest-generate-paths (`.;../../base`) covers it. */
const COMPONENT_DIR = `${COMPONENT}/base/components/hardening`;

type Break = (repo: Repo) => void;

/** A JSON6902 operation added to the overlay's inline literal patch. */
const op =
  (yaml: string): Break =>
  (repo) =>
    repo.edit(
      OVERLAY_K,
      '        value: --log-level=debug\n',
      `        value: --log-level=debug\n      # an operation of the pull request\n${yaml.replace(/^/gm, '      ').trimEnd()}\n`,
    );

/** The container of the overlay's strategic-merge patch gets these lines (after `- name: etcd`). */
const inPatch =
  (lines: string): Break =>
  (repo) =>
    repo.edit(
      PATCH,
      '        - name: etcd\n',
      `        - name: etcd\n          # set by the pull request\n${lines.replace(/^/gm, '          ').trimEnd()}\n`,
    );

/** A Kustomize component included by the overlay, whose patch sets these container lines. */
const inComponent =
  (lines: string): Break =>
  (repo) => {
    repo.write(
      `${COMPONENT_DIR}/kustomization.yaml`,
      '# the hardening component\napiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\npatches:\n  - path: patch.yaml\n',
    );
    repo.write(
      `${COMPONENT_DIR}/patch.yaml`,
      `# component patch\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\nspec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n${lines.replace(/^/gm, '          ').trimEnd()}\n`,
    );
    repo.edit(
      OVERLAY_K,
      'resources:\n  - ../../base\n',
      'resources:\n  - ../../base\n\ncomponents:\n  - ../../base/components/hardening\n',
    );
  };

const inBase =
  (from: string, to: string): Break =>
  (repo) =>
    repo.edit(STS, from, to);

interface Case {
  rule: string;
  where: string;
  break: Break;
  /** The file the fix must edit. */
  file: string;
}

const CASES: Case[] = [
  {
    rule: 'read-only-root-filesystem',
    where: 'base',
    break: inBase('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'),
    file: STS,
  },
  {
    rule: 'read-only-root-filesystem',
    where: 'base (missing field)',
    break: inBase('            readOnlyRootFilesystem: true\n', ''),
    file: STS,
  },
  {
    rule: 'read-only-root-filesystem',
    where: 'overlay patch',
    break: inPatch('securityContext:\n  readOnlyRootFilesystem: false'),
    file: PATCH,
  },
  {
    rule: 'read-only-root-filesystem',
    where: 'JSON6902 op',
    break: op('- op: replace\n  path: /spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem\n  value: false'),
    file: OVERLAY_K,
  },
  {
    rule: 'read-only-root-filesystem',
    where: 'component',
    break: inComponent('securityContext:\n  readOnlyRootFilesystem: false'),
    file: `${COMPONENT_DIR}/patch.yaml`,
  },
  {
    rule: 'no-privilege-escalation',
    where: 'base',
    break: inBase('allowPrivilegeEscalation: false', 'allowPrivilegeEscalation: true'),
    file: STS,
  },
  {
    rule: 'no-privilege-escalation',
    where: 'base (missing field)',
    break: inBase('            allowPrivilegeEscalation: false\n', ''),
    file: STS,
  },
  {
    rule: 'no-privilege-escalation',
    where: 'overlay patch',
    break: inPatch('securityContext:\n  allowPrivilegeEscalation: true'),
    file: PATCH,
  },
  { rule: 'no-privileged', where: 'base', break: inBase('privileged: false', 'privileged: true'), file: STS },
  {
    rule: 'no-privileged',
    where: 'JSON6902 op',
    break: op('- op: replace\n  path: /spec/template/spec/containers/0/securityContext/privileged\n  value: true'),
    file: OVERLAY_K,
  },
  {
    rule: 'no-privileged',
    where: 'component',
    break: inComponent('securityContext:\n  privileged: true'),
    file: `${COMPONENT_DIR}/patch.yaml`,
  },
  {
    rule: 'drop-all-capabilities',
    where: 'base (missing capabilities)',
    break: inBase('            capabilities:\n              drop:\n                - ALL\n', ''),
    file: STS,
  },
  {
    rule: 'drop-all-capabilities',
    where: 'overlay patch (added capability)',
    break: inPatch('securityContext:\n  capabilities:\n    add:\n      - NET_ADMIN'),
    file: PATCH,
  },
  { rule: 'host-network', where: 'base', break: inBase('hostNetwork: true', 'hostNetwork: false'), file: STS },
  {
    rule: 'host-network',
    where: 'overlay patch',
    break: (repo) =>
      repo.edit(PATCH, '    spec:\n      containers:', '    spec:\n      # no host network\n      hostNetwork: false\n      containers:'),
    file: PATCH,
  },
  { rule: 'argocd-automated-sync', where: 'Application', break: (repo) => repo.edit(APP, 'selfHeal: true', 'selfHeal: false'), file: APP },
  {
    rule: 'argocd-automated-sync',
    where: 'Application (missing field)',
    break: (repo) => repo.edit(APP, '      prune: true\n', ''),
    file: APP,
  },
  {
    rule: 'prometheus-scrape',
    where: 'overlay patch',
    break: (repo) => repo.edit(PATCH, 'prometheus.io/scrape: "true"', 'prometheus.io/scrape: "false"'),
    file: PATCH,
  },
  {
    rule: 'prometheus-scrape',
    where: 'overlay patch (missing annotation)',
    break: (repo) => repo.edit(PATCH, '        prometheus.io/scrape: "true"\n', ''),
    file: PATCH,
  },
  {
    rule: 'etcd-listen-ports',
    where: 'base (args)',
    break: inBase('--listen-client-urls=http://0.0.0.0:12379', '--listen-client-urls=http://0.0.0.0:2379'),
    file: STS,
  },
  {
    rule: 'etcd-listen-ports',
    where: 'overlay patch (annotation)',
    break: (repo) => repo.edit(PATCH, 'prometheus.io/port: "12381"', 'prometheus.io/port: "2381"'),
    file: PATCH,
  },
  {
    rule: 'etcd-listen-ports',
    where: 'JSON6902 op (args)',
    break: op('- op: replace\n  path: /spec/template/spec/containers/0/args/4\n  value: --listen-peer-urls=http://0.0.0.0:2380'),
    file: OVERLAY_K,
  },
  {
    rule: 'etcd-data-dir',
    where: 'base (args)',
    break: inBase('--data-dir=/var/lib/cilium/etcd-0', '--data-dir=/var/lib/cilium/etcd-1'),
    file: STS,
  },
  {
    rule: 'etcd-data-dir',
    where: 'base (hostPath)',
    break: inBase('            path: /var/lib/cilium/etcd-0', '            path: /var/lib/etcd'),
    file: STS,
  },
  {
    rule: 'namespace',
    where: 'overlay kustomization',
    break: (repo) => repo.edit(OVERLAY_K, 'resources:\n', '# moved by the pull request\nnamespace: kube-public\n\nresources:\n'),
    file: OVERLAY_K,
  },
];

function render(repo: Repo): string {
  const r = cli(repo.root, ['render', OVERLAY]);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

const comments = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim().startsWith('#'))
    .map((l) => l.trim());
const ruleIds = (doc: { findings: { ruleId: string }[] }) => doc.findings.map((f) => f.ruleId).sort();

describe('--fix at the responsible line', () => {
  const clean = fixtureRepo();
  const cleanRender = render(clean);
  const cleanLint = ruleIds(lintJson(clean.root, [OVERLAY]).doc);
  const cleanApp = parse(clean.read(APP));

  for (const c of CASES) {
    it(`${c.rule}: ${c.where}`, () => {
      const repo = fixtureRepo();
      c.break(repo);
      const broken = lintJson(repo.root, [OVERLAY]).doc;
      const finding = broken.findings.find((f: { ruleId: string }) => f.ruleId === c.rule);
      expect(
        finding,
        JSON.stringify(broken.findings.map((f: { ruleId: string; message: string }) => `${f.ruleId}: ${f.message}`)),
      ).toBeDefined();
      expect(finding.fix, `${c.rule} has no fix`).toBeDefined();
      expect(finding.fix.edits.every((e: { file: string }) => e.file === c.file)).toBe(true);
      const before = snapshot(repo.root);

      const fixed = cli(repo.root, ['--fix', OVERLAY]);
      expect(fixed.code, fixed.stdout + fixed.stderr).toBe(0);
      expect(fixed.stderr).toMatch(/fixed \d+ findings? in 1 file/);
      const after = snapshot(repo.root);
      const changed = [...after.keys()].filter((k) => after.get(k) !== before.get(k));
      expect(changed).toEqual([c.file]);
      // Comments of the edited file survive.
      expect(comments(after.get(c.file)!)).toEqual(comments(before.get(c.file)!));

      // Clean again: the lint is the unbroken component's, and so is the render (and the Application).
      expect(ruleIds(lintJson(repo.root, [OVERLAY]).doc)).toEqual(cleanLint);
      expect(render(repo)).toBe(cleanRender);
      expect(parse(repo.read(APP))).toEqual(cleanApp);

      // Idempotent: a second --fix changes nothing.
      const again = cli(repo.root, ['--fix', OVERLAY]);
      expect(again.code).toBe(0);
      expect(snapshot(repo.root)).toEqual(after);
    });
  }

  it('--fix-dry-run prints the unified diff and writes nothing', () => {
    const repo = fixtureRepo();
    repo.edit(STS, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const before = snapshot(repo.root);
    const r = cli(repo.root, ['--fix-dry-run', OVERLAY]);
    expect(r.stdout).toContain(`--- a/${STS}\n+++ b/${STS}\n`);
    expect(r.stdout).toContain('-            readOnlyRootFilesystem: false\n+            readOnlyRootFilesystem: true\n');
    expect(r.code).toBe(1);
    expect(snapshot(repo.root)).toEqual(before);
  });

  it('keeps quoting, and says when a fixed base is used by other linted overlays', () => {
    const repo = fixtureRepo();
    repo.write(`${COMPONENT}/overlays/prod/kustomization.yaml`, 'resources:\n  - ../../base\n');
    repo.edit(STS, 'hostNetwork: true', "hostNetwork: 'false'");
    const r = cli(repo.root, ['--fix', OVERLAY, `${COMPONENT}/overlays/prod`]);
    expect(r.stderr).toContain(`${STS} is also used by`);
    expect(repo.read(STS)).toContain('hostNetwork: true\n');
  });

  it('never writes through a symbolic link', async () => {
    const { symlinkSync, mkdtempSync, cpSync, readFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const repo = fixtureRepo();
    // The base's StatefulSet is a link to a file outside the repository.
    const outside = path.join(mkdtempSync(path.join(tmpdir(), 'cel-outside-')), 'stateful_set.yaml');
    cpSync(repo.abs(STS), outside);
    const text = readFileSync(outside, 'utf8').replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    (await import('node:fs')).writeFileSync(outside, text);
    (await import('node:fs')).rmSync(repo.abs(STS));
    symlinkSync(outside, repo.abs(STS));
    const r = cli(repo.root, ['--fix', OVERLAY]);
    expect(readFileSync(outside, 'utf8')).toBe(text);
    expect(r.stderr).toMatch(/not applied|symbolic link|outside/);
  });
});
