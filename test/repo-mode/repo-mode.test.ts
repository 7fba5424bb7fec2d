import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { discoverTargets } from '../../src/lint/discover-targets.ts';
import { runCli } from '../support/cli.ts';
import { PROGRESS_AFTER_MS } from '../../src/cli/main.ts';

const FIXTURE = path.resolve(__dirname, '../../fixtures/cilium-etcd');

const WEB = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
`;

/**
 * A monorepo: the cilium-etcd component (base + overlays/dev, with its Application), and an
 * unrelated app (base + overlays/prod) that has no etcd StatefulSet and no Application.
 */
function makeRepo(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'cel-repo-'));
  mkdirSync(path.join(repo, '.git'));
  cpSync(FIXTURE, path.join(repo, 'fixtures/cilium-etcd'), { recursive: true });
  const web = path.join(repo, 'apps/web');
  mkdirSync(path.join(web, 'base'), { recursive: true });
  mkdirSync(path.join(web, 'overlays/prod'), { recursive: true });
  writeFileSync(path.join(web, 'base/deployment.yaml'), WEB);
  writeFileSync(path.join(web, 'base/kustomization.yaml'), 'resources:\n  - deployment.yaml\n');
  writeFileSync(path.join(web, 'overlays/prod/kustomization.yaml'), 'resources:\n  - ../../base\nnamespace: web\n');
  // Never searched: .git, node_modules, and a symlink out of the tree.
  mkdirSync(path.join(repo, 'node_modules/pkg'), { recursive: true });
  writeFileSync(path.join(repo, 'node_modules/pkg/kustomization.yaml'), 'resources: [missing.yaml]\n');
  mkdirSync(path.join(repo, '.git/k'), { recursive: true });
  writeFileSync(path.join(repo, '.git/k/kustomization.yaml'), 'resources: [missing.yaml]\n');
  const outside = mkdtempSync(path.join(tmpdir(), 'cel-outside-'));
  writeFileSync(path.join(outside, 'kustomization.yaml'), 'resources: [missing.yaml]\n');
  symlinkSync(outside, path.join(repo, 'apps/linked'));
  return repo;
}

let repo: string;
beforeAll(() => {
  repo = makeRepo();
});

describe('--all discovery', () => {
  it('finds every kustomization no other one includes, skipping .git, node_modules and symlinks', () => {
    expect(discoverTargets(repo).map((d) => path.relative(repo, d))).toEqual([
      'apps/web/overlays/prod',
      'fixtures/cilium-etcd/overlays/dev',
    ]);
  });

  it('a kustomization directory on its own is its one target', () => {
    expect(discoverTargets(path.join(repo, 'apps/web/base')).map((d) => path.relative(repo, d))).toEqual(['apps/web/base']);
  });
});

describe('repo mode', () => {
  it('single target without the component: etcd-statefulset-present and argocd-application are still errors', () => {
    const r = runCli(['apps/web/overlays/prod'], { cwd: repo });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('etcd-statefulset-present');
    expect(r.stdout).toContain('argocd-application');
  });

  it('--all: component rules apply only where the etcd StatefulSet is; results grouped per target', () => {
    const r = runCli(['--all', '--format', 'json'], { cwd: repo });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.targets.map((t: { path: string }) => t.path)).toEqual(['apps/web/overlays/prod', 'fixtures/cilium-etcd/overlays/dev']);
    const ids = (t: string) => doc.findings.filter((f: { target: string }) => f.target === t).map((f: { ruleId: string }) => f.ruleId);
    expect(ids('apps/web/overlays/prod')).not.toContain('etcd-statefulset-present');
    expect(ids('apps/web/overlays/prod')).not.toContain('argocd-application');
    expect(ids('fixtures/cilium-etcd/overlays/dev')).toContain('etcd-backup');
    // The fixture component passes its error rules; the web app has no etcd: exit 0.
    expect(r.code).toBe(0);
  });

  it('several positional targets are repo mode too, and the generic preset applies everywhere', () => {
    writeFileSync(path.join(repo, '.cilium-etcd-lint.yaml'), 'extends: [recommended, baseline]\n');
    try {
      const r = runCli(['apps/web/overlays/prod', 'fixtures/cilium-etcd/overlays/dev'], { cwd: repo });
      expect(r.code).toBe(1);
      expect(r.stdout).not.toContain('etcd-statefulset-present');
      expect(r.stdout).toContain('image-digest');
      // Grouped: each target's header, then its findings indented under it.
      const lines = r.stdout.split('\n');
      const web = lines.indexOf('apps/web/overlays/prod');
      expect(web).toBeGreaterThanOrEqual(0);
      expect(lines[web + 1]).toMatch(
        /^ {2}apps\/web\/base\/deployment\.yaml:\d+:\d+ {2}error .*(drop-all-capabilities|image-digest|no-privilege-escalation|no-privileged|read-only-root-filesystem)$/,
      );
      expect(lines).toContain('fixtures/cilium-etcd/overlays/dev');
    } finally {
      writeFileSync(path.join(repo, '.cilium-etcd-lint.yaml'), 'extends: [recommended]\n');
    }
  });

  it('a component target in repo mode still gets argocd-application when no Application deploys it', () => {
    const copy = path.join(repo, 'other/cilium-etcd');
    cpSync(path.join(repo, 'fixtures/cilium-etcd/base'), path.join(copy, 'base'), { recursive: true });
    cpSync(path.join(repo, 'fixtures/cilium-etcd/overlays'), path.join(copy, 'overlays'), { recursive: true });
    const r = runCli(['--all', 'other', 'apps'], { cwd: repo });
    expect(r.code).toBe(1);
    const app = r.stdout.split('\n').filter((l) => l.includes('argocd-application'));
    expect(app).toHaveLength(1);
    expect(app[0]).toContain('other/cilium-etcd/overlays/dev/kustomization.yaml');
  });

  it('--all keeps going past a target it cannot lint, and exits 2', () => {
    const broken = path.join(repo, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'kustomization.yaml'), 'resources:\n  - nothing-here.yaml\n');
    const r = runCli(['--all', 'broken', 'apps'], { cwd: repo });
    expect(r.code).toBe(2);
    // The cause is a fatal finding on the line responsible, grouped under its target; the other target is linted.
    expect(r.stderr).toBe('');
    expect(r.stdout).toMatch(/^broken\n {2}broken\/kustomization\.yaml:2:\d+ {2}error {2}.*nothing-here\.yaml.* {2}fatal$/m);
    expect(r.stdout).toContain('1 target linted, 1 could not be rendered, 0 excluded');
    const json = JSON.parse(runCli(['--all', '--format', 'json', 'broken', 'apps'], { cwd: repo }).stdout);
    expect(json.targets).toEqual([expect.objectContaining({ path: 'apps/web/overlays/prod' }), { path: 'broken', fatal: true }]);
    expect(json.findings.filter((f: { fatal?: boolean }) => f.fatal)).toEqual([
      expect.objectContaining({
        ruleId: 'fatal',
        severity: 'error',
        target: 'broken',
        location: expect.objectContaining({ file: 'broken/kustomization.yaml', line: 2 }),
      }),
    ]);
    expect(json.summary.targets).toEqual({ linted: 1, fatal: 1, excluded: 0 });
  });

  it('a list of targets keeps going too, and exclusions (configuration with a reason, --exclude) leave targets out, listed', () => {
    const broken = path.join(repo, 'broken');
    mkdirSync(broken, { recursive: true });
    writeFileSync(path.join(broken, 'kustomization.yaml'), 'resources:\n  - nothing-here.yaml\n');
    const listed = runCli(['broken', 'apps/web/overlays/prod'], { cwd: repo });
    expect(listed.code).toBe(2);
    expect(listed.stdout).toContain('1 target linted, 1 could not be rendered, 0 excluded');
    const byFlag = runCli(['--exclude', 'broken', 'broken', 'apps/web/overlays/prod'], { cwd: repo });
    expect(byFlag.code).toBe(0);
    expect(byFlag.stdout).toMatch(/^broken {2}excluded {2}--exclude broken {2}\(--exclude\)$/m);
    expect(byFlag.stdout).toContain('1 target linted, 0 could not be rendered, 1 excluded');
    writeFileSync(
      path.join(repo, '.cilium-etcd-lint.yaml'),
      'exclude:\n  - path: "bro*"\n    reason: a generator plugin we cannot render here\n',
    );
    try {
      const byConfig = runCli(['--all', '--format', 'json', '.'], { cwd: repo });
      const doc = JSON.parse(byConfig.stdout);
      expect(doc.excluded).toEqual([
        { path: 'broken', reason: 'a generator plugin we cannot render here', by: '.cilium-etcd-lint.yaml:2' },
      ]);
      expect(doc.summary.targets.excluded).toBe(1);
      expect(doc.targets.some((t: { path: string }) => t.path === 'broken')).toBe(false);
      writeFileSync(path.join(repo, '.cilium-etcd-lint.yaml'), 'exclude:\n  - path: broken\n');
      const noReason = runCli(['--all', '.'], { cwd: repo });
      expect(noReason.code).toBe(2);
      expect(noReason.stderr).toMatch(/\.cilium-etcd-lint\.yaml:2:\d+: .*reason/);
    } finally {
      rmSync(path.join(repo, '.cilium-etcd-lint.yaml'));
    }
  });

  it('--all of a directory without any kustomization is a usage error', () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'cel-none-'));
    const r = runCli(['--all', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no kustomization found');
  });
});

describe('repo mode usage errors', () => {
  it('--all does not combine with --application', () => {
    const r = runCli(['--all', '--application', 'cilium-etcd-dev'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--application');
  });
});

describe('progress', () => {
  it('shows a progress line on stderr only when it is a terminal and the run is long, and clears it', () => {
    const targets = ['apps/web/overlays/prod', 'fixtures/cilium-etcd/overlays/dev', 'apps/web/base'];
    // A clock that moves PROGRESS_AFTER_MS - 1 per reading: the second target starts late enough.
    let t = 0;
    const slow = () => (t += PROGRESS_AFTER_MS - 1);
    const tty = runCli(targets, { cwd: repo, stderrIsTty: true, now: slow });
    expect(tty.stderr).toBe('\r\u001b[K[2/3] fixtures/cilium-etcd/overlays/dev\r\u001b[K[3/3] apps/web/base\r\u001b[K');
    // A quick run shows none.
    const quick = runCli(targets, { cwd: repo, stderrIsTty: true, now: () => 0 });
    expect(quick.stderr).toBe('');
    const pipe = runCli(targets, { cwd: repo, now: slow });
    expect(pipe.stderr).toBe('');
    expect(pipe.stdout).toBe(tty.stdout);
  });
});

describe('exclusions', () => {
  it('a malformed exclude glob is exit 2 naming it (and the configuration line)', () => {
    const r = runCli(['--exclude', 'apps/[web', 'apps/web/overlays/prod', 'fixtures/cilium-etcd/overlays/dev'], { cwd: repo });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/exclude: glob "apps\/\[web" has an unclosed \[/);
    writeFileSync(path.join(repo, '.cilium-etcd-lint.yaml'), 'exclude:\n  - path: "apps/{web"\n    reason: typo\n');
    try {
      const c = runCli(['--all', '.'], { cwd: repo });
      expect(c.code).toBe(2);
      expect(c.stderr).toMatch(/\.cilium-etcd-lint\.yaml:2:\d+: exclude: glob "apps\/\{web" has an unclosed \{/);
    } finally {
      rmSync(path.join(repo, '.cilium-etcd-lint.yaml'));
    }
  });

  it("an exclusion covers the directories below what it names, in picomatch's dialect", () => {
    const r = runCli(['--all', '--exclude', 'apps', '--format', 'json', '.'], { cwd: repo });
    const doc = JSON.parse(r.stdout);
    expect(doc.excluded.map((e: { path: string }) => e.path)).toEqual(['apps/web/overlays/prod']);
    const negated = JSON.parse(runCli(['--all', '--exclude', '!(fixtures)/**', '--format', 'json', '.'], { cwd: repo }).stdout);
    const out = negated.excluded.map((e: { path: string }) => e.path);
    expect(out).toContain('apps/web/overlays/prod');
    expect(out.some((p: string) => p.startsWith('fixtures/'))).toBe(false);
    expect(negated.targets.map((t: { path: string }) => t.path)).toEqual(['fixtures/cilium-etcd/overlays/dev']);
  });
});
