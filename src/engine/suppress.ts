import type { Exemption } from '../model/exemption.ts';
import type { SourceLocation } from '../model/location.ts';
import { getPath, isObject, locate, type FieldPath, type JsonObject } from '../model/provenance.ts';
import { didYouMean } from '../schema/suggest.ts';
import type { Finding, KubeObject } from './types.ts';

/**
 * Suppressions: config `exemptions` and the `cilium-etcd-lint.io/ignore` annotation. Never
 * silent: a suppressed finding is kept (with why and where it was suppressed) and listed by every
 * output format; a suppression without a reason, an expired exemption, an annotation naming an
 * unknown rule and an annotation on a locked rule are themselves error findings (`suppression`).
 */

export const IGNORE_ANNOTATION = 'cilium-etcd-lint.io/ignore';
export const SUPPRESSION_RULE_ID = 'suppression';

export type { Exemption };

export interface SuppressionPolicy {
  exemptions: readonly Exemption[];
  /** Rules the annotation may not suppress, and the configuration file that locks them. */
  lockedRules: ReadonlySet<string>;
  lockedBy?: string;
  /** Today, YYYY-MM-DD (UTC). */
  today: string;
  /** Every rule id a suppression may name. */
  knownRules: ReadonlySet<string>;
}

export interface Suppression {
  kind: 'annotation' | 'exemption';
  reason: string;
  /** The annotation or the configuration entry. */
  location: SourceLocation;
}

export type SuppressedFinding = Finding & { suppression: Suppression };

export function todayUtc(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

interface AnnotationEntry {
  rule: string;
  container?: string;
  reason: string;
  location: SourceLocation;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** The name of the container a field path lies in, if any. */
export function containerAt(obj: KubeObject, path: FieldPath): string | undefined {
  for (let i = path.length - 2; i >= 0; i--) {
    if (typeof path[i] === 'string' && CONTAINER_LISTS.has(path[i] as string) && typeof path[i + 1] === 'number') {
      const c = getPath(obj, path.slice(0, i + 2));
      return isObject(c) && typeof c.name === 'string' ? c.name : undefined;
    }
  }
  return undefined;
}

function meta(obj: KubeObject): JsonObject {
  return isObject(obj.metadata) ? obj.metadata : {};
}

/** Parses the annotation of one object: its entries and the problems with it (as findings). */
function parseAnnotation(
  obj: KubeObject,
  fallback: SourceLocation,
  policy: SuppressionPolicy,
): { entries: AnnotationEntry[]; problems: Finding[] } {
  const annotations = meta(obj).annotations;
  const value = isObject(annotations) ? annotations[IGNORE_ANNOTATION] : undefined;
  const entries: AnnotationEntry[] = [];
  const problems: Finding[] = [];
  if (value === undefined) return { entries, problems };
  const path = ['metadata', 'annotations', IGNORE_ANNOTATION];
  const location = locate(obj, path) ?? fallback;
  const m = meta(obj);
  const resource = {
    apiVersion: String(obj.apiVersion ?? ''),
    kind: String(obj.kind ?? ''),
    ...(typeof m.namespace === 'string' ? { namespace: m.namespace } : {}),
    name: String(m.name ?? ''),
  };
  const problem = (message: string) =>
    problems.push({
      ruleId: SUPPRESSION_RULE_ID,
      severity: 'error',
      message,
      resource,
      field: `metadata.annotations["${IGNORE_ANNOTATION}"]`,
      location,
    });
  if (typeof value !== 'string') {
    problem(`${IGNORE_ANNOTATION} must be a string "<rule>[,<rule>]: <reason>"`);
    return { entries, problems };
  }
  for (const line of value
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter(Boolean)) {
    const colon = line.indexOf(':');
    const list = colon < 0 ? line : line.slice(0, colon);
    const reason = colon < 0 ? '' : line.slice(colon + 1).trim();
    const names = list
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (reason === '') {
      problem(`${IGNORE_ANNOTATION} "${line}" gives no reason: write "<rule>[,<rule>]: <reason>"; nothing is suppressed without one`);
      continue;
    }
    for (const name of names) {
      const slash = name.indexOf('/');
      const rule = slash < 0 ? name : name.slice(0, slash);
      const container = slash < 0 ? undefined : name.slice(slash + 1);
      if (!policy.knownRules.has(rule)) {
        problem(`${IGNORE_ANNOTATION} names unknown rule "${rule}"${didYouMean(rule, policy.knownRules)}`);
        continue;
      }
      if (policy.lockedRules.has(rule)) {
        problem(
          `rule "${rule}" is locked${policy.lockedBy ? ` by ${policy.lockedBy}` : ''} (lockedRules): the ${IGNORE_ANNOTATION} annotation cannot suppress it; ` +
            'fix the finding, or ask the repository owners for an exemption in the configuration',
        );
        continue;
      }
      entries.push({ rule, ...(container ? { container } : {}), reason, location });
    }
  }
  return { entries, problems };
}

/** Applies suppressions to the findings of one target. */
export class Suppressor {
  private readonly annotations = new Map<KubeObject, AnnotationEntry[]>();
  readonly problems: Finding[] = [];
  private readonly active: Exemption[];

  constructor(policy: SuppressionPolicy, objects: readonly KubeObject[], fallback: SourceLocation) {
    for (const obj of objects) {
      const { entries, problems } = parseAnnotation(obj, fallback, policy);
      if (entries.length) this.annotations.set(obj, entries);
      this.problems.push(...problems);
    }
    this.active = [];
    for (const e of policy.exemptions) {
      if (e.expires !== undefined && e.expires < policy.today) {
        const ns = e.resource.namespace ? `${e.resource.namespace}/` : '';
        this.problems.push({
          ruleId: SUPPRESSION_RULE_ID,
          severity: 'error',
          message: `exemption of ${e.rule} for ${e.resource.kind} ${ns}${e.resource.name}${e.container ? ` container "${e.container}"` : ''} expired on ${e.expires} ("${e.reason}"): fix the finding, or renew or remove the exemption`,
          location: e.location,
        });
      } else this.active.push(e);
    }
  }

  /** The suppression that applies to a finding on `obj` at `path`, if any. */
  find(ruleId: string, obj: KubeObject | undefined, path: FieldPath | undefined): Suppression | undefined {
    if (!obj) return undefined;
    const m = meta(obj);
    const container = path ? containerAt(obj, path) : undefined;
    for (const e of this.active) {
      if (e.rule !== ruleId || e.resource.kind !== obj.kind || e.resource.name !== m.name) continue;
      if (e.resource.namespace !== undefined && e.resource.namespace !== (typeof m.namespace === 'string' ? m.namespace : '')) continue;
      if (e.container !== undefined && e.container !== container) continue;
      return { kind: 'exemption', reason: e.reason, location: e.location };
    }
    for (const a of this.annotations.get(obj) ?? []) {
      if (a.rule !== ruleId) continue;
      if (a.container !== undefined && a.container !== container) continue;
      return { kind: 'annotation', reason: a.reason, location: a.location };
    }
    return undefined;
  }
}
