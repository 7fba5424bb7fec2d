import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { comparisonBase, renderedDiffSection } from '../../src/action/baseline.ts';
import { loadConfig } from '../../src/engine/config.ts';
import { builtinRules } from '../../rules/index.ts';
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
 * `baseline` and `diff`: on a pull request the linted targets are compared with the merge-base of
 * the event's base commit: annotations and fail-on count the new findings only, the job summary
 * lists new, fixed and pre-existing findings, and the rendered diff of each affected target.
 */

const OVERLAYS = `${COMPONENT}/overlays`;
const GLOB = `${OVERLAYS}/*`;
const DEV_PATCH = `${OVERLAYS}/dev/patches/stateful_set.yaml`;

function pr(): { repo: GitRepo; base: string } {
  const plain = fixtureRepo();
  addOverlay(plain, 'stage');
  const repo = gitRepo(plain);
  return { repo, base: repo.git('rev-parse', 'HEAD').trim() };
}

/** dev leaves the host network: one new error (the fixture's etcd-tls and etcd-backup warnings are pre-existing). */
function breakDev(repo: GitRepo): void {
  repo.edit(DEV_PATCH, '    spec:\n      containers:\n', '    spec:\n      hostNetwork: false\n      containers:\n');
}

const titles = (stdout: string) =>
  commandLines(stdout)
    .map(parseCommand)
    .map((a) => a.properties.title);

describe('baseline on a pull request (the default)', () => {
  it('annotates only the new finding and fails on it; the pre-existing warnings are counted in the summary', async () => {
    const { repo, base } = pr();
    breakDev(repo);
    repo.commit('dev: no host network');
    const r = await runAction({ path: GLOB, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(r.exitCode).toBe(1);
    expect(titles(r.stdout)).toEqual(['host-network']);
    expect(r.outputs).toMatchObject({ 'new-errors': '1', 'new-warnings': '0', fixed: '0', errors: '1', warnings: '6' });
    expect(r.summary).toContain(
      `1 new error, 0 new warnings, 0 new infos in 1 overlay, compared with the base commit ${base.slice(0, 12)}; 0 fixed; 6 pre-existing`,
    );
    expect(r.summary).toContain('<h3>6 pre-existing findings</h3>');
    expect(r.summary).not.toContain('finding fixed');
    expect(r.stdout).toContain('baseline: compared with the merge-base');
    expect(r.stdout).toContain('1 new, 6 unchanged (pre-existing), 0 fixed.');
  });

  it('passes a pull request that only carries pre-existing findings, even with fail-on: warning; baseline: false fails it', async () => {
    const { repo, base } = pr();
    repo.edit(DEV_PATCH, 'cpu: 50m', 'cpu: 60m');
    repo.commit('dev: more cpu');
    const env = { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) };
    const r = await runAction({ path: GLOB, 'working-directory': repo.root, 'fail-on': 'warning' }, env);
    expect(r.exitCode).toBeUndefined();
    expect(commandLines(r.stdout)).toEqual([]);
    expect(r.summary).toContain('<h2>✅ cilium-etcd-lint</h2>');
    expect(r.summary).toContain('<p>✅ No new findings.</p>');
    expect(r.outputs).toMatchObject({ 'new-errors': '0', 'new-warnings': '0', fixed: '0', warnings: '6' });

    const off = await runAction({ path: GLOB, 'working-directory': repo.root, 'fail-on': 'warning', baseline: 'false' }, env);
    expect(off.exitCode).toBe(1);
    expect(titles(off.stdout).filter((t) => t === 'etcd-tls')).toHaveLength(5);
    expect(off.outputs).toMatchObject({ 'new-errors': '', 'new-warnings': '', fixed: '' });
    expect(off.summary).not.toContain('pre-existing');
  });

  it('counts a finding the pull request removes as fixed, listed at its base-revision line and linked to the base commit', async () => {
    const plain = fixtureRepo();
    plain.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    const repo = gitRepo(plain);
    const base = repo.git('rev-parse', 'HEAD').trim();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: false', 'hostNetwork: true');
    repo.commit('back on the host network');
    const r = await runAction(
      { path: `${OVERLAYS}/dev`, 'working-directory': repo.root, 'sarif-file': 'lint.sarif' },
      {
        GITHUB_WORKSPACE: repo.root,
        GITHUB_SERVER_URL: 'https://github.com',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_SHA: 'f'.repeat(40),
        ...pullRequest(base),
      },
    );
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs).toMatchObject({ fixed: '1', 'new-errors': '0', errors: '0' });
    expect(r.summary).toContain('<h3>✅ 1 finding fixed</h3>');
    expect(r.summary).toContain(`https://github.com/o/r/blob/${base}/${COMPONENT}/base/stateful_set.yaml#L`);
    const sarif = JSON.parse(readFileSync(path.join(repo.root, 'lint.sarif'), 'utf8'));
    const results = sarif.runs[0].results as { ruleId: string; baselineState: string }[];
    expect(results.filter((x) => x.baselineState === 'absent').map((x) => x.ruleId)).toEqual(['host-network']);
    expect(results.filter((x) => x.baselineState === 'unchanged').length).toBe(6);
  });

  it('compares every target with changed-only: false (the unaffected ones have only unchanged findings)', async () => {
    const { repo, base } = pr();
    breakDev(repo);
    repo.commit('dev');
    const r = await runAction(
      { path: GLOB, 'working-directory': repo.root, 'changed-only': 'false' },
      { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) },
    );
    expect(r.outputs).toMatchObject({ targets: '2', affected: '', 'new-errors': '1' });
    expect(titles(r.stdout)).toEqual(['host-network']);
    expect(r.summary).toContain(`<h3><code>${OVERLAYS}/stage</code></h3>\n<p>✅ No new findings.</p>`);
    // The diff still covers only what the change affects.
    expect(r.summary).toContain(`<summary>${OVERLAYS}/dev: `);
    expect(r.summary).not.toContain(`<summary>${OVERLAYS}/stage: `);
  });

  it('counts all findings of an overlay the base does not have as new', async () => {
    const { repo, base } = pr();
    addOverlay(repo, 'qa');
    repo.commit('qa');
    const r = await runAction({ path: GLOB, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) });
    expect(r.outputs).toMatchObject({ 'new-warnings': '6', targets: '1' });
    expect(r.summary).toContain(`<summary>${OVERLAYS}/qa: 3 added, 0 removed, 0 changed, 0 unchanged</summary>`);
  });
});

