import type { SourceLocation } from '../../model/location.ts';
import {
  LOCS,
  cloneJson,
  deleteField,
  isObject,
  mapLocs,
  setField,
  type Json,
  type JsonArray,
  type JsonObject,
} from '../../model/provenance.ts';
import { fieldCursor, itemCursor, listStrategy, type ListStrategy, type SchemaCursor } from './merge-schema.ts';

/** Returned when a patch deletes the node it was applied to (`$patch: delete`). */
export const DELETED = Symbol('deleted');

const DIRECTIVE = '$patch';
const RETAIN_KEYS = '$retainKeys';
const SET_ORDER = '$setElementOrder/';
const DELETE_FROM = '$deleteFromPrimitiveList/';

function isDirectiveKey(k: string): boolean {
  return k === DIRECTIVE || k === RETAIN_KEYS || k.startsWith(SET_ORDER) || k.startsWith(DELETE_FROM);
}

/**
 * A copy of patch content that is being added wholesale: directives stripped, and `null`s
 * dropped (a null in a patch means "delete", which on absent content is nothing).
 */
export function cleanPatchValue(value: Json): Json {
  if (Array.isArray(value)) {
    const out: JsonArray = [];
    const locs: (SourceLocation | undefined)[] = [];
    value.forEach((v, i) => {
      if (isObject(v) && v[DIRECTIVE] !== undefined && Object.keys(v).length === 1) return;
      out.push(cleanPatchValue(v));
      locs.push(value[LOCS]?.[i]);
    });
    out[LOCS] = locs;
    return out;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    const locs = value[LOCS];
    for (const k of Object.keys(value)) {
      const v = value[k] as Json;
      if (isDirectiveKey(k) || v === null) continue;
      setField(out, k, cleanPatchValue(v), locs?.[k]);
    }
    return out;
  }
  return value;
}

/**
 * Applies a strategic-merge patch to `dest` in place (Kubernetes semantics as kustomize applies
 * them): maps merge recursively, `null` deletes, lists merge by their merge keys where the schema
 * gives one (new items first, then the existing ones) and are replaced otherwise.
 */
export function strategicMerge(dest: JsonObject, patch: JsonObject, cursor: SchemaCursor): JsonObject | typeof DELETED {
  const directive = patch[DIRECTIVE];
  if (directive === 'delete') return DELETED;
  if (directive === 'replace') return cleanPatchValue(patch) as JsonObject;

  const retain = patch[RETAIN_KEYS];
  if (Array.isArray(retain)) {
    const keep = new Set(retain.map(String));
    for (const k of Object.keys(dest)) if (!keep.has(k) && !(k in patch)) delete dest[k];
  }

  const plocs = patch[LOCS];
  for (const key of Object.keys(patch)) {
    if (isDirectiveKey(key)) continue;
    const pv = patch[key] as Json;
    const loc = plocs?.[key];
    const dv = dest[key];
    if (pv === null) {
      if (key in dest) deleteField(dest, key, loc);
      continue;
    }
    if (isObject(pv)) {
      if (isObject(dv)) {
        const merged = strategicMerge(dv, pv, fieldCursor(cursor, key));
        if (merged === DELETED) deleteField(dest, key, loc);
        else if (merged !== dv) setField(dest, key, merged, loc);
      } else if (pv[DIRECTIVE] !== 'delete') {
        setField(dest, key, cleanPatchValue(pv), loc);
      }
      continue;
    }
    if (Array.isArray(pv)) {
      const strategy = listStrategy(cursor, key);
      const merged = mergeList(Array.isArray(dv) ? dv : undefined, pv, strategy);
      if (merged !== dv) setField(dest, key, merged, loc);
      continue;
    }
    setField(dest, key, pv, loc);
  }

  for (const key of Object.keys(patch)) {
    if (key.startsWith(DELETE_FROM)) {
      const field = key.slice(DELETE_FROM.length);
      const drop = patch[key];
      const list = dest[field];
      if (Array.isArray(drop) && Array.isArray(list)) {
        const gone = new Set(drop.map((v) => JSON.stringify(v)));
        setField(dest, field, filterList(list, (v) => !gone.has(JSON.stringify(v))), plocs?.[key]);
      }
    }
  }
  for (const key of Object.keys(patch)) {
    if (key.startsWith(SET_ORDER)) {
      const field = key.slice(SET_ORDER.length);
      const order = patch[key];
      const list = dest[field];
      if (Array.isArray(order) && Array.isArray(list)) {
        dest[field] = reorder(list, order, listStrategy(cursor, field));
      }
    }
  }
  return dest;
}

