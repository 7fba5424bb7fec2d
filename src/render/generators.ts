/**
 * configMapGenerator / secretGenerator / generatorOptions, and the content-hash name suffix.
 *
 * Kustomize facts restated here:
 * - literals are `key=value` (split at the first `=`; one pair of matching surrounding quotes is
 *   removed from the value); files are `path` (key: the file's base name) or `key=path`; env files
 *   hold `key=value` lines (leading blanks dropped, blank lines and `#` comments skipped, the value
 *   taken as written, a line without `=` gives an empty value).
 * - A Secret's values are base64-encoded, its type defaults to Opaque, and it always has `data`.
 * - options (labels, annotations, disableNameSuffixHash, immutable) merge with the
 *   kustomization's generatorOptions (the generator's own labels and annotations win).
 * - behavior merge / replace updates a resource of the same kind and name already in the build,
 *   keeping its name, namespace, labels and annotations (merged, the generator's winning).
 * - The hash (added to the name of generated objects once, after the whole build) is the first 10 hex digits of the
 *   SHA-256 of a JSON document, with 0, 1, 3, a, e spelled g, h, k, m, t. For a ConfigMap the
 *   document is {"data", "kind":"ConfigMap", "name":""} (plus "binaryData" when it is a map), for a
 *   Secret {"data", "kind":"Secret", "name":"", "type"} (plus "stringData"): kustomize looks the
 *   name up by a path it never splits, so it is always empty; a missing data is "".
 */
import path from 'node:path';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { LOCS, RAW_TEXT, SELF, UNTAGGED, isObject, setField, type Json, type JsonObject } from '../model/provenance.ts';
import { idOf, rememberId, type Resource } from './resource.ts';
import { scalarText, setScalarText, stringifyValues, untaggedText } from './untagged.ts';
import { sha256Hex } from '../util/lazy-builtins.ts';

export interface GeneratorOptions {
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  disableNameSuffixHash?: boolean;
  immutable?: boolean;
}

export interface GeneratorArgs {
  name?: string;
  namespace?: string;
  behavior?: string;
  files?: string[];
  literals?: string[];
  envs?: string[];
  env?: string;
  options?: GeneratorOptions;
  type?: string;
}

export interface GeneratorContext {
  /** Location of a path below the generator entry in the kustomization file. */
  at(...p: (string | number)[]): SourceLocation;
  /** Reads a file of the kustomization (the load restrictor applies). */
  readFile(ref: string, at: SourceLocation): { file: string; text: string; bytes?: Uint8Array };
  generatorOptions?: GeneratorOptions;
  generatorOptionsAt?: (...p: (string | number)[]) => SourceLocation;
}

interface Entry {
  key: string;
  value: string;
  /** The raw content, for a file that is not UTF-8. */
  bytes?: Uint8Array;
  loc: SourceLocation;
}

function removeQuotes(v: string): string {
  if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) return v.slice(1, -1);
  return v;
}

function envEntries(text: string, file: string, validUtf8: boolean): Entry[] {
  const out: Entry[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    // kustomize checks every line, comments included, before it reads it.
    if (!validUtf8 && line.includes('\uFFFD')) {
      const col = line.indexOf('\uFFFD') + 1;
      throw new UserError(`env file line ${i + 1} is not valid UTF-8 (kustomize: "has invalid utf8 bytes")`, {
        file,
        line: i + 1,
        column: col,
        endLine: i + 1,
        endColumn: col + 1,
      });
    }
    if (i === 0 && line.startsWith('\uFEFF')) line = line.slice(1);
    const trimmed = line.replace(/^\s+/, '');
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const col = line.length - trimmed.length + 1;
    const eq = trimmed.indexOf('=');
    const key = eq < 0 ? trimmed : trimmed.slice(0, eq);
    const value = eq < 0 ? '' : trimmed.slice(eq + 1);
    // kustomize skips a line without a key (`=value`), as it skips blank lines and comments.
    if (key === '') return;
    out.push({ key, value, loc: { file, line: i + 1, column: col, endLine: i + 1, endColumn: col + trimmed.length } });
  });
  return out;
}

