import { displayPath } from '../util/display-path.ts';
import { compareFindings } from '../engine/run.ts';
import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding } from '../engine/types.ts';
import type { TargetResult } from '../lint/lint-target.ts';

export interface Summary {
  errors: number;
  warnings: number;
  infos: number;
}

export function summarize(findings: readonly Finding[]): Summary {
  const s = { errors: 0, warnings: 0, infos: 0 };
  for (const f of findings) {
    if (f.severity === 'error') s.errors++;
    else if (f.severity === 'warning') s.warnings++;
    else s.infos++;
  }
  return s;
}

export { displayPath };

/** All findings of all targets, paths made relative, de-duplicated (shared bases) and sorted. */
export function collectFindings(results: readonly TargetResult[], cwd: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      const g: Finding = { ...f, location: { ...f.location, file: displayPath(f.location.file, cwd) } };
      const key = JSON.stringify(g);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(g);
    }
  }
  return out.sort(compareFindings);
}

/** All suppressed findings of all targets, as `collectFindings` does for the findings that count. */
export function collectSuppressed(results: readonly TargetResult[], cwd: string): SuppressedFinding[] {
  const seen = new Set<string>();
  const out: SuppressedFinding[] = [];
  for (const r of results) {
    for (const f of r.suppressed ?? []) {
      const g: SuppressedFinding = {
        ...f,
        location: { ...f.location, file: displayPath(f.location.file, cwd) },
        suppression: { ...f.suppression, location: { ...f.suppression.location, file: displayPath(f.suppression.location.file, cwd) } },
      };
      const key = JSON.stringify(g);
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(g);
    }
  }
  return out.sort(compareFindings);
}
