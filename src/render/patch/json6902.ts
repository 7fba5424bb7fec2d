import { isDeepStrictEqual } from 'node:util';
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import {
  LOCS,
  cloneJson,
  deleteField,
  isObject,
  seqLocs,
  setField,
  stripProvenance,
  type Json,
  type JsonArray,
  type JsonObject,
} from '../../model/provenance.ts';
import { tagAll } from '../untagged.ts';

export interface JsonPatchOp {
  op: string;
  path: string;
  from?: string;
  value?: Json;
  hasValue: boolean;
  location: SourceLocation;
}

const OPS = new Set(['add', 'remove', 'replace', 'move', 'copy', 'test']);

/** Reads the operations of a JSON6902 patch document, rejecting malformed ones at their line. */
export function parseJsonPatch(doc: JsonArray, fallback: SourceLocation): JsonPatchOp[] {
  return doc.map((raw, i) => {
    const location = doc[LOCS]?.[i] ?? fallback;
    if (!isObject(raw)) throw new UserError('a JSON6902 operation must be a mapping', location);
    const { op, path, from } = raw;
    if (typeof op !== 'string' || !OPS.has(op)) {
      throw new UserError(
        `invalid JSON6902 op ${JSON.stringify(op ?? null)} (expected add, remove, replace, move, copy or test)`,
        location,
      );
    }
    if (typeof path !== 'string' || (path !== '' && !path.startsWith('/'))) {
      throw new UserError(`JSON6902 ${op}: "path" must be a JSON pointer starting with "/"`, location);
    }
    if ((op === 'move' || op === 'copy') && (typeof from !== 'string' || (from !== '' && !from.startsWith('/')))) {
      throw new UserError(`JSON6902 ${op}: "from" must be a JSON pointer starting with "/"`, location);
    }
    const hasValue = Object.prototype.hasOwnProperty.call(raw, 'value');
    // Kustomize's JSON patch library reads a missing value of add or replace as null (measured).
    if (op === 'test' && !hasValue) throw new UserError(`JSON6902 ${op} needs a "value"`, location);
    const value = hasValue ? (raw.value as Json) : null;
    return { op, path, ...(typeof from === 'string' ? { from } : {}), value, hasValue, location };
  });
}

function tokens(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

interface Slot {
  parent: JsonObject | JsonArray;
  key: string;
}

function resolveParent(root: JsonObject, pointer: string, op: JsonPatchOp): Slot {
  const toks = tokens(pointer);
  if (toks.length === 0) throw new UserError(`JSON6902 ${op.op} on the whole document is not supported`, op.location);
  let node: Json = root;
  for (const t of toks.slice(0, -1)) {
    node = child(node, t, op, pointer);
  }
  if (!isObject(node) && !Array.isArray(node)) {
    throw new UserError(`JSON6902 ${op.op}: path ${pointer} does not exist in the target`, op.location);
  }
  return { parent: node, key: toks[toks.length - 1]! };
}

function child(node: Json, t: string, op: JsonPatchOp, pointer: string): Json {
  if (Array.isArray(node)) {
    const i = arrayIndex(t, node.length, false, op, pointer);
    return node[i] as Json;
  }
  if (isObject(node) && Object.prototype.hasOwnProperty.call(node, t)) return node[t] as Json;
  throw new UserError(`JSON6902 ${op.op}: path ${pointer} does not exist in the target`, op.location);
}

/**
 * An array index as kustomize's JSON patch library reads it: a decimal integer (leading zeros
 * and a sign allowed), negative counting from the end; `-` appends (add only). `inserting`
 * allows the index one past the end.
 */
function arrayIndex(t: string, length: number, inserting: boolean, op: JsonPatchOp, pointer: string): number {
  if (inserting && t === '-') return length;
  if (!/^[+-]?\d+$/.test(t)) throw new UserError(`JSON6902 ${op.op}: "${t}" in ${pointer} is not an array index`, op.location);
  let i = Number(t);
  const size = inserting ? length + 1 : length;
  if (i >= size || i < -size)
    throw new UserError(`JSON6902 ${op.op}: index ${t} in ${pointer} is out of range (the list has ${length} items)`, op.location);
  if (i < 0) i += size;
  return i;
}

function read(root: JsonObject, pointer: string, op: JsonPatchOp): Json {
  let node: Json = root;
  for (const t of tokens(pointer)) node = child(node, t, op, pointer);
  return node;
}

function add(slot: Slot, value: Json, op: JsonPatchOp, pointer: string): void {
  const { parent, key } = slot;
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, true, op, pointer);
    parent.splice(i, 0, value);
    seqLocs(parent).splice(i, 0, op.location);
  } else {
    setField(parent, key, value, op.location);
  }
}

