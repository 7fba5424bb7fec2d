import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import {
  BARE_NULLS,
  LOCS,
  RAW_TEXT,
  deleteField,
  isObject,
  mapLocs,
  setField,
  type Json,
  type JsonArray,
  type JsonObject,
} from '../../model/provenance.ts';
import { fieldCursor, listSchema, type ListSchema, type SchemaCursor } from './merge-schema.ts';
import { afterStrategicMerge, mergedScalar } from '../untagged.ts';

/** Returned when a patch deletes the node it was applied to (`$patch: delete`). */
export const DELETED = Symbol('deleted');

const DIRECTIVE = '$patch';

/*
 * A strategic merge as kustomize performs it (kyaml's merge2 walker with "prepend" list order),
 * which differs from the API server's in ways that show in rendered output:
 *
 * - maps merge key by key; a `null` in the patch deletes; `$patch: delete` / `replace` on a map;
 * - lists without a merge strategy are replaced; associative lists are rebuilt as: the patch's
 *   items (merged with their counterparts) in patch order, then the untouched existing items;
 * - with two merge keys (container ports: containerPort + protocol), a patch item that omits the
 *   second key merges only into an existing item that omits it too; where the existing item
 *   names it, the patch item matches nothing and is silently dropped;
 * - `- $patch: replace` in an associative list empties the existing items, by accident of the
 *   same machinery; `$retainKeys` and `$setElementOrder/...` are not directives to it at all.
 *
 * The merge mutates `dest` in place; provenance follows: every key the patch sets records the
 * patch's location, a key it deletes keeps a tombstone there.
 */

const CLEAR = Symbol('clear');
type Walked = Json | undefined | typeof CLEAR;

interface Ctx {
  /** Location to blame when a node of the patch has none of its own. */
  fallback: SourceLocation;
}

function locOf(parent: JsonObject | undefined, key: string, ctx: Ctx): SourceLocation {
  return parent?.[LOCS]?.[key] ?? ctx.fallback;
}

/** Reads and removes a `$patch` directive from a patch map. */
function takeDirective(patch: JsonObject, ctx: Ctx): 'delete' | 'replace' | 'merge' {
  if (!Object.prototype.hasOwnProperty.call(patch, DIRECTIVE)) return 'merge';
  const v = patch[DIRECTIVE];
  const loc = locOf(patch, DIRECTIVE, ctx);
  if (v === 'delete' || v === 'replace' || v === 'merge') {
    delete patch[DIRECTIVE];
    if (patch[LOCS]) delete patch[LOCS][DIRECTIVE];
    return v;
  }
  throw new UserError(`unknown patch strategy ${JSON.stringify(v)} (expected delete, replace or merge)`, loc);
}

function kindOf(v: Json | undefined): 'map' | 'list' | 'scalar' | undefined {
  if (v === undefined || v === null) return undefined;
  if (Array.isArray(v)) return 'list';
  if (isObject(v)) return 'map';
  return 'scalar';
}

const kindWords = { map: 'a map', list: 'a list', scalar: 'a scalar' };

/**
 * Walks one node of the merge. `dest` and `origin` may be the very same value: that is how a
 * value the patch adds gets cleaned (nulls dropped, directives applied) on its way in.
 */
function walk(
  dest: Json | undefined,
  origin: Json | undefined,
  cursor: SchemaCursor,
  assoc: ListSchema | undefined,
  path: string,
  loc: SourceLocation,
  ctx: Ctx,
): Walked {
  const kind = kindOf(dest) ?? kindOf(origin);
  for (const v of [dest, origin]) {
    const k = kindOf(v);
    if (k && kind && k !== kind) {
      throw new UserError(
        `strategic-merge patch: ${path || 'the resource'} is ${kindWords[kindOf(dest)!]} in the resource but ${kindWords[kindOf(origin)!]} in the patch`,
        loc,
      );
    }
  }
  if (kind === 'scalar') return origin !== undefined ? origin : dest;
  if (kind === 'list') return walkList(dest as JsonArray | null | undefined, origin as JsonArray | null | undefined, assoc, path, loc, ctx);
  return walkMap(dest as JsonObject | null | undefined, origin as JsonObject | null | undefined, cursor, path, ctx);
}

