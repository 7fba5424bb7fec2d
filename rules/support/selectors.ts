import type { LabelSelector, LabelSelectorRequirement } from 'kubernetes-types/meta/v1.js';
import type { FieldPath } from '../../src/model/provenance.ts';

/**
 * Whether a metav1.LabelSelector selects an object with `labels`, as Kubernetes evaluates it:
 * `matchLabels` and every `matchExpressions` requirement must hold; an empty selector (`{}`)
 * selects everything; an absent (null) selector selects nothing; an unknown operator makes the
 * selector invalid, which selects nothing.
 */
export function labelSelectorMatches(selector: LabelSelector | null | undefined, labels: Record<string, string>): boolean {
  return labelSelectorMismatch(selector, labels) === undefined;
}

/**
 * Why a metav1.LabelSelector does not select `labels`: the path, relative to the selector, of the
 * first term that fails (`['matchLabels', key]` or `['matchExpressions', i]`), `[]` when there is
 * no selector at all; undefined when it selects them.
 */
export function labelSelectorMismatch(selector: LabelSelector | null | undefined, labels: Record<string, string>): FieldPath | undefined {
  if (selector === null || selector === undefined || typeof selector !== 'object' || Array.isArray(selector)) return [];
  const matchLabels = selector.matchLabels;
  if (matchLabels && typeof matchLabels === 'object') {
    for (const [k, v] of Object.entries(matchLabels)) {
      if (labels[k] !== v) return ['matchLabels', k];
    }
  }
  const expressions = Array.isArray(selector.matchExpressions) ? selector.matchExpressions : [];
  for (let i = 0; i < expressions.length; i++) {
    const req = expressions[i];
    if (!req || typeof req !== 'object' || !requirementMatches(req, labels)) return ['matchExpressions', i];
  }
  return undefined;
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
  return mapSelectorMismatch(selector, labels) === undefined;
}

/**
 * Why a Service selector does not select `labels`: `[key]` of the first entry that fails, `[]`
 * when there is no (or an empty) selector; undefined when it selects them.
 */
export function mapSelectorMismatch(
  selector: Record<string, string> | null | undefined,
  labels: Record<string, string>,
): FieldPath | undefined {
  if (!selector || typeof selector !== 'object' || Array.isArray(selector)) return [];
  const entries = Object.entries(selector);
  if (entries.length === 0) return [];
  const failing = entries.find(([k, v]) => labels[k] !== v);
  return failing ? [failing[0]] : undefined;
}
