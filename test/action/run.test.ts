import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { planSummary } from '../../src/action/summary.ts';
import type { Finding } from '../../src/engine/types.ts';
import { runAction } from './harness.ts';
import { addBrokenMembers, addManyBrokenResources, COMPONENT, commandLines, fixtureRepo, parseCommand, spanOf, type Repo } from './repo.ts';

const STS = `${COMPONENT}/base/stateful_set.yaml`;
const OVERLAY = 'overlays/dev';

/** The findings as the CLI's JSON reports them, paths relative to the repository root. */
function cliFindings(
  repo: Repo,
  overlay = `${COMPONENT}/${OVERLAY}`,
): { findings: (Finding & { location: Finding['location'] })[]; summary: { errors: number; warnings: number; infos: number } } {
  let out = '';
  main({
    argv: ['-f', 'json', path.join(repo.root, overlay)],
    cwd: repo.root,
    env: {},
    stdout: (s) => (out += s),
    stderr: () => {},
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return JSON.parse(out);
}

/** Inputs as a workflow would give them: the overlay relative to the component directory. */
function inputsFor(repo: Repo, extra: Record<string, string> = {}): Record<string, string> {
  return { path: OVERLAY, 'working-directory': repo.abs(COMPONENT), ...extra };
}

describe('annotations', () => {
  it('annotate every finding of the clean fixture once, on repository-root-relative paths, and pass', async () => {
    const repo = fixtureRepo();
    const expected = cliFindings(repo);
    expect(expected.summary.errors).toBe(0);
    expect(expected.findings.length).toBeGreaterThan(0);
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBeUndefined();
    const annotations = commandLines(r.stdout).map(parseCommand);
    expect(annotations.map((a) => [a.kind, a.properties.title, a.properties.file, Number(a.properties.line), a.message])).toEqual(
      expected.findings.map((f) => [f.severity === 'info' ? 'notice' : f.severity, f.ruleId, f.location.file, f.location.line, f.message]),
    );
    // Relative to the repository root, not to working-directory (which is the component).
    for (const a of annotations) expect(a.properties.file!.startsWith(`${COMPONENT}/`)).toBe(true);
    // Not a pull request: no baseline, so the new-* and fixed outputs are empty.
    expect(r.outputs).toEqual({
      errors: '0',
      warnings: String(expected.summary.warnings),
      'sarif-file': '',
      targets: '1',
      fatal: '0',
      excluded: '0',
      affected: '',
      'new-errors': '',
      'new-warnings': '',
      fixed: '',
    });
  });

  it('emits the exact workflow command for a broken invariant, with line and columns of the source', async () => {
    const repo = fixtureRepo();
    const text = repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const at = spanOf(text, 'hostNetwork: false');
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    expect(commandLines(r.stdout)).toContain(
      `::error title=host-network,file=${STS},line=${at.line},endLine=${at.line},col=${at.column},endColumn=${at.endColumn}::StatefulSet "cilium-etcd-0" must set spec.template.spec.hostNetwork: true`,
    );
    expect(r.exitCode).toBe(1);
    expect(r.outputs.errors).toBe('1');
  });

  it('escapes % CR LF in messages and also : and , in properties', async () => {
    const repo = fixtureRepo();
    const patch = `${COMPONENT}/overlays/dev/patches/mirror,50%:off.yaml`;
    repo.write(
      patch,
      'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\nspec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          image: "evil.example/etcd%41:v1\\r\\nnext"\n',
    );
    repo.edit(
      `${COMPONENT}/overlays/dev/kustomization.yaml`,
      '  - path: patches/stateful_set.yaml\n',
      '  - path: patches/stateful_set.yaml\n  - path: "patches/mirror,50%:off.yaml"\n',
    );
    const at = spanOf(repo.read(patch), 'image: "evil.example/etcd%41:v1\\r\\nnext"');
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    const file = 'fixtures/cilium-etcd/overlays/dev/patches/mirror%2C50%25%3Aoff.yaml';
    const lines = commandLines(r.stdout);
    expect(lines).toContain(
      `::error title=image-digest,file=${file},line=${at.line},endLine=${at.line},col=${at.column},endColumn=${at.endColumn}::Image "evil.example/etcd%2541:v1%0D%0Anext" of container "etcd" is not pinned by digest (@sha256:<64 hex digits>)`,
    );
    expect(lines).toContain(
      `::error title=image-registry,file=${file},line=${at.line},endLine=${at.line},col=${at.column},endColumn=${at.endColumn}::Image "evil.example/etcd%2541:v1%0D%0Anext" of container "etcd" must come from ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd (found evil.example/etcd%2541)`,
    );
    // Read back, the escaped command gives the original path and message.
    const parsed = lines.map(parseCommand).find((a) => a.properties.title === 'image-digest')!;
    expect(parsed.properties.file).toBe(patch);
    expect(parsed.message).toContain('evil.example/etcd%41:v1\r\nnext');
  });

  it('shows 10 of 25 errors, most severe first, then one notice saying how many more and where', async () => {
    const repo = fixtureRepo();
    addBrokenMembers(repo, 25);
    const expected = cliFindings(repo);
    expect(expected.summary.errors).toBe(25);
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    const annotations = commandLines(r.stdout).map(parseCommand);
    const kinds = annotations.map((a) => a.kind);
    expect(kinds.filter((k) => k === 'error')).toHaveLength(10);
    expect(kinds.filter((k) => k === 'warning')).toHaveLength(Math.min(10, expected.summary.warnings));
    expect(kinds.filter((k) => k === 'notice')).toHaveLength(1);
    // Errors, then warnings, then the overflow notice last.
    expect(kinds).toEqual([...kinds].sort((a, b) => ['error', 'warning', 'notice'].indexOf(a) - ['error', 'warning', 'notice'].indexOf(b)));
    expect(kinds.at(-1)).toBe('notice');
    const hiddenWarnings = expected.summary.warnings - Math.min(10, expected.summary.warnings);
    const hidden = 15 + hiddenWarnings;
    expect(annotations.at(-1)!.properties.title).toBe('cilium-etcd-lint');
    expect(annotations.at(-1)!.message).toBe(
      `${hidden} more findings (15 errors, ${hiddenWarnings} warning${hiddenWarnings === 1 ? '' : 's'}, 0 infos) are not annotated: GitHub shows at most 10 errors, 10 warnings and 10 notices per step. See the job summary, and this step's log for the full list.`,
    );
    // The shown errors are the first ten in report order.
    const errors = expected.findings.filter((f) => f.severity === 'error');
    expect(annotations.filter((a) => a.kind === 'error').map((a) => Number(a.properties.line))).toEqual(
      errors.slice(0, 10).map((f) => f.location.line),
    );
    // Every finding is still in the step log.
    for (const f of errors) expect(r.stdout).toContain(`${f.location.file}:${f.location.line}:${f.location.column}  error`);
    expect(r.outputs.errors).toBe('25');
  });

  it('places a file outside the repository root in the message, not in a file property', async () => {
    const repo = fixtureRepo();
    repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    // The workspace is overlays/: the base the finding points into lies outside it.
    const workspace = repo.abs(`${COMPONENT}/overlays`);
    const r = await runAction({ path: 'dev', 'working-directory': workspace }, { GITHUB_WORKSPACE: workspace });
    const hostNetwork = commandLines(r.stdout)
      .map(parseCommand)
      .find((a) => a.properties.title === 'host-network')!;
    expect(hostNetwork.properties.file).toBeUndefined();
    expect(hostNetwork.message).toMatch(/^\.\.\/base\/stateful_set\.yaml:\d+:\d+: StatefulSet "cilium-etcd-0" must set/);
  });
});

describe('fail-on', () => {
  async function exitFor(failOn: string, breakIt: 'error' | 'warning-only') {
    const repo = fixtureRepo();
    if (breakIt === 'error') repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const r = await runAction(inputsFor(repo, { 'fail-on': failOn }), { GITHUB_WORKSPACE: repo.root });
    return r;
  }
  it('error (the default) fails on an error and passes on warnings only', async () => {
    const failed = await exitFor('error', 'error');
    expect(failed.exitCode).toBe(1);
    expect(failed.stdout).toContain('cilium-etcd-lint: failing the step (fail-on: error): 1 error(s)');
    // The failure message is not an annotation: it would be dropped past the tenth error.
    expect(
      commandLines(failed.stdout)
        .filter((l) => l.startsWith('::error'))
        .every((l) => !l.includes('failing the step')),
    ).toBe(true);
    expect((await exitFor('error', 'warning-only')).exitCode).toBeUndefined();
  });
  it('warning fails on warnings too', async () => {
    const r = await exitFor('warning', 'warning-only');
    expect(Number(r.outputs.errors)).toBe(0);
    expect(Number(r.outputs.warnings)).toBeGreaterThan(0);
    expect(r.exitCode).toBe(1);
  });
  it('never passes even with errors, and still annotates them', async () => {
    const r = await exitFor('never', 'error');
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs.errors).toBe('1');
    expect(commandLines(r.stdout).some((l) => l.startsWith('::error title=host-network,'))).toBe(true);
  });
  it('rejects an unknown value', async () => {
    const r = await exitFor('sometimes', 'warning-only');
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)).toEqual([
      '::error::cilium-etcd-lint: the "fail-on" input must be error, warning or never (got "sometimes")',
    ]);
  });
});

