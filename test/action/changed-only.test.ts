import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runAction } from './harness.ts';
import {
  addOverlay,
  COMPONENT,
  commandLines,
  eventEnv,
  fixtureRepo,
  git,
  gitRepo,
  parseCommand,
  pullRequest,
  type GitRepo,
} from './repo.ts';

/**
 * `changed-only`: on a pull request (or a merge queue) the action lints only the targets of
 * `path` that the change since the event's base commit affects; elsewhere, everything.
 */

const OVERLAYS = `${COMPONENT}/overlays`;
const GLOB = `${OVERLAYS}/*`;

/** A real git repository with two clean overlays (dev, stage), each deployed by its Application; returns it and the base commit. */
function pr(): { repo: GitRepo; base: string } {
  const plain = fixtureRepo();
  addOverlay(plain, 'stage');
  const repo = gitRepo(plain);
  return { repo, base: repo.git('rev-parse', 'HEAD').trim() };
}

const inputs = (repo: GitRepo, extra: Record<string, string> = {}) => ({ path: GLOB, 'working-directory': repo.root, ...extra });
const linted = (summary: string) => [...summary.matchAll(/<h3><code>([^<]+)<\/code><\/h3>/g)].map((m) => m[1]);

describe('changed-only on a pull request', () => {
  it('lints only the overlay a change to its patch affects, and says so in the log, the summary and the outputs', async () => {
    const { repo, base } = pr();
    repo.edit(`${OVERLAYS}/stage/patches/stateful_set.yaml`, 'cpu: 50m', 'cpu: 60m');
    repo.commit('stage: more cpu');
    const r = await runAction(inputs(repo), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(r.exitCode).toBeUndefined();
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/stage`]);
    expect(r.outputs).toMatchObject({ targets: '1', affected: '1', fatal: '0', excluded: '0' });
    expect(r.summary).toContain(
      `<p>changed-only (pull_request): 1 file changed since the base commit ${base.slice(0, 12)}; 1 of 2 targets affected.</p>`,
    );
    expect(r.summary).toContain('<p>1 target linted, 0 could not be rendered, 0 excluded.</p>');
    expect(r.stdout).toContain(`changed-only: auto: linting the targets this pull_request affects, compared with its base commit ${base}`);
    expect(r.stdout).toContain('changed-only: 1 changed file; 1 of 2 targets affected.');
  });

  it('lints every overlay when the shared base changes, and counts the changed files that affect none', async () => {
    const { repo, base } = pr();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    repo.write('docs/notes.md', 'unrelated\n');
    repo.commit('base: break host networking');
    const r = await runAction(inputs(repo), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/dev`, `${OVERLAYS}/stage`]);
    expect(r.outputs).toMatchObject({ targets: '2', affected: '2', errors: '1' });
    expect(r.exitCode).toBe(1);
    expect(r.summary).toContain('2 files changed since the base commit');
    expect(r.summary).toContain('2 of 2 targets affected; 1 changed file affected no target.');
    // A finding of the shared base is annotated once.
    expect(commandLines(r.stdout).filter((l) => l.startsWith('::error title=host-network,'))).toHaveLength(1);
  });

  it('lints the overlay whose ArgoCD Application changed', async () => {
    const { repo, base } = pr();
    repo.edit(`${COMPONENT}/argocd/application-stage.yaml`, 'selfHeal: true', 'selfHeal: false');
    repo.commit('stage: no self-heal');
    const r = await runAction(inputs(repo), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/stage`]);
    expect(
      commandLines(r.stdout)
        .map(parseCommand)
        .find((a) => a.properties.title === 'argocd-automated-sync')?.properties.file,
    ).toBe(`${COMPONENT}/argocd/application-stage.yaml`);
    expect(r.exitCode).toBe(1);
  });

  it('passes with a notice and a summary line when the change affects no target', async () => {
    const { repo, base } = pr();
    repo.write('docs/notes.md', 'unrelated\n');
    repo.write('README.md', 'hello\n');
    repo.commit('docs');
    const r = await runAction(inputs(repo, { 'sarif-file': 'lint.sarif' }), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(r.exitCode).toBeUndefined();
    const annotations = commandLines(r.stdout).map(parseCommand);
    expect(annotations).toEqual([
      {
        kind: 'notice',
        properties: { title: 'cilium-etcd-lint' },
        message: `2 changed files since the base commit ${base.slice(0, 12)} affected no target of the "path" input (2 targets): nothing to lint.`,
      },
    ]);
    expect(r.summary).toContain('<h2>✅ cilium-etcd-lint</h2>');
    expect(r.summary).toContain('0 of 2 targets affected; 2 changed files affected no target: nothing to lint.');
    expect(r.summary).toContain('<p>0 targets linted, 0 could not be rendered, 0 excluded.</p>');
    expect(r.outputs).toMatchObject({
      errors: '0',
      warnings: '0',
      targets: '0',
      affected: '0',
      'sarif-file': path.join(repo.root, 'lint.sarif'),
    });
  });

  it('also counts uncommitted changes of the working tree', async () => {
    const { repo, base } = pr();
    repo.edit(`${OVERLAYS}/dev/patches/stateful_set.yaml`, 'cpu: 50m', 'cpu: 70m');
    const r = await runAction(inputs(repo), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/dev`]);
  });

  it('reads merge_group.base_sha on a merge queue event, and pull_request.base.sha on pull_request_target', async () => {
    const { repo, base } = pr();
    repo.edit(`${OVERLAYS}/dev/patches/stateful_set.yaml`, 'cpu: 50m', 'cpu: 70m');
    repo.commit('dev');
    const queue = await runAction(inputs(repo), {
      GITHUB_WORKSPACE: repo.root,
      ...eventEnv('merge_group', { merge_group: { base_sha: base, head_sha: '1'.repeat(40) } }),
    });
    expect(linted(queue.summary)).toEqual([`${OVERLAYS}/dev`]);
    expect(queue.summary).toContain('changed-only (merge_group)');
    const target = await runAction(inputs(repo), {
      GITHUB_WORKSPACE: repo.root,
      ...eventEnv('pull_request_target', { pull_request: { base: { sha: base } } }),
    });
    expect(linted(target.summary)).toEqual([`${OVERLAYS}/dev`]);
  });

  it('changed-only: false lints everything on a pull request', async () => {
    const { repo, base } = pr();
    repo.write('docs/notes.md', 'unrelated\n');
    repo.commit('docs');
    const r = await runAction(inputs(repo, { 'changed-only': 'false' }), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/dev`, `${OVERLAYS}/stage`]);
    expect(r.outputs.affected).toBe('');
    expect(r.summary).not.toContain('changed-only');
  });

  it('applies exclusions to the affected targets', async () => {
    const { repo, base } = pr();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'cpu: 100m', 'cpu: 110m');
    repo.commit('base');
    const r = await runAction(inputs(repo, { exclude: `${OVERLAYS}/stage` }), { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/dev`]);
    expect(r.outputs).toMatchObject({ targets: '1', affected: '2', excluded: '1' });
  });
});

