/**
 * `replacements:`: copy a value from one field of one resource into fields of others.
 *
 * Kustomize facts restated: a source (group/version/kind/name/namespace, fieldPath defaulting to
 * metadata.name) must select exactly one resource, matched against its current or any earlier id;
 * targets `select` resources (and `reject` some) the same way; a fieldPath is dot-separated,
 * `[key=value]` picks list items (in a target, `value` is an unanchored regular expression, as kyaml
 * reads it), `*` every item, a number one item; a target field that does not
 * exist is an error unless `options.create`; `options.delimiter` / `index` take (or replace) one
 * part of a delimited string. Values are copied as they are (a number stays a number).
 */
import { UserError } from '../../model/errors.ts';
import { KUSTOMIZE_VERSION } from '../version.ts';
import type { SourceLocation } from '../../model/location.ts';
import { LOCS, cloneJson, isObject, seqLocs, setField, type Json, type JsonArray, type JsonObject } from '../../model/provenance.ts';
import { checkReplacementShape } from '../replacement-shape.ts';
import { setUntagged, untaggedText, untaggedValue } from '../untagged.ts';
import { resolvePlain } from '../../yaml/resolve.ts';
import type { Selector } from '../kustomization.ts';
import { matchesLabelSelector } from '../select.ts';
import { effectiveNamespace, idOf, type ResId, type Resource } from '../resource.ts';

/** Replacements select resources with the same fields as patch targets. */
export type ReplacementSelector = Selector;

interface Options {
  delimiter?: string;
  index?: number;
  create?: boolean;
}

export interface Replacement {
  source?: ReplacementSelector & { fieldPath?: string; options?: Options };
  targets?: { select?: ReplacementSelector; reject?: ReplacementSelector[]; fieldPaths?: string[]; options?: Options }[];
}

