import { spawnSync } from 'node:child_process';
import { accessSync, chmodSync, constants, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { COMPONENT, FIXTURE, fixtureRepo, type Repo } from '../action/repo.ts';

/**
 * Microsoft's SARIF validator (npm @microsoft/sarif-multitool), with the SARIF rules and GitHub's
 * ingestion rules (GH1xxx): `Sarif.Multitool validate --rule-kind "Sarif;Ghas" FILE`, run directly
 * (through npx the `;` would reach a shell).
 */
const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PLATFORM_PACKAGE = `@microsoft/sarif-multitool-${process.platform}`;
const BIN = path.join(ROOT, 'node_modules', PLATFORM_PACKAGE, process.platform === 'win32' ? 'Sarif.Multitool.exe' : 'Sarif.Multitool');

interface Validation {
  errors: string[];
  warnings: string[];
  console: string;
}

function validate(file: string): Validation {
  const out = path.join(mkdtempSync(path.join(tmpdir(), 'cel-sarif-validation-')), 'validation.sarif');
  const r = spawnSync(BIN, ['validate', '--rule-kind', 'Sarif;Ghas', '--output', out, file], {
    encoding: 'utf8',
    timeout: 180_000,
    env: {
      ...process.env,
      // A .NET program: without ICU on the machine it must run with invariant globalization.
      DOTNET_SYSTEM_GLOBALIZATION_INVARIANT: '1',
      DOTNET_CLI_TELEMETRY_OPTOUT: '1',
      // SARIF2006 (a note) fetches every URI in the log; a dead local proxy keeps the test offline
      // and fast (the notes it then reports are not errors or warnings).
      HTTP_PROXY: 'http://127.0.0.1:9',
      HTTPS_PROXY: 'http://127.0.0.1:9',
      NO_PROXY: '',
      http_proxy: 'http://127.0.0.1:9',
      https_proxy: 'http://127.0.0.1:9',
      no_proxy: '',
    },
  });
  const console = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error) throw r.error;
  expect(r.status, console).toBe(0);
  expect(console).toContain('Analysis completed successfully');
  const run = JSON.parse(readFileSync(out, 'utf8')).runs[0];
  const rules: { id: string; defaultConfiguration?: { level?: string } }[] = run.tool.driver.rules ?? [];
  const levelOf = (res: { level?: string; ruleId: string; ruleIndex?: number }) =>
    res.level ??
    (res.ruleIndex !== undefined ? rules[res.ruleIndex] : rules.find((x) => x.id === res.ruleId))?.defaultConfiguration?.level ??
    'warning';
  const describe = (res: { ruleId: string; message: { text?: string; id?: string; arguments?: string[] } }) =>
    `${res.ruleId} ${res.message.text ?? `${res.message.id} ${JSON.stringify(res.message.arguments ?? [])}`}`;
  const results = run.results ?? [];
  return {
    errors: results.filter((x: any) => levelOf(x) === 'error').map(describe),
    warnings: results.filter((x: any) => levelOf(x) === 'warning').map(describe),
    console,
  };
}

function cliSarif(argv: string[], cwd: string, env: Record<string, string> = {}, stdin = ''): string {
  let stdout = '';
  let stderr = '';
  const code = main({
    argv: ['-f', 'sarif', ...argv],
    cwd,
    env,
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => stdin,
  });
  expect(code, stderr).toBeLessThan(2);
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cel-sarif-')), 'lint.sarif');
  writeFileSync(file, stdout);
  return file;
}

/** A copy of the fixture that breaks invariants of every kind: rendered objects, the Application, a patch with no effect. */
function brokenRepo(): Repo {
  const repo = fixtureRepo();
  repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'hostNetwork: true', 'hostNetwork: false');
  repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'privileged: false', 'privileged: true');
  repo.edit(`${COMPONENT}/overlays/dev/patches/stateful_set.yaml`, 'prometheus.io/port: "12381"', 'prometheus.io/port: "2379"');
  repo.edit(`${COMPONENT}/argocd/application.yaml`, 'selfHeal: true', 'selfHeal: false');
  repo.edit(
    `${COMPONENT}/overlays/dev/kustomization.yaml`,
    'patches:\n',
    'patches:\n  - target:\n      kind: Deployment\n      name: nothing\n    patch: |-\n      - op: add\n        path: /metadata/labels/x\n        value: y\n',
  );
  return repo;
}

beforeAll(() => {
  expect(
    existsSync(BIN),
    `${BIN} is missing: npm ci installs ${PLATFORM_PACKAGE} (an optional dependency of @microsoft/sarif-multitool)`,
  ).toBe(true);
  try {
    accessSync(BIN, constants.X_OK);
  } catch {
    // npm runs the package's `chmod u+x` only when its install script is allowed (package.json allowScripts).
    chmodSync(BIN, 0o755);
  }
});

