import type { SourceLocation } from '../../model/location.ts';
import { UserError } from '../../model/errors.ts';
import { LOCS, isObject, setField, type Json, type JsonObject } from '../../model/provenance.ts';
import { idOf } from '../resource.ts';

/** Kustomize's fieldSpec: a slash path (`[]` marks a list) applying to resources of a group/version/kind. */
export interface FieldSpec {
  path: string;
  create?: boolean;
  group?: string;
  version?: string;
  kind?: string;
}

export function specApplies(spec: FieldSpec, obj: JsonObject): boolean {
  const id = idOf(obj);
  return (
    (spec.kind === undefined || spec.kind === id.kind) &&
    (spec.group === undefined || spec.group === id.group) &&
    (spec.version === undefined || spec.version === id.version)
  );
}

/**
 * Calls `visit(parent, key)` for every place `spec.path` reaches in `obj`, creating missing
 * intermediate maps (stamped with `loc`) only when `spec.create` is set.
 */
export function visitFieldSpec(
  obj: JsonObject,
  spec: FieldSpec,
  loc: SourceLocation | undefined,
  visit: (parent: JsonObject, key: string) => void,
): void {
  if (!specApplies(spec, obj)) return;
  walk(obj, spec.path.split('/'), !!spec.create, loc, visit);
}

function walk(
  node: JsonObject,
  segs: string[],
  create: boolean,
  loc: SourceLocation | undefined,
  visit: (parent: JsonObject, key: string) => void,
): void {
  const [head, ...rest] = segs;
  if (head === undefined) return;
  const isList = head.endsWith('[]');
  const key = isList ? head.slice(0, -2) : head;
  if (rest.length === 0 && !isList) {
    visit(node, key);
    return;
  }
  let next: Json | undefined = node[key];
  if (isList) {
    if (Array.isArray(next)) for (const item of next) if (isObject(item)) walk(item, rest, create, loc, visit);
    return;
  }
  if (next === undefined || next === null) {
    if (!create) return;
    next = {};
    setField(node, key, next, loc);
  }
  if (isObject(next)) walk(next, rest, create, loc, visit);
  else if (Array.isArray(next)) for (const item of next) if (isObject(item)) walk(item, rest, create, loc, visit);
}

/** Sets string entries into the map at each place a fieldSpec reaches (labels, annotations, selectors). */
export function mergeStringMap(
  obj: JsonObject,
  specs: readonly FieldSpec[],
  entries: readonly { key: string; value: string; loc: SourceLocation | undefined }[],
  mapLoc: SourceLocation | undefined,
  /** Told of every key this adds where the map did not have it (not of overwrites). */
  created?: (map: JsonObject, key: string) => void,
): void {
  for (const spec of specs) {
    visitFieldSpec(obj, spec, mapLoc, (parent, key) => {
      let map = parent[key];
      if (map === undefined || map === null) {
        if (!spec.create) return;
        map = {};
        setField(parent, key, map, mapLoc);
      }
      if (!isObject(map)) {
        const what = Array.isArray(map) ? 'SequenceNode' : 'ScalarNode';
        const { kind, name } = idOf(obj);
        throw new UserError(
          `${spec.path} of ${kind} ${name} is ${Array.isArray(map) ? 'a list' : 'a scalar'}, where labels or annotations need a map (kustomize: "wrong node kind: expected MappingNode but got ${what}")`,
          parent[LOCS]?.[key] ?? mapLoc,
        );
      }
      for (const e of entries) {
        const fresh = !Object.prototype.hasOwnProperty.call(map, e.key);
        setField(map, e.key, e.value, e.loc);
        if (fresh) created?.(map, e.key);
      }
    });
  }
}
