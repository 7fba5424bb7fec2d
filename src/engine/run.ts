import type { SourceLocation } from '../model/location.ts';
import { formatPath, locate, type FieldPath } from '../model/provenance.ts';
import { Suppressor, todayUtc, type SuppressedFinding, type SuppressionPolicy } from './suppress.ts';
import {
  FIX_SUBJECT,
  type Finding,
  type KubeObject,
  type LintInput,
  type Report,
  type ResourceRef,
  type Rule,
  type Severity,
  type SeveritySetting,
} from './types.ts';

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

/**
 * A rule threw: the error names the rule and the target, as ESLint names the rule that crashed
 * (the rule's own error is its `cause`). Not a UserError: the surfaces report it as an internal
 * error, with the rule to blame in its message.
 */
export class RuleError extends Error {
  constructor(
    readonly ruleId: string,
    readonly target: string,
    cause: unknown,
  ) {
    super(`rule ${ruleId} failed on ${target}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'RuleError';
  }
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
  /** Sees each report with the finding the engine made of it (the RuleTester: src/testing/rule-tester.ts). */
  observe?: (ruleId: string, report: Report, finding: Finding) => void,
): RunResult {
  const findings: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  const objects: KubeObject[] = [...input.resources, ...(input.applications ?? []).map((a) => a.object)];
  const suppressor = new Suppressor(
    policy ?? { exemptions: [], lockedRules: new Set(), today: todayUtc(), knownRules: new Set(Object.keys(rules)) },
    objects,
    input.targetLocation,
  );
  const twins = new TwinFilter(rules);
  for (const ruleId of Object.keys(rules).sort()) {
    const rule = rules[ruleId]!;
    const setting = settings[ruleId];
    const severity: SeveritySetting = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const options = { ...rule.meta.defaultOptions, ...(setting?.options ?? {}) };
    const report = (r: Report) => {
      const finding = toFinding(ruleId, rule, severity, r, input.targetLocation);
      observe?.(ruleId, r, finding);
      const obj = 'resource' in r ? r.resource : 'application' in r ? r.application.object : undefined;
      const suppression = suppressor.find(ruleId, obj, 'path' in r ? r.path : undefined);
      if (suppression) suppressed.push({ ...finding, suppression });
      else findings.push(finding);
      if (obj && 'path' in r)
        twins.note(suppression ? suppressed[suppressed.length - 1]! : finding, obj, r.path, suppression !== undefined);
    };
    try {
      rule.check({ options, input, report });
    } catch (e) {
      throw new RuleError(ruleId, input.targetPath, e);
    }
  }
  const dropped = twins.dropped();
  const kept = dropped.size ? findings.filter((f) => !dropped.has(f)) : findings;
  const keptSuppressed = dropped.size ? suppressed.filter((f) => !dropped.has(f)) : suppressed;
  kept.push(...suppressor.problems);
  return { findings: kept.sort(compareFindings), suppressed: keptSuppressed.sort(compareFindings) };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * One field is reported once: a rule whose `meta.twinOf` names another (a `baseline-*` rule and
 * its `recommended` counterpart) loses its finding on a resource and field path that rule also
 * reported in this run, and the counterpart's finding is the one kept. Two exceptions keep the
 * twin's finding: it is more severe than the counterpart's there (the configuration made the
 * generic check stricter: dropping it would lower the exit code), or the counterpart's finding is
 * suppressed and the twin's is not (a suppression names one rule and never silences another).
 */
class TwinFilter {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  /** `twinOf` of each rule that has one. */
  private readonly twinOf = new Map<string, string>();
  private readonly seen: { finding: Finding; key: string; suppressed: boolean }[] = [];

  constructor(rules: Readonly<Record<string, Rule<any>>>) {
    for (const [id, rule] of Object.entries(rules)) {
      const other = rule.meta.twinOf;
      if (typeof other === 'string' && other !== id && Object.hasOwn(rules, other)) this.twinOf.set(id, other);
    }
  }

  private key(obj: object, path: FieldPath): string {
    let id = this.ids.get(obj);
    if (id === undefined) this.ids.set(obj, (id = ++this.nextId));
    return `${id}\0${formatPath(path)}`;
  }

  note(finding: Finding, obj: object, path: FieldPath, suppressed: boolean): void {
    if (this.twinOf.size === 0) return;
    this.seen.push({ finding, key: this.key(obj, path), suppressed });
  }

  /** The twins' findings to drop. */
  dropped(): Set<Finding> {
    const out = new Set<Finding>();
    if (this.twinOf.size === 0) return out;
    // What each counterpart reported, by key: its most severe counted and suppressed findings.
    const counterparts = new Set(this.twinOf.values());
    const reported = new Map<string, { counted?: Finding; suppressed?: Finding }>();
    for (const s of this.seen) {
      if (!counterparts.has(s.finding.ruleId)) continue;
      const k = `${s.finding.ruleId}\0${s.key}`;
      const entry = reported.get(k) ?? {};
      const slot = s.suppressed ? 'suppressed' : 'counted';
      const prev = entry[slot];
      if (!prev || SEVERITY_RANK[s.finding.severity] > SEVERITY_RANK[prev.severity]) entry[slot] = s.finding;
      reported.set(k, entry);
    }
    for (const s of this.seen) {
      const other = this.twinOf.get(s.finding.ruleId);
      if (other === undefined) continue;
      const entry = reported.get(`${other}\0${s.key}`);
      if (!entry) continue;
      // The counterpart's finding that stands for this one: a counted one, else (for a suppressed twin) a suppressed one.
      const kept = entry.counted ?? (s.suppressed ? entry.suppressed : undefined);
      if (!kept || SEVERITY_RANK[s.finding.severity] > SEVERITY_RANK[kept.severity]) continue;
      out.add(s.finding);
    }
    return out;
  }
}

/** The entries of `data` that `template` names (`{{key}}`), or undefined when none. */
function messageData(template: string, data: Record<string, string | number> | undefined): Record<string, string | number> | undefined {
  if (!data) return undefined;
  const out: Record<string, string | number> = {};
  for (const m of template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)) if (Object.hasOwn(data, m[1]!)) out[m[1]!] = data[m[1]!]!;
  return Object.keys(out).length ? out : undefined;
}

function toFinding(ruleId: string, rule: Rule<any>, severity: Severity, r: Report, fallback: SourceLocation): Finding {
  const template = rule.meta.messages[r.messageId];
  if (template === undefined) throw new Error(`rule ${ruleId} reported unknown messageId ${r.messageId}`);
  const message = fill(template, r.data);
  // The message id and the data the message was filled from stay on every finding: fingerprints
  // work from meaning, not text (data the message does not name, such as a schema validator's
  // wording of the failure, is not part of it).
  const used = messageData(template, r.data);
  const meaning = { messageId: r.messageId, ...(used ? { data: used } : {}) };
  if ('resource' in r) {
    const f: Finding = {
      ruleId,
      severity,
      message,
      resource: refOf(r.resource),
      field: formatPath(r.path),
      location: locate(r.resource, r.path) ?? fallback,
      ...meaning,
    };
    if (r.fix) f[FIX_SUBJECT] = { intent: r.fix, object: r.resource };
    return f;
  }
  if ('application' in r) {
    const obj = r.application.object;
    const f: Finding = {
      ruleId,
      severity,
      message,
      resource: refOf(obj),
      field: formatPath(r.path),
      location: locate(obj, r.path) ?? { ...fallback, file: r.application.file },
      ...meaning,
    };
    if (r.fix) f[FIX_SUBJECT] = { intent: r.fix, object: obj, file: r.application.file };
    return f;
  }
  return { ruleId, severity, message, location: fallback, ...meaning };
}
