import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const FIXTURE = path.resolve(__dirname, '../../fixtures/cilium-etcd');

const git = (cwd: string, ...args: string[]): string =>
  execFileSync(
    'git',
    ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args],
    { cwd, encoding: 'utf8' },
  );

/**
 * A monorepo: the cilium-etcd component (base + overlays/dev + its Application), two web apps
 * sharing one base (one of them with a component, a generator input and a patch file), and an
 * unrelated README: a git repository with one commit.
 */
function makeMonorepo(): string {
  const repo = mkdtempSync(path.join(tmpdir(), 'cel-changed-'));
  cpSync(FIXTURE, path.join(repo, 'fixtures/cilium-etcd'), { recursive: true });
  const w = (rel: string, text: string) => {
    mkdirSync(path.dirname(path.join(repo, rel)), { recursive: true });
    writeFileSync(path.join(repo, rel), text);
  };
  w('apps/shared/base/kustomization.yaml', 'resources:\n  - deployment.yaml\n');
  w(
    'apps/shared/base/deployment.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n        - name: web\n          image: nginx\n',
  );
  w('apps/one/overlays/dev/kustomization.yaml', 'resources:\n  - ../../../shared/base\nnamespace: one\n');
  w(
    'apps/two/overlays/dev/kustomization.yaml',
    'resources:\n  - ../../../shared/base\ncomponents:\n  - ../../component\nnamespace: two\npatches:\n  - path: replicas.yaml\nconfigMapGenerator:\n  - name: settings\n    envs:\n      - settings.env\n',
  );
  w('apps/two/overlays/dev/replicas.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n');
  w('apps/two/overlays/dev/settings.env', 'LEVEL=debug\n');
  w(
    'apps/two/component/kustomization.yaml',
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  team: two\n',
  );
  w('README.md', '# monorepo\n');
  git(repo, 'init', '-q');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-q', '-m', 'init');
  return repo;
}

function changed(repo: string, ...args: string[]) {
  const r = runCli(['--format', 'json', '--no-color', ...args], { cwd: repo });
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
}
const targetsOf = (doc: { targets: { path: string }[] }) => doc.targets.map((t) => t.path);

describe('--changed: lint exactly the targets a change affects', () => {
  const repo = makeMonorepo();

  it('a base shared by two overlays selects both; a patch, a component or a generator input only the overlay that reads it', () => {
    expect(targetsOf(changed(repo, '--changed', 'apps/shared/base/deployment.yaml').doc)).toEqual([
      'apps/one/overlays/dev',
      'apps/two/overlays/dev',
    ]);
    expect(targetsOf(changed(repo, '--changed', 'apps/two/overlays/dev/replicas.yaml').doc)).toEqual(['apps/two/overlays/dev']);
    expect(targetsOf(changed(repo, '--changed', 'apps/two/component/kustomization.yaml').doc)).toEqual(['apps/two/overlays/dev']);
    expect(targetsOf(changed(repo, '--changed', 'apps/two/overlays/dev/settings.env').doc)).toEqual(['apps/two/overlays/dev']);
    // A directory covers every file under it.
    expect(targetsOf(changed(repo, '--changed', 'apps/shared').doc)).toEqual(['apps/one/overlays/dev', 'apps/two/overlays/dev']);
  });

  it('the component base selects its overlay; its ArgoCD Application (another tree) selects it too', () => {
    expect(targetsOf(changed(repo, '--changed', 'fixtures/cilium-etcd/base/stateful_set.yaml').doc)).toEqual([
      'fixtures/cilium-etcd/overlays/dev',
    ]);
    const r = changed(repo, '--changed', 'fixtures/cilium-etcd/argocd/application.yaml');
    expect(targetsOf(r.doc)).toEqual(['fixtures/cilium-etcd/overlays/dev']);
    // --no-argocd: the Application is not looked at, so its file affects nothing.
    expect(targetsOf(changed(repo, '--no-argocd', '--changed', 'fixtures/cilium-etcd/argocd/application.yaml').doc)).toEqual([]);
  });

  it('a file no target reads: exit 0 and one line saying so', () => {
    const r = runCli(['--changed', 'README.md', 'apps/two/overlays/dev/replicas.yaml', '--no-color'], { cwd: repo });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1 changed file affected no target');
    const none = runCli(['--changed', 'README.md', '--no-color'], { cwd: repo });
    expect(none.code).toBe(0);
    expect(none.stdout).toContain('1 changed file affected no target: nothing to lint');
    expect(changed(repo, '--changed', 'README.md').doc.changes).toEqual({ files: 1, unaffecting: 1 });
  });

  it('directories before --changed limit the targets; --changed-from reads paths a line (a file, or - for stdin)', () => {
    expect(targetsOf(changed(repo, 'apps/one', '--changed', 'apps/shared/base/deployment.yaml').doc)).toEqual(['apps/one/overlays/dev']);
    const list = path.join(repo, 'changes.txt');
    writeFileSync(list, 'apps/two/overlays/dev/settings.env\n\nREADME.md\n');
    expect(targetsOf(changed(repo, '--changed-from', 'changes.txt').doc)).toEqual(['apps/two/overlays/dev']);
    const r = runCli(['--format', 'json', '--changed-from', '-'], { cwd: repo, readStdin: () => 'apps/shared/base/kustomization.yaml\n' });
    expect(targetsOf(JSON.parse(r.stdout))).toEqual(['apps/one/overlays/dev', 'apps/two/overlays/dev']);
    rmSync(list);
  });

  it('a deleted file a target read selects it, and it fails on the line that names the file', () => {
    const copy = makeMonorepo();
    rmSync(path.join(copy, 'apps/two/overlays/dev/replicas.yaml'));
    const r = changed(copy, '--changed', 'apps/two/overlays/dev/replicas.yaml');
    expect(r.code).toBe(2);
    expect(r.doc.findings).toEqual([
      expect.objectContaining({
        ruleId: 'fatal',
        fatal: true,
        target: 'apps/two/overlays/dev',
        location: expect.objectContaining({ file: 'apps/two/overlays/dev/kustomization.yaml', line: 7 }),
      }),
    ]);
  });

  it('--changed works without git', () => {
    const plain = mkdtempSync(path.join(tmpdir(), 'cel-nogit-'));
    cpSync(path.join(repo, 'apps'), path.join(plain, 'apps'), { recursive: true });
    expect(targetsOf(changed(plain, '--changed', 'apps/shared/base/deployment.yaml').doc)).toEqual([
      'apps/one/overlays/dev',
      'apps/two/overlays/dev',
    ]);
  });

  it('--changed takes the paths after it up to the next option, or everything after --changed --', () => {
    const r = changed(repo, '--changed', '--', 'apps/two/overlays/dev/replicas.yaml');
    expect(targetsOf(r.doc)).toEqual(['apps/two/overlays/dev']);
    expect(changed(repo, '--changed', 'apps/two/overlays/dev/replicas.yaml', '--no-argocd').doc.targets).toHaveLength(1);
  });

  it('one way to give the change at a time, and not with --all or --application', () => {
    expect(runCli(['--changed', 'a', '--since', 'HEAD'], { cwd: repo }).stderr).toContain('exclude each other');
    expect(runCli(['--all', '--changed', 'a'], { cwd: repo }).code).toBe(2);
    expect(runCli(['--application', 'x', '--changed', 'a'], { cwd: repo }).code).toBe(2);
  });
});