function walkMap(
  dest: JsonObject | null | undefined,
  origin: JsonObject | null | undefined,
  cursor: SchemaCursor,
  path: string,
  ctx: Ctx,
): Walked {
  let target: JsonObject | null | undefined;
  if (dest === undefined || dest === null) {
    if (isObject(origin) && takeDirective(origin, ctx) === 'delete') return CLEAR;
    if (origin === undefined && dest === null) return null;
    target = origin;
  } else if (origin === null) {
    return CLEAR;
  } else if (origin === undefined) {
    // Untouched by the patch, yet walked all the same (bare nulls and list quirks apply).
    target = dest;
  } else {
    const d = takeDirective(origin, ctx);
    if (d === 'delete') return CLEAR;
    target = d === 'replace' ? origin : dest;
  }
  if (target === undefined || target === null) return target === null ? CLEAR : undefined;
  const src = origin ?? undefined;

  const keys = [...Object.keys(target)];
  if (src && src !== target) for (const k of Object.keys(src)) if (!Object.prototype.hasOwnProperty.call(target, k)) keys.push(k);
  for (const key of keys) {
    const has = Object.prototype.hasOwnProperty.call(target, key);
    const dv = has ? (target[key] as Json) : undefined;
    const ov = src && Object.prototype.hasOwnProperty.call(src, key) ? (src[key] as Json) : undefined;
    const loc = src && ov !== undefined ? locOf(src, key, ctx) : locOf(target, key, ctx);
    const sub = path ? `${path}.${key}` : key;
    let val = walk(dv, ov, fieldCursor(cursor, key), listSchema(cursor, key), sub, loc, ctx);
    // A value written as nothing (`key:`) is dropped wherever the merge passes; `null` and `~` stay.
    if (val === null && ov === undefined && target[BARE_NULLS]?.has(key)) val = CLEAR;
    if (src && src !== target && ov !== undefined) carryRawText(target, src, key);
    if (has && ov !== undefined && val === ov && kindOf(ov) === 'scalar') val = mergedScalar(target, key, dv, ov);
    if (val === CLEAR || val === undefined || (val === null && ov !== undefined)) {
      if (has) deleteField(target, key, ov !== undefined ? loc : undefined);
      else if (ov !== undefined) mapLocs(target)[key] = loc;
      continue;
    }
    if (has && val === dv) {
      if (target !== src && ov !== undefined && kindOf(ov) === 'scalar') setField(target, key, val, loc);
      continue;
    }
    setField(target, key, val, ov !== undefined ? loc : target[LOCS]?.[key]);
  }
  return target;
}

/** The source text of a scalar the patch sets travels with it (see RAW_TEXT). */
function carryRawText(target: JsonObject, src: JsonObject, key: string): void {
  const raw = src[RAW_TEXT]?.[key];
  if (raw !== undefined) (target[RAW_TEXT] ??= {})[key] = raw;
  else if (target[RAW_TEXT]) delete target[RAW_TEXT][key];
}

// ---- lists -------------------------------------------------------------------------------

/** The string kustomize compares scalars by. */
function scalarText(v: Json | undefined): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'object') return '';
  return String(v);
}

function walkList(
  dest: JsonArray | null | undefined,
  origin: JsonArray | null | undefined,
  assoc: ListSchema | undefined,
  path: string,
  loc: SourceLocation,
  ctx: Ctx,
): Walked {
  if (!assoc) {
    // Replaced whole, exactly as written (no cleaning of the items).
    if (origin !== undefined) return origin === null ? CLEAR : origin;
    return dest;
  }
  let target: JsonArray;
  if (dest === undefined || dest === null) {
    if (origin === undefined || origin === null) return origin === null ? CLEAR : dest;
    target = origin;
  } else if (origin === null) {
    return CLEAR;
  } else {
    target = dest;
  }
  return mergeAssociative(target, origin ?? undefined, assoc, path, loc, ctx);
}

