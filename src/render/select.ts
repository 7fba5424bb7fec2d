import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import type { Selector } from './kustomization.ts';
import { effectiveNamespace, idOf, type Resource } from './resource.ts';

/** One requirement of a Kubernetes label selector string (`a=b`, `a!=b`, `a in (x,y)`, `!a`, `a`). */
interface Requirement {
  key: string;
  op: 'eq' | 'ne' | 'in' | 'notin' | 'exists' | 'notexists';
  values: string[];
}

export function parseLabelSelector(text: string, loc: SourceLocation): Requirement[] {
  const out: Requirement[] = [];
  // Split on commas that are not inside parentheses.
  const parts: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur.trim() || parts.length) parts.push(cur);
  for (const raw of parts) {
    const p = raw.trim();
    if (!p) throw new UserError(`invalid label selector "${text}": empty requirement`, loc);
    let m: RegExpMatchArray | null;
    if ((m = p.match(/^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/))) {
      out.push({ key: m[1]!, op: m[2] as 'in' | 'notin', values: m[3]!.split(',').map((v) => v.trim()) });
    } else if ((m = p.match(/^([\w./-]+)\s*(==|=|!=)\s*([\w./-]*)$/))) {
      out.push({ key: m[1]!, op: m[2] === '!=' ? 'ne' : 'eq', values: [m[3]!] });
    } else if ((m = p.match(/^!\s*([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: 'notexists', values: [] });
    } else if ((m = p.match(/^([\w./-]+)$/))) {
      out.push({ key: m[1]!, op: 'exists', values: [] });
    } else {
      throw new UserError(`invalid label selector "${text}" at "${p}"`, loc);
    }
  }
  return out;
}

/** Does a label (or annotation) map satisfy a selector string? An absent selector matches everything. */
export function matchesLabelSelector(map: unknown, selector: string | undefined, loc: SourceLocation): boolean {
  if (!selector) return true;
  return matchesRequirements(isObject(map) ? map : {}, parseLabelSelector(selector, loc));
}

function matchesRequirements(map: Record<string, unknown>, reqs: Requirement[]): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(map, r.key);
    const v = has ? String(map[r.key]) : undefined;
    switch (r.op) {
      case 'eq':
        return v === r.values[0];
      case 'ne':
        return v !== r.values[0];
      case 'in':
        return v !== undefined && r.values.includes(v);
      case 'notin':
        return v === undefined || !r.values.includes(v);
      case 'exists':
        return has;
      case 'notexists':
        return !has;
    }
  });
}

function anchored(pattern: string, value: string, loc: SourceLocation): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    throw new UserError(`invalid regular expression "${pattern}" in patch target`, loc);
  }
}

/**
 * Does a kustomize target selector pick this resource? Every field is an anchored regular
 * expression: group, version and kind matched against the current ones, name and namespace
 * against the original or the current value (namespaces as effective namespaces: `default` for
 * none).
 */
export function selects(sel: Selector, res: Resource, loc: SourceLocation): boolean {
  const cur = idOf(res.object);
  // kustomize's original id: the first one a renaming transformer recorded (its previousNames
  // annotations), else the current one; a change nothing recorded (a replacement into
  // metadata.name) leaves no trace of the name the object was loaded with.
  const org = res.history?.[0] ?? cur;
  const idOk =
    (!sel.group || anchored(sel.group, cur.group, loc)) &&
    (!sel.version || anchored(sel.version, cur.version, loc)) &&
    (!sel.kind || anchored(sel.kind, cur.kind, loc)) &&
    (!sel.name || anchored(sel.name, org.name, loc) || anchored(sel.name, cur.name, loc)) &&
    (!sel.namespace || anchored(sel.namespace, effectiveNamespace(org), loc) || anchored(sel.namespace, effectiveNamespace(cur), loc));
  if (!idOk) return false;
  const meta = isObject(res.object.metadata) ? (res.object.metadata as JsonObject) : {};
  if (sel.labelSelector) {
    const labels = isObject(meta.labels) ? meta.labels : {};
    if (!matchesRequirements(labels, parseLabelSelector(sel.labelSelector, loc))) return false;
  }
  if (sel.annotationSelector) {
    const ann = isObject(meta.annotations) ? meta.annotations : {};
    if (!matchesRequirements(ann, parseLabelSelector(sel.annotationSelector, loc))) return false;
  }
  return true;
}
