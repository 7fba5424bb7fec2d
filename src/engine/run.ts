import type { SourceLocation } from '../model/location.ts';
import { formatPath, locate, type FieldPath } from '../model/provenance.ts';
import { Suppressor, todayUtc, type SuppressedFinding, type Suppression, type SuppressionPolicy } from './suppress.ts';
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
 * A deprecated alias (meta.deprecated: an old id of another rule of `rules`) never runs by itself:
 * see resolveAliases.
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
  const aliases = resolveAliases(rules, settings);
  const given = policy ?? { exemptions: [], lockedRules: new Set(), today: todayUtc(), knownRules: new Set(Object.keys(rules)) };
  const suppressor = new Suppressor({ ...given, lockedRules: aliases.locked(given.lockedRules) }, objects, input.targetLocation);
  const twins = new TwinFilter(rules, aliases.replacedBy);
  for (const ruleId of Object.keys(rules).sort()) {
    const rule = rules[ruleId]!;
    const setting = aliases.settings[ruleId] ?? settings[ruleId];
    const severity: SeveritySetting = setting?.severity ?? rule.meta.defaultSeverity;
    if (severity === 'off') continue;
    const options = { ...rule.meta.defaultOptions, ...(setting?.options ?? {}) };
    const names = [ruleId, ...(aliases.of.get(ruleId) ?? [])];
    const report = (r: Report) => {
      const finding = toFinding(ruleId, rule, severity, r, input.targetLocation);
      observe?.(ruleId, r, finding);
      const obj = 'resource' in r ? r.resource : 'application' in r ? r.application.object : undefined;
      const path = 'path' in r ? r.path : undefined;
      // A suppression naming the rule, or one of its old ids.
      let suppression: Suppression | undefined;
      for (const name of names) if ((suppression = suppressor.find(name, obj, path))) break;
      if (suppression) suppressed.push({ ...finding, suppression });
      else findings.push(finding);
      if (obj && path) twins.note(suppression ? suppressed[suppressed.length - 1]! : finding, obj, path, suppression !== undefined);
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

interface Aliases {
  /** Settings that replace the given ones: each alias off, and each rule an alias setting widens. */
  settings: Record<string, RuleSetting>;
  /** Rule id -> its old ids in this run. */
  of: Map<string, string[]>;
  /** Old id -> the rule that replaced it. */
  replacedBy: Map<string, string>;
  /** `lockedRules` with each lock holding for a rule and its old ids alike. */
  locked(lockedRules: ReadonlySet<string>): ReadonlySet<string>;
}

/**
 * The deprecated aliases of `rules` (meta.deprecated) whose rule is in the run too. An alias never
 * runs by itself: one rule judges each field, so a field is reported once. A setting of the alias
 * other than `off` (`baseline-no-privileged: error`, an old configuration) runs the rule it names
 * with the alias's options over the rule's own (`scope: workloads`: the wider scope), at the more
 * severe of the two settings (so that the old spelling never lowers the exit code); an alias with
 * no setting, or `off`, changes nothing. A suppression naming an alias suppresses the rule's
 * findings, and a lock of either id holds for both (an annotation naming the old id cannot get
 * round a lock of the new one).
 */
function resolveAliases(rules: Readonly<Record<string, Rule<any>>>, settings: RuleSettings): Aliases {
  const out: Record<string, RuleSetting> = {};
  const of = new Map<string, string[]>();
  const replacedBy = new Map<string, string>();
  for (const id of Object.keys(rules).sort()) {
    const deprecated = rules[id]!.meta.deprecated;
    const target = deprecated?.replacedBy;
    if (!deprecated || target === undefined || target === id || !Object.hasOwn(rules, target) || rules[target]!.meta.deprecated) continue;
    replacedBy.set(id, target);
    of.set(target, [...(of.get(target) ?? []), id]);
    out[id] = { severity: 'off' };
    const alias = settings[id];
    if (!alias || alias.severity === 'off') continue;
    const current = out[target] ?? settings[target];
    const severity = current?.severity ?? rules[target]!.meta.defaultSeverity;
    out[target] = {
      severity: severity === 'off' || SEVERITY_RANK[alias.severity] > SEVERITY_RANK[severity] ? alias.severity : severity,
      options: { ...(current?.options ?? {}), ...deprecated.options },
    };
  }
  return {
    settings: out,
    of,
    replacedBy,
    locked(lockedRules) {
      if (replacedBy.size === 0) return lockedRules;
      const all = new Set(lockedRules);
      for (const [old, id] of replacedBy) if (lockedRules.has(old) || lockedRules.has(id)) all.add(old).add(id);
      return all;
    },
  };
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

/**
 * One field is reported once: a rule whose `meta.twinOf` names another (a custom rule declared the
 * generic twin of another rule; no built-in rule has a twin) loses its finding on a resource and
 * field path that rule also reported in this run, and the counterpart's finding is the one kept.
 * Two exceptions keep the twin's finding: it is more severe than the counterpart's there (the
 * configuration made the generic check stricter: dropping it would lower the exit code), or the
 * counterpart's finding is suppressed and the twin's is not (a suppression names one rule and never
 * silences another).
 */
class TwinFilter {
  private readonly ids = new WeakMap<object, number>();
  private nextId = 0;
  /** `twinOf` of each rule that has one. */
  private readonly twinOf = new Map<string, string>();
  private readonly seen: { finding: Finding; key: string; suppressed: boolean }[] = [];

  /** `replacedBy`: an old id named as `twinOf` stands for the rule that replaced it. */
  constructor(rules: Readonly<Record<string, Rule<any>>>, replacedBy: ReadonlyMap<string, string>) {
    for (const [id, rule] of Object.entries(rules)) {
      const named = rule.meta.twinOf;
      const other = typeof named === 'string' ? (replacedBy.get(named) ?? named) : undefined;
      if (other !== undefined && other !== id && Object.hasOwn(rules, other)) this.twinOf.set(id, other);
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