describe('inputs', () => {
  it('honours the config input: severities, exemptions (listed in the log) and a broken config on its line', async () => {
    const repo = fixtureRepo();
    repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    // Without a configuration: the broken invariant fails the step.
    expect((await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root })).exitCode).toBe(1);
    repo.write(
      'lint/cilium-etcd-lint.yaml',
      'rules:\n  etcd-tls: off\nexemptions:\n  - rule: host-network\n    resource: { kind: StatefulSet, name: cilium-etcd-0 }\n    reason: migrating to a CNI-managed network (TICKET-1)\n',
    );
    const r = await runAction(inputsFor(repo, { config: '../../lint/cilium-etcd-lint.yaml' }), { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs.errors).toBe('0');
    expect(r.stdout).toContain('cilium-etcd-lint: configuration lint/cilium-etcd-lint.yaml');
    expect(r.stdout).toContain('1 finding suppressed (1 by exemption, 0 by annotation)');
    expect(r.summary).toContain('<p>1 finding suppressed (1 by exemption, 0 by annotation); see the step log.</p>');
    expect(r.stdout).not.toMatch(/etcd-tls/);

    repo.write('lint/cilium-etcd-lint.yaml', 'rulez:\n  etcd-tls: off\n');
    const bad = await runAction(inputsFor(repo, { config: '../../lint/cilium-etcd-lint.yaml' }), { GITHUB_WORKSPACE: repo.root });
    expect(bad.exitCode).toBe(1);
    const lines = commandLines(bad.stdout);
    expect(lines).toEqual([
      '::error title=cilium-etcd-lint,file=lint/cilium-etcd-lint.yaml,line=1,col=1::cilium-etcd-lint: lint/cilium-etcd-lint.yaml:1:1: invalid configuration: unknown field "rulez"; did you mean "rules"?',
    ]);
  });

  it('annotates each deprecated rule id of the configuration on its line', async () => {
    const repo = fixtureRepo();
    repo.write('lint/cilium-etcd-lint.yaml', 'rules:\n  etcd-tls: off\nlockedRules:\n  - host-network\n  - baseline-no-privileged\n');
    const r = await runAction(inputsFor(repo, { config: '../../lint/cilium-etcd-lint.yaml' }), { GITHUB_WORKSPACE: repo.root });
    const warnings = commandLines(r.stdout)
      .map(parseCommand)
      .filter((c) => c.kind === 'warning' && c.message.includes('deprecated'));
    expect(warnings.map((w) => [w.properties.file, w.properties.line, w.message])).toEqual([
      [
        'lint/cilium-etcd-lint.yaml',
        '5',
        'cilium-etcd-lint: lockedRules: "baseline-no-privileged" is deprecated: write no-privileged (the lock holds for no-privileged)',
      ],
    ]);
  });

  it('refuses code rules unless allow-code-rules is set (a pull request can edit the configuration)', async () => {
    const repo = fixtureRepo();
    repo.write(`${COMPONENT}/.cilium-etcd-lint.yaml`, 'customRules:\n  modules: [./no-op.mjs]\n');
    repo.write(
      `${COMPONENT}/no-op.mjs`,
      "export default { meta: { type: 'problem', docs: { description: 'Nothing.' }, defaultSeverity: 'error', schema: {}, defaultOptions: {}, messages: { x: 'x' } }, check() {} };\n",
    );
    const refused = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    expect(refused.exitCode).toBe(1);
    expect(commandLines(refused.stdout)[0]).toContain('code rules are not loaded here (./no-op.mjs)');
    const allowed = await runAction(inputsFor(repo, { 'allow-code-rules': 'true' }), { GITHUB_WORKSPACE: repo.root });
    expect(allowed.exitCode).toBeUndefined();
  });

  it('lints every overlay named in path, one per line, and de-duplicates shared findings in the totals', async () => {
    const repo = fixtureRepo();
    const dev = cliFindings(repo);
    const r = await runAction(inputsFor(repo, { path: `${OVERLAY}\n\n${OVERLAY}\n` }), { GITHUB_WORKSPACE: repo.root });
    expect(r.outputs.warnings).toBe(String(dev.summary.warnings));
    expect(r.summary.match(/<h3><code>overlays\/dev<\/code><\/h3>/g)).toHaveLength(2);
    expect(r.summary).toContain('<b>Total</b>');
  });

  it('defaults path to overlays/dev relative to working-directory', async () => {
    const repo = fixtureRepo();
    const r = await runAction({ 'working-directory': repo.abs(COMPONENT) }, { GITHUB_WORKSPACE: repo.root });
    expect(r.summary).toContain('<td><code>overlays/dev</code></td><td>builtin</td>');
  });

  it('argocd: false skips the Application checks', async () => {
    const repo = fixtureRepo();
    repo.edit(`${COMPONENT}/argocd/application.yaml`, 'selfHeal: true', 'selfHeal: false');
    const withApp = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    expect(commandLines(withApp.stdout).some((l) => l.includes('title=argocd-automated-sync'))).toBe(true);
    const without = await runAction(inputsFor(repo, { argocd: 'false' }), { GITHUB_WORKSPACE: repo.root });
    expect(commandLines(without.stdout).some((l) => l.includes('title=argocd-'))).toBe(false);
    const bad = await runAction(inputsFor(repo, { argocd: 'maybe' }), { GITHUB_WORKSPACE: repo.root });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toContain('::error::cilium-etcd-lint: Input does not meet YAML 1.2 "Core Schema" specification: argocd');
  });

  it('rejects the github format for the log (annotations are always emitted)', async () => {
    const repo = fixtureRepo();
    const r = await runAction(inputsFor(repo, { format: 'github' }), { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('::error::cilium-etcd-lint: the "format" input must be stylish, json or sarif (got "github")');
  });

  it('prints the JSON listing with format: json', async () => {
    const repo = fixtureRepo();
    const r = await runAction(inputsFor(repo, { format: 'json' }), { GITHUB_WORKSPACE: repo.root });
    const json = r.stdout.slice(r.stdout.indexOf('{\n'), r.stdout.indexOf('\n}\n') + 2);
    const doc = JSON.parse(json);
    expect(doc.version).toBe(1);
    expect(doc.findings.length).toBe(commandLines(r.stdout).length);
  });

  it('writes SARIF where sarif-file says (relative to working-directory) and outputs its absolute path', async () => {
    const repo = fixtureRepo();
    repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const r = await runAction(inputsFor(repo, { 'sarif-file': 'reports/lint.sarif' }), { GITHUB_WORKSPACE: repo.root });
    const file = repo.abs(`${COMPONENT}/reports/lint.sarif`);
    expect(r.outputs['sarif-file']).toBe(file);
    const sarif = JSON.parse(readFileSync(file, 'utf8'));
    const results = sarif.runs[0].results;
    expect(results).toHaveLength(commandLines(r.stdout).length);
    const hostNetwork = results.find((x: { ruleId: string }) => x.ruleId === 'host-network');
    expect(hostNetwork.locations[0].physicalLocation.artifactLocation).toEqual({ uri: STS, uriBaseId: '%SRCROOT%' });
  });

  it('reports an unrenderable input on its file and line and fails', async () => {
    const repo = fixtureRepo();
    repo.edit(`${COMPONENT}/overlays/dev/kustomization.yaml`, 'resources:', 'resourcse:');
    const at = spanOf(repo.read(`${COMPONENT}/overlays/dev/kustomization.yaml`), 'resourcse:');
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    const lines = commandLines(r.stdout);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toBe(
      `::error title=cilium-etcd-lint,file=${COMPONENT}/overlays/dev/kustomization.yaml,line=${at.line},col=${at.column}::cilium-etcd-lint: ${COMPONENT}/overlays/dev/kustomization.yaml:${at.line}:${at.column}: unknown kustomization field "resourcse"`,
    );
  });

  it('fails when working-directory does not exist', async () => {
    const repo = fixtureRepo();
    const r = await runAction({ 'working-directory': repo.abs('nope') }, { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)[0]).toMatch(/^::error::cilium-etcd-lint: working-directory ".*nope" is not a directory$/);
  });
});

describe('job summary', () => {
  const RUNNER = {
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/platform',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
  };

  it('has totals, the renderer, and a table per overlay with linked locations', async () => {
    const repo = fixtureRepo();
    const text = repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const at = spanOf(text, 'hostNetwork: false');
    const expected = cliFindings(repo);
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root, ...RUNNER });
    const s = r.summary;
    expect(s).toContain('<h2>❌ cilium-etcd-lint</h2>');
    expect(s).toContain(`<p>1 error, ${expected.summary.warnings} warnings, 0 infos in 1 overlay (cilium-etcd-lint 0.0.0-dev).</p>`);
    expect(s).toContain(
      `<tr><th>Overlay</th><th>Renderer</th><th>Resources</th><th>Errors</th><th>Warnings</th><th>Infos</th></tr><tr><td><code>overlays/dev</code></td><td>builtin</td><td>3</td><td>1</td><td>${expected.summary.warnings}</td><td>0</td></tr>`,
    );
    expect(s).toContain('<tr><th>Severity</th><th>Rule</th><th>Location</th><th>Message</th></tr>');
    expect(s).toContain(
      `<tr><td>❌ error</td><td><a href="https://github.com/cilium-etcd-lint/cilium-etcd-lint/blob/main/rules/host-network.md"><code>host-network</code></a></td>` +
        `<td><a href="https://github.com/acme/platform/blob/${RUNNER.GITHUB_SHA}/${STS}#L${at.line}">${STS}:${at.line}</a></td>` +
        `<td>StatefulSet &quot;cilium-etcd-0&quot; must set spec.template.spec.hostNetwork: true</td></tr>`,
    );
    // One row per finding; the error first.
    expect(s.match(/<tr><td>/g)!.length - 1).toBe(expected.findings.length);
    expect(s.indexOf('❌ error</td>')).toBeLessThan(s.indexOf('⚠️ warning</td>'));
  });

  it('stays under 1 MiB on a large run, saying how many findings it leaves out', async () => {
    const repo = fixtureRepo();
    addManyBrokenResources(repo, 300);
    const expected = cliFindings(repo);
    const r = await runAction(inputsFor(repo, { 'fail-on': 'never' }), { GITHUB_WORKSPACE: repo.root, ...RUNNER });
    const bytes = Buffer.byteLength(r.summary);
    expect(bytes).toBeLessThan(1024 * 1024);
    const listed = r.summary.match(/<tr><td>[^<]*(error|warning|info)<\/td>/g)!.length;
    const omitted = Number(/<b>Summary truncated:<\/b> (\d+) more findings are not listed here/.exec(r.summary)![1]);
    expect(listed + omitted).toBe(expected.findings.length);
    expect(omitted).toBeGreaterThan(0);
    // The log has them all.
    expect(r.stdout).toContain(`(${expected.summary.errors} errors, ${expected.summary.warnings} warnings, 0 infos)`);
  });

  it('is not written when GITHUB_STEP_SUMMARY is unset', async () => {
    const repo = fixtureRepo();
    const r = await runAction(inputsFor(repo), { GITHUB_WORKSPACE: repo.root, GITHUB_STEP_SUMMARY: '' });
    expect(r.stdout).toContain('GITHUB_STEP_SUMMARY is not set: no job summary written.');
    expect(r.exitCode).toBeUndefined();
  });
});

