import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';
import { collectFindings, collectSuppressed, displayPath } from './summary.ts';

/** What a multi-target run did with its targets: `N targets linted, M could not be rendered, K excluded`. */
export interface TargetCounts {
  linted: number;
  fatal: number;
  excluded: number;
}

export function targetCounts(run: LintRun): TargetCounts {
  return { linted: run.results.length, fatal: run.fatal.length, excluded: run.excluded.length };
}

const plural = (n: number, w: string): string => `${n} ${w}${n === 1 ? '' : 's'}`;

export function targetCountsLine(c: TargetCounts): string {
  return `${plural(c.linted, 'target')} linted, ${c.fatal} could not be rendered, ${c.excluded} excluded`;
}

/** A run over a change: the line that says how many changed files affected no target (none: undefined). */
export function changesLine(run: LintRun): string | undefined {
  const c = run.changes;
  if (!c || c.unaffecting === 0) return undefined;
  const all = c.unaffecting === c.files;
  return `${plural(c.unaffecting, 'changed file')} affected no target${all && run.results.length + run.fatal.length + run.excluded.length === 0 ? ': nothing to lint' : ''}`;
}

/** The closing lines of a multi-target run in the text formats: what a change did not affect, then the target counts. */
export function closingLines(run: LintRun): string {
  const change = changesLine(run);
  return `${change ? `${change}\n` : ''}${targetCountsLine(targetCounts(run))}\n`;
}

/**
 * The findings of a run (each target's, and the fatal ones), paths relative to `base`,
 * de-duplicated and sorted. `byTarget` tags each with its target (stylish and JSON group by it in
 * repo mode; GitHub and SARIF list a finding of a shared base once).
 */
export function runFindings(run: LintRun, base: string, byTarget: boolean): { findings: Finding[]; suppressed: SuppressedFinding[] } {
  const tagged = byTarget
    ? run.results.map((r) => ({
        ...r,
        findings: r.findings.map((f) => ({ ...f, target: r.path })),
        suppressed: r.suppressed?.map((f) => ({ ...f, target: r.path })),
      }))
    : run.results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, target: undefined })) }));
  const fatal = {
    path: '',
    renderer: 'builtin' as const,
    resources: 0,
    findings: run.fatal.map((t) => (byTarget ? t.finding : { ...t.finding, target: undefined })),
  };
  const strip = (f: Finding): Finding => {
    if (f.target !== undefined) return f;
    const { target: _t, ...rest } = f;
    return rest;
  };
  const findings = collectFindings([...tagged, fatal], base).map(strip);
  const suppressed = collectSuppressed(tagged, base);
  return { findings, suppressed };
}

/** The excluded targets as users see them: path relative to `base`, the reason, where the exclusion is. */
export function excludedList(run: LintRun, base: string): { path: string; reason: string; by: string }[] {
  return run.excluded.map((e) => ({
    path: e.path,
    reason: e.reason,
    by: e.by === '--exclude' ? '--exclude' : `${displayPath(e.by.file, base)}:${e.by.line}`,
  }));
}