/** kyaml's base64 for generated data: lines of 70 characters, each ending in a newline once there are 70 or more. */
function encodeBase64(value: string | Uint8Array): string {
  const enc = (typeof value === 'string' ? Buffer.from(value, 'utf8') : Buffer.from(value)).toString('base64');
  const lineLen = 70;
  if (Math.floor(enc.length / lineLen) + 1 <= 1) return enc;
  let out = '';
  for (let i = 0; i < enc.length; i += lineLen) out += enc.slice(i, i + lineLen) + '\n';
  return out;
}

function isUtf8(bytes: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    return true;
  } catch {
    return false;
  }
}

function isValidUtf8Text(text: string): boolean {
  return !text.includes('\uFFFD');
}

function checkArgs(kind: string, args: unknown, ctx: GeneratorContext): asserts args is GeneratorArgs {
  if (typeof args !== 'object' || args === null || Array.isArray(args))
    throw new UserError(`a ${kind} generator must be a mapping`, ctx.at());
  const a = args as Record<string, unknown>;
  const str = (k: string) => {
    if (a[k] !== undefined && a[k] !== null && typeof a[k] !== 'string')
      throw new UserError(`${kind} generator field "${k}" must be a string`, ctx.at(k));
  };
  const list = (k: string) => {
    if (a[k] === undefined || a[k] === null) return;
    if (!Array.isArray(a[k]) || !(a[k] as unknown[]).every((x) => typeof x === 'string'))
      throw new UserError(`${kind} generator field "${k}" must be a list of strings`, ctx.at(k));
  };
  for (const k of ['name', 'namespace', 'behavior', 'env', 'type']) str(k);
  for (const k of ['files', 'literals', 'envs']) list(k);
  const o = a.options;
  if (o !== undefined && o !== null) {
    if (typeof o !== 'object' || Array.isArray(o)) throw new UserError(`${kind} generator options must be a mapping`, ctx.at('options'));
    const oo = o as Record<string, unknown>;
    for (const k of ['labels', 'annotations']) {
      const m = oo[k];
      if (
        m !== undefined &&
        m !== null &&
        (typeof m !== 'object' || Array.isArray(m) || Object.values(m).some((v) => v !== null && typeof v !== 'string'))
      ) {
        throw new UserError(`${kind} generator options.${k} must map strings to strings`, ctx.at('options', k));
      }
    }
    for (const k of ['disableNameSuffixHash', 'immutable']) {
      if (oo[k] !== undefined && oo[k] !== null && typeof oo[k] !== 'boolean')
        throw new UserError(`${kind} generator options.${k} must be true or false`, ctx.at('options', k));
    }
  }
}