describe('planSummary truncation', () => {
  const f = (i: number): Finding => ({
    ruleId: 'host-network',
    severity: i % 3 === 0 ? 'error' : 'warning',
    message: `message <${i}> & more`,
    location: { file: `base/f${String(i).padStart(3, '0')}.yaml`, line: i, column: 1, endLine: i, endColumn: 5 },
  });
  it('fits the budget exactly as core.summary renders it, errors first, and counts what it leaves out', () => {
    const findings = Array.from({ length: 200 }, (_, i) => f(i + 1));
    const run = {
      repoMode: false,
      results: [{ path: 'overlays/dev', renderer: 'builtin' as const, resources: 1, findings }],
      fatal: [],
      excluded: [],
    };
    const ctx = { root: '/r', env: {}, helpUri: () => undefined, version: '1.2.3', budget: 6000 };
    const plan = planSummary(run, ctx);
    const html = plan.parts
      .map((p) =>
        p.kind === 'raw'
          ? `${p.html}\n`
          : `<table>${p.rows.map((r) => `<tr>${r.map((c) => (typeof c === 'string' ? `<td>${c}</td>` : `<th>${c.data}</th>`)).join('')}</tr>`).join('')}</table>\n`,
      )
      .join('');
    expect(Buffer.byteLength(html)).toBe(plan.bytes);
    const rows = html.match(/<tr><td>(❌ error|⚠️ warning)<\/td>/g)!.length;
    expect(plan.omitted).toBe(200 - rows);
    expect(plan.omitted).toBeGreaterThan(0);
    expect(html).toContain(`${plan.omitted} more findings are not listed here`);
    // Bytes before the note stay within the budget.
    expect(plan.bytes - Buffer.byteLength(html.slice(html.indexOf('<p><b>Summary truncated')))).toBeLessThanOrEqual(6000);
    // Errors come first, so the rows kept are errors.
    expect(html).toContain('message &lt;3&gt; &amp; more');
    expect(html).not.toContain('⚠️ warning');
  });
});

