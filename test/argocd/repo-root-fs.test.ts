import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { findRepoRoot } from '../../src/argocd/documents.ts';
import { loadConfig } from '../../src/engine/config.ts';
import { lintAtBase } from '../../src/lint/base-revision.ts';
import { gitTreeFileSystem } from '../../src/lint/git-objects.ts';
import { runLint } from '../../src/lint/run.ts';
import { searchScope } from '../../src/lint/lint-target.ts';
import type { FileSystem } from '../../src/util/fs.ts';
import { cleanComponent, OVERLAY } from '../config/helpers.ts';
import { git, gitFixtureRepo } from '../pr/support.ts';
import { memFs } from '../render/memfs.ts';

/**
 * The repository root the ArgoCD discovery searches is found through the run's FileSystem
 * (src/argocd/documents.ts, findRepoRoot), not by probing the disk: an in-memory tree with its
 * `.git` is a repository, and the base revision's tree (read from git objects) is the repository
 * at its top, so `--base` finds the same root (and the Applications preloaded for it).
 */

const lint = (fs: FileSystem) => {
  const config = loadConfig({ cwd: '/repo', builtinRules, fs });
  return runLint({ cwd: '/repo', config, targets: [OVERLAY], repoMode: false, renderer: 'builtin', argocd: true, readStdin: () => '', fs });
};

describe('findRepoRoot probes the run’s FileSystem', () => {
  it('an in-memory repository (nowhere on the disk): its root, and its Application found', () => {
    const fs = memFs({ ...cleanComponent(), '.git/HEAD': '' });
    expect(findRepoRoot('/repo/etcd/overlays/dev', fs)).toBe('/repo');
    const run = lint(fs);
    expect(run.results[0]!.applications?.map((a) => [a.name, a.file])).toEqual([['cilium-etcd', '/repo/apps/etcd.yaml']]);
    expect(run.results[0]!.findings.filter((f) => f.ruleId === 'argocd')).toEqual([]);
  });

  it('without its .git, no root: the ArgoCD checks are skipped and said so', () => {
    const fs = memFs(cleanComponent());
    expect(findRepoRoot('/repo/etcd/overlays/dev', fs)).toBeUndefined();
    const run = lint(fs);
    expect(run.results[0]!.applications ?? []).toEqual([]);
    expect(run.results[0]!.findings.map((f) => f.ruleId)).toContain('argocd');
  });

  it('the base revision’s tree is the repository at its top', () => {
    const repo = gitFixtureRepo();
    const commit = git(repo.root, 'rev-parse', 'HEAD').trim();
    const tree = gitTreeFileSystem(repo.root, commit);
    const overlay = repo.abs('fixtures/cilium-etcd/overlays/dev');
    expect(tree.kind(path.join(repo.root, '.git'))).toBe('dir');
    expect(findRepoRoot(overlay, tree)).toBe(repo.root);
    // The base run finds the Application preloaded for that root, as the working tree's run does.
    const config = loadConfig({ cwd: repo.root, builtinRules });
    const base = lintAtBase(
      { cwd: repo.root, config, renderer: 'builtin', argocd: true, readStdin: () => '' },
      ['fixtures/cilium-etcd/overlays/dev'],
      tree,
      searchScope(config),
    );
    const head = runLint({
      cwd: repo.root,
      config,
      targets: ['fixtures/cilium-etcd/overlays/dev'],
      repoMode: true,
      renderer: 'builtin',
      argocd: true,
      readStdin: () => '',
    });
    expect(head.results[0]!.applications?.length).toBeGreaterThan(0);
    expect(base.results[0]!.applications).toEqual(head.results[0]!.applications);
  });
});