/** Builds the object of one generator entry (without the hash suffix). */
export function generate(
  kind: 'ConfigMap' | 'Secret',
  args: GeneratorArgs,
  ctx: GeneratorContext,
): { object: JsonObject; needsHash: boolean; behavior: 'create' | 'merge' | 'replace'; location: SourceLocation } {
  const loc = ctx.at();
  checkArgs(kind, args, ctx);
  // kustomize reads any other behavior (a typo, `Merge`) as unspecified, which creates.
  const behavior = args.behavior === 'merge' || args.behavior === 'replace' ? args.behavior : 'create';
  if (!args.name) throw new UserError(`a ${kind} generator needs a name`, loc);
  const data: Entry[] = [];
  const binary: Entry[] = [];
  const envs = [
    ...(args.envs ?? []).map((e, i) => ({ ref: e, at: ctx.at('envs', i) })),
    ...(args.env ? [{ ref: args.env, at: ctx.at('env') }] : []),
  ];
  for (const { ref, at } of envs) {
    const { file, text, bytes } = ctx.readFile(ref, at);
    data.push(...envEntries(text, file, bytes ? isUtf8(bytes) : isValidUtf8Text(text)));
  }
  (args.literals ?? []).forEach((lit, j) => {
    const at = ctx.at('literals', j);
    const s = String(lit);
    const eq = s.indexOf('=');
    // kustomize needs a key before the `=`: `=value` is refused as no `=` at all.
    if (eq <= 0) throw new UserError(`invalid literal source ${s}, expected key=value`, at);
    data.push({ key: s.slice(0, eq), value: removeQuotes(s.slice(eq + 1)), loc: at });
  });
  (args.files ?? []).forEach((f, j) => {
    const at = ctx.at('files', j);
    const s = String(f);
    const eq = s.indexOf('=');
    let key: string;
    let ref: string;
    if (eq >= 0) {
      key = s.slice(0, eq);
      ref = s.slice(eq + 1);
      if (!key) throw new UserError(`missing key name for file path "${ref}" in source "${s}"`, at);
      // kustomize allows a second `=` only in a URL, which this renderer refuses anyway.
      if (ref.includes('=') && !/^https?:\/\//.test(ref)) {
        throw new UserError(
          `source "${s}": a key name or file path cannot contain '=' (kustomize: "key name or file path contains '='")`,
          at,
        );
      }
      if (!ref) throw new UserError(`missing file path for key name "${key}" in source "${s}"`, at);
    } else {
      ref = s;
      key = path.basename(s);
    }
    const { text, bytes } = ctx.readFile(ref, at);
    const utf8 = bytes ? isUtf8(bytes) : isValidUtf8Text(text);
    const entry: Entry = { key, value: text, ...(bytes ? { bytes } : {}), loc: at };
    (utf8 || kind === 'Secret' ? data : binary).push(entry);
  });
  const seen = new Set<string>();
  for (const e of [...data, ...binary]) {
    if (seen.has(e.key)) throw new UserError(`${kind.toLowerCase()} ${args.name} illegally repeats the key \`${e.key}\``, e.loc);
    seen.add(e.key);
  }

  const obj: JsonObject = {};
  obj[SELF] = loc;
  setField(obj, 'apiVersion', 'v1', loc);
  setField(obj, 'kind', kind, loc);
  const meta: JsonObject = {};
  setField(obj, 'metadata', meta, loc);
  setField(meta, 'name', args.name, ctx.at('name'));
  if (args.namespace) setField(meta, 'namespace', args.namespace, ctx.at('namespace'));

  const go = ctx.generatorOptions ?? {};
  const o = args.options ?? {};
  const labels: [string, string, SourceLocation][] = [];
  const annotations: [string, string, SourceLocation][] = [];
  for (const [k, v] of Object.entries(go.labels ?? {})) labels.push([k, String(v ?? ''), ctx.generatorOptionsAt?.('labels', k) ?? loc]);
  for (const [k, v] of Object.entries(o.labels ?? {})) labels.push([k, String(v ?? ''), ctx.at('options', 'labels', k)]);
  for (const [k, v] of Object.entries(go.annotations ?? {}))
    annotations.push([k, String(v ?? ''), ctx.generatorOptionsAt?.('annotations', k) ?? loc]);
  for (const [k, v] of Object.entries(o.annotations ?? {})) annotations.push([k, String(v ?? ''), ctx.at('options', 'annotations', k)]);
  if (labels.length) {
    const m: JsonObject = {};
    setField(meta, 'labels', m, loc);
    for (const [k, v, l] of labels) setField(m, k, v, l);
  }
  if (annotations.length) {
    const m: JsonObject = {};
    setField(meta, 'annotations', m, loc);
    for (const [k, v, l] of annotations) setField(m, k, v, l);
  }
  if (kind === 'Secret') {
    const d: JsonObject = {};
    setField(obj, 'data', d, loc);
    for (const e of data) setField(d, e.key, encodeBase64(e.bytes ?? e.value), e.loc);
    setField(obj, 'type', args.type ?? 'Opaque', args.type !== undefined ? ctx.at('type') : loc);
  } else {
    if (data.length) {
      const d: JsonObject = {};
      setField(obj, 'data', d, loc);
      for (const e of data) setField(d, e.key, e.value, e.loc);
    }
    if (binary.length) {
      const d: JsonObject = {};
      setField(obj, 'binaryData', d, loc);
      for (const e of binary) setField(d, e.key, encodeBase64(e.bytes ?? e.value), e.loc);
    }
  }
  if (o.immutable || go.immutable)
    setField(obj, 'immutable', true, o.immutable ? ctx.at('options', 'immutable') : (ctx.generatorOptionsAt?.('immutable') ?? loc));
  const needsHash = !(o.disableNameSuffixHash || go.disableNameSuffixHash);
  return { object: obj, needsHash, behavior, location: loc };
}