/** A working list: items with their locations, mutated in place like kyaml's sequence nodes. */
class Seq {
  items: { v: Json; loc: SourceLocation | undefined }[];
  constructor(arr?: JsonArray) {
    this.items = arr ? arr.map((v, i) => ({ v, loc: arr[LOCS]?.[i] })) : [];
  }
  toArray(): JsonArray {
    const out: JsonArray = this.items.map((e) => e.v);
    out[LOCS] = this.items.map((e) => e.loc);
    return out;
  }
}

function isEmptyMap(v: Json): boolean {
  return isObject(v) && Object.keys(v).length === 0;
}

/** kyaml's FieldMatcher: `value` "" asks only that the field be present. */
function fieldMatches(elem: Json, key: string, value: string): boolean {
  if (elem === null) return false;
  if (key === '') return !isObject(elem) && !Array.isArray(elem) && scalarText(elem) === value;
  if (!isObject(elem) || !Object.prototype.hasOwnProperty.call(elem, key)) return false;
  if (value === '') return true;
  return scalarText(elem[key] as Json) === value;
}

/** kyaml's ElementSetter: replaces (or, with no element, deletes) the items matching keys/values. */
function setElement(
  seq: Seq,
  element: { v: Json; loc: SourceLocation | undefined } | undefined,
  keys: readonly string[],
  values: readonly string[],
): void {
  const mappingSetter = keys.length > 0 && keys[0] !== '' && values.length > 0 && values[0] !== '';
  const next: Seq['items'] = [];
  let found = false;
  for (const e of seq.items) {
    if (e.v === null || isEmptyMap(e.v)) continue;
    if (!isObject(e.v) && mappingSetter) {
      next.push(e);
      continue;
    }
    let matched = true;
    let seen = false;
    for (let j = 0; j < keys.length; j++) {
      if (j < values.length) seen = fieldMatches(e.v, keys[j]!, values[j]!);
      if (!seen) {
        matched = false;
        break;
      }
    }
    if (!matched) {
      if (values.length > 0) next.push(e);
      continue;
    }
    found = true;
    if (element) next.push(element);
  }
  seq.items = next;
  if (element && !found) seq.items.push(element);
}

/** kyaml's MatchElementList: the first map item whose keys equal values exactly. */
function findElement(
  seq: Seq | undefined,
  keys: readonly string[],
  values: readonly string[],
): { v: Json; loc: SourceLocation | undefined } | undefined {
  if (!seq) return undefined;
  if (keys.length === 0 || keys[0] === '')
    return seq.items.find((e) => !isObject(e.v) && !Array.isArray(e.v) && e.v !== null && scalarText(e.v) === values[0]);
  return seq.items.find(
    (e) =>
      isObject(e.v) &&
      keys.every((k, i) => Object.prototype.hasOwnProperty.call(e.v, k) && scalarText((e.v as JsonObject)[k] as Json) === values[i]),
  );
}

/** Keys with a value somewhere in `valuesList`; with none at all, every key. */
function validKeys(valuesList: string[][], values: string[], keys: readonly string[]): [string[], string[]] {
  const valid = new Set<string>();
  for (const vs of valuesList) vs.forEach((v, i) => v !== '' && valid.add(keys[i]!));
  if (valid.size === 0) return [[...keys], values];
  return [keys.filter((k) => valid.has(k)), values.filter((v, i) => v !== '' || valid.has(keys[i]!))];
}

/** Two key tuples name the same item when they share a value and differ only where one is empty. */
function matchValues(a: string[], b: string[]): string[] | undefined {
  if (a.length !== b.length) return undefined;
  let common = false;
  const out: string[] = [];
  for (let i = 0; i < a.length; i++) {
    if (a[i] === b[i]) {
      common = true;
      out.push(a[i]!);
      continue;
    }
    if (a[i] !== '' && b[i] !== '') return undefined;
    out.push(a[i] !== '' ? a[i]! : b[i]!);
  }
  return common ? out : undefined;
}

function scalarFromKey(v: string): Json {
  return /^-?(0|[1-9]\d*)$/.test(v) ? Number(v) : v;
}

