import type { ErrorObject } from 'ajv';
import { type FieldPath, type Json, type PathSegment } from '../model/provenance.ts';
import { didYouMean } from './suggest.ts';

/** One validation failure, anchored on a field path of the validated value. */
export interface PathedError {
  path: FieldPath;
  /** A readable message, with a suggestion for a misspelt field. */
  message: string;
  keyword: string;
  /** For an unknown field: its name, and the nearest known one. */
  unknownField?: string;
}

/** Decodes an ajv `instancePath` (a JSON pointer) against the data: array indexes become numbers. */
export function pointerToPath(pointer: string, data: unknown): PathSegment[] {
  if (pointer === '') return [];
  const out: PathSegment[] = [];
  let node: unknown = data;
  for (const raw of pointer.slice(1).split('/')) {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(node) && /^\d+$/.test(seg)) {
      out.push(Number(seg));
      node = node[Number(seg)];
    } else {
      out.push(seg);
      node = node && typeof node === 'object' ? (node as Record<string, unknown>)[seg] : undefined;
    }
  }
  return out;
}

function typeOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  if (typeof v === 'number') return Number.isInteger(v) ? 'integer' : 'number';
  return typeof v;
}

function valueAt(data: unknown, path: FieldPath): unknown {
  let node = data;
  for (const s of path) node = node && typeof node === 'object' ? (node as Record<string | number, unknown>)[s] : undefined;
  return node;
}

/** Keywords whose failure only repeats what the failures beneath them say. */
const NOISE = new Set(['if', 'anyOf', 'oneOf', 'allOf', 'then', 'else']);

/**
 * Turns ajv errors (compiled with `allErrors` and `verbose`) into messages on field paths, one per
 * path and message: an unknown field is reported on itself with the nearest allowed name, a
 * missing required field on where it should be (which locates to its parent).
 */
export function explainErrors(errors: readonly ErrorObject[] | null | undefined, data: Json | unknown): PathedError[] {
  const out: PathedError[] = [];
  const seen = new Set<string>();
  const list = errors ?? [];
  const substantive = list.filter((e) => !NOISE.has(e.keyword));
  for (const e of substantive.length ? substantive : list) {
    const base = pointerToPath(e.instancePath, data);
    let path: FieldPath = base;
    let message: string;
    let unknownField: string | undefined;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'additionalProperties': {
        const field = String(p.additionalProperty);
        path = [...base, field];
        const props = (e.parentSchema as { properties?: Record<string, unknown> } | undefined)?.properties;
        unknownField = field;
        message = `unknown field "${field}"${didYouMean(field, Object.keys(props ?? {}))}`;
        break;
      }
      case 'required':
        path = [...base, String(p.missingProperty)];
        message = `missing required field "${String(p.missingProperty)}"`;
        break;
      case 'const':
        message = `must be ${JSON.stringify(p.allowedValue)}`;
        break;
      case 'enum':
        message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
        break;
      case 'type':
        message = `must be ${Array.isArray(p.type) ? (p.type as string[]).join(' or ') : String(p.type)}, not ${typeOf(valueAt(data, base))}`;
        break;
      case 'pattern': {
        // A schema whose title names what its pattern stands for ("a glob ...") says that, not the regular expression.
        const title = (e.parentSchema as { title?: unknown } | undefined)?.title;
        message = typeof title === 'string' ? `${JSON.stringify(valueAt(data, base))} is not ${title}` : (e.message ?? 'fails pattern');
        break;
      }
      default:
        message = e.message ?? `fails ${e.keyword}`;
    }
    const key = JSON.stringify([path, message]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message, keyword: e.keyword, ...(unknownField !== undefined ? { unknownField } : {}) });
  }
  return out;
}
