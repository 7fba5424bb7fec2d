import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import type { Finding, Severity } from '../../src/engine/types.ts';
import { escapeData, escapeProperty, formatGithub, planAnnotations, workflowCommand } from '../../src/report/github.ts';
import { COMPONENT, fixtureRepo, spanOf } from '../action/repo.ts';

function finding(severity: Severity, i: number, file = `base/f${i}.yaml`): Finding {
  return {
    ruleId: `rule-${severity}`,
    severity,
    message: `${severity} ${i}`,
    location: { file, line: i, column: 2, endLine: i, endColumn: 9 },
  };
}

describe('escaping (as the Actions toolkit escapes)', () => {
  it('data: % then CR and LF', () => {
    expect(escapeData('100% done\r\nnext: a,b')).toBe('100%25 done%0D%0Anext: a,b');
    expect(escapeData('%0A')).toBe('%250A');
  });
  it('properties: also : and ,', () => {
    expect(escapeProperty('dir/a,b:c%d\n.yaml')).toBe('dir/a%2Cb%3Ac%25d%0A.yaml');
  });
});

describe('workflowCommand', () => {
  it('writes properties in the toolkit order and leaves out empty ones', () => {
    expect(
      workflowCommand({
        kind: 'warning',
        message: 'm',
        properties: { title: 't', file: 'f.yaml', startLine: 3, endLine: 4, startColumn: 5, endColumn: 6 },
      }),
    ).toBe('::warning title=t,file=f.yaml,line=3,endLine=4,col=5,endColumn=6::m');
    expect(workflowCommand({ kind: 'notice', message: 'a\nb', properties: {} })).toBe('::notice::a%0Ab');
    expect(workflowCommand({ kind: 'error', message: 'x', properties: { title: 'r' } })).toBe('::error title=r::x');
  });
});

describe('planAnnotations', () => {
  it('keeps everything when no kind exceeds 10', () => {
    const all = [...Array.from({ length: 10 }, (_, i) => finding('info', i)), ...Array.from({ length: 10 }, (_, i) => finding('error', i))];
    const plan = planAnnotations(all);
    expect(plan.hidden).toEqual([]);
    expect(plan.shown.map((f) => f.severity)).toEqual([...Array(10).fill('error'), ...Array(10).fill('info')]);
  });
  it('shows 10 errors and 10 warnings, keeps a notice slot for the overflow notice, most severe first', () => {
    const errors = Array.from({ length: 25 }, (_, i) => finding('error', i));
    const warnings = Array.from({ length: 3 }, (_, i) => finding('warning', i));
    const infos = Array.from({ length: 12 }, (_, i) => finding('info', i));
    const plan = planAnnotations([...infos, ...warnings, ...errors]);
    expect(plan.shown).toEqual([...errors.slice(0, 10), ...warnings, ...infos.slice(0, 9)]);
    expect(plan.hidden).toEqual([...errors.slice(10), ...infos.slice(9)]);
  });
});

describe('formatGithub', () => {
  it('prints the overflow notice, then the dropped findings as plain log lines', () => {
    const errors = Array.from({ length: 12 }, (_, i) => finding('error', i + 1));
    const out = formatGithub(errors).split('\n');
    expect(out.slice(0, 10).every((l) => l.startsWith('::error title=rule-error,file=base/f'))).toBe(true);
    expect(out[10]).toBe(
      "::notice title=cilium-etcd-lint::2 more findings (2 errors, 0 warnings, 0 infos) are not annotated: GitHub shows at most 10 errors, 10 warnings and 10 notices per step. They are listed in this step's log.",
    );
    expect(out.slice(11)).toEqual([
      'base/f11.yaml:11:2  error  error 11  rule-error',
      'base/f12.yaml:12:2  error  error 12  rule-error',
      '',
    ]);
  });
  it('prints nothing without findings', () => {
    expect(formatGithub([])).toBe('');
  });
  it('puts a location outside the repository into the message', () => {
    expect(formatGithub([finding('warning', 3, '../other/x.yaml')])).toBe('::warning title=rule-warning::../other/x.yaml:3:2: warning 3\n');
    expect(formatGithub([finding('info', 1, '<stdin>')])).toBe('::notice title=rule-info::<stdin>:1:2: info 1\n');
  });
});

describe('cilium-etcd-lint --format github', () => {
  function cli(argv: string[], cwd: string, env: Record<string, string> = {}) {
    let stdout = '';
    const code = main({ argv, cwd, env, stdout: (s) => (stdout += s), stderr: () => {}, stdoutIsTty: false, readStdin: () => '' });
    return { code, stdout };
  }

  it('locates files from the repository root, whatever the working directory', () => {
    const repo = fixtureRepo();
    const text = repo.edit(`${COMPONENT}/base/stateful_set.yaml`, 'readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false');
    const at = spanOf(text, 'readOnlyRootFilesystem: false');
    // The repository root is found from the working directory (.git), or is GITHUB_WORKSPACE.
    for (const r of [
      cli(['-f', 'github', repo.abs(`${COMPONENT}/overlays/dev`)], repo.abs(`${COMPONENT}/overlays`)),
      cli(['-f', 'github', repo.abs(`${COMPONENT}/overlays/dev`)], '/', { GITHUB_WORKSPACE: repo.root }),
    ]) {
      expect(r.code).toBe(1);
      expect(r.stdout.split('\n')[0]).toBe(
        `::error title=read-only-root-filesystem,file=${COMPONENT}/base/stateful_set.yaml,line=${at.line},endLine=${at.line},col=${at.column},endColumn=${at.endColumn}::Container "etcd" must run with a read-only root filesystem`,
      );
    }
  });

  it('is listed in --help (from the registry of formats)', () => {
    expect(cli(['--help'], '/').stdout).toMatch(/-f, --format <name> {6}github, json, junit, rdjson, sarif, stylish \(default stylish\)/);
  });
});
