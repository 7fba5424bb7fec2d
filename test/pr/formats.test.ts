import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { cli, COMPONENT, fixtureRepo, gitFixtureRepo, OVERLAY, type Repo } from './support.ts';

/**
 * Fixes where reviewers click: rdjson (validated against reviewdog's published schema) and SARIF
 * `fixes` (validated by sarif-multitool with GitHub's rules).
 */

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const RDF = path.resolve(ROOT, '../shared/reference/reviewdog-rdf');
const STS = `${COMPONENT}/base/stateful_set.yaml`;
const PATCH = `${OVERLAY}/patches/stateful_set.yaml`;

/** A component broken in ways that have fixes (replacements, insertions, a line removal). */
function broken(): Repo {
  const repo = fixtureRepo();
  repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
  repo.edit(STS, '            allowPrivilegeEscalation: false\n', '');
  repo.edit(PATCH, 'prometheus.io/port: "12381"', 'prometheus.io/port: "2379"');
  repo.edit(PATCH, '        - name: etcd\n', '        - name: etcd\n          securityContext: { capabilities: { add: [NET_ADMIN] } }\n');
  repo.edit(`${COMPONENT}/argocd/application.yaml`, 'selfHeal: true', 'selfHeal: false');
  return repo;
}

describe('--format rdjson', () => {
  it('writes diagnostics with suggestions, columns in UTF-8 bytes, positions 1-based', () => {
    const repo = fixtureRepo();
    // Non-ASCII text before the fixed value on its line: its byte column differs from its UTF-16 one.
    repo.edit(
      PATCH,
      '      annotations:\n        prometheus.io/scrape: "true"\n        prometheus.io/port: "12381"\n',
      '      annotations: { note.example.com/ü€: "x", prometheus.io/scrape: "true", prometheus.io/port: "2379" }\n',
    );
    const r = cli(repo.root, ['-f', 'rdjson', OVERLAY]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    const d = doc.diagnostics.find((x: { code: { value: string } }) => x.code.value === 'prometheus-scrape');
    expect(d.location.path).toBe(PATCH);
    expect(d.severity).toBe('ERROR');
    const line = repo.read(PATCH).split('\n')[8]!;
    const bytes = Buffer.from(line);
    const at = bytes.indexOf('"2379"') + 1;
    expect(at).toBeGreaterThan(line.indexOf('"2379"') + 1); // the byte column is past the UTF-16 one
    expect(d.suggestions).toEqual([{ range: { start: { line: 9, column: at }, end: { line: 9, column: at + 6 } }, text: '"12381"' }]);
    expect(d.location.range.start).toEqual({ line: 9, column: bytes.indexOf('prometheus.io/port') + 1 });
  });

  it.skipIf(!existsSync(RDF))("validates against reviewdog's rdjson schema (DiagnosticResult.json)", () => {
    const repo = broken();
    const r = cli(repo.root, ['-f', 'rdjson', OVERLAY]);
    expect(r.code, r.stderr).toBe(1);
    const doc = JSON.parse(r.stdout);
    const schema = JSON.parse(readFileSync(path.join(RDF, 'DiagnosticResult.json'), 'utf8'));
    delete schema.$schema; // draft-04: the keywords used are the same in ajv's default draft
    const ajv = new Ajv({ strict: false, allErrors: true });
    const validate = ajv.compile(schema);
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    expect(doc.diagnostics.filter((d: { suggestions?: unknown[] }) => d.suggestions?.length).length).toBeGreaterThanOrEqual(4);
    // A suggestion's end is never before its start.
    for (const d of doc.diagnostics)
      for (const s of d.suggestions ?? [])
        expect(s.range.end.line * 1e6 + s.range.end.column).toBeGreaterThanOrEqual(s.range.start.line * 1e6 + s.range.start.column);
  });

  it('lists only the new findings under --base', () => {
    const repo = gitFixtureRepo();
    repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const doc = JSON.parse(cli(repo.root, ['-f', 'rdjson', '--base', 'main']).stdout);
    expect(doc.diagnostics.map((d: { code: { value: string } }) => d.code.value)).toEqual(['host-network']);
    expect(doc.diagnostics[0].suggestions).toEqual([
      { range: { start: { line: 27, column: 20 }, end: { line: 27, column: 25 } }, text: 'true' },
    ]);
  });
});

const PLATFORM_PACKAGE = `@microsoft/sarif-multitool-${process.platform}`;
const BIN = path.join(ROOT, 'node_modules', PLATFORM_PACKAGE, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');

function multitool(file: string): { errors: string[]; warnings: string[] } {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'cel-pr-sarif-validation-')), 'validation.sarif');
  const r = spawnSync(BIN, ['validate', '--rule-kind', 'Sarif;Ghas', '--output', out, file], {
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      http_proxy: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      NO_PROXY: '',
      no_proxy: '',
    },
  });
  expect(r.status, `${r.stdout}${r.stderr}`).toBe(0);
  const run = JSON.parse(readFileSync(out, 'utf8')).runs[0];
  const results: { level?: string; ruleId: string; message: { text?: string; id?: string; arguments?: string[] } }[] = run.results ?? [];
  const text = (x: (typeof results)[number]) =>
    `${x.ruleId} ${x.message.text ?? `${x.message.id} ${JSON.stringify(x.message.arguments ?? [])}`}`;
  return {
    errors: results.filter((x) => (x.level ?? 'warning') === 'error').map(text),
    warnings: results.filter((x) => (x.level ?? 'warning') === 'warning').map(text),
  };
}

