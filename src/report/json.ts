import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding } from '../engine/types.ts';
import type { TargetResult } from '../lint/lint-target.ts';
import type { Formatter } from './formatter.ts';
import { excludedList, runFindings, targetCounts, type TargetCounts } from './run-summary.ts';
import { displayPath, summarize } from './summary.ts';
import { fingerprint } from '../lint/fingerprint.ts';

/** One finding as the JSON format spells it (optional fields omitted, fixed key order). */
function findingJson(f: Finding, cwd: string) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    location: f.location,
    ...(f.application !== undefined ? { application: f.application } : {}),
    ...(f.target !== undefined ? { target: f.target } : {}),
    ...(f.fatal ? { fatal: true } : {}),
    ...(f.messageId !== undefined ? { messageId: f.messageId } : {}),
    ...(f.data !== undefined ? { data: f.data } : {}),
    fingerprint: fingerprint(f),
    ...(f.baseline !== undefined ? { baseline: f.baseline } : {}),
    ...(f.fix
      ? {
          fix: {
            description: f.fix.description,
            edits: f.fix.edits.map((e) => ({ ...e, file: displayPath(e.file, cwd) })),
            ...(f.fix.alsoAffects ? { alsoAffects: f.fix.alsoAffects } : {}),
          },
        }
      : {}),
  };
}

/**
 * `--format json`. A multi-target run adds to a one-target document: the targets that could not be
 * rendered (in `targets`, with `fatal: true`; their cause is a finding with `fatal: true`), the
 * counts in `summary.targets`, and the excluded targets.
 */
export const jsonFormatter: Formatter = (run, ctx) => {
  const { findings, suppressed } = runFindings(run, ctx.cwd, run.repoMode);
  if (!run.repoMode) return formatJson(run.results, findings, suppressed, undefined, ctx.cwd);
  const out = formatJson(
    run.results,
    findings,
    suppressed,
    {
      fatal: run.fatal.map((t) => t.path),
      counts: targetCounts(run),
      excluded: excludedList(run, ctx.cwd),
      ...(run.changes ? { changes: run.changes } : {}),
    },
    ctx.cwd,
  );
  if (!run.baseline) return out;
  // --base: how the findings compare with the base revision's; the absent ones (fixed) listed with their base location.
  const b = run.baseline;
  const doc = JSON.parse(out) as Record<string, unknown>;
  doc.baseline = {
    ref: b.ref,
    commit: b.commit,
    mergeBase: b.mergeBase,
    counts: b.counts,
    absent: b.absent.map((f) => findingJson({ ...f, location: { ...f.location, file: displayPath(f.location.file, ctx.cwd) } }, ctx.cwd)),
    newTargets: b.newTargets,
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
};

/** `--format json`: a stable, versioned document (see README). */
export function formatJson(
  results: readonly TargetResult[],
  findings: readonly Finding[],
  suppressed: readonly SuppressedFinding[] = [],
  multi?: {
    fatal: string[];
    counts: TargetCounts;
    excluded: ReturnType<typeof excludedList>;
    changes?: { files: number; unaffecting: number };
  },
  /** The directory fix edits' paths are relative to (the findings' already are). */
  cwd: string = process.cwd(),
): string {
  const doc = {
    version: 1,
    targets: [
      ...results.map((r) => ({
        path: r.path,
        renderer: r.renderer,
        ...(r.rendererVersion ? { version: r.rendererVersion } : {}),
        resources: r.resources,
      })),
      ...(multi?.fatal ?? []).map((p) => ({ path: p, fatal: true })),
    ],
    findings: findings.map((f) => findingJson(f, cwd)),
    summary: { ...summarize(findings), ...(multi ? { targets: multi.counts } : {}) },
    // Findings a suppression applies to (exemption or annotation): listed, never counted.
    suppressed: suppressed.map((f) => ({ ...findingJson(f, cwd), suppression: f.suppression })),
    ...(multi ? { excluded: multi.excluded } : {}),
    // A run over a change: how many changed paths, how many of them no target reads.
    ...(multi?.changes ? { changes: multi.changes } : {}),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
