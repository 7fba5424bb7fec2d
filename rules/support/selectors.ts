import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';

/**
 * Whether a metav1.LabelSelector selects an object with `labels`, as Kubernetes evaluates it:
 * `matchLabels` and every `matchExpressions` requirement must hold; an empty selector (`{}`)
 * selects everything; an absent (null) selector selects nothing; an unknown operator makes the
 * selector invalid, which selects nothing.
 */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string>): boolean {
  if (selector === null || selector === undefined || typeof selector !== 'object') return false;
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) {
    if (labels[k] !== v) return false;
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!requirementMatches(req, labels)) return false;
  }
  return true;
}

function requirementMatches(req: LabelSelectorRequirement, labels: Record<string, string>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  const value = labels[req.key];
  const values = Array.isArray(req.values) ? req.values : [];
  switch (req.operator) {
    case 'In':
      return has && values.includes(value as string);
    case 'NotIn':
      return !has || !values.includes(value as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    default:
      return false;
  }
}

/**
 * Whether a Service's equality-based selector (a plain map) selects `labels`. A Service without a
 * selector, or with an empty one, manages no endpoints for the pods, so it selects nothing here.
 */
export function mapSelectorMatches(selector: Record<string, string> | null | undefined, labels: Record<string, string>): boolean {
  if (!selector || typeof selector !== 'object') return false;
  const entries = Object.entries(selector);
  if (entries.length === 0) return false;
  return entries.every(([k, v]) => labels[k] === v);
}