describe('SARIF validates under sarif-multitool (Sarif;Ghas)', { timeout: 180_000 }, () => {
  it('catches what GitHub would reject (the check can fail)', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cel-sarif-')), 'bad.sarif');
    writeFileSync(
      file,
      JSON.stringify({
        $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
        version: '2.1.0',
        runs: [{ tool: { driver: { name: 'x' } }, results: [] }],
      }),
    );
    const v = validate(file);
    expect(v.errors.some((e) => e.startsWith('GH1018 '))).toBe(true);
  });

  it('suppressed findings (annotation: inSource, exemption: external): no errors, no warnings', () => {
    const repo = brokenRepo();
    repo.edit(
      `${COMPONENT}/base/stateful_set.yaml`,
      '  name: cilium-etcd-0\n',
      '  name: cilium-etcd-0\n  annotations:\n    cilium-etcd-lint.io/ignore: "host-network: testing suppressions"\n',
    );
    repo.write(
      '.cilium-etcd-lint.yaml',
      'exemptions:\n  - rule: no-privileged\n    resource: { kind: StatefulSet, name: cilium-etcd-0 }\n    reason: accepted for the test\n',
    );
    const file = cliSarif([repo.abs(`${COMPONENT}/overlays/dev`)], repo.root);
    const results = JSON.parse(readFileSync(file, 'utf8')).runs[0].results as { ruleId: string; suppressions?: { kind: string }[] }[];
    expect(
      results
        .filter((r) => r.suppressions)
        .map((r) => [r.ruleId, r.suppressions![0]!.kind])
        .sort(),
    ).toEqual([
      ['host-network', 'inSource'],
      ['no-privileged', 'external'],
    ]);
    const v = validate(file);
    expect(v.errors, v.console).toEqual([]);
    expect(v.warnings, v.console).toEqual([]);
  });

  it('passing fixture: no errors, no warnings', () => {
    const repo = fixtureRepo();
    const file = cliSarif([repo.abs(`${COMPONENT}/overlays/dev`)], repo.root);
    expect(JSON.parse(readFileSync(file, 'utf8')).runs[0].results.length).toBeGreaterThan(0);
    const v = validate(file);
    expect(v.errors, v.console).toEqual([]);
    expect(v.warnings, v.console).toEqual([]);
  });

  it('failing fixture (errors, warnings, Application and render findings): no errors, no warnings', () => {
    const repo = brokenRepo();
    const file = cliSarif([repo.abs(`${COMPONENT}/overlays/dev`)], repo.root, {
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/platform',
      GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
      GITHUB_REF_NAME: 'main',
    });
    const results = JSON.parse(readFileSync(file, 'utf8')).runs[0].results as { ruleId: string; level: string }[];
    const ids = new Set(results.map((r) => r.ruleId));
    for (const id of ['host-network', 'no-privileged', 'argocd-automated-sync', 'render', 'etcd-tls']) expect(ids).toContain(id);
    expect(results.some((r) => r.level === 'error')).toBe(true);
    const v = validate(file);
    expect(v.errors, v.console).toEqual([]);
    expect(v.warnings, v.console).toEqual([]);
  });

  it('files outside the root, stdin and no git repository: no errors, no warnings', () => {
    const repo = brokenRepo();
    // Files outside the root (absolute file: URIs).
    const outside = cliSarif([repo.abs(`${COMPONENT}/overlays/dev`)], repo.root, { GITHUB_WORKSPACE: repo.abs(`${COMPONENT}/overlays`) });
    // Not inside a git repository: the `argocd` info finding (level note).
    const bare = mkdtempSync(path.join(tmpdir(), 'cel-nogit-'));
    cpSync(FIXTURE, bare, { recursive: true });
    const noGit = cliSarif([path.join(bare, 'overlays/dev')], bare);
    expect(readFileSync(noGit, 'utf8')).toContain('"ruleId": "argocd"');
    // A stream on stdin (locations in `<stdin>`).
    const stdin = cliSarif(['-'], repo.root, {}, readFileSync(repo.abs(`${COMPONENT}/base/stateful_set.yaml`), 'utf8'));
    for (const file of [outside, noGit, stdin]) {
      const v = validate(file);
      expect(v.errors, `${file}\n${v.console}`).toEqual([]);
      expect(v.warnings, `${file}\n${v.console}`).toEqual([]);
    }
  });

  it("the bundled action's sarif-file: no errors, no warnings", () => {
    const repo = brokenRepo();
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-sarif-action-'));
    const outputs = path.join(dir, 'outputs');
    writeFileSync(outputs, '');
    const r = spawnSync(process.execPath, [path.join(ROOT, 'dist/index.js')], {
      cwd: repo.root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH ?? '',
        GITHUB_WORKSPACE: repo.root,
        GITHUB_OUTPUT: outputs,
        'INPUT_WORKING-DIRECTORY': COMPONENT,
        INPUT_PATH: 'overlays/dev',
        'INPUT_SARIF-FILE': 'results.sarif',
        'INPUT_FAIL-ON': 'never',
      },
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const v = validate(repo.abs(`${COMPONENT}/results.sarif`));
    expect(v.errors, v.console).toEqual([]);
    expect(v.warnings, v.console).toEqual([]);
  });
});
