import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { Finding, FindingFix, Severity } from '../engine/types.ts';
import type { SourceLocation } from '../model/location.ts';
import { TOOL_FINDINGS } from '../report/rule-catalog.ts';
import { TOOL_FINDINGS_HELP_URI, ruleHelpUri } from '../report/tool-info.ts';

/** A finding as the editor shows it: on its source span, with its rule id linked to the rule's page. */

export const SOURCE = 'cilium-etcd-lint';

const SEVERITY: Readonly<Record<Severity, DiagnosticSeverity>> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** A 1-based, end-exclusive SourceLocation as a 0-based LSP range. */
export function toRange(l: Pick<SourceLocation, 'line' | 'column' | 'endLine' | 'endColumn'>): Range {
  const start = { line: Math.max(0, l.line - 1), character: Math.max(0, l.column - 1) };
  let end = { line: Math.max(0, l.endLine - 1), character: Math.max(0, l.endColumn - 1) };
  if (end.line < start.line || (end.line === start.line && end.character < start.character)) end = start;
  return { start, end };
}

/** What the server keeps of a diagnostic besides the LSP fields: which targets reported it. */
export interface DiagnosticData {
  ruleId: string;
  targets: string[];
  /** The finding's certain fix (src/fix), planned on the texts the lint read: offered as a quick fix. */
  fix?: FindingFix;
}

export function toDiagnostic(f: Finding, targets: readonly string[], isBuiltinRule: (id: string) => boolean): Diagnostic {
  const message = f.application ? `${f.message} (Application ${f.application})` : f.message;
  const href = Object.hasOwn(TOOL_FINDINGS, f.ruleId)
    ? TOOL_FINDINGS_HELP_URI
    : isBuiltinRule(f.ruleId)
      ? ruleHelpUri(f.ruleId)
      : undefined;
  const data: DiagnosticData = { ruleId: f.ruleId, targets: [...targets], ...(f.fix ? { fix: f.fix } : {}) };
  return {
    range: toRange(f.location),
    severity: SEVERITY[f.severity],
    source: SOURCE,
    code: f.ruleId,
    ...(href ? { codeDescription: { href } } : {}),
    message: targets.length ? `${message} [${describeTargets(targets)}]` : message,
    data,
  };
}

function describeTargets(targets: readonly string[]): string {
  return targets.length <= 2 ? targets.join(', ') : `${targets[0]} and ${targets.length - 1} more targets`;
}
