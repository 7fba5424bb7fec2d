import type { Finding, Severity } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';
import { isInsideRoot } from '../report/repo-root.ts';
import { excludedList, runFindings, targetCounts, targetCountsLine } from '../report/run-summary.ts';
import { absentFindings } from '../report/sarif.ts';
import { collectFindings, displayPath, summarize } from '../report/summary.ts';
import type { ChangeSelection } from './changes.ts';

/**
 * The job summary as HTML fragments (GitHub renders HTML and Markdown in step summaries). Kept
 * free of `@actions/core` so that its size arithmetic can be tested on its own; `main.ts` hands
 * the pieces to `core.summary`.
 */

/** GitHub rejects a step summary larger than 1 MiB. */
export const STEP_SUMMARY_LIMIT = 1024 * 1024;
/** What this summary allows itself, leaving room for the truncation note and anything else in the step. */
export const SUMMARY_BUDGET = STEP_SUMMARY_LIMIT - 64 * 1024;
/** A finding's message is cut to this many characters in the table (the log and SARIF have it whole). */
const MAX_MESSAGE = 2000;

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

export interface SummaryContext {
  /** Absolute repository root (findings' paths are relative to it). */
  root: string;
  /** `GITHUB_SERVER_URL`, `GITHUB_REPOSITORY`, `GITHUB_SHA`: when all are set, locations link to the file. */
  env: Readonly<Record<string, string | undefined>>;
  /** Rule id → documentation page. */
  helpUri: (ruleId: string) => string | undefined;
  version: string;
  /** Budget in bytes (default SUMMARY_BUDGET); tests use small ones. */
  budget?: number;
  /** With changed-only in effect: what changed and what it affects. */
  changes?: ChangeSelection;
  /**
   * With the `diff` input in effect: the rendered diff as Markdown within the bytes given (it
   * gets the room the new and fixed findings leave; the list of pre-existing findings comes after).
   */
  diff?: (budget: number) => string;
}

/** A table cell as `core.summary.addTable` takes it. */
export type Cell = string | { data: string; header: true };
/** One piece of the summary, in order. */
export type SummaryPart = { kind: 'raw'; html: string } | { kind: 'table'; rows: Cell[][] };

export interface SummaryPlan {
  parts: SummaryPart[];
  /** Findings left out of the tables to stay under the limit. */
  omitted: number;
  /** Size of the parts in bytes, as `core.summary` renders them. */
  bytes: number;
}

const RANK: Record<Severity, number> = { error: 0, warning: 1, info: 2 };
const SEVERITY_LABEL: Record<Severity, string> = { error: '❌ error', warning: '⚠️ warning', info: 'ℹ️ info' };
const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

/** Bytes of a part as `core.summary` writes it (`addRaw(html).addEOL()` / `addTable(rows)`). */
export function partBytes(p: SummaryPart): number {
  if (p.kind === 'raw') return Buffer.byteLength(p.html) + 1;
  return '<table></table>'.length + p.rows.reduce((n, r) => n + rowBytes(r), 0) + 1;
}

function rowBytes(row: Cell[]): number {
  return (
    '<tr></tr>'.length +
    row.reduce(
      (n, c) => n + (typeof c === 'string' ? '<td></td>'.length + Buffer.byteLength(c) : '<th></th>'.length + Buffer.byteLength(c.data)),
      0,
    )
  );
}

function blobUrl(file: string, f: Finding, env: SummaryContext['env'], commit?: string): string | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo } = env;
  const sha = commit ?? env.GITHUB_SHA;
  if (!server || !repo || !sha || !isInsideRoot(file)) return undefined;
  const lines = f.location.endLine > f.location.line ? `#L${f.location.line}-L${f.location.endLine}` : `#L${f.location.line}`;
  return `${server.replace(/\/+$/, '')}/${repo}/blob/${sha}/${file.split('/').map(encodeURIComponent).join('/')}${lines}`;
}

/** `file:line`, linked to the analysed commit (or to `commit`: a fixed finding's line is the base revision's). */
function locationCell(f: Finding, env: SummaryContext['env'], commit?: string): string {
  const text = escapeHtml(`${f.location.file}:${f.location.line}`);
  const url = blobUrl(f.location.file, f, env, commit);
  return url ? `<a href="${escapeHtml(url)}">${text}</a>` : text;
}