describe('baseline and diff: the inputs', () => {
  it('true fails the step outside a pull request; auto and false do without', async () => {
    const { repo } = pr();
    const push = await runAction(
      { path: GLOB, 'working-directory': repo.root, baseline: 'true' },
      { GITHUB_WORKSPACE: repo.root, ...eventEnv('push', {}) },
    );
    expect(push.exitCode).toBe(1);
    expect(commandLines(push.stdout)).toEqual([
      '::error::cilium-etcd-lint: the baseline input is true, but a "push" event has no base commit to compare with: only pull_request, pull_request_target, merge_group events have one; use baseline: auto to do without on other events',
    ]);
    const diff = await runAction(
      { path: GLOB, 'working-directory': repo.root, diff: 'true' },
      { GITHUB_WORKSPACE: repo.root, ...eventEnv('pull_request', { pull_request: {} }) },
    );
    expect(commandLines(diff.stdout)).toEqual([
      '::error::cilium-etcd-lint: the diff input is true, but the pull_request event payload has no base commit (pull_request.base.sha)',
    ]);
    const auto = await runAction({ path: GLOB, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root, ...eventEnv('push', {}) });
    expect(auto.stdout).toContain(
      'baseline: auto: a "push" event has no base commit to compare with: no findings compared with the base commit',
    );
    expect(auto.summary).not.toContain('Rendered changes');
  });

  it('rejects a value other than auto, true or false', async () => {
    const { repo } = pr();
    for (const name of ['baseline', 'diff']) {
      const r = await runAction({ path: GLOB, 'working-directory': repo.root, [name]: 'yes' }, { GITHUB_WORKSPACE: repo.root });
      expect(commandLines(r.stdout)).toEqual([`::error::cilium-etcd-lint: the "${name}" input must be auto, true or false (got "yes")`]);
    }
  });

  it('diff: false leaves the rendered diff out; baseline: false keeps it', async () => {
    const { repo, base } = pr();
    breakDev(repo);
    repo.commit('dev');
    const env = { GITHUB_WORKSPACE: repo.root, ...pullRequest(base) };
    const noDiff = await runAction({ path: GLOB, 'working-directory': repo.root, diff: 'false' }, env);
    expect(noDiff.summary).not.toContain('Rendered changes');
    expect(noDiff.outputs['new-errors']).toBe('1');
    const onlyDiff = await runAction({ path: GLOB, 'working-directory': repo.root, baseline: 'false' }, env);
    expect(onlyDiff.summary).toContain(`### Rendered changes since \`${base.slice(0, 12)}\``);
    expect(onlyDiff.summary).toContain('+      hostNetwork: false');
    expect(onlyDiff.outputs['new-errors']).toBe('');
  });

  it('fails with the fix when a shallow clone lacks the base commit, naming baseline when changed-only is off', async () => {
    const { repo, base } = pr();
    breakDev(repo);
    repo.commit('dev');
    const clone = path.join(mkdtempSync(path.join(tmpdir(), 'cel-shallow-')), 'clone');
    git(tmpdir(), 'clone', '-q', '--depth', '1', '--branch', 'main', `file://${repo.root}`, clone);
    const r = await runAction(
      { path: GLOB, 'working-directory': clone, 'changed-only': 'false' },
      { GITHUB_WORKSPACE: clone, ...pullRequest(base) },
    );
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)).toEqual([
      `::error::cilium-etcd-lint: baseline: the base commit ${base} of this pull_request is not in the checkout (a shallow clone: actions/checkout fetches a single commit by default): give actions/checkout \`fetch-depth: 0\` (or a depth that reaches the base commit), or set baseline: false`,
    ]);
    expect(r.summary).toContain('fetch-depth: 0');
  });
});

