import type { SourceLocation } from '../model/location.ts';
import { formatPath, locate } from '../model/provenance.ts';
import { Suppressor, todayUtc, type SuppressedFinding, type SuppressionPolicy } from './suppress.ts';
import type { Finding, KubeObject, LintInput, Report, ResourceRef, Rule, Severity, SeveritySetting } from './types.ts';

export interface RuleSetting {
  severity: SeveritySetting;
  options?: Record<string, unknown>;
}

/** Per-rule settings by id; rules not named run with their defaults. */
export type RuleSettings = Readonly<Record<string, RuleSetting | undefined>>;

function fill(template: string, data: Record<string, string | number> | undefined): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, k: string) => (data && k in data ? String(data[k]) : `{{${k}}}`));
}

function refOf(obj: Record<string, unknown>): ResourceRef {
  const meta = (obj.metadata ?? {}) as Record<string, unknown>;
  return {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    ...(typeof meta.namespace === 'string' ? { namespace: meta.namespace } : {}),
    name: String(meta.name ?? ''),
  };
}

/** Sort key that makes output byte-identical across runs. */
export function compareFindings(a: Finding, b: Finding): number {
  const fa = a.location.file;
  const fb = b.location.file;
  return (
    (fa < fb ? -1 : fa > fb ? 1 : 0) ||
    a.location.line - b.location.line ||
    a.location.column - b.location.column ||
    (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0) ||
    (a.message < b.message ? -1 : a.message > b.message ? 1 : 0)
  );
}

/**
 * Runs every enabled rule over one target. Pure: rules see objects, report field paths, and
 * the engine turns each path into the source location that set it.
 */
export function runRules(input: LintInput, rules: Readonly<Record<string, Rule<any>>>, settings: RuleSettings = {}): Finding[] {
  return runRulesDetailed(input, rules, settings).findings;
}

export interface RunResult {
  /** Findings that count (including problems with suppressions themselves). */
  findings: Finding[];
  /** Findings a suppression applies to: listed, never counted, never silent. */
  suppressed: SuppressedFinding[];
}

/**
 * `runRules` with suppressions: config exemptions (`policy`) and the `cilium-etcd-lint.io/ignore`
 * annotation of the resources and Applications (read whether or not there is a configuration).
 */
export function runRulesDetailed(
  input: LintInput,
  rules: Readonly<Record<string, Rule<any>>>,
  settings: RuleSettings = {},
  policy?: SuppressionPolicy,
): RunResult {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const objects: KubeObject[] = [...input.resources, ...(input.applications ?? []).map((a) => a.object)];
  const suppressor = new Suppressor(
    policy ?? { exemptions: [], lockedRules: new Set(), today: todayUtc(), knownRules: new Set(Object.keys(rules)) },
    objects,
    input.targetLocation,
  );
  for (const ruleId of Object.keys(rules).sort()) {
    const rule = rules[ruleId]!;
    const setting = settings[ruleId];
    const severity: SeveritySetting = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const options = { ...rule.meta.defaultOptions, ...(setting?.options ?? {}) };
    const report = (r: Report) => {
      const finding = toFinding(ruleId, rule, severity, r, input.targetLocation);
      const obj = 'resource' in r ? r.resource : 'application' in r ? r.application.object : undefined;
      const suppression = suppressor.find(ruleId, obj, 'path' in r ? r.path : undefined);
      if (suppression) suppressed.push({ ...finding, suppression });
      else findings.push(finding);
    };
    rule.check({ options, input, report });
  }
  findings.push(...suppressor.problems);
  return { findings: findings.sort(compareFindings), suppressed: suppressed.sort(compareFindings) };
}

function toFinding(ruleId: string, rule: Rule<any>, severity: Severity, r: Report, fallback: SourceLocation): Finding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${ruleId} reported unknown messageId ${r.messageId}`);
  const message = fill(template, r.data);
  if ('resource' in r) {
    return { ruleId, severity, message, resource: refOf(r.resource), field: formatPath(r.path), location: locate(r.resource, r.path) ?? fallback };
  }
  if ('application' in r) {
    const obj = r.application.object;
    return { ruleId, severity, message, resource: refOf(obj), field: formatPath(r.path), location: locate(obj, r.path) ?? { ...fallback, file: r.application.file } };
  }
  return { ruleId, severity, message, location: fallback };
}
