/**
 * Untagged scalars: kyaml nodes made without a YAML tag, whose text alone decides their type.
 *
 * Kustomize facts restated (kyaml's PathGetter, FieldSetter and IsYaml1_1NonString; measured
 * against kubectl kustomize v5.5.0, see fixtures/kustomize-regressions/untagged-*):
 * - a field a replacement creates (`options.create`) is a new node with no tag: its text is read
 *   back as yaml.v3 reads a plain scalar when kustomize prints through JSON ("10" is 10, "0644"
 *   is 420, "1.10" is 1.1), and a later replacement into it sets only its text, read the same way;
 * - after a strategic-merge patch, kustomize re-sets the resource's kind, name and namespace
 *   with new untagged nodes (Resource.ApplySmPatch), so a later replacement writing "0" into the
 *   name makes it the number 0;
 * - a strategic-merge patch walks every field of the resource through kyaml's FieldSetter, which
 *   quotes an untagged plain scalar whose text YAML 1.1 reads as a non-string: from then on it is
 *   the string of its text ("10" stays "10");
 * - a JSON6902 patch round-trips the resource through JSON, which gives every node a tag;
 * - what reads a node reads its text: a suffix added to an untagged name "1.10" gives "1.10-s",
 *   a replacement copies "1.10" (not 1.1), and a generator merging into an object sets its name
 *   again (SetName: untagged) and its labels, annotations and data as strings of their text.
 *
 * The renderer stores the value as read (so rules see what kustomize deploys) and keeps the text
 * under the mapping's `UNTAGGED` entry. An entry only counts while the value still reads as its
 * text: any other write to the field makes it stale without bookkeeping.
 */
import type { SourceLocation } from '../model/location.ts';
import { PLAIN_STRINGS, RAW_TEXT, UNTAGGED, isObject, setField, type Json, type JsonObject } from '../model/provenance.ts';
import { resolvePlain } from '../yaml/resolve.ts';
import { fieldCursor, listSchema, type SchemaCursor } from './patch/merge-schema.ts';

/** The value an untagged node holding `text` has in kustomize's output. */
export function untaggedValue(text: string): Json {
  const v = resolvePlain(text, 'kustomize');
  return v !== null && typeof v === 'object' ? text : v;
}

/** Sets `obj[key]` to an untagged node holding `text`. */
export function setUntagged(obj: JsonObject, key: string, text: string, loc: SourceLocation | undefined): void {
  setField(obj, key, untaggedValue(text), loc);
  (obj[UNTAGGED] ??= {})[key] = text;
  // A plain scalar's text, for the steps that print it as written (annotation values).
  (obj[RAW_TEXT] ??= {})[key] = text;
}

/**
 * Sets `obj[key]` to `text` as kyaml's FieldSetter with a string value does (kustomize's
 * SetScalar: prefixes, suffixes, namespaces, name references): a new untagged node that keeps
 * the style of the node it replaces; a new field is double-quoted where YAML 1.1 would read the
 * text as something else. Quoted, it is a string; plain, its text is read as YAML.
 */
export function setScalarText(obj: JsonObject, key: string, text: string, loc: SourceLocation | undefined): void {
  if (quotedAfterSet(obj, key, text)) {
    setField(obj, key, text, loc);
    if (obj[UNTAGGED]) delete obj[UNTAGGED][key];
  } else setUntagged(obj, key, text, loc);
}

/**
 * The style a FieldSetter leaves: the replaced node's, else double-quoted for a YAML 1.1
 * non-string. The renderer keeps no styles: a string that does not read as itself unquoted
 * must have been quoted (or been written as a string by a tagged node, printed quoted).
 */
function quotedAfterSet(obj: JsonObject, key: string, text: string): boolean {
  if (!Object.hasOwn(obj, key)) return yaml11NonString(text);
  if (untaggedText(obj, key) !== undefined || isPlainString(obj, key)) return false;
  const cur = obj[key];
  return typeof cur === 'string' && untaggedValue(cur) !== cur;
}

/** The text of `obj[key]` when it is held by an untagged node, else undefined. */
export function untaggedText(obj: JsonObject, key: string): string | undefined {
  const text = obj[UNTAGGED]?.[key];
  if (text === undefined || !Object.hasOwn(obj, key)) return undefined;
  // untaggedValue gives a scalar, never NaN: `===` decides (idOf calls this for every id).
  return obj[key] === untaggedValue(text) ? text : undefined;
}

/**
 * The text kyaml reads from the scalar `obj[key]` (GetName, GetValue): an untagged node's own
 * text (an untagged "1.10" is 1.1 only when printed), else the value's.
 */
export function scalarText(obj: JsonObject, key: string): string {
  return untaggedText(obj, key) ?? String(obj[key]);
}

/** YAML 1.1 (yaml.v2) reads `text`, unquoted, as something other than a string (kyaml's IsValueNonString). */
function yaml11NonString(text: string): boolean {
  if (text === '' || text.includes('\n')) return false;
  return typeof resolvePlain(text, 'yaml11') !== 'string';
}

function eachMap(v: Json, visit: (m: JsonObject) => void): void {
  if (Array.isArray(v)) for (const item of v) eachMap(item, visit);
  else if (isObject(v)) {
    visit(v);
    for (const k of Object.keys(v)) eachMap(v[k]!, visit);
  }
}

