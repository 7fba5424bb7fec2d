import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding, Severity } from '../engine/types.ts';
import { isInsideRoot } from './repo-root.ts';
import type { Formatter } from './formatter.ts';
import { closingLines, excludedList, runFindings } from './run-summary.ts';
import { summarize } from './summary.ts';

/**
 * GitHub Actions workflow commands (`::error file=...,line=...::message`).
 *
 * GitHub shows at most 10 error, 10 warning and 10 notice annotations per step and drops the rest
 * without a word, so findings are annotated most severe first, at most 10 of each kind, and one
 * notice says how many more there are. That notice is itself a notice: when it is needed, info
 * findings get 9 notices, not 10.
 */

export const ANNOTATIONS_PER_KIND = 10;

export type AnnotationKind = 'error' | 'warning' | 'notice';

/** The fields of an annotation, named as `@actions/core`'s `AnnotationProperties` name them. */
export interface AnnotationProperties {
  title?: string;
  file?: string;
  startLine?: number;
  endLine?: number;
  startColumn?: number;
  endColumn?: number;
}

export interface Annotation {
  kind: AnnotationKind;
  message: string;
  properties: AnnotationProperties;
}

const KIND: Record<Severity, AnnotationKind> = { error: 'error', warning: 'warning', info: 'notice' };
const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** A command's message: `%`, CR and LF are percent-encoded. */
export function escapeData(s: string): string {
  return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A command property's value: as data, and also `:` and `,` (they delimit properties). */
export function escapeProperty(s: string): string {
  return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * One finding as an annotation. `file` is the finding's path when it lies inside the repository
 * root it was made relative to; a finding elsewhere (or on stdin) cannot be placed on a file, so
 * its location leads the message instead.
 */
export function toAnnotation(finding: Finding): Annotation {
  // A finding about one ArgoCD Application's render names it.
  const f =
    finding.application !== undefined ? { ...finding, message: `[Application ${finding.application}] ${finding.message}` } : finding;
  const loc = f.location;
  if (!isInsideRoot(loc.file)) {
    return { kind: KIND[f.severity], message: `${loc.file}:${loc.line}:${loc.column}: ${f.message}`, properties: { title: f.ruleId } };
  }
  // @actions/core's contract: columns only for an annotation on one line (GitHub ignores them otherwise).
  const columns = loc.endLine === loc.line ? { startColumn: loc.column, endColumn: loc.endColumn } : {};
  return {
    kind: KIND[f.severity],
    message: f.message,
    properties: { title: f.ruleId, file: loc.file, startLine: loc.line, endLine: loc.endLine, ...columns },
  };
}

/**
 * Findings that are no annotation: `kubernetes-schema-missing` says a kind was not checked, which
 * is about the tool's reach, not a line of the pull request (it stays in the log, SARIF and JSON).
 */
export function annotates(f: Finding): boolean {
  return f.ruleId !== 'kubernetes-schema-missing';
}

export interface AnnotationPlan {
  /** Findings to annotate, most severe first (each severity in report order). */
  shown: Finding[];
  /** Findings GitHub would drop, in the same order. */
  hidden: Finding[];
}

/** Chooses which findings become annotations within GitHub's per-step limits. */
export function planAnnotations(findings: readonly Finding[], perKind = ANNOTATIONS_PER_KIND): AnnotationPlan {
  const ordered = findings
    .map((f, i) => ({ f, i }))
    .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.i - b.i)
    .map((x) => x.f);
  const take = (sev: Severity, n: number) => ordered.filter((f) => f.severity === sev).slice(0, n);
  const over = (sev: Severity, n: number) => ordered.filter((f) => f.severity === sev).length > n;
  const overflow = over('error', perKind) || over('warning', perKind) || over('info', perKind);
  // The overflow notice takes one notice slot.
  const shown = [...take('error', perKind), ...take('warning', perKind), ...take('info', overflow ? perKind - 1 : perKind)];
  const isShown = new Set(shown);
  return { shown, hidden: ordered.filter((f) => !isShown.has(f)) };
}

/** The notice that stands for the findings GitHub would drop; `where` says where to read them. */
export function overflowNotice(hidden: readonly Finding[], where: string): Annotation {
  const s = summarize(hidden);
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  const message =
    `${plural(hidden.length, 'more finding')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')}) ` +
    `${hidden.length === 1 ? 'is' : 'are'} not annotated: GitHub shows at most ${ANNOTATIONS_PER_KIND} errors, ${ANNOTATIONS_PER_KIND} warnings and ${ANNOTATIONS_PER_KIND} notices per step. ${where}`;
  return { kind: 'notice', message, properties: { title: 'cilium-etcd-lint' } };
}

/** The annotations for a run: the planned findings, then the overflow notice when needed. */
export function annotationsFor(findings: readonly Finding[], where: string): { annotations: Annotation[]; hidden: Finding[] } {
  const plan = planAnnotations(findings);
  const annotations = plan.shown.map(toAnnotation);
  if (plan.hidden.length) annotations.push(overflowNotice(plan.hidden, where));
  return { annotations, hidden: plan.hidden };
}

/**
 * The workflow command for an annotation. Properties come in the order the Actions toolkit writes
 * them (title, file, line, endLine, col, endColumn), and empty ones are left out as it leaves them
 * out, so `--format github` prints exactly what the action emits.
 */
export function workflowCommand(a: Annotation): string {
  const p = a.properties;
  const props: [string, string | number | undefined][] = [
    ['title', p.title],
    ['file', p.file],
    ['line', p.startLine],
    ['endLine', p.endLine],
    ['col', p.startColumn],
    ['endColumn', p.endColumn],
  ];
  const list = props.filter(([, v]) => v !== undefined && v !== '' && v !== 0).map(([k, v]) => `${k}=${escapeProperty(String(v))}`);
  return `::${a.kind}${list.length ? ` ${list.join(',')}` : ''}::${escapeData(a.message)}`;
}

/**
 * `--format github`: one workflow command per annotated finding, the overflow notice, and the
 * findings GitHub would drop as plain log lines (`file:line:col  severity  message  ruleId`), so
 * the step log has every finding. Paths are relative to the repository root.
 */
export function formatGithub(findings: readonly Finding[], suppressed: readonly SuppressedFinding[] = []): string {
  const { annotations, hidden } = annotationsFor(findings.filter(annotates), "They are listed in this step's log.");
  const lines = annotations.map(workflowCommand);
  for (const f of [...hidden, ...findings.filter((g) => !annotates(g))]) {
    lines.push(`${f.location.file}:${f.location.line}:${f.location.column}  ${f.severity}  ${oneLine(f.message)}  ${f.ruleId}`);
  }
  // Suppressed findings are not annotations (they do not fail anything) but are never silent.
  if (suppressed.length) lines.push(`${suppressed.length} suppressed finding${suppressed.length === 1 ? '' : 's'}:`);
  for (const f of suppressed) {
    const s = f.suppression;
    lines.push(
      `${f.location.file}:${f.location.line}:${f.location.column}  suppressed  ${oneLine(f.message)}  ${f.ruleId}  (${s.kind} ${s.location.file}:${s.location.line}: ${oneLine(s.reason)})`,
    );
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
}

/** A plain log line must stay one line (and must not be read as a workflow command). */
function oneLine(s: string): string {
  return s.replace(/\r\n|\r|\n/g, ' ');
}

/** `--format github`: `formatGithub` over a run, paths relative to the repository root; in repo mode, then the excluded targets and the target counts as log lines. */
export const githubFormatter: Formatter = (run, ctx) => {
  const { findings, suppressed } = runFindings(run, ctx.root, false);
  let out = formatGithub(findings, suppressed);
  if (!run.repoMode) return out;
  for (const e of excludedList(run, ctx.root)) out += `${e.path}  excluded  ${oneLine(e.reason)}  (${e.by})\n`;
  return `${out}${closingLines(run)}`;
};
