import type { SourceLocation } from './location.ts';

/**
 * Provenance rides on the rendered objects themselves, under symbol keys, so the objects stay
 * plain JSON for rules (symbols are invisible to JSON.stringify, Object.keys and for..in).
 *
 * - A mapping carries `LOCS`: key -> location of the source that last set that key (the whole
 *   `key: value` span). A key present in `LOCS` but absent from the mapping is a tombstone:
 *   the place that deleted it (a `$patch: delete`, a `null`, a JSON6902 `remove`).
 * - A sequence carries `LOCS` as an array parallel to its items.
 * - A document root carries `SELF`: the location of the whole document.
 */
export const LOCS: unique symbol = Symbol('cilium-etcd-lint.locs');
export const SELF: unique symbol = Symbol('cilium-etcd-lint.self');
/**
 * On a mapping: the keys whose null value was written as nothing at all (`key:`), which
 * kustomize's merge drops where `key: null` and `key: ~` survive.
 */
export const BARE_NULLS: unique symbol = Symbol('cilium-etcd-lint.bare-nulls');
/**
 * On a mapping: the source text of its plain scalar values, where the renderer needs it
 * (kustomize turns annotation values into strings of their text: `0644` stays "0644").
 */
export const RAW_TEXT: unique symbol = Symbol('cilium-etcd-lint.raw-text');

/**
 * On a mapping: the text of values held by an untagged YAML node (kyaml makes one where a
 * replacement creates a field, or where it re-sets a resource's name, namespace or kind). The
 * value stored is the text as yaml.v3 reads it; the text decides what later steps do with it
 * (see render/untagged.ts).
 */
export const UNTAGGED: unique symbol = Symbol('cilium-etcd-lint.untagged');

/**
 * On a mapping: string values (by their text) held by a plain-style node although they would
 * read as another type unquoted: a strategic-merge patch gives its quoted "3" the plain style of
 * the 0 it replaces. Printed, it is still "3"; a later replica count written there is a number
 * (see render/untagged.ts).
 */
export const PLAIN_STRINGS: unique symbol = Symbol('cilium-etcd-lint.plain-strings');

export type Json = null | boolean | number | string | JsonArray | JsonObject;
export interface JsonObject {
  [key: string]: Json;
  [LOCS]?: Record<string, SourceLocation>;
  [SELF]?: SourceLocation;
  [BARE_NULLS]?: Set<string>;
  [RAW_TEXT]?: Record<string, string>;
  [UNTAGGED]?: Record<string, string>;
  [PLAIN_STRINGS]?: Record<string, string>;
}
export interface JsonArray extends Array<Json> {
  [LOCS]?: (SourceLocation | undefined)[];
  [SELF]?: SourceLocation;
}

export type PathSegment = string | number;
export type FieldPath = readonly PathSegment[];

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export function mapLocs(obj: JsonObject): Record<string, SourceLocation> {
  let locs = obj[LOCS];
  if (!locs) {
    locs = Object.create(null) as Record<string, SourceLocation>;
    obj[LOCS] = locs;
  }
  return locs;
}

export function seqLocs(arr: JsonArray): (SourceLocation | undefined)[] {
  let locs = arr[LOCS];
  if (!locs) {
    locs = [];
    arr[LOCS] = locs;
  }
  return locs;
}

/** Sets `obj[key] = value` and records who set it. */
export function setField(obj: JsonObject, key: string, value: Json, loc: SourceLocation | undefined): void {
  obj[key] = value;
  if (loc) mapLocs(obj)[key] = loc;
}

/** Deletes `obj[key]`, leaving a tombstone naming who deleted it. */
export function deleteField(obj: JsonObject, key: string, loc: SourceLocation | undefined): void {
  delete obj[key];
  if (loc) mapLocs(obj)[key] = loc;
  else if (obj[LOCS]) delete obj[LOCS][key];
}

/** Deep copy that keeps provenance. */
export function cloneJson<T extends Json>(value: T): T {
  if (Array.isArray(value)) {
    const out: JsonArray = value.map((v) => cloneJson(v));
    if (value[LOCS]) out[LOCS] = [...value[LOCS]];
    if (value[SELF]) out[SELF] = value[SELF];
    return out as T;
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const k of Object.keys(value)) out[k] = cloneJson(value[k] as Json);
    if (value[LOCS]) out[LOCS] = Object.assign(Object.create(null), value[LOCS]);
    if (value[SELF]) out[SELF] = value[SELF];
    if (value[BARE_NULLS]) out[BARE_NULLS] = new Set(value[BARE_NULLS]);
    if (value[RAW_TEXT]) out[RAW_TEXT] = { ...value[RAW_TEXT] };
    if (value[UNTAGGED]) out[UNTAGGED] = { ...value[UNTAGGED] };
    if (value[PLAIN_STRINGS]) out[PLAIN_STRINGS] = { ...value[PLAIN_STRINGS] };
    return out as T;
  }
  return value;
}

/** Deep copy without provenance: what kustomize would print. */
export function stripProvenance<T extends Json>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

/** `spec.containers[0].securityContext`, with `["a/b"]` for keys that are not identifiers. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out;
}

/**
 * The location responsible for `path` in `root`: the deepest present node's own entry, or a
 * tombstone where the path was deleted; missing fields resolve to their nearest present parent.
 */
export function locate(root: JsonObject, path: FieldPath): SourceLocation | undefined {
  let best: SourceLocation | undefined = root[SELF];
  let node: Json | undefined = root;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') {
      const loc = node[LOCS]?.[seg];
      if (seg >= node.length) return best;
      if (loc) best = loc;
      node = node[seg];
    } else if (isObject(node) && typeof seg === 'string') {
      const loc = node[LOCS]?.[seg];
      if (loc) best = loc;
      if (!Object.prototype.hasOwnProperty.call(node, seg)) return best;
      node = node[seg];
    } else {
      return best;
    }
  }
  return best;
}

/** Reads the value at `path`, or undefined. */
export function getPath(root: Json, path: FieldPath): Json | undefined {
  let node: Json | undefined = root;
  for (const seg of path) {
    if (Array.isArray(node) && typeof seg === 'number') node = node[seg];
    else if (isObject(node) && typeof seg === 'string') {
      if (!Object.prototype.hasOwnProperty.call(node, seg)) return undefined;
      node = node[seg];
    } else return undefined;
  }
  return node;
}