function ruleCell(ruleId: string, ctx: SummaryContext): string {
  const uri = ctx.helpUri(ruleId);
  const code = `<code>${escapeHtml(ruleId)}</code>`;
  return uri ? `<a href="${escapeHtml(uri)}">${code}</a>` : code;
}

function messageCell(message: string): string {
  const m = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE)}…` : message;
  return escapeHtml(m).replace(/\r\n|\r|\n/g, '<br>');
}

const HEADER: Cell[] = ['Severity', 'Rule', 'Location', 'Message'].map((data) => ({ data, header: true as const }));

const FATAL_HEADER: Cell[] = ['Overlay', 'Location', 'Cause'].map((data) => ({ data, header: true as const }));
const FIXED_HEADER: Cell[] = ['Severity', 'Rule', 'Location (base commit)', 'Message'].map((data) => ({ data, header: true as const }));
const EXCLUDED_HEADER: Cell[] = ['Overlay', 'Reason', 'Excluded by'].map((data) => ({ data, header: true as const }));

/** The `changed-only` paragraph: the base, the changed files, the targets they affect, those that affect none. */
function changesText(c: ChangeSelection): string {
  const none = c.targets.length === 0;
  return (
    `changed-only (${c.event}): ${plural(c.files, 'file')} changed since the base commit ${c.sha.slice(0, 12)}; ` +
    `${c.targets.length} of ${plural(c.candidates, 'target')} affected` +
    (c.unaffecting ? `; ${plural(c.unaffecting, 'changed file')} affected no target` : '') +
    (none ? ': nothing to lint.' : '.')
  );
}

/** Who excluded a target, as the user wrote it: a configuration entry (file:line), or the action's `exclude` input (runLint calls it --exclude, as the CLI's flag). */
function excludedBy(by: string): string {
  return by === '--exclude' ? 'the <code>exclude</code> input' : `<code>${escapeHtml(by)}</code>`;
}
function excludedReason(reason: string): string {
  return reason.startsWith('--exclude ') ? `matches <code>${escapeHtml(reason.slice('--exclude '.length))}</code>` : messageCell(reason);
}

/**
 * The summary: a heading with the totals, what the run did with its targets (`N targets linted, M
 * could not be rendered, K excluded`, and with changed-only what changed), a table of totals and
 * renderer per overlay, the targets that could not be rendered with their cause, the excluded
 * targets with their reason, then a table of findings per overlay (most severe first). Rows stop
 * when the budget would be exceeded, and a note says how many are left out and where they are.
 * Paths of findings are relative to the repository root; overlays are named as `path` named them.
 */
export function planSummary(run: LintRun, ctx: SummaryContext): SummaryPlan {
  const budget = ctx.budget ?? SUMMARY_BUDGET;
  const parts: SummaryPart[] = [];
  let bytes = 0;
  const push = (p: SummaryPart) => {
    parts.push(p);
    bytes += partBytes(p);
  };
  const { results } = run;
  // The totals count every finding once (a shared base's once), the fatal ones included.
  const { findings: all, suppressed } = runFindings(run, ctx.root, false);
  const perTarget = results.map((r) => collectFindings([r], ctx.root));

  // With a baseline (the `baseline` input), the tables list the new findings; the fixed ones and
  // the pre-existing (unchanged) ones have sections of their own.
  const baseline = run.baseline;
  const isNew = (f: Finding) => f.baseline !== 'unchanged';
  const shown = (list: Finding[]) => (baseline ? list.filter(isNew) : list);
  const total = summarize(shown(all));
  const mark = total.errors || run.fatal.length ? '❌' : total.warnings ? '⚠️' : '✅';
  push({ kind: 'raw', html: `<h2>${mark} cilium-etcd-lint</h2>` });
  const unchanged = baseline ? all.filter((f) => !isNew(f)) : [];
  const fixed = baseline ? absentFindings(run, ctx.root).sort((a, b) => RANK[a.severity] - RANK[b.severity]) : [];
  if (baseline) {
    push({
      kind: 'raw',
      html: `<p>${escapeHtml(`${plural(total.errors, 'new error')}, ${plural(total.warnings, 'new warning')}, ${plural(total.infos, 'new info')} in ${plural(results.length, 'overlay')}, compared with the base commit ${baseline.mergeBase.slice(0, 12)}; ${fixed.length} fixed; ${unchanged.length} pre-existing`)} (cilium-etcd-lint ${escapeHtml(ctx.version)}).</p>`,
    });
  } else {
    push({
      kind: 'raw',
      html: `<p>${escapeHtml(`${plural(total.errors, 'error')}, ${plural(total.warnings, 'warning')}, ${plural(total.infos, 'info')} in ${plural(results.length, 'overlay')}`)} (cilium-etcd-lint ${escapeHtml(ctx.version)}).</p>`,
    });
  }
  if (ctx.changes) push({ kind: 'raw', html: `<p>${escapeHtml(changesText(ctx.changes))}</p>` });
  push({ kind: 'raw', html: `<p>${escapeHtml(targetCountsLine(targetCounts(run)))}.</p>` });

  if (results.length) {
    const heads = baseline
      ? ['Overlay', 'Renderer', 'Resources', 'New errors', 'New warnings', 'New infos', 'Pre-existing']
      : ['Overlay', 'Renderer', 'Resources', 'Errors', 'Warnings', 'Infos'];
    const totalsRows: Cell[][] = [heads.map((data) => ({ data, header: true as const }))];
    const old = (list: Finding[]) => (baseline ? [String(list.length - list.filter(isNew).length)] : []);
    results.forEach((r, i) => {
      const s = summarize(shown(perTarget[i]!));
      totalsRows.push([
        `<code>${escapeHtml(r.path)}</code>`,
        escapeHtml(r.renderer),
        String(r.resources),
        String(s.errors),
        String(s.warnings),
        String(s.infos),
        ...old(perTarget[i]!),
      ]);
    });
    if (results.length > 1) {
      const every = collectFindings(results, ctx.root);
      const linted = summarize(shown(every));
      totalsRows.push([
        '<b>Total</b> (findings shared by overlays counted once)',
        '',
        '',
        String(linted.errors),
        String(linted.warnings),
        String(linted.infos),
        ...old(every),
      ]);
    }
    push({ kind: 'table', rows: totalsRows });
  }

  let omitted = 0;
  let full = false;
  /** A table under a heading, row by row while the budget lasts; returns how many rows were left out. */
  const table = (headingHtml: string, header: Cell[], rows: Cell[][]): number => {
    if (full) return rows.length;
    const heading: SummaryPart = { kind: 'raw', html: headingHtml };
    const kept: Cell[][] = [header];
    let size = partBytes(heading) + partBytes({ kind: 'table', rows: kept });
    let left = 0;
    for (const row of rows) {
      const n = rowBytes(row);
      if (full || bytes + size + n > budget) {
        full = true;
        left++;
        continue;
      }
      kept.push(row);
      size += n;
    }
    if (kept.length > 1) {
      push(heading);
      push({ kind: 'table', rows: kept });
    }
    return left;
  };

  // Targets that could not be rendered: errors of the run, listed before any finding.
  const fatalRows = run.fatal.map((t): Cell[] => {
    const f: Finding = { ...t.finding, location: { ...t.finding.location, file: displayPath(t.finding.location.file, ctx.root) } };
    return [`<code>${escapeHtml(t.path)}</code>`, locationCell(f, ctx.env), messageCell(f.message)];
  });
  const fatalLeft = table(`<h3>❌ ${plural(run.fatal.length, 'target')} could not be rendered</h3>`, FATAL_HEADER, fatalRows);
  omitted += fatalLeft;

  const excludedRows = excludedList(run, ctx.root).map((e): Cell[] => [
    `<code>${escapeHtml(e.path)}</code>`,
    excludedReason(e.reason),
    excludedBy(e.by),
  ]);
  const excludedLeft = table(`<h3>${plural(run.excluded.length, 'target')} excluded</h3>`, EXCLUDED_HEADER, excludedRows);

  results.forEach((r, i) => {
    // Most severe first, so that truncation drops infos and warnings before errors.
    const findings = shown(perTarget[i]!)
      .map((f, k) => ({ f, k }))
      .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.k - b.k)
      .map((x) => x.f);
    if (full) {
      omitted += findings.length;
      return;
    }
    const headingHtml = `<h3><code>${escapeHtml(r.path)}</code></h3>`;
    if (!findings.length) {
      const heading: SummaryPart = { kind: 'raw', html: headingHtml };
      const none: SummaryPart = { kind: 'raw', html: baseline ? '<p>✅ No new findings.</p>' : '<p>✅ No findings.</p>' };
      if (bytes + partBytes(heading) + partBytes(none) > budget) {
        full = true;
        return;
      }
      push(heading);
      push(none);
      return;
    }
    const rows = findings.map((f) => [
      SEVERITY_LABEL[f.severity],
      ruleCell(f.ruleId, ctx),
      locationCell(f, ctx.env),
      messageCell(f.application !== undefined ? `[Application ${f.application}] ${f.message}` : f.message),
    ]);
    omitted += table(headingHtml, HEADER, rows);
  });

  if (baseline && fixed.length) {
    const rows = fixed.map((f) => [
      SEVERITY_LABEL[f.severity],
      ruleCell(f.ruleId, ctx),
      locationCell(f, ctx.env, baseline.mergeBase),
      messageCell(f.message),
    ]);
    omitted += table(`<h3>✅ ${plural(fixed.length, 'finding')} fixed</h3>`, FIXED_HEADER, rows);
  }

  if (ctx.diff) {
    // The rendered diff gets the room the new and fixed findings leave, less what the closing
    // lines (the pre-existing count, the notes) need.
    const room = full ? 0 : budget - bytes - 4096;
    const text = ctx.diff(Math.max(0, room));
    // A blank line first: Markdown after an HTML block needs one to be read as Markdown.
    const part: SummaryPart = { kind: 'raw', html: `\n${text}` };
    if (bytes + partBytes(part) <= budget) push(part);
  }

  if (unchanged.length) {
    const sorted = unchanged
      .map((f, k) => ({ f, k }))
      .sort((a, b) => RANK[a.f.severity] - RANK[b.f.severity] || a.k - b.k)
      .map((x) => x.f);
    const heading = `<h3>${plural(unchanged.length, 'pre-existing finding')}</h3>`;
    const rows = sorted.map((f) => [
      SEVERITY_LABEL[f.severity],
      ruleCell(f.ruleId, ctx),
      locationCell(f, ctx.env),
      messageCell(f.application !== undefined ? `[Application ${f.application}] ${f.message}` : f.message),
    ]);
    const before = parts.length;
    const left = table(
      `${heading}\n<details><summary>Unchanged since the base commit: not annotated, and they do not fail the step</summary>`,
      HEADER,
      rows,
    );
    omitted += left;
    if (parts.length > before) push({ kind: 'raw', html: '</details>' });
    else push({ kind: 'raw', html: heading });
  }

  if (omitted || excludedLeft) {
    const what = [omitted ? plural(omitted, 'more finding') : '', excludedLeft ? plural(excludedLeft, 'more excluded target') : '']
      .filter(Boolean)
      .join(' and ');
    push({
      kind: 'raw',
      html: `<p><b>Summary truncated:</b> ${what} ${omitted + excludedLeft === 1 ? 'is' : 'are'} not listed here, to stay under GitHub's 1 MiB step-summary limit. The step log lists every finding (and the SARIF file, when the <code>sarif-file</code> input is set).</p>`,
    });
  }
  if (suppressed.length) {
    // Never silent: the count here, each one (with its reason) in the step log and the SARIF file.
    const byExemption = suppressed.filter((f) => f.suppression.kind === 'exemption').length;
    push({
      kind: 'raw',
      html: `<p>${plural(suppressed.length, 'finding')} suppressed (${byExemption} by exemption, ${suppressed.length - byExemption} by annotation); see the step log.</p>`,
    });
  }
  return { parts, omitted, bytes };
}