describe('the rendered diff in the job summary', () => {
  function diffSection(budget: number): { text: string; base: string } {
    const { repo, base } = pr();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    repo.commit('base');
    const config = loadConfig({ cwd: repo.root, builtinRules, allowCodeRules: false });
    const section = renderedDiffSection(
      {
        cwd: repo.root,
        config,
        argocd: true,
        base: { event: 'pull_request', sha: base },
        targets: [`${OVERLAYS}/dev`, `${OVERLAYS}/stage`],
      },
      () => {},
    );
    return { text: section(budget), base };
  }

  it('is one collapsible block per target within its budget', () => {
    const { text } = diffSection(100_000);
    expect(text.match(/<details><summary>/g)).toHaveLength(2);
    expect(text).toContain('-      hostNetwork: true\n+      hostNetwork: false');
  });

  it('is truncated with a note, never beyond its budget', () => {
    for (const budget of [600, 900]) {
      const { text } = diffSection(budget);
      expect(Buffer.byteLength(text)).toBeLessThanOrEqual(budget);
      expect(text).toMatch(/Truncated|Not shown/);
    }
    const { text, base } = diffSection(100);
    expect(text).toContain(
      `_Not shown: the job summary's size limit was reached. Run \`cilium-etcd-lint diff --base ${base.slice(0, 12)}\` to see it._`,
    );
  });

  it('says why instead of failing when it cannot be computed', () => {
    const repo = fixtureRepo(); // not a git repository
    const config = loadConfig({ cwd: repo.root, builtinRules, allowCodeRules: false });
    const logged: string[] = [];
    const section = renderedDiffSection(
      { cwd: repo.root, config, argocd: true, base: { event: 'pull_request', sha: 'a'.repeat(40) }, targets: [`${OVERLAYS}/dev`] },
      (m) => logged.push(m),
    );
    expect(section(100_000)).toContain('_The rendered diff could not be computed: ');
    expect(logged[0]).toMatch(/^diff: the rendered diff could not be computed: /);
  });

  it("comparisonBase: auto uses the event's base commit, false never", () => {
    const env = pullRequest('b'.repeat(40));
    expect(comparisonBase('diff', 'auto', env).base).toEqual({ event: 'pull_request', sha: 'b'.repeat(40) });
    expect(comparisonBase('diff', 'false', env)).toEqual({ reason: 'diff is false: no rendered diff' });
  });
});
