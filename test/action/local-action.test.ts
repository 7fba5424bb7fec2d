import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  addOverlay,
  COMPONENT,
  commandLines,
  eventEnv,
  fixtureRepo,
  gitRepo,
  parseCommand,
  pullRequest,
  spanOf,
  type GitRepo,
} from './repo.ts';

/**
 * The action run through GitHub's own local runner for JavaScript actions, @github/local-action
 * (`local-action run <action dir> <entrypoint> <.env file>`): it reads action.yml (inputs and
 * their defaults, outputs), loads the inputs and the runner's variables from a .env file, replaces
 * @actions/core with its own implementation (which, as GitHub does, refuses an annotation spanning
 * several lines that carries columns), imports src/action/main.ts and calls its run(). What it
 * shows (workflow commands, `::set-output` lines, the job summary file, the exit status) is what
 * these tests assert.
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = path.join(ROOT, 'node_modules/@github/local-action/bin/local-action.js');
const OVERLAYS = `${COMPONENT}/overlays`;

interface LocalRun {
  status: number | null;
  stdout: string;
  summary: string;
  outputs: Record<string, string>;
}

/** Writes the .env file (one `KEY="value"` per line, as dotenv reads it) and runs local-action on it. */
function localAction(vars: Record<string, string>): LocalRun {
  const dir = mkdtempSync(path.join(tmpdir(), 'cel-local-action-'));
  const summary = path.join(dir, 'summary.md');
  const envFile = path.join(dir, '.env');
  const all = { GITHUB_STEP_SUMMARY: summary, ...vars };
  writeFileSync(
    envFile,
    Object.entries(all)
      .map(([k, v]) => `${k}=${JSON.stringify(v)}\n`)
      .join(''),
  );
  // The runner's variables come from the .env file only, not from this test process.
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(GITHUB_|INPUT_|RUNNER_|ACTIONS_)/.test(k)) env[k] = v;
  // local-action finds the action's @actions/core with `npm ls`, so it runs from the package root.
  const r = spawnSync(process.execPath, [BIN, 'run', ROOT, 'src/action/main.ts', envFile], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...env, NO_COLOR: '1', FORCE_COLOR: '0' },
    timeout: 60_000,
  });
  const stdout = `${r.stdout}${r.stderr}`;
  const outputs: Record<string, string> = {};
  for (const m of stdout.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)) outputs[m[1]!] = m[2]!;
  return { status: r.status, stdout, summary: existsSync(summary) ? readFileSync(summary, 'utf8') : '', outputs };
}

/** Three overlays (dev, stage, qa), each deployed by its Application, committed: the base of a pull request. */
function threeOverlays(): { repo: GitRepo; base: string } {
  const plain = fixtureRepo();
  addOverlay(plain, 'stage');
  addOverlay(plain, 'qa');
  const repo = gitRepo(plain);
  return { repo, base: repo.git('rev-parse', 'HEAD').trim() };
}