/** Merges a generated object into an existing resource (behavior merge or replace). */
export function mergeGenerated(old: Resource, gen: JsonObject, behavior: 'merge' | 'replace', needsHash: boolean): void {
  const oldObj = old.object;
  const oldMeta = isObject(oldObj.metadata) ? oldObj.metadata : {};
  const genMeta = gen.metadata as JsonObject;
  // The old resource's name and namespace stay, set again as kyaml's SetName / SetNamespace
  // do: new untagged nodes holding their text (a later replacement writing "0" into the name
  // makes it the number 0, measured).
  setScalarText(genMeta, 'name', scalarText(oldMeta, 'name'), oldMeta[LOCS]?.name);
  const nsText = untaggedText(oldMeta, 'namespace') ?? (typeof oldMeta.namespace === 'string' ? oldMeta.namespace : '');
  if (nsText !== '') setScalarText(genMeta, 'namespace', nsText, oldMeta[LOCS]?.namespace);
  else delete genMeta.namespace;
  // Labels, annotations and (merging) data go through GetLabels / SetLabels and alike: maps of
  // strings, each value its node's text ("0644" stays "0644").
  const merged = (a: Json | undefined, b: Json | undefined): JsonObject => {
    const m: JsonObject = {};
    if (isObject(a)) {
      for (const k of Object.keys(a)) setField(m, k, a[k] as Json, a[LOCS]?.[k]);
      if (a[RAW_TEXT]) m[RAW_TEXT] = { ...a[RAW_TEXT] };
      if (a[UNTAGGED]) m[UNTAGGED] = { ...a[UNTAGGED] };
      stringifyValues(m);
      delete m[RAW_TEXT];
    }
    if (isObject(b)) for (const k of Object.keys(b)) setField(m, k, b[k] as Json, b[LOCS]?.[k]);
    return m;
  };
  for (const field of ['labels', 'annotations']) {
    const a = oldMeta[field];
    if (!isObject(a)) continue;
    const m = merged(a, genMeta[field]);
    // SetLabels / SetAnnotations with nothing to set remove the field.
    if (Object.keys(m).length === 0) delete genMeta[field];
    else setField(genMeta, field, m, oldMeta[LOCS]?.[field]);
  }
  if (behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const a = oldObj[field];
      const m = merged(a, gen[field]);
      // An empty merged map is no field at all (a Secret merged from nothing has no `data: {}`).
      if (Object.keys(m).length === 0) {
        delete gen[field];
        continue;
      }
      setField(gen, field, m, (isObject(a) ? oldObj[LOCS]?.[field] : undefined) ?? gen[LOCS]?.[field]);
    }
  }
  old.object = gen;
  // Hashed only when both the existing resource and the merging generator want it.
  old.needsHash = !!(old.needsHash && needsHash);
}

function goJson(v: Json): string {
  // Go's encoding/json: sorted keys, HTML-safe escapes, U+2028/2029 escaped.
  const s = JSON.stringify(sortKeys(v));
  return s.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
}

function sortKeys(v: Json): Json {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (isObject(v)) {
    const out: JsonObject = {};
    for (const k of Object.keys(v).sort((a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b)))) out[k] = sortKeys(v[k] as Json);
    return out;
  }
  return v;
}

function mapOr(v: Json | undefined): Json {
  if (v === undefined || v === null) return '';
  if (isObject(v)) return v;
  return typeof v === 'string' ? v : String(v);
}

/** Kustomize's content hash of a ConfigMap, a Secret or any other object. */
export function contentHash(obj: JsonObject): string {
  const kind = obj.kind;
  let doc: Json;
  if (kind === 'ConfigMap') {
    doc = { kind: 'ConfigMap', name: '', data: mapOr(obj.data) };
    if (isObject(obj.binaryData)) doc.binaryData = obj.binaryData;
  } else if (kind === 'Secret') {
    doc = { kind: 'Secret', name: '', type: mapOr(obj.type), data: mapOr(obj.data) };
    if (isObject(obj.stringData)) doc.stringData = obj.stringData;
  } else {
    doc = obj;
  }
  const hex = sha256Hex(goJson(doc));
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/**
 * Appends the content hash to the names of generated resources. (A `kustomize.config.k8s.io/needs-hash`
 * annotation on an ordinary resource file does nothing in kustomize v5.5: it is left as it is.)
 */
export function addHashSuffixes(resources: readonly Resource[]): void {
  for (const r of resources) {
    const meta = r.object.metadata;
    if (!isObject(meta) || !r.needsHash) continue;
    const hash = contentHash(r.object);
    rememberId(r);
    setField(meta, 'name', `${idOf(r.object).name}-${hash}`, meta[LOCS]?.name);
  }
}