/** kyaml's path splitter: dots, except inside brackets or escaped (`data.config\\.json`). */
export function splitFieldPath(path: string): string[] {
  const out: string[] = [];
  let cur = '';
  let depth = 0;
  let escaped = false;
  for (const ch of path) {
    if (escaped) {
      escaped = false;
      if (ch === '.') {
        cur += ch;
        continue;
      }
      cur += '\\';
    } else if (ch === '\\' && depth === 0) {
      escaped = true;
      continue;
    }
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '.' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(escaped ? `${cur}\\` : cur);
  return out;
}

function idSelected(id: ResId, s: ReplacementSelector): boolean {
  return (
    (!s.group || s.group === id.group) &&
    (!s.version || s.version === id.version) &&
    (!s.kind || s.kind === id.kind) &&
    (!s.name || s.name === id.name) &&
    (!s.namespace || s.namespace === effectiveNamespace(id) || s.namespace === id.namespace)
  );
}

/** Characters of a regular expression that no Kubernetes name, namespace or kind holds. */
const REGEX_CHARS = /[*+?|()[\]{}^$\\]/;

/**
 * Kustomize v5.5.0 matches replacement selectors exactly; later versions (ArgoCD pins 5.8.1)
 * read them as regular expressions. A selector that can only mean a pattern would select
 * differently there: refused, naming the version, rather than matched literally.
 */
export function checkSelectorVersion(s: ReplacementSelector, loc: SourceLocation): void {
  for (const key of ['group', 'version', 'kind', 'name', 'namespace'] as const) {
    const v = s[key];
    if (typeof v === 'string' && REGEX_CHARS.test(v)) {
      throw new UserError(
        `replacement selector ${key} "${v}" is a regular expression: kustomize ${KUSTOMIZE_VERSION}, which the built-in renderer follows, matches selectors exactly (so it selects nothing), while later versions (ArgoCD pins 5.8.1) match it as a pattern; name the object exactly, or render with --renderer kustomize`,
        loc,
      );
    }
  }
}

function isSelected(r: Resource, s: ReplacementSelector, loc: SourceLocation): boolean {
  checkSelectorVersion(s, loc);
  // The current id and those the renaming transformers recorded (kustomize's previousNames
  // annotations): not the id as loaded, which an unrecorded change (a replacement into
  // metadata.name) leaves behind.
  const ids = [idOf(r.object), ...(r.history ?? [])];
  if (!ids.some((id) => idSelected(id, s))) return false;
  const meta = isObject(r.object.metadata) ? r.object.metadata : {};
  return matchesLabelSelector(meta.labels, s.labelSelector, loc) && matchesLabelSelector(meta.annotations, s.annotationSelector, loc);
}

interface Place {
  parent: JsonObject | JsonArray;
  key: string | number;
}

/**
 * Every place `segs` reaches below `node`; with `create`, missing fields (and `[k=v]` items) are
 * made. `[k=v]` picks the items whose `k` is `v` (a source: kyaml's Lookup), or, for a target
 * (`regex`), the items whose `k` matches `v` as an unanchored regular expression (kyaml's
 * PathMatcher: `[name=controller]` picks `my-controller` too, `[name=A]` picks `AB`).
 */
function find(node: Json, segs: string[], create: boolean, loc: SourceLocation, regex = false): Place[] {
  const [head, ...rest] = segs;
  if (head === undefined) return [];
  const out: Place[] = [];
  const descend = (parent: JsonObject | JsonArray, key: string | number) => {
    if (rest.length === 0) {
      out.push({ parent, key });
      return;
    }
    let child = (parent as Record<string | number, Json>)[key];
    if ((child === undefined || child === null) && create) {
      // kyaml makes a list where the next segment selects items or is an index.
      child = rest[0]!.startsWith('[') || /^\d+$/.test(rest[0]!) ? [] : {};
      if (Array.isArray(parent)) parent[key as number] = child;
      else setField(parent, key as string, child, loc);
    }
    if (child !== undefined && child !== null) out.push(...find(child, rest, create, loc, regex));
  };
  const sel = /^\[(.*?)=(.*)\]$/.exec(head);
  if (Array.isArray(node)) {
    if (sel) {
      const [, k, v] = sel;
      let re: RegExp | undefined;
      if (regex) {
        try {
          re = new RegExp(v!);
        } catch (e) {
          throw new UserError(
            `replacement fieldPath: "${head}": kustomize reads "${v}" as a regular expression, and it is not one (${(e as Error).message})`,
            loc,
          );
        }
      }
      const matches = (text: string | undefined) => text !== undefined && (re ? re.test(text.trim()) : text === v);
      let hit = false;
      node.forEach((item, i) => {
        if (k === '' ? matches(scalarText(item)) : isObject(item) && matches(scalarText(item[k!]))) {
          hit = true;
          descend(node, i);
        }
      });
      if (!hit && create && k !== '') {
        const item: JsonObject = {};
        setField(item, k!, v!, loc);
        node.push(item);
        seqLocs(node)[node.length - 1] = loc;
        descend(node, node.length - 1);
      }
    } else if (head === '*') node.forEach((_, i) => descend(node, i));
    else if (/^\d+$/.test(head)) {
      if (Number(head) < node.length) descend(node, Number(head));
      else if (create && Number(head) === node.length) {
        // With create, the index just past the end appends an item (as kyaml does).
        if (rest.length) node.push(rest[0]!.startsWith('[') || /^\d+$/.test(rest[0]!) ? [] : {});
        descend(node, Number(head));
      }
    } else throw new UserError(`replacement fieldPath: "${head}" cannot select from a list (use [key=value], * or an index)`, loc);
    return out;
  }
  if (typeof node === 'string' || typeof node === 'number' || typeof node === 'boolean') {
    // Kustomize v5.5.0 stops here; later versions read YAML or JSON held in a string and
    // replace inside it. Either way no silent miss: refused, naming the version.
    throw new UserError(
      `replacement fieldPath: "${head}" looks inside the scalar ${JSON.stringify(node).slice(0, 60)}: kustomize ${KUSTOMIZE_VERSION}, which the built-in renderer follows, fails on it ("wrong node kind: expected MappingNode but got ScalarNode"), while later versions (ArgoCD pins 5.8.1) edit YAML or JSON held in a string (render with --renderer kustomize and a kustomize that has it)`,
      loc,
    );
  }
  if (!isObject(node)) return out;
  if (sel) throw new UserError(`replacement fieldPath: "${head}" selects list items but the field is not a list`, loc);
  const key = head.replace(/^\[(.*)\]$/, '$1');
  if (Object.prototype.hasOwnProperty.call(node, key) || create || rest.length === 0) {
    if (rest.length === 0 && !Object.prototype.hasOwnProperty.call(node, key) && !create) return out;
    descend(node, key);
  }
  return out;
}

function scalarText(v: Json | undefined): string | undefined {
  if (v === undefined || v === null || typeof v === 'object') return v === null ? 'null' : undefined;
  return String(v);
}

function isUntagged(p: Place): boolean {
  return !Array.isArray(p.parent) && untaggedText(p.parent, p.key as string) !== undefined;
}

function getValue(p: Place): Json | undefined {
  return (p.parent as Record<string | number, Json>)[p.key];
}

function locOf(p: Place): SourceLocation | undefined {
  return Array.isArray(p.parent) ? p.parent[LOCS]?.[p.key as number] : p.parent[LOCS]?.[p.key as string];
}

function setValue(p: Place, value: Json, loc: SourceLocation | undefined): void {
  if (Array.isArray(p.parent)) {
    p.parent[p.key as number] = value;
    if (loc) seqLocs(p.parent)[p.key as number] = loc;
  } else setField(p.parent, p.key as string, value, loc);
}

/** Applies one replacement to the build, in place. */
export function applyReplacement(
  resources: readonly Resource[],
  rep: Replacement,
  at: (...p: (string | number)[]) => SourceLocation,
): void {
  checkReplacementShape(rep, at);
  const src = rep.source;
  if (!src || !rep.targets?.length)
    throw new UserError(
      `a replacement needs a source and at least one target (kustomize: "replacements must specify a source and at least one target")`,
      src ? at('source') : at(),
    );
  const srcLoc = at('source');
  const sources = resources.filter((r) => isSelected(r, src, srcLoc));
  if (sources.length === 0)
    throw new UserError(`nothing selected by the replacement source ${JSON.stringify(stripUndefined(src))}`, srcLoc);
  if (sources.length > 1) throw new UserError(`multiple matches for the replacement source ${JSON.stringify(stripUndefined(src))}`, srcLoc);
  const fieldPath = src.fieldPath ?? 'metadata.name';
  const found = find(sources[0]!.object, splitFieldPath(fieldPath), false, srcLoc);
  // A null written as such is no value for kyaml (a tagged null): missing, as kustomize says.
  if (found.length === 0 || (getValue(found[0]!) === null && !isUntagged(found[0]!)))
    throw new UserError(
      `fieldPath \`${fieldPath}\` is missing for the replacement source ${describe(sources[0]!)}`,
      at('source', 'fieldPath'),
    );
  let srcValue = getValue(found[0]!) as Json;
  // kyaml copies a scalar source's text (an untagged "1.10" is 1.1 only when printed).
  const textAtSource = (): string | undefined => {
    const p = found[0]!;
    return (!Array.isArray(p.parent) ? untaggedText(p.parent, p.key as string) : undefined) ?? scalarText(getValue(p));
  };
  let srcText = textAtSource();
  const sourceIsScalar = srcValue === null || typeof srcValue !== 'object';
  const valueLoc = locOf(found[0]!) ?? srcLoc;
  if (src.options?.delimiter) {
    // kyaml splits any scalar's text (a number's too) and keeps the node's type on the piece.
    if (srcValue !== null && typeof srcValue === 'object')
      throw new UserError(
        'the replacement source must be a scalar to use options.delimiter (kustomize: "delimiter option can only be used with scalar nodes")',
        at('source', 'options'),
      );
    const parts = (srcText ?? '').split(src.options.delimiter);
    const idx = src.options.index ?? 0;
    if (idx < 0 || idx >= parts.length)
      throw new UserError(
        `options.index ${idx} is out of bounds for the value ${JSON.stringify(srcText)} of the replacement source`,
        at('source', 'options', 'index'),
      );
    srcText = parts[idx]!;
    srcValue = typeof srcValue === 'string' ? srcText : untaggedValue(srcText);
  }
  (rep.targets ?? []).forEach((t, ti) => {
    const tAt = (...p: (string | number)[]) => at('targets', ti, ...p);
    if (!t.select) throw new UserError('a replacement target needs select', tAt());
    const selected = resources.filter(
      (r) => isSelected(r, t.select!, tAt('select')) && !(t.reject ?? []).some((rj) => isSelected(r, rj, tAt('reject'))),
    );
    for (const r of selected) {
      (t.fieldPaths ?? ['metadata.name']).forEach((fp, fi) => {
        const fpLoc = t.fieldPaths ? tAt('fieldPaths', fi) : tAt();
        const places = find(r.object, splitFieldPath(fp), !!t.options?.create, fpLoc, true);
        if (places.length === 0) throw new UserError(`unable to find field "${fp}" in replacement target ${describe(r)}`, fpLoc);
        for (const p of places) {
          // Without a source delimiter kyaml holds the source node itself, not a copy: a target
          // that is the source field changes what the later targets get (measured).
          if (!src.options?.delimiter && sourceIsScalar) {
            srcValue = getValue(found[0]!) as Json;
            srcText = textAtSource();
          }
          let value = srcValue;
          let valueText = srcText;
          if (t.options?.delimiter) {
            // kyaml splits the target node's text (whatever its type), puts the source's text at
            // the index, and then sets the joined text like any other value: an integer field
            // stays an integer, a created field is read back as YAML would.
            const curValue = getValue(p);
            if (curValue !== null && typeof curValue === 'object')
              throw new UserError(
                `options.delimiter needs a scalar at ${fp} (kustomize: "delimiter option can only be used with scalar nodes")`,
                fpLoc,
              );
            const curText = scalarText(curValue);
            const parts = curText === undefined || curText === 'null' ? [] : curText.split(t.options.delimiter);
            const idx = t.options.index ?? 0;
            const piece = srcText ?? String(srcValue);
            if (idx < 0) parts.unshift(piece);
            else if (idx >= parts.length) parts.push(piece);
            else parts[idx] = piece;
            value = parts.join(t.options.delimiter);
            valueText = value;
          }
          const cur = getValue(p);
          // Into a scalar, kyaml copies only the source node's text: a map's or a list's is "".
          if (cur !== undefined && cur !== null && typeof cur !== 'object' && value !== null && typeof value === 'object') {
            value = '';
            valueText = '';
          }
          const text = valueText ?? String(value);
          const untagged = !Array.isArray(p.parent) ? untaggedText(p.parent, p.key as string) : undefined;
          if (untagged !== undefined && (value === null || typeof value !== 'object')) {
            // An untagged node (see render/untagged.ts): only its text is set, read as YAML.
            setUntagged(p.parent as JsonObject, p.key as string, text, valueLoc);
          } else if (cur !== undefined && cur !== null && typeof cur !== 'object' && (value === null || typeof value !== 'object')) {
            // A scalar target keeps its type; only the text is copied (kyaml sets the node's value).
            // A value written earlier under a type it does not read as keeps that type.
            const earlier = r.undecodable?.find((u) => u.map === p.parent && u.key === p.key && u.map[u.key] === u.text);
            const typed = earlier ? earlier.was : cur;
            try {
              setValue(p, retype(typed, text, fpLoc), valueLoc);
            } catch (e) {
              if (!(e instanceof UserError) || Array.isArray(p.parent)) throw e;
              // kustomize fails only when the node is decoded (at the output, or a JSON6902
              // patch): a later transformer may still overwrite the value. Kept as text, and
              // remembered (checkUndecodable).
              setValue(p, text, valueLoc);
              (r.undecodable ??= []).push({ map: p.parent, key: p.key as string, text, error: e, was: typed });
            }
          } else if (cur === undefined && value !== null && typeof value !== 'object') {
            // A field the replacement creates is a new, untagged node holding the source's
            // text: kustomize reads it back as YAML would (kustomize#5482: "10" becomes 10,
            // "0644" 420, "true" true).
            if (Array.isArray(p.parent)) setValue(p, untaggedValue(text), valueLoc);
            else setUntagged(p.parent, p.key as string, text, valueLoc);
          } else setValue(p, cloneJson(value), valueLoc);
        }
      });
    }
  });
}

function describe(r: Resource): string {
  const id = idOf(r.object);
  return `${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

function stripUndefined(o: object): object {
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'options'));
}

/** How yaml.v3 resolves an untagged plain scalar's text (the tag it would get). */
function resolvedTag(text: string): 'null' | 'bool' | 'int' | 'float' | 'str' {
  if (/^(|~|null|Null|NULL)$/.test(text)) return 'null';
  if (/^(true|True|TRUE|false|False|FALSE)$/.test(text)) return 'bool';
  if (/^[-+]?(0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+|0o[0-7_]+|0b[01_]+)$/.test(text)) return 'int';
  if (
    /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(text) ||
    /^[-+]?\.(inf|Inf|INF)$/.test(text) ||
    /^\.(nan|NaN|NAN)$/.test(text)
  )
    return 'float';
  return 'str';
}

/**
 * The source scalar's text under the target scalar's type: kyaml keeps the target node's tag
 * and sets its text, and the node is then decoded with that tag: a string stays a string, a
 * number or boolean must read back as one of its kind ("1.10" into an integer field fails:
 * kustomize's `cannot decode !!float \`1.10\` as a !!int`).
 */
function retype(target: string | number | boolean, value: string | number | boolean | null, loc: SourceLocation): Json {
  const text = value === null ? 'null' : String(value);
  if (typeof target === 'string') return text;
  const want = typeof target === 'boolean' ? 'bool' : Number.isInteger(target) ? 'int' : 'float';
  const got = resolvedTag(text);
  const fail = () =>
    new UserError(
      `the replacement puts "${text}" into a field that holds a${want === 'int' ? 'n integer' : want === 'float' ? ' number' : ' boolean'}, and it does not read as one (kustomize: "cannot decode !!${got} \`${text}\` as a !!${want}")`,
      loc,
    );
  if (want === 'bool') {
    if (got !== 'bool') throw fail();
    return /^t/i.test(text);
  }
  if (got === 'int' || (got === 'float' && want === 'float')) {
    // An integer's text as yaml.v3 reads it (Go's base-0 parse: "0644" is the octal 420).
    const read = got === 'int' ? resolvePlain(text, 'kustomize') : undefined;
    const n = typeof read === 'number' ? read : Number(text.replace(/_/g, '').replace(/^([-+]?)0o/, '$10o'));
    return Number.isFinite(n) ? n : text;
  }
  throw fail();
}

/**
 * Fails on a value a replacement put under a type it does not read as (see retype), when it is
 * still there: kustomize decodes the resource at the output and for a JSON6902 patch. At the
 * output, annotations are strings by then (kustomize rewrites them as it drops its bookkeeping
 * annotations, see finishAnnotations): "web" in an annotation that held 1.5 prints as "web".
 */
export function checkUndecodable(res: Resource, at: 'output' | 'json-patch'): void {
  const meta = res.object.metadata;
  const annotations = at === 'output' && isObject(meta) ? meta.annotations : undefined;
  for (const u of res.undecodable ?? []) if (u.map[u.key] === u.text && u.map !== annotations) throw u.error;
  delete res.undecodable;
}

/** Annotations made strings (stringifyValues) hold nothing undecodable any more. */
export function forgetUndecodable(res: Resource, map: JsonObject): void {
  if (res.undecodable) res.undecodable = res.undecodable.filter((u) => u.map !== map);
}