describe('--since <ref>: the files changed since the merge-base with ref, working tree included', () => {
  it('selects what the commits, the staged, unstaged and untracked files, deletions and renames affect', () => {
    const repo = makeMonorepo();
    git(repo, 'checkout', '-q', '-b', 'feature');
    expect(changed(repo, '--since', 'main').doc.changes).toEqual({ files: 0, unaffecting: 0 });
    // A commit on the branch.
    writeFileSync(path.join(repo, 'apps/two/overlays/dev/settings.env'), 'LEVEL=info\n');
    git(repo, 'commit', '-q', '-am', 'settings');
    expect(targetsOf(changed(repo, '--since', 'main').doc)).toEqual(['apps/two/overlays/dev']);
    // main moves on: the merge-base is what counts, not main's tip.
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(path.join(repo, 'apps/shared/base/kustomization.yaml'), 'resources:\n  - deployment.yaml\nnamespace: moved\n');
    git(repo, 'commit', '-q', '-am', 'main moves');
    git(repo, 'checkout', '-q', 'feature');
    expect(targetsOf(changed(repo, '--since', 'main').doc)).toEqual(['apps/two/overlays/dev']);
    // A rename in the working tree (both sides listed), and an untracked file.
    git(repo, 'mv', 'fixtures/cilium-etcd/argocd/application.yaml', 'fixtures/cilium-etcd/argocd/app.yaml');
    writeFileSync(path.join(repo, 'notes.txt'), 'untracked\n');
    const r = changed(repo, '--since', 'main');
    expect(targetsOf(r.doc)).toEqual(['apps/two/overlays/dev', 'fixtures/cilium-etcd/overlays/dev']);
    expect(r.doc.changes).toEqual({ files: 4, unaffecting: 2 });
  });

  it('the ref is data: one starting with "-" is refused, an unknown one is a clear error, outside git too', () => {
    const repo = makeMonorepo();
    const dash = runCli(['--since=--output=/tmp/x'], { cwd: repo });
    expect(dash.code).toBe(2);
    expect(dash.stderr).toContain('cannot be empty or start with "-"');
    const unknown = runCli(['--since', 'no-such-branch'], { cwd: repo });
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/--since no-such-branch: no such commit/);
    expect(unknown.stderr).not.toMatch(/\n\s+at /);
    const plain = mkdtempSync(path.join(tmpdir(), 'cel-nogit-'));
    const outside = runCli(['--since', 'main'], { cwd: plain });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toContain('needs a git repository');
    expect(readFileSync(path.join(repo, 'README.md'), 'utf8')).toBe('# monorepo\n');
  });
});
