import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runAction } from './harness.ts';
import { addOverlay, COMPONENT, commandLines, fixtureRepo, parseCommand, spanOf } from './repo.ts';

/**
 * The action runs the one lint run every surface uses (src/lint/run.ts): several targets keep
 * going past one that cannot be rendered, exclusions are listed with their reason, and the
 * annotations, the job summary and the outputs say what happened to every target.
 */

const OVERLAYS = `${COMPONENT}/overlays`;

function twoOverlays() {
  const repo = fixtureRepo();
  addOverlay(repo, 'stage');
  return repo;
}

describe('several targets', () => {
  it('keep going past an overlay that cannot be rendered: a fatal annotation on its line, both in the summary, the counts, and a failed step', async () => {
    const repo = twoOverlays();
    const kfile = `${OVERLAYS}/stage/kustomization.yaml`;
    const at = spanOf(repo.edit(kfile, 'resources:', 'resourcse:'), 'resourcse:');
    const r = await runAction({ path: `${OVERLAYS}/*`, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root });

    const annotations = commandLines(r.stdout).map(parseCommand);
    const fatal = annotations.filter((a) => a.properties.title === 'fatal');
    expect(fatal).toHaveLength(1);
    expect(fatal[0]!.kind).toBe('error');
    expect(fatal[0]!.properties.file).toBe(kfile);
    expect(Number(fatal[0]!.properties.line)).toBe(at.line);
    expect(fatal[0]!.message).toContain('unknown kustomization field "resourcse"');
    // The other overlay was linted: its findings are annotated too.
    expect(annotations.some((a) => a.properties.title === 'etcd-tls')).toBe(true);

    expect(r.outputs).toMatchObject({ targets: '1', fatal: '1', excluded: '0', errors: '1', affected: '' });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`cilium-etcd-lint: failing the step: 1 target could not be rendered (${OVERLAYS}/stage).`);
    // The log's listing says it too.
    expect(r.stdout).toContain('1 target linted, 1 could not be rendered, 0 excluded');

    const s = r.summary;
    expect(s).toContain('<p>1 target linted, 1 could not be rendered, 0 excluded.</p>');
    expect(s).toContain('<h3>❌ 1 target could not be rendered</h3>');
    expect(s).toContain(
      `<tr><th>Overlay</th><th>Location</th><th>Cause</th></tr><tr><td><code>${OVERLAYS}/stage</code></td><td>${kfile}:${at.line}</td><td>unknown kustomization field &quot;resourcse&quot;`,
    );
    expect(s).toContain(`<td><code>${OVERLAYS}/dev</code></td><td>builtin</td><td>3</td>`);
    expect(s).toContain(`<h3><code>${OVERLAYS}/dev</code></h3>`);
  });

  it('fail the step on an unrenderable target even with fail-on: never', async () => {
    const repo = twoOverlays();
    repo.edit(`${OVERLAYS}/stage/kustomization.yaml`, 'resources:', 'resourcse:');
    const r = await runAction(
      { path: `${OVERLAYS}/dev\n${OVERLAYS}/stage`, 'working-directory': repo.root, 'fail-on': 'never' },
      { GITHUB_WORKSPACE: repo.root },
    );
    expect(r.outputs.fatal).toBe('1');
    expect(r.exitCode).toBe(1);
  });

  it('a glob matching one overlay is still a multi-target run: an unrenderable overlay is a fatal finding with outputs and a summary', async () => {
    const repo = fixtureRepo();
    repo.edit(`${OVERLAYS}/dev/kustomization.yaml`, 'resources:', 'resourcse:');
    const r = await runAction({ path: `${OVERLAYS}/*`, 'working-directory': repo.root }, { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    expect(
      commandLines(r.stdout)
        .map(parseCommand)
        .map((a) => a.properties.title),
    ).toEqual(['fatal']);
    expect(r.outputs).toMatchObject({ targets: '0', fatal: '1', errors: '1' });
    expect(r.summary).toContain('<p>0 targets linted, 1 could not be rendered, 0 excluded.</p>');
  });

  it("a single named overlay that cannot be rendered stays the run's error, with a summary saying so", async () => {
    const repo = fixtureRepo();
    repo.edit(`${OVERLAYS}/dev/kustomization.yaml`, 'resources:', 'resourcse:');
    const r = await runAction({ path: 'overlays/dev', 'working-directory': repo.abs(COMPONENT) }, { GITHUB_WORKSPACE: repo.root });
    expect(r.exitCode).toBe(1);
    expect(commandLines(r.stdout)).toHaveLength(1);
    expect(r.summary).toContain('<h2>❌ cilium-etcd-lint</h2>');
    expect(r.summary).toContain('The step could not lint: cilium-etcd-lint: fixtures/cilium-etcd/overlays/dev/kustomization.yaml:');
    expect(r.outputs).toEqual({});
  });
});

describe('exclusions', () => {
  it("the configuration's exclude (with its reason) and the exclude input leave targets out, listed in the summary and counted", async () => {
    const repo = twoOverlays();
    addOverlay(repo, 'prod');
    repo.edit(`${OVERLAYS}/stage/kustomization.yaml`, 'resources:', 'resourcse:');
    repo.write('.cilium-etcd-lint.yaml', `exclude:\n  - path: ${OVERLAYS}/stage\n    reason: being rebuilt <TICKET-9>\n`);
    const r = await runAction(
      { path: `${OVERLAYS}/*`, exclude: `${OVERLAYS}/pr*\n`, 'working-directory': repo.root },
      { GITHUB_WORKSPACE: repo.root },
    );
    // The unrenderable overlay is excluded: not rendered, not fatal, the step passes.
    expect(r.exitCode).toBeUndefined();
    expect(r.outputs).toMatchObject({ targets: '1', fatal: '0', excluded: '2', errors: '0' });
    const s = r.summary;
    expect(s).toContain('<p>1 target linted, 0 could not be rendered, 2 excluded.</p>');
    expect(s).toContain('<h3>2 targets excluded</h3>');
    expect(s).toContain(
      `<tr><td><code>${OVERLAYS}/prod</code></td><td>matches <code>${OVERLAYS}/pr*</code></td><td>the <code>exclude</code> input</td></tr>`,
    );
    expect(s).toContain(
      `<tr><td><code>${OVERLAYS}/stage</code></td><td>being rebuilt &lt;TICKET-9&gt;</td><td><code>.cilium-etcd-lint.yaml:2</code></td></tr>`,
    );
    expect(r.stdout).toContain('1 target linted, 0 could not be rendered, 2 excluded');
    expect(r.stdout).not.toContain('resourcse');
  });
});

describe('annotations of the run', () => {
  it('never annotate kubernetes-schema-missing (it stays in the log and the SARIF file)', async () => {
    const repo = fixtureRepo();
    repo.write(
      `${OVERLAYS}/dev/monitor.yaml`,
      'apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: cilium-etcd\nspec:\n  endpoints:\n    - port: metrics\n',
    );
    repo.edit(`${OVERLAYS}/dev/kustomization.yaml`, '  - ../../base\n', '  - ../../base\n  - monitor.yaml\n');
    const r = await runAction(
      { path: 'overlays/dev', 'working-directory': repo.abs(COMPONENT), 'sarif-file': 'lint.sarif' },
      { GITHUB_WORKSPACE: repo.root },
    );
    expect(r.stdout).toContain('kubernetes-schema-missing');
    expect(commandLines(r.stdout).filter((l) => l.includes('kubernetes-schema-missing'))).toEqual([]);
    const sarif = JSON.parse(readFileSync(r.outputs['sarif-file']!, 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('kubernetes-schema-missing');
  });

  it('carry no columns when they span several lines', async () => {
    const repo = fixtureRepo();
    const sts = `${COMPONENT}/base/stateful_set.yaml`;
    const text = repo.edit(
      sts,
      '            - --listen-client-urls=http://0.0.0.0:12379\n',
      '            - >-\n              --listen-client-urls=http://0.0.0.0:12379\n',
    );
    const at = spanOf(text, '>-');
    const r = await runAction({ path: 'overlays/dev', 'working-directory': repo.abs(COMPONENT) }, { GITHUB_WORKSPACE: repo.root });
    const listen = commandLines(r.stdout)
      .map(parseCommand)
      .find((a) => a.message.startsWith('--listen-client-urls'))!;
    expect(listen.properties).toEqual({ title: 'etcd-tls', file: sts, line: String(at.line), endLine: String(at.line + 1) });
    // A one-line annotation keeps its columns.
    const advertise = commandLines(r.stdout)
      .map(parseCommand)
      .find((a) => a.message.startsWith('--advertise-client-urls'))!;
    expect(advertise.properties.col).toBeDefined();
  });
});

describe('planSummary with fatal and excluded targets', () => {
  it('lists them within the budget, fatal ones first, and counts what it leaves out', async () => {
    const { planSummary } = await import('../../src/action/summary.ts');
    const fatal = Array.from({ length: 40 }, (_, i) => {
      const location = { file: `/r/o${i}/kustomization.yaml`, line: 3, column: 1, endLine: 3, endColumn: 9 };
      return {
        path: `o${i}`,
        error: Object.assign(new Error('x'), { location }) as never,
        finding: { ruleId: 'fatal', severity: 'error' as const, message: `broken <${i}>`, location, fatal: true as const, target: `o${i}` },
      };
    });
    const excluded = Array.from({ length: 40 }, (_, i) => ({
      path: `x${i}`,
      reason: `reason ${i}`,
      by: { file: '/r/.cilium-etcd-lint.yaml', line: i + 2, column: 5, endLine: i + 2, endColumn: 9 },
    }));
    const run = { repoMode: true, results: [], fatal, excluded };
    const plan = planSummary(run, { root: '/r', env: {}, helpUri: () => undefined, version: '1', budget: 3000 });
    const html = plan.parts.map((p) => (p.kind === 'raw' ? p.html : JSON.stringify(p.rows))).join('\n');
    expect(html).toContain('<p>0 targets linted, 40 could not be rendered, 40 excluded.</p>');
    expect(html).toContain('broken &lt;0&gt;');
    expect(html).toContain('o0/kustomization.yaml:3');
    const note = /<b>Summary truncated:<\/b> (\d+) more findings? and (\d+) more excluded targets? are not listed here/.exec(html);
    expect(note).not.toBeNull();
    const listedFatal = (html.match(/broken &lt;/g) ?? []).length;
    expect(listedFatal + Number(note![1])).toBe(40);
    expect(Number(note![2])).toBe(40);
    expect(plan.bytes).toBeLessThan(3000 + 600);
  });
});