describe('the action through @github/local-action', () => {
  it('is installed as a devDependency and runs on this Node.js', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'node_modules/@github/local-action/package.json'), 'utf8')) as {
      engines: { node: string };
    };
    expect(pkg.engines.node).toContain(`^${process.versions.node.split('.')[0]}`);
  });

  it('on a pull request: lints the affected overlays, keeps going past an unrenderable one, annotates, summarises and sets the outputs', () => {
    const { repo, base } = threeOverlays();
    // dev: an image that is neither mirrored nor pinned, written over two lines.
    const devPatch = `${OVERLAYS}/dev/patches/stateful_set.yaml`;
    const patched = repo.edit(
      devPatch,
      '        - name: etcd\n',
      '        - name: etcd\n          image: >-\n            evil.example/etcd:v1\n',
    );
    const image = spanOf(patched, '>-');
    // stage: a kustomization that cannot be rendered.
    const stageK = `${OVERLAYS}/stage/kustomization.yaml`;
    const broken = spanOf(repo.edit(stageK, 'resources:', 'resourcse:'), 'resourcse:');
    // qa is untouched; a document changes too.
    repo.write('docs/notes.md', 'notes\n');
    repo.commit('the pull request');

    const r = localAction({
      INPUT_PATH: `${OVERLAYS}/*`,
      'INPUT_WORKING-DIRECTORY': repo.root,
      'INPUT_SARIF-FILE': 'out/lint.sarif',
      // Every finding annotated, the fixture's pre-existing warnings too (the baseline case is below).
      INPUT_BASELINE: 'false',
      GITHUB_WORKSPACE: repo.root,
      ...pullRequest(base),
    });
    expect(r.stdout).not.toMatch(/Annotations spanning multiple lines must not include/);
    expect(r.status, r.stdout.slice(-3000)).toBe(1);

    const annotations = commandLines(r.stdout).map(parseCommand);
    // The unrenderable overlay: one error on its line, title "fatal" (a multi-line span: no columns).
    const fatal = annotations.filter((a) => a.properties.title === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ kind: 'error', properties: { file: stageK, line: String(broken.line) } });
    expect(fatal[0]!.message).toContain('unknown kustomization field "resourcse"');
    // The two-line image value: line and endLine, no columns.
    const digest = annotations.find((a) => a.properties.title === 'image-digest')!;
    expect(digest.properties).toEqual({ title: 'image-digest', file: devPatch, line: String(image.line), endLine: String(image.line + 1) });
    expect(annotations.find((a) => a.properties.title === 'image-registry')?.properties.col).toBeUndefined();
    // One-line findings keep their columns; kubernetes-schema-missing is never an annotation.
    expect(annotations.find((a) => a.properties.title === 'etcd-tls')?.properties.col).toBeDefined();
    expect(annotations.some((a) => a.properties.title === 'kubernetes-schema-missing')).toBe(false);
    // qa was not affected: nothing of it anywhere.
    expect(r.stdout).not.toContain(`${OVERLAYS}/qa`);

    expect(r.outputs).toMatchObject({
      targets: '1',
      fatal: '1',
      excluded: '0',
      affected: '2',
      'sarif-file': path.join(repo.root, 'out/lint.sarif'),
    });
    expect(Number(r.outputs.errors)).toBe(annotations.filter((a) => a.kind === 'error').length);
    expect(Number(r.outputs.errors)).toBeGreaterThanOrEqual(3);
    // The outputs table local-action prints after the run.
    expect(r.stdout).toMatch(/Action Outputs[\s\S]*'fatal'\s*│\s*'1'/);

    const s = r.summary;
    expect(s).toContain('<h2>❌ cilium-etcd-lint</h2>');
    expect(s).toContain(
      `<p>changed-only (pull_request): 3 files changed since the base commit ${base.slice(0, 12)}; 2 of 3 targets affected; 1 changed file affected no target.</p>`,
    );
    expect(s).toContain('<p>1 target linted, 1 could not be rendered, 0 excluded.</p>');
    expect(s).toContain(
      `<tr><td><code>${OVERLAYS}/stage</code></td><td>${stageK}:${broken.line}</td><td>unknown kustomization field &quot;resourcse&quot;`,
    );
    expect(s).toContain(`<h3><code>${OVERLAYS}/dev</code></h3>`);
    expect(s).toContain(`<td>${devPatch}:${image.line}</td>`);

    const sarif = JSON.parse(readFileSync(path.join(repo.root, 'out/lint.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toEqual(expect.arrayContaining(['fatal', 'image-digest']));
  });

  it('on a pull request with baseline and diff (the defaults): annotates only the new finding, fails on it, and summarises new, fixed, pre-existing and the rendered diff', () => {
    const plain = fixtureRepo();
    addOverlay(plain, 'stage');
    addOverlay(plain, 'qa');
    // The base already has the fixture's pre-existing warnings (etcd-tls, etcd-backup), and a
    // privileged container in stage that the pull request fixes.
    const stagePatch = `${OVERLAYS}/stage/patches/stateful_set.yaml`;
    plain.edit(stagePatch, '        - name: etcd\n', '        - name: etcd\n          securityContext:\n            privileged: true\n');
    const repo = gitRepo(plain);
    const base = repo.git('rev-parse', 'HEAD').trim();
    // The pull request: dev leaves the host network (one new error), stage drops privileged.
    const devPatch = `${OVERLAYS}/dev/patches/stateful_set.yaml`;
    const patched = repo.edit(devPatch, '    spec:\n      containers:\n', '    spec:\n      hostNetwork: false\n      containers:\n');
    const line = spanOf(patched, 'hostNetwork: false');
    repo.edit(stagePatch, '          securityContext:\n            privileged: true\n', '');
    repo.commit('the pull request');

    const r = localAction({
      INPUT_PATH: `${OVERLAYS}/*`,
      'INPUT_WORKING-DIRECTORY': repo.root,
      'INPUT_SARIF-FILE': 'lint.sarif',
      GITHUB_WORKSPACE: repo.root,
      ...pullRequest(base),
    });
    expect(r.stdout).not.toMatch(/Annotations spanning multiple lines must not include/);
    expect(r.status, r.stdout.slice(-3000)).toBe(1);
    // Exactly the new finding: none of the pre-existing warnings, nothing of the fixed one.
    const annotations = commandLines(r.stdout).map(parseCommand);
    expect(annotations.map((a) => [a.kind, a.properties.title, a.properties.file, a.properties.line])).toEqual([
      ['error', 'host-network', devPatch, String(line.line)],
    ]);
    expect(r.stdout).toContain('failing the step (fail-on: error): 1 new error(s), 0 new warning(s)');
    expect(r.outputs).toMatchObject({ 'new-errors': '1', 'new-warnings': '0', fixed: '1', errors: '1', targets: '2', affected: '2' });
    expect(Number(r.outputs.warnings)).toBeGreaterThan(0);

    const s = r.summary;
    expect(s).toContain('<h2>❌ cilium-etcd-lint</h2>');
    expect(s).toMatch(
      new RegExp(
        `<p>1 new error, 0 new warnings, 0 new infos in 2 overlays, compared with the base commit ${base.slice(0, 12)}; 1 fixed; \\d+ pre-existing \\(cilium-etcd-lint `,
      ),
    );
    // New: dev's table holds the one finding; stage has none.
    expect(s).toContain(`<h3><code>${OVERLAYS}/dev</code></h3>`);
    expect(s).toContain(`<td>${devPatch}:${line.line}</td>`);
    expect(s).toContain(`<h3><code>${OVERLAYS}/stage</code></h3>\n<p>✅ No new findings.</p>`);
    // Fixed: stage's privileged container, at its base revision line.
    expect(s).toMatch(
      /<h3>✅ 1 finding fixed<\/h3>\n<table><tr><th>Severity<\/th><th>Rule<\/th><th>Location \(base commit\)<\/th><th>Message<\/th><\/tr><tr><td>❌ error<\/td><td>(<a [^>]*>)?<code>no-privileged<\/code>/,
    );
    // Pre-existing: counted, listed in a collapsed block, not annotated.
    expect(s).toMatch(/<h3>\d+ pre-existing findings<\/h3>\n<details><summary>Unchanged since the base commit/);
    expect(s).toContain('<code>etcd-tls</code>');
    // The rendered diff: one block per affected target.
    expect(s).toContain(`### Rendered changes since \`${base.slice(0, 12)}\``);
    expect(s).toMatch(
      new RegExp(
        `<details><summary>${OVERLAYS}/dev: 0 added, 0 removed, 1 changed, \\d+ unchanged</summary>\\n\\n\`\`\`diff\\n--- a/StatefulSet/kube-system/cilium-etcd-0`,
      ),
    );
    expect(s).toContain('+      hostNetwork: false');
    expect(s).toContain(`<details><summary>${OVERLAYS}/stage: 0 added, 0 removed, 1 changed`);

    // SARIF: results carry baselineState, the fixed one as an absent result.
    const sarif = JSON.parse(readFileSync(path.join(repo.root, 'lint.sarif'), 'utf8'));
    const states = (sarif.runs[0].results as { ruleId: string; baselineState: string }[]).map((x) => `${x.ruleId}:${x.baselineState}`);
    expect(states).toContain('host-network:new');
    expect(states).toContain('no-privileged:absent');
    expect(states).toContain('etcd-tls:unchanged');
  });

  it('on a pull request that affects no overlay: passes with a notice and a summary line', () => {
    const { repo, base } = threeOverlays();
    repo.write('docs/notes.md', 'notes\n');
    repo.commit('docs only');
    const r = localAction({
      INPUT_PATH: `${OVERLAYS}/*`,
      'INPUT_WORKING-DIRECTORY': repo.root,
      GITHUB_WORKSPACE: repo.root,
      ...pullRequest(base),
    });
    expect(r.status, r.stdout.slice(-3000)).toBe(0);
    expect(commandLines(r.stdout).map(parseCommand)).toEqual([
      {
        kind: 'notice',
        properties: { title: 'cilium-etcd-lint' },
        message: `1 changed file since the base commit ${base.slice(0, 12)} affected no target of the "path" input (3 targets): nothing to lint.`,
      },
    ]);
    expect(r.summary).toContain('0 of 3 targets affected; 1 changed file affected no target: nothing to lint.');
    expect(r.outputs).toMatchObject({ errors: '0', warnings: '0', targets: '0', fatal: '0', affected: '0', 'sarif-file': '' });
  });

  it("on a push: lints every overlay with action.yml's defaults (changed-only: auto, fail-on: error)", () => {
    const { repo } = threeOverlays();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    const r = localAction({
      INPUT_PATH: `${OVERLAYS}/*`,
      'INPUT_WORKING-DIRECTORY': repo.root,
      GITHUB_WORKSPACE: repo.root,
      ...eventEnv('push', {}),
    });
    expect(r.status).toBe(1);
    expect(r.outputs).toMatchObject({ targets: '3', fatal: '0', affected: '', errors: '1' });
    expect(commandLines(r.stdout).filter((l) => l.startsWith('::error title=host-network,'))).toHaveLength(1);
    expect(r.summary).toContain('<p>3 targets linted, 0 could not be rendered, 0 excluded.</p>');
    expect(r.stdout).toContain('cilium-etcd-lint: failing the step (fail-on: error): 1 error(s)');
  });
});
