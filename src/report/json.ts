import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding } from '../engine/types.ts';
import type { TargetResult } from '../lint/lint-target.ts';
import { summarize } from './summary.ts';

/** One finding as the JSON format spells it (optional fields omitted, fixed key order). */
function findingJson(f: Finding) {
  return {
    ruleId: f.ruleId,
    severity: f.severity,
    message: f.message,
    ...(f.resource ? { resource: f.resource } : {}),
    ...(f.field !== undefined ? { field: f.field } : {}),
    location: f.location,
    ...(f.application !== undefined ? { application: f.application } : {}),
    ...(f.target !== undefined ? { target: f.target } : {}),
  };
}

/** `--format json`: a stable, versioned document (see README). */
export function formatJson(results: readonly TargetResult[], findings: readonly Finding[], suppressed: readonly SuppressedFinding[] = []): string {
  const doc = {
    version: 1,
    targets: results.map((r) => ({ path: r.path, renderer: r.renderer, ...(r.rendererVersion ? { version: r.rendererVersion } : {}), resources: r.resources })),
    findings: findings.map(findingJson),
    summary: summarize(findings),
    // Findings a suppression applies to (exemption or annotation): listed, never counted.
    suppressed: suppressed.map((f) => ({ ...findingJson(f), suppression: f.suppression })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
