import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding } from '../engine/types.ts';
import type { Formatter } from './formatter.ts';
import { closingLines, excludedList, runFindings } from './run-summary.ts';
import { displayPath, summarize } from './summary.ts';
import type { LintRun } from '../lint/run.ts';

const byName = (a: string | undefined, b: string | undefined): number =>
  a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : a > b ? 1 : 0;

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/**
 * `--format stylish`: the findings (grouped per target in repo mode), then in repo mode the excluded
 * targets and a line counting what happened to the targets. Paths relative to the working directory.
 */
export const stylishFormatter: Formatter = (run, ctx) => {
  const { findings, suppressed } = runFindings(run, ctx.cwd, run.repoMode);
  if (run.baseline) return baselineStylish(run, findings, suppressed, ctx.cwd, ctx.color);
  let out = formatStylish(findings, ctx.color, suppressed);
  if (!run.repoMode) return out;
  const dim = paint(ctx.color, '2');
  for (const e of excludedList(run, ctx.cwd)) out += `${e.path}  ${dim('excluded')}  ${e.reason}  ${dim(`(${e.by})`)}\n`;
  return `${out}${closingLines(run)}`;
};

/**
 * `--base`: the new findings first (as usual, grouped by target), then the count of unchanged
 * (pre-existing) ones, then the findings the change fixed (absent from the working tree), each on
 * its base-revision line.
 */
function baselineStylish(
  run: LintRun,
  findings: readonly Finding[],
  suppressed: readonly SuppressedFinding[],
  cwd: string,
  color: boolean,
): string {
  const b = run.baseline!;
  const dim = paint(color, '2');
  const green = paint(color, '32');
  const fresh = findings.filter((f) => f.baseline !== 'unchanged');
  let out = formatStylish(fresh, color, suppressed, 'new problem');
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const unchanged = findings.length - fresh.length;
  out += `${plural(unchanged, 'pre-existing finding')} unchanged since ${b.ref} (not shown; --format json lists them)\n`;
  if (b.absent.length) {
    out += `${plural(b.absent.length, 'finding')} fixed since ${b.ref}:\n`;
    for (const f of b.absent)
      out += `  ${displayPath(f.location.file, cwd)}:${f.location.line}:${f.location.column}  ${green('fixed')}  ${f.message}  ${dim(f.ruleId)}${f.target ? `  ${dim(`(${f.target})`)}` : ''}\n`;
  }
  for (const e of excludedList(run, cwd)) out += `${e.path}  ${dim('excluded')}  ${e.reason}  ${dim(`(${e.by})`)}\n`;
  return `${out}${closingLines(run)}`;
}

/** ESLint-style lines: `file:line:col  severity  message  ruleId`, then a summary line (`noun`: what is counted, default "problem"). */
export function formatStylish(
  findings: readonly Finding[],
  color: boolean,
  suppressed: readonly SuppressedFinding[] = [],
  noun = 'problem',
): string {
  const red = paint(color, '31');
  const yellow = paint(color, '33');
  const blue = paint(color, '34');
  const dim = paint(color, '2');
  const bold = paint(color, '1');
  const line = (f: Finding) => {
    const sev = f.severity === 'error' ? red('error') : f.severity === 'warning' ? yellow('warning') : blue('info');
    return `${f.location.file}:${f.location.line}:${f.location.column}  ${sev}  ${f.message}  ${dim(f.ruleId)}`;
  };
  // Findings about one ArgoCD Application's render are grouped under its name (the others first, ungrouped).
  const byApplication = (list: readonly Finding[], indent: string): string[] => {
    const groups = new Map<string | undefined, Finding[]>();
    for (const f of list) {
      const g = groups.get(f.application);
      if (g) g.push(f);
      else groups.set(f.application, [f]);
    }
    return [...groups.keys()]
      .sort(byName)
      .flatMap((app) =>
        app === undefined
          ? groups.get(app)!.map((f) => `${indent}${line(f)}`)
          : [`${indent}${bold(`Application ${app}`)}`, ...groups.get(app)!.map((f) => `${indent}  ${line(f)}`)],
      );
  };
  // Repo mode: findings are tagged with their target and grouped under it, sorted by target.
  const targets = new Map<string, Finding[]>();
  for (const f of findings) if (f.target !== undefined) (targets.get(f.target) ?? targets.set(f.target, []).get(f.target)!).push(f);
  const lines = [
    ...byApplication(
      findings.filter((f) => f.target === undefined),
      '',
    ),
    ...[...targets].sort(([a], [b]) => byName(a, b)).flatMap(([t, list]) => [bold(t), ...byApplication(list, '  ')]),
  ];
  const s = summarize(findings);
  const total = s.errors + s.warnings + s.infos;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  // Suppressions are never silent: each is listed with its reason, and counted on its own line.
  const sup = suppressed.map(
    (f) =>
      `${f.location.file}:${f.location.line}:${f.location.column}  ${dim('suppressed')}  ${f.message}  ${dim(f.ruleId)}  ${dim(`(${f.suppression.kind} ${f.suppression.location.file}:${f.suppression.location.line}: ${f.suppression.reason})`)}`,
  );
  const supLine = suppressed.length
    ? `${plural(suppressed.length, 'finding')} suppressed (${suppressed.filter((f) => f.suppression.kind === 'exemption').length} by exemption, ${suppressed.filter((f) => f.suppression.kind === 'annotation').length} by annotation)`
    : '';
  const supBlock = sup.length ? `${sup.join('\n')}\n\n` : '';
  if (total === 0) return `${supBlock}${bold(`✔ no ${noun}s`)}\n${supLine ? `${supLine}\n` : ''}`;
  const tail = `${plural(total, noun)} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')})`;
  const mark = s.errors ? red('✖') : s.warnings ? yellow('⚠') : blue('ℹ');
  return `${lines.join('\n')}\n\n${supBlock}${bold(`${mark} ${tail}`)}\n${supLine ? `${supLine}\n` : ''}`;
}