function filterList(list: JsonArray, keep: (v: Json) => boolean): JsonArray {
  const out: JsonArray = [];
  const locs: (SourceLocation | undefined)[] = [];
  list.forEach((v, i) => {
    if (keep(v)) {
      out.push(v);
      locs.push(list[LOCS]?.[i]);
    }
  });
  out[LOCS] = locs;
  return out;
}

function itemKey(item: Json, keys: readonly string[]): string | undefined {
  if (!isObject(item)) return JSON.stringify(item);
  if (item[keys[0]!] === undefined) return undefined;
  return JSON.stringify(keys.map((k) => (item[k] === undefined ? null : item[k])));
}

function reorder(list: JsonArray, order: JsonArray, strategy: ListStrategy): JsonArray {
  const keys = strategy.kind === 'map' ? strategy.keys : [];
  const rank = new Map<string, number>();
  order.forEach((o, i) => {
    const k = itemKey(o, keys.length ? keys.filter((key) => isObject(o) && o[key] !== undefined) : []);
    if (k !== undefined) rank.set(keys.length && isObject(o) ? JSON.stringify(keys.map((key) => o[key] ?? null)) : k, i);
  });
  const indexed = list.map((v, i) => ({ v, loc: list[LOCS]?.[i], i }));
  const r = (x: Json) => rank.get(itemKey(x, keys) ?? '') ?? Number.MAX_SAFE_INTEGER;
  indexed.sort((a, b) => r(a.v) - r(b.v) || a.i - b.i);
  const out: JsonArray = indexed.map((e) => e.v);
  out[LOCS] = indexed.map((e) => e.loc);
  return out;
}

function mergeList(dest: JsonArray | undefined, patch: JsonArray, strategy: ListStrategy): JsonArray {
  const replaceAll = patch.some((p) => isObject(p) && p[DIRECTIVE] === 'replace');
  if (!dest || strategy.kind === 'replace' || replaceAll) return cleanPatchValue(patch) as JsonArray;

  const plocs = patch[LOCS];
  const dlocs = dest[LOCS];
  if (strategy.kind === 'set') {
    const have = new Set(dest.map((v) => JSON.stringify(v)));
    const added = filterList(patch, (v) => !have.has(JSON.stringify(v)));
    const out: JsonArray = [...added, ...dest];
    out[LOCS] = [...(added[LOCS] ?? []), ...dest.map((_, i) => dlocs?.[i])];
    return out;
  }

  const keys = strategy.keys;
  const cursor = itemCursor(strategy);
  const byKey = new Map<string, number>();
  dest.forEach((d, i) => {
    const k = itemKey(d, keys);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, i);
  });
  const merged: (Json | typeof DELETED)[] = [...dest];
  const mergedLocs = dest.map((_, i) => dlocs?.[i]);
  const added: JsonArray = [];
  const addedLocs: (SourceLocation | undefined)[] = [];
  patch.forEach((p, pi) => {
    const k = itemKey(p, keys);
    const at = k === undefined ? undefined : byKey.get(k);
    if (at === undefined) {
      if (isObject(p) && p[DIRECTIVE] === 'delete') return;
      added.push(cleanPatchValue(p));
      addedLocs.push(plocs?.[pi]);
      return;
    }
    const current = merged[at];
    if (isObject(p) && isObject(current)) {
      const r = strategicMerge(current, p, cursor);
      merged[at] = r;
      if (r === DELETED || r !== current) mergedLocs[at] = plocs?.[pi];
    } else {
      merged[at] = cleanPatchValue(p);
      mergedLocs[at] = plocs?.[pi];
    }
  });
  const out: JsonArray = [...added];
  const locs = [...addedLocs];
  merged.forEach((m, i) => {
    if (m === DELETED) return;
    out.push(m);
    locs.push(mergedLocs[i]);
  });
  out[LOCS] = locs;
  return out;
}

/** Applies `patch` to a copy of `target`, leaving the target untouched on failure. */
export function applyStrategicMerge(target: JsonObject, patch: JsonObject, cursor: SchemaCursor): JsonObject | typeof DELETED {
  const copy = cloneJson(target);
  const out = strategicMerge(copy, patch, cursor);
  if (out !== DELETED && out !== copy) mapLocs(out);
  return out;
}