function mergeAssociative(
  destArr: JsonArray,
  originArr: JsonArray | undefined,
  schema: ListSchema,
  path: string,
  loc: SourceLocation,
  ctx: Ctx,
): Walked {
  const dest = new Seq(destArr);
  // Added lists walk against themselves: the same working list on both sides.
  const origin = originArr === undefined ? undefined : originArr === destArr ? dest : new Seq(originArr);
  const sources = [origin, dest]; // the patch's order first ("prepend")

  let keys: string[] = [...schema.keys];
  const valuesList: string[][] = [];
  if (keys.length > 0) {
    const seen = new Set<string>();
    for (const s of sources) {
      for (const e of s?.items ?? []) {
        const vs = keys.map((k) => (isObject(e.v) ? scalarText(e.v[k] as Json) : ''));
        const id = JSON.stringify(vs);
        if (seen.has(id)) continue;
        seen.add(id);
        valuesList.push(vs);
      }
    }
  }
  if (keys.length === 0) {
    // A set of scalars (finalizers).
    keys = [''];
    const seen = new Set<string>();
    for (const s of sources) {
      for (const e of s?.items ?? []) {
        const t = scalarText(e.v);
        if (seen.has(t)) continue;
        seen.add(t);
        valuesList.push([t]);
      }
    }
  }
  if (keys.length > 1) {
    // Tuples that differ only where one is empty become one (in place, as kyaml does).
    for (let i = 0; i < valuesList.length; i++) {
      for (let j = 0; j < valuesList.length; j++) {
        const m = matchValues(valuesList[i]!, valuesList[j]!);
        if (m) {
          valuesList[i] = m;
          valuesList[j] = m;
        }
      }
    }
  }

  const added = new Seq();
  let outerKeys: string[] = keys;
  for (const values of valuesList) {
    if (values.length === 0) continue;
    const [vk, vv] = validKeys(valuesList, values, keys);
    outerKeys = vk;
    const [ek, ev] = validKeys([vv], vv, vk);
    const d = findElement(dest, ek, ev);
    const o = origin === dest ? d : findElement(origin, ek, ev);
    const elemLoc = o?.loc ?? d?.loc ?? loc;
    const val = walk(d?.v, o?.v, schema.item, undefined, `${path}[${ev.join(',')}]`, elemLoc, ctx);
    if (val === CLEAR || val === undefined || val === null || isEmptyMap(val)) {
      setElement(dest, undefined, vk, vv);
      continue;
    }
    if (isObject(val)) {
      vk.forEach((k, i) => {
        if (!Object.prototype.hasOwnProperty.call(val as JsonObject, k) && vv[i] !== '')
          setField(val as JsonObject, k, scalarFromKey(vv[i]!), elemLoc);
      });
    }
    const fromDest = d !== undefined && d.v === val;
    setElement(added, { v: val, loc: fromDest ? d.loc : elemLoc }, vk, vv);
  }
  if (valuesList.length === 0) return destArr;

  // Then the existing items, replacing their merged copies or appended after the patch's.
  for (const e of [...dest.items]) {
    if (outerKeys[0] === '') {
      setElement(added, e, [''], [scalarText(e.v)]);
      continue;
    }
    const v: string[] = [];
    for (const k of outerKeys) {
      if (!isObject(e.v) || !Object.prototype.hasOwnProperty.call(e.v, k)) {
        added.items.push(e);
        continue;
      }
      v.push(scalarText(e.v[k] as Json));
    }
    if (outerKeys.length > 1) setElement(added, undefined, outerKeys, v);
    setElement(added, e, outerKeys, v);
  }
  return added.toArray();
}

/**
 * Applies a strategic-merge patch to `dest` (mutated in place) with kustomize's semantics.
 * The patch is consumed (directives are removed from it): pass a copy per target.
 */
export function strategicMerge(
  dest: JsonObject,
  patch: JsonObject,
  cursor: SchemaCursor,
  location: SourceLocation,
): JsonObject | typeof DELETED {
  const out = walk(dest, patch, cursor, undefined, '', location, { fallback: location });
  if (out === CLEAR || out === undefined || out === null || !isObject(out)) return DELETED;
  afterStrategicMerge(out, cursor);
  return out;
}
