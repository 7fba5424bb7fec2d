import type { BaselineState, Finding } from '../engine/types.ts';
import { findingIdentity } from './fingerprint.ts';
import type { BaselineSummary } from './baseline-summary.ts';
import type { LintRun } from './run.ts';

export type { BaselineSummary };

/**
 * `--base <ref>`: the working tree's findings compared with the base revision's, target by target,
 * by fingerprint (rule, object, field path, message data: never a line). Each finding of the head
 * run is `new` or `unchanged`; a base finding no head finding matches is `absent` (fixed). Equal
 * fingerprints are matched as a multiset: two identical findings at head against one at base are
 * one unchanged and one new.
 */

export function compareWithBase(head: LintRun, base: LintRun, info: { ref: string; commit: string; mergeBase: string }): BaselineSummary {
  const counts: Record<BaselineState, number> = { new: 0, unchanged: 0, absent: 0 };
  const absent: Finding[] = [];
  const baseByTarget = new Map<string, Finding[]>();
  for (const r of base.results) baseByTarget.set(r.path, r.findings);
  for (const t of base.fatal) baseByTarget.set(t.path, [t.finding]);
  const newTargets: string[] = [];
  const match = (target: string, findings: Finding[]): Finding[] => {
    const pool = new Map<string, Finding[]>();
    const before = baseByTarget.get(target);
    if (before === undefined || base.fatal.some((t) => t.path === target)) newTargets.push(target);
    for (const f of before ?? []) {
      const k = findingIdentity(f);
      (pool.get(k) ?? pool.set(k, []).get(k)!).push(f);
    }
    const out = findings.map((f) => {
      const left = pool.get(findingIdentity(f));
      const state: BaselineState = left?.length ? 'unchanged' : 'new';
      if (left?.length) left.shift();
      counts[state]++;
      return { ...f, baseline: state };
    });
    for (const rest of pool.values()) {
      for (const f of rest) {
        if (f.fatal) continue; // the base could not render it: nothing was fixed
        absent.push({ ...f, target, baseline: 'absent' });
        counts.absent++;
      }
    }
    return out;
  };
  for (const r of head.results) r.findings = match(r.path, r.findings);
  for (const t of head.fatal) t.finding = match(t.path, [t.finding])[0]!;
  const summary: BaselineSummary = { ref: info.ref, commit: info.commit, mergeBase: info.mergeBase, counts, absent, newTargets };
  head.baseline = summary;
  return summary;
}