describe('SARIF with fixes and baselineState', () => {
  it('carries fixes as artifactChanges at the responsible lines', () => {
    const repo = broken();
    const log = JSON.parse(cli(repo.root, ['-f', 'sarif', OVERLAY]).stdout);
    const withFix = log.runs[0].results.filter((r: { fixes?: unknown[] }) => r.fixes);
    expect(withFix.map((r: { ruleId: string }) => r.ruleId).sort()).toEqual([
      'argocd-automated-sync',
      'drop-all-capabilities',
      'etcd-listen-ports',
      'host-network',
      'no-privilege-escalation',
      'prometheus-scrape',
    ]);
    const host = withFix.find((r: { ruleId: string }) => r.ruleId === 'host-network');
    expect(host.fixes[0].artifactChanges[0]).toEqual({
      artifactLocation: { uri: STS, uriBaseId: '%SRCROOT%' },
      replacements: [{ deletedRegion: { startLine: 27, startColumn: 20, endLine: 27, endColumn: 25 }, insertedContent: { text: 'true' } }],
    });
  });

  it.skipIf(!existsSync(BIN))('passes sarif-multitool (Sarif;Ghas) with fixes, and with baselineState and absent results', () => {
    const repo = broken();
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cel-pr-sarif-')), 'fixes.sarif');
    writeFileSync(file, cli(repo.root, ['-f', 'sarif', OVERLAY]).stdout);
    const v = multitool(file);
    expect(v.errors).toEqual([]);
    expect(v.warnings).toEqual([]);

    const pr = gitFixtureRepo();
    pr.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    pr.edit(STS, '--listen-peer-urls=http://', '--listen-peer-urls=https://');
    const log = cli(pr.root, ['-f', 'sarif', '--base', 'main']).stdout;
    const states = JSON.parse(log)
      .runs[0].results.map((r: { baselineState: string }) => r.baselineState)
      .sort();
    expect(states).toEqual(['absent', 'new', 'unchanged', 'unchanged', 'unchanged', 'unchanged', 'unchanged']);
    const file2 = path.join(path.dirname(file), 'baseline.sarif');
    writeFileSync(file2, log);
    const v2 = multitool(file2);
    expect(v2.errors).toEqual([]);
    expect(v2.warnings).toEqual([]);
  });
});