function remove(slot: Slot, op: JsonPatchOp, pointer: string): Json {
  const { parent, key } = slot;
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false, op, pointer);
    const [old] = parent.splice(i, 1);
    seqLocs(parent).splice(i, 1);
    return old as Json;
  }
  if (!Object.prototype.hasOwnProperty.call(parent, key)) {
    throw new UserError(`JSON6902 ${op.op}: path ${pointer} does not exist in the target`, op.location);
  }
  const old = parent[key] as Json;
  deleteField(parent, key, op.location);
  return old;
}

/** `replace`: an array item must exist; an object key need not (kustomize's library then adds it). */
function replace(slot: Slot, value: Json, op: JsonPatchOp, pointer: string): void {
  const { parent, key } = slot;
  if (Array.isArray(parent)) {
    const i = arrayIndex(key, parent.length, false, op, pointer);
    parent[i] = value;
    seqLocs(parent)[i] = op.location;
  } else {
    setField(parent, key, value, op.location);
  }
}

/** Applies JSON6902 operations to `target` in place; each value set records the op's location. */
/** `replace` at path "" (the whole document): the resource becomes the value, in place (kustomize refuses `add` there: "doc is missing path"). */
function replaceWhole(target: JsonObject, value: Json, op: JsonPatchOp): void {
  if (!isObject(value)) throw new UserError(`JSON6902 ${op.op} at path "" needs a mapping (the whole resource)`, op.location);
  for (const k of Object.keys(target)) delete target[k];
  Object.assign(target, value);
  if (value[LOCS]) target[LOCS] = value[LOCS];
}

export function applyJsonPatch(target: JsonObject, ops: readonly JsonPatchOp[]): void {
  // Kustomize applies JSON6902 to the resource as JSON: from then on every node has a tag.
  tagAll(target);
  for (const op of ops) {
    if (op.op === 'replace' && op.path === '') {
      replaceWhole(target, cloneJson(op.value as Json), op);
      continue;
    }
    switch (op.op) {
      case 'add':
        add(resolveParent(target, op.path, op), cloneJson(op.value as Json), op, op.path);
        break;
      case 'remove':
        remove(resolveParent(target, op.path, op), op, op.path);
        break;
      case 'replace':
        replace(resolveParent(target, op.path, op), cloneJson(op.value as Json), op, op.path);
        break;
      case 'move': {
        const value = remove(resolveParent(target, op.from!, op), op, op.from!);
        add(resolveParent(target, op.path, op), value, op, op.path);
        break;
      }
      case 'copy': {
        // A missing last key under an existing map copies null, as kustomize v5.5.0 does (measured).
        const src = resolveParent(target, op.from!, op);
        const missing = isObject(src.parent) && !Object.prototype.hasOwnProperty.call(src.parent, src.key);
        const value = missing ? null : cloneJson(read(target, op.from!, op));
        add(resolveParent(target, op.path, op), value, op, op.path);
        break;
      }
      case 'test': {
        const actual = read(target, op.path, op);
        if (!isDeepStrictEqual(stripProvenance(actual), stripProvenance(op.value as Json))) {
          throw new UserError(
            `JSON6902 test failed: ${op.path} is ${JSON.stringify(actual)}, not ${JSON.stringify(op.value)}`,
            op.location,
          );
        }
        break;
      }
    }
  }
}