/**
 * The maps kyaml's merge walks field by field: every map under a map, and the items of a list
 * the schema knows as associative (merged by key); a list of any other kind is taken whole.
 */
function eachMergedMap(m: JsonObject, cursor: SchemaCursor, visit: (m: JsonObject) => void): void {
  visit(m);
  for (const key of Object.keys(m)) {
    const v = m[key];
    if (isObject(v)) eachMergedMap(v, fieldCursor(cursor, key), visit);
    else if (Array.isArray(v)) {
      const list = listSchema(cursor, key);
      if (!list?.keys.length) continue;
      for (const item of v) if (isObject(item)) eachMergedMap(item, list.item, visit);
    }
  }
}

/** What a strategic-merge patch does to the untagged nodes of the resource it was applied to. */
export function afterStrategicMerge(resource: JsonObject, cursor: SchemaCursor): void {
  // Kind, name and namespace are set again after the merge (below), keeping their type: an
  // untagged name reading as the number 0 stays 0 (measured), so the merge's quoting skips them.
  const identity = (m: JsonObject, key: string) =>
    (m === resource && key === 'kind') || (m === resource.metadata && (key === 'name' || key === 'namespace'));
  eachMergedMap(resource, cursor, (m) => {
    const entries = m[UNTAGGED];
    if (!entries) return;
    for (const key of Object.keys(entries)) {
      if (identity(m, key)) continue;
      const text = untaggedText(m, key);
      if (text === undefined || yaml11NonString(text)) {
        // Quoted by FieldSetter (a string from now on), or stale.
        if (text !== undefined) m[key] = text;
        delete entries[key];
      }
    }
  });
  const reset = (obj: Json | undefined, key: string) => {
    if (isObject(obj) && typeof obj[key] === 'string') setScalarText(obj, key, obj[key], undefined);
  };
  reset(resource, 'kind');
  reset(resource.metadata, 'name');
  reset(resource.metadata, 'namespace');
}

/** A JSON round trip: every node gets the tag of its value (and a string is quoted). */
export function tagAll(resource: JsonObject): void {
  eachMap(resource, (m) => {
    delete m[UNTAGGED];
    delete m[PLAIN_STRINGS];
  });
}

/** `obj[key]` is a string held by a plain-style node (see PLAIN_STRINGS). */
export function isPlainString(obj: JsonObject, key: string): boolean {
  const text = obj[PLAIN_STRINGS]?.[key];
  return text !== undefined && obj[key] === text;
}

/**
 * kyaml's merge gives the patch's scalar the style of the scalar it replaces (merge2 SetStyle),
 * and kustomize prints through JSON. Returns the value `target[key]` takes when a strategic-merge
 * patch writes the scalar `val` over the scalar `dv`:
 * - a number or boolean over a quoted string comes out a string (`"5"` patched with 7 is "7");
 * - a string over a plain scalar (a number, a boolean, a plain string) is printed quoted all the
 *   same, but a later replica count there is a number (recorded in PLAIN_STRINGS).
 * A string that does not read as itself unquoted was quoted; one that does (`x`) may have been
 * either, and plain is taken. Measured: fixtures/kustomize-regressions/smp-scalar-style-*.
 */
export function mergedScalar(target: JsonObject, key: string, dv: Json | undefined, val: Json): Json {
  const quoted =
    typeof dv === 'string' && untaggedText(target, key) === undefined && !isPlainString(target, key) && untaggedValue(dv) !== dv;
  if (target[PLAIN_STRINGS]) delete target[PLAIN_STRINGS][key];
  if (dv === undefined || (dv !== null && typeof dv === 'object')) return val;
  if (quoted) {
    if (typeof val === 'number') return goFloatText(val);
    return typeof val === 'boolean' ? String(val) : val;
  }
  if (typeof val === 'string' && untaggedValue(val) !== val) (target[PLAIN_STRINGS] ??= {})[key] = val;
  return val;
}

/**
 * Every scalar value of `map` becomes the string of its text, as kyaml's GetAnnotations /
 * SetAnnotations pair leaves them (the text as written, `0644` stays "0644"; a value a
 * transformer set since, or a JSON round trip made, as Go prints it). Maps and lists are left.
 */
export function stringifyValues(map: JsonObject): void {
  for (const key of Object.keys(map)) {
    const v = map[key];
    const raw = map[RAW_TEXT]?.[key];
    if (v !== null && typeof v === 'object') continue;
    // The text as written, unless a transformer has set another value since.
    if (raw !== undefined && resolvePlain(raw, 'kustomize') === v) map[key] = raw;
    else if (typeof v !== 'string') map[key] = typeof v === 'number' ? goFloatText(v) : String(v);
  }
  // Strings now: no entry is an untagged node any more (see render/untagged.ts).
  delete map[UNTAGGED];
}

/** Go's strconv.FormatFloat(v, 'g', -1, 64): shortest digits, exponent form below 1e-4 and from 1e6. */
export function goFloatText(v: number): string {
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  if (v === 0) return Object.is(v, -0) ? '-0' : '0';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}