describe('changed-only elsewhere', () => {
  it('auto lints everything on a push', async () => {
    const { repo } = pr();
    const r = await runAction(inputs(repo), {
      GITHUB_WORKSPACE: repo.root,
      ...eventEnv('push', { before: '0'.repeat(40), after: '1'.repeat(40) }),
    });
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/dev`, `${OVERLAYS}/stage`]);
    expect(r.outputs.affected).toBe('');
    expect(r.stdout).toContain('changed-only: auto: a "push" event has no base commit to compare with, so every target is linted');
  });

  it('true fails the step outside a pull request or merge queue, and on a payload without a base commit', async () => {
    const { repo } = pr();
    const push = await runAction(inputs(repo, { 'changed-only': 'true' }), { GITHUB_WORKSPACE: repo.root, ...eventEnv('push', {}) });
    expect(push.exitCode).toBe(1);
    expect(commandLines(push.stdout)).toEqual([
      '::error::cilium-etcd-lint: the changed-only input is true, but this is a "push" event: only pull_request, pull_request_target, merge_group events have a base commit to compare with; use changed-only: auto to lint everything on other events',
    ]);
    const noBase = await runAction(inputs(repo, { 'changed-only': 'true' }), {
      GITHUB_WORKSPACE: repo.root,
      ...eventEnv('pull_request', { pull_request: {} }),
    });
    expect(noBase.exitCode).toBe(1);
    expect(commandLines(noBase.stdout)).toEqual([
      '::error::cilium-etcd-lint: the changed-only input is true, but the pull_request event payload has no base commit (pull_request.base.sha)',
    ]);
    // auto, on the same payload, lints everything rather than nothing.
    const auto = await runAction(inputs(repo), { GITHUB_WORKSPACE: repo.root, ...eventEnv('pull_request', { pull_request: {} }) });
    expect(auto.outputs.targets).toBe('2');
  });

  it('rejects a value other than auto, true or false', async () => {
    const { repo } = pr();
    const r = await runAction(inputs(repo, { 'changed-only': 'yes' }), { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)).toEqual(['::error::cilium-etcd-lint: the "changed-only" input must be auto, true or false (got "yes")']);
  });
});

describe('changed-only and the checkout depth', () => {
  /** A clone of `repo` at `depth` commits, as actions/checkout makes one (file:// so that --depth applies). */
  function shallowClone(repo: GitRepo, depth: number, branch = 'main'): string {
    const dir = path.join(mkdtempSync(path.join(tmpdir(), 'cel-shallow-')), 'clone');
    git(tmpdir(), 'clone', '-q', '--depth', String(depth), '--branch', branch, `file://${repo.root}`, dir);
    return dir;
  }

  it('fails with one error annotation naming the fix when a shallow clone lacks the base commit', async () => {
    const { repo, base } = pr();
    repo.edit(`${OVERLAYS}/stage/patches/stateful_set.yaml`, 'cpu: 50m', 'cpu: 60m');
    repo.commit('stage');
    const clone = shallowClone(repo, 1);
    expect(git(clone, 'rev-parse', '--is-shallow-repository').trim()).toBe('true');
    const r = await runAction({ path: GLOB, 'working-directory': clone }, { GITHUB_WORKSPACE: clone, ...pullRequest(base) });
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)).toEqual([
      `::error::cilium-etcd-lint: changed-only: the base commit ${base} of this pull_request is not in the checkout (a shallow clone: actions/checkout fetches a single commit by default): give actions/checkout \`fetch-depth: 0\` (or a depth that reaches the base commit), or set changed-only: false`,
    ]);
    expect(r.summary).toContain('fetch-depth: 0');
  });

  it("works on a clone of the pull request's merge commit two commits deep (its parents are the base and the head)", async () => {
    const { repo, base } = pr();
    repo.git('checkout', '-q', '-b', 'topic');
    repo.edit(`${OVERLAYS}/stage/patches/stateful_set.yaml`, 'cpu: 50m', 'cpu: 60m');
    repo.commit('stage');
    // main moves on meanwhile; GitHub checks out refs/pull/N/merge: the head merged into the base.
    repo.git('checkout', '-q', 'main');
    repo.write('docs/notes.md', 'on main\n');
    const mainHead = repo.commit('main moves');
    repo.git('checkout', '-q', '-b', 'merge');
    repo.git('merge', '-q', '--no-ff', '-m', 'Merge topic into main', 'topic');
    const clone = shallowClone(repo, 2, 'merge');
    const r = await runAction({ path: GLOB, 'working-directory': clone }, { GITHUB_WORKSPACE: clone, ...pullRequest(mainHead) });
    expect(r.exitCode, r.stdout).toBeUndefined();
    expect(linted(r.summary)).toEqual([`${OVERLAYS}/stage`]);
    expect(r.summary).toContain('1 file changed since the base commit');
    expect(base).not.toBe(mainHead);
  });
});

describe('changed-only and a path entry that is no directory', () => {
  it('keeps it, so that a typo in path fails a pull request as it fails a push', async () => {
    const { repo, base } = pr();
    repo.write('docs/notes.md', 'unrelated\n');
    repo.commit('docs');
    const r = await runAction(
      { path: `${OVERLAYS}/dev\n${OVERLAYS}/dve`, 'working-directory': repo.root },
      { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) },
    );
    expect(r.exitCode).toBe(1);
    expect(r.outputs).toMatchObject({ targets: '0', fatal: '1', affected: '1' });
    expect(
      commandLines(r.stdout)
        .map(parseCommand)
        .map((a) => a.properties.title),
    ).toEqual(['fatal']);
    expect(r.summary).toContain(`<td><code>${OVERLAYS}/dve</code></td>`);
  });
});
