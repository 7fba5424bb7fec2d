import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../src/action/main.ts';
import { main } from '../../src/cli/main.ts';
import { addBrokenMembers, COMPONENT, commandLines, fixtureRepo, parseCommand, parseOutputs, spanOf, type Repo } from './repo.ts';

/**
 * The committed bundle, run as the runner runs a `node24` action (here with the Node.js running
 * the tests: the bundle targets Node 20, which the CLI still supports): `node dist/index.js` in the
 * workspace, every input of action.yml in the environment as INPUT_<NAME> (upper case, hyphens
 * kept), defaults included, plus GITHUB_WORKSPACE, GITHUB_STEP_SUMMARY and GITHUB_OUTPUT.
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BUNDLE = path.join(ROOT, 'dist/index.js');
const action = parse(readFileSync(path.join(ROOT, 'action.yml'), 'utf8')) as {
  inputs: Record<string, { default?: string }>;
  outputs: Record<string, unknown>;
  runs: { using: string; main: string };
};

function runBundle(repo: Repo, inputs: Record<string, string>, env: Record<string, string> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'cel-dist-'));
  const summary = path.join(dir, 'summary.md');
  const output = path.join(dir, 'output.txt');
  writeFileSync(summary, '');
  writeFileSync(output, '');
  const inputEnv: Record<string, string> = {};
  for (const [name, spec] of Object.entries(action.inputs)) inputEnv[`INPUT_${name.toUpperCase()}`] = inputs[name] ?? spec.default ?? '';
  const r = spawnSync(process.execPath, [BUNDLE], {
    cwd: repo.root,
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      GITHUB_ACTIONS: 'true',
      NO_COLOR: '1',
      GITHUB_WORKSPACE: repo.root,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_OUTPUT: output,
      ...inputEnv,
      ...env,
    },
  });
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    summary: readFileSync(summary, 'utf8'),
    outputs: parseOutputs(readFileSync(output, 'utf8')),
  };
}

function cliJson(repo: Repo) {
  let out = '';
  main({
    argv: ['-f', 'json', repo.abs(`${COMPONENT}/overlays/dev`)],
    cwd: repo.root,
    env: {},
    stdout: (s) => (out += s),
    stderr: () => {},
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return JSON.parse(out) as {
    findings: { ruleId: string; severity: string; message: string; location: { file: string; line: number } }[];
    summary: { errors: number; warnings: number };
  };
}

describe('action.yml', () => {
  it('is a node24 JavaScript action whose main is the bundle', () => {
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(Object.keys(action.outputs).sort()).toEqual([
      'affected',
      'errors',
      'excluded',
      'fatal',
      'fixed',
      'new-errors',
      'new-warnings',
      'sarif-file',
      'targets',
      'warnings',
    ]);
  });
  it('declares the defaults run() applies to unset inputs', () => {
    const declared = Object.fromEntries(Object.entries(action.inputs).map(([k, v]) => [k, v.default ?? '']));
    expect(declared).toEqual({ ...DEFAULTS });
  });
});

describe("the Action's documentation (docs/github-action.md)", () => {
  const doc = readFileSync(path.join(ROOT, 'docs/github-action.md'), 'utf8');
  const section = doc.slice(0, doc.indexOf('## Without the action'));
  it('documents every input with its default, every output, and the runtime', () => {
    for (const [name, spec] of Object.entries(action.inputs)) {
      const row = section.split('\n').find((l) => l.startsWith(`| \`${name}\` |`));
      expect(row, name).toBeDefined();
      const cell = row!.split('|').map((c) => c.trim())[2]!;
      expect(cell.replace(/^`|`$/g, '').replace(/^''$/, ''), name).toBe(spec.default ?? '');
    }
    for (const name of Object.keys(action.outputs)) expect(section, name).toMatch(new RegExp(`^\\| [^|]*\`${name}\``, 'm'));
    expect(section).toContain(`\`runs.using: ${action.runs.using}\``);
  });
  it('shows a workflow with the checkout depth changed-only needs and current major versions', () => {
    const workflow = parse(section.slice(section.indexOf('```yaml\n') + 8, section.indexOf('```\n', section.indexOf('```yaml\n')))) as {
      jobs: { lint: { steps: { uses: string; with?: Record<string, unknown> }[] } };
    };
    const steps = workflow.jobs.lint.steps;
    expect(steps[0]).toEqual({ uses: 'actions/checkout@v6', with: { 'fetch-depth': 0 } });
    expect(steps.map((s) => s.uses)).toContain('github/codeql-action/upload-sarif@v4');
    expect(section).toContain('fetch-depth: 0');
  });
});

describe('dist/index.js as the runner runs it', () => {
  it('annotates each finding of a broken fixture with exact, escaped, repository-root-relative commands', () => {
    const repo = fixtureRepo();
    const sts = `${COMPONENT}/base/stateful_set.yaml`;
    const stsText = repo.edit(sts, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const patch = `${COMPONENT}/overlays/dev/patches/tls,off:100%.yaml`;
    repo.write(
      patch,
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\nspec:\n  template:\n    spec:\n      hostNetwork: false\n',
    );
    repo.edit(
      `${COMPONENT}/overlays/dev/kustomization.yaml`,
      '  - path: patches/stateful_set.yaml\n',
      '  - path: patches/stateful_set.yaml\n  - path: "patches/tls,off:100%.yaml"\n',
    );
    const ro = spanOf(stsText, 'readOnlyRootFilesystem: false');
    const hn = spanOf(repo.read(patch), 'hostNetwork: false');

    const r = runBundle(repo, { 'working-directory': COMPONENT, path: 'overlays/dev', 'sarif-file': 'out/lint.sarif' });
    expect(r.stderr).toBe('');
    const lines = commandLines(r.stdout);
    // Errors first, in report order (by file, then line).
    expect(lines.slice(0, 2)).toEqual([
      `::error title=read-only-root-filesystem,file=${sts},line=${ro.line},endLine=${ro.line},col=${ro.column},endColumn=${ro.endColumn}::Container "etcd" must run with a read-only root filesystem`,
      `::error title=host-network,file=fixtures/cilium-etcd/overlays/dev/patches/tls%2Coff%3A100%25.yaml,line=${hn.line},endLine=${hn.line},col=${hn.column},endColumn=${hn.endColumn}::StatefulSet "cilium-etcd-0" must set spec.template.spec.hostNetwork: true`,
    ]);
    // One annotation per finding, the same findings the CLI reports.
    const expected = cliJson(repo);
    expect(lines).toHaveLength(expected.findings.length);
    const annotated = lines.map(parseCommand).map((a) => `${a.properties.title} ${a.properties.file}:${a.properties.line} ${a.message}`);
    expect(annotated.sort()).toEqual(expected.findings.map((f) => `${f.ruleId} ${f.location.file}:${f.location.line} ${f.message}`).sort());

    expect(r.status).toBe(1);
    expect(r.outputs).toEqual({
      errors: '2',
      warnings: String(expected.summary.warnings),
      'sarif-file': repo.abs(`${COMPONENT}/out/lint.sarif`),
      targets: '1',
      fatal: '0',
      excluded: '0',
      affected: '',
      // Not a pull request: no base to compare with, so the baseline counts are empty.
      'new-errors': '',
      'new-warnings': '',
      fixed: '',
    });
    expect(JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8')).runs[0].results).toHaveLength(lines.length);
    expect(r.summary).toContain('<td><code>overlays/dev</code></td><td>builtin</td><td>3</td><td>2</td>');
    expect(r.summary).toContain(`<td>fixtures/cilium-etcd/overlays/dev/patches/tls,off:100%.yaml:${hn.line}</td>`);
    expect(r.summary).toContain(`<td>${sts}:${ro.line}</td>`);
  });

  it("prints the same workflow commands as the CLI's --format github", () => {
    const repo = fixtureRepo();
    repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'privileged: false', 'privileged: true');
    const r = runBundle(repo, { 'working-directory': COMPONENT });
    let cli = '';
    main({
      argv: ['-f', 'github', repo.abs(`${COMPONENT}/overlays/dev`)],
      cwd: repo.abs(COMPONENT),
      env: { GITHUB_WORKSPACE: repo.root },
      stdout: (s) => (cli += s),
      stderr: () => {},
      stdoutIsTty: false,
      readStdin: () => '',
    });
    expect(commandLines(r.stdout)).toEqual(cli.trimEnd().split('\n'));
    expect(cli).toMatch(/^::error title=no-privileged,file=fixtures\/cilium-etcd\/base\/stateful_set\.yaml,line=\d+,/m);
  });

  it('shows 10 of 25 errors and one overflow notice', () => {
    const repo = fixtureRepo();
    addBrokenMembers(repo, 25);
    expect(cliJson(repo).summary.errors).toBe(25);
    const r = runBundle(repo, { 'working-directory': COMPONENT });
    const lines = commandLines(r.stdout);
    expect(lines.filter((l) => l.startsWith('::error '))).toHaveLength(10);
    const notices = lines.filter((l) => l.startsWith('::notice '));
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(
      /^::notice title=cilium-etcd-lint::\d+ more findings \(15 errors, \d+ warnings?, 0 infos\) are not annotated: GitHub shows at most 10 errors, 10 warnings and 10 notices per step\. See the job summary, and this step's log for the full list\.$/,
    );
    expect(lines.at(-1)).toBe(notices[0]);
    expect(r.outputs.errors).toBe('25');
    expect(r.status).toBe(1);
    // The summary lists all 25 errors.
    expect(r.summary.match(/<tr><td>❌ error<\/td>/g)).toHaveLength(25);
  });

  it('honours fail-on: never passes with errors, warning fails on warnings', () => {
    const broken = fixtureRepo();
    broken.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
    expect(runBundle(broken, { 'working-directory': COMPONENT, 'fail-on': 'never' }).status).toBe(0);
    expect(runBundle(broken, { 'working-directory': COMPONENT, 'fail-on': 'error' }).status).toBe(1);
    const clean = fixtureRepo();
    const warned = runBundle(clean, { 'working-directory': COMPONENT, 'fail-on': 'warning' });
    expect(warned.outputs.errors).toBe('0');
    expect(Number(warned.outputs.warnings)).toBeGreaterThan(0);
    expect(warned.status).toBe(1);
    expect(runBundle(clean, { 'working-directory': COMPONENT, 'fail-on': 'error' }).status).toBe(0);
  });

  it('keeps going past an overlay that cannot be rendered (several paths): annotations, summary and outputs for the whole run', () => {
    const repo = fixtureRepo();
    cpSync(repo.abs(`${COMPONENT}/overlays/dev`), repo.abs(`${COMPONENT}/overlays/stage`), { recursive: true });
    repo.edit(`${COMPONENT}/overlays/stage/kustomization.yaml`, 'resources:', 'resourcse:');
    const r = runBundle(repo, { path: `${COMPONENT}/overlays/*` });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(1);
    const annotations = commandLines(r.stdout).map(parseCommand);
    expect(annotations.filter((a) => a.properties.title === 'fatal').map((a) => a.properties.file)).toEqual([
      `${COMPONENT}/overlays/stage/kustomization.yaml`,
    ]);
    expect(annotations.some((a) => a.properties.title === 'etcd-tls')).toBe(true);
    expect(r.outputs).toMatchObject({ targets: '1', fatal: '1', excluded: '0', affected: '' });
    expect(r.summary).toContain('<p>1 target linted, 1 could not be rendered, 0 excluded.</p>');
    expect(r.summary).toContain(`<td><code>${COMPONENT}/overlays/stage</code></td>`);
  });

  it('reads the configuration named by the config input, and fails on a missing one', () => {
    const repo = fixtureRepo();
    const missing = runBundle(repo, { 'working-directory': COMPONENT, config: 'lint.yaml' });
    expect(missing.status).toBe(1);
    expect(commandLines(missing.stdout)).toEqual(['::error::cilium-etcd-lint: configuration file lint.yaml: no such file']);
    repo.write(`${COMPONENT}/lint.yaml`, 'rules:\n  etcd-tls: off\n  argocd-manifest-generate-paths-missing: off\n  etcd-backup: off\n');
    const r = runBundle(repo, { 'working-directory': COMPONENT, config: 'lint.yaml', 'fail-on': 'warning' });
    expect(r.outputs.warnings).toBe('0');
    expect(r.status).toBe(0);
  });
});