it('the action entry point exists only as a call to run()', () => {
  const index = readFileSync(new URL('../../src/action/index.ts', import.meta.url), 'utf8');
  const code = index.split('\n').filter((l) => l.trim() && !l.trim().startsWith('//'));
  expect(code).toEqual(["import { run } from './main.ts';", 'await run();']);
  expect(existsSync(new URL('../../dist/index.js', import.meta.url))).toBe(true);
});

it('only src/action/** imports @actions/core', () => {
  const offenders: string[] = [];
  const walk = (dir: URL, rel: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.isDirectory()) walk(new URL(`${e.name}/`, dir), `${rel}${e.name}/`);
      else if (e.name.endsWith('.ts') && /['"]@actions\//.test(readFileSync(new URL(e.name, dir), 'utf8')))
        offenders.push(`${rel}${e.name}`);
    }
  };
  walk(new URL('../../src/', import.meta.url), 'src/');
  walk(new URL('../../rules/', import.meta.url), 'rules/');
  expect(offenders.filter((f) => !f.startsWith('src/action/'))).toEqual([]);
  expect(offenders).toContain('src/action/main.ts');
});

describe('glob patterns in the path input', () => {
  it('expand to every matching overlay (repo mode), and fail the step when none matches', async () => {
    const repo = fixtureRepo();
    const all = await runAction({ path: 'fixtures/cilium-*/overlays/*', 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root });
    const one = await runAction({ path: `${COMPONENT}/${OVERLAY}`, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root });
    expect(all.exitCode, all.stdout.slice(0, 2000)).toBeUndefined();
    // The component's overlay is among the matches: its findings are all annotated.
    for (const line of commandLines(one.stdout)) expect(commandLines(all.stdout)).toContain(line);
    const none = await runAction({ path: 'nowhere/*/overlays', 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root });
    expect(none.exitCode).toBe(1);
    expect(none.stdout).toContain('the "path" input nowhere/*/overlays matches no directory');
  });
});
