import { LineCounter, isAlias, isMap, isPair, isScalar, isSeq, Scalar, type Document, type Node as YamlNode } from 'yaml';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { aliasTargets, parseDocumentsBounded, unclosedFlowStart, YamlLimitError, YAML_LIMITS } from './limits.ts';
import { fastLoadDocuments, keepsRawText } from './fast-load.ts';
import { foldedRoundTrip, resolvePlain, type ScalarMode } from './resolve.ts';
import { BARE_NULLS, LOCS, RAW_TEXT, SELF, cloneJson, type Json, type JsonArray, type JsonObject } from '../model/provenance.ts';

/** Where a piece of YAML text sits in its file: an inline patch is offset inside a kustomization. */
export interface TextOrigin {
  file: string;
  /** Added to every line (0 for a whole file). */
  lineOffset?: number;
  /** Added to every column (the indentation of a block scalar). */
  columnOffset?: number;
  /** When set, every location collapses to this one (text whose positions cannot be mapped back). */
  collapseTo?: SourceLocation;
}

export interface LoadedDocument {
  /** The document's value with provenance; `null` for an empty document. */
  value: Json;
  location: SourceLocation;
}

/** Aliases are expanded into copies; this bounds the work a hostile document can ask for. */
const MAX_NODES_PER_DOCUMENT = YAML_LIMITS.maxNodes;

class Converter {
  private nodes = 0;
  private aliasNodes = 0;
  /** The outermost alias being expanded, if any. */
  private expanding: YamlNode | undefined;
  private targets: Map<YamlNode, YamlNode | undefined> | undefined;
  constructor(
    private readonly text: string,
    private readonly lc: LineCounter,
    private readonly origin: TextOrigin,
    private readonly doc: Document,
    private readonly scalars?: ScalarMode,
  ) {}

  loc(start: number, end: number): SourceLocation {
    if (this.origin.collapseTo) return this.origin.collapseTo;
    // Trailing blanks and newlines belong to no value.
    while (end > start && /\s/.test(this.text[end - 1] ?? '')) end--;
    const a = this.lc.linePos(start);
    const b = this.lc.linePos(end);
    const lo = this.origin.lineOffset ?? 0;
    const co = this.origin.columnOffset ?? 0;
    return { file: this.origin.file, line: a.line + lo, column: a.col + co, endLine: b.line + lo, endColumn: b.col + co };
  }

  convert(node: YamlNode | null | undefined, depth: number, path: readonly (string | number)[] = []): Json {
    if (++this.nodes > MAX_NODES_PER_DOCUMENT) {
      throw new UserError(
        `YAML document expands to more than ${MAX_NODES_PER_DOCUMENT} nodes (alias bomb?)`,
        this.nodeLoc(this.expanding ?? node),
      );
    }
    if (this.expanding && ++this.aliasNodes > YAML_LIMITS.maxAliasNodes) {
      throw new UserError(
        `YAML aliases expand to more than ${YAML_LIMITS.maxAliasNodes} nodes (an alias bomb, "billion laughs"?)`,
        this.nodeLoc(this.expanding),
      );
    }
    if (depth > 200) throw new UserError('YAML nesting deeper than 200 levels', this.nodeLoc(node));
    if (node == null) return null;
    if (isAlias(node)) {
      const target = (this.targets ??= aliasTargets(this.doc)).get(node);
      if (!target) throw new UserError(`unknown alias *${node.source}`, this.nodeLoc(node));
      const outer = this.expanding;
      this.expanding ??= node;
      try {
        return this.convert(target, depth + 1, path);
      } finally {
        this.expanding = outer;
      }
    }
    if (isScalar(node)) {
      if (this.scalars && node.type === 'PLAIN' && !node.tag && typeof node.source === 'string') {
        const v = resolvePlain(node.source, this.scalars);
        if (v !== null && typeof v === 'object') {
          if (this.scalars === 'kustomize') {
            throw new UserError(
              `${v.nonFinite} cannot be rendered: kustomize prints through JSON, which has no infinities or NaN (quote it for a string)`,
              this.nodeLoc(node),
            );
          }
          return v.nonFinite.includes('nan') || v.nonFinite.includes('NaN') || v.nonFinite.includes('NAN')
            ? Number.NaN
            : v.nonFinite.startsWith('-')
              ? -Infinity
              : Infinity;
        }
        return v;
      }
      let v = scalarValue(node);
      // `!!float 3`: Go's YAML reads any number under the float tag (the yaml package only a
      // text its float pattern matches, leaving "3" a string).
      if (
        typeof v === 'string' &&
        typeof node.tag === 'string' &&
        /(^|:)float$/.test(node.tag) &&
        /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$/.test(v.trim())
      )
        v = Number(v.trim().replace(/_/g, ''));
      if (typeof v === 'string' && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED')) {
        // A block scalar that ends the stream without a line break has no final line feed
        // (YAML 1.2 b-chomped-last, and Go's parsers); the yaml package adds one.
        const end = node.range?.[1] ?? 0;
        if (v.endsWith('\n') && end >= this.text.length && !/[\n\r]$/.test(this.text)) v = v.slice(0, -1);
        if (node.type === 'BLOCK_FOLDED' && this.scalars === 'kustomize') v = foldedRoundTrip(v);
      }
      return v;
    }
    if (isSeq(node)) {
      const out: JsonArray = [];
      const locs: (SourceLocation | undefined)[] = [];
      for (const item of node.items) {
        out.push(this.convert(item as YamlNode, depth + 1, [...path, out.length]));
        locs.push(this.nodeLoc(item as YamlNode));
      }
      out[LOCS] = locs;
      return out;
    }
    if (isMap(node)) {
      const out: JsonObject = {};
      const locs: Record<string, SourceLocation> = Object.create(null);
      const merges: YamlNode[] = [];
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyNode = pair.key as YamlNode | null;
        const valueNode = pair.value as YamlNode | null;
        if (isScalar(keyNode) && (keyNode.source === '<<' || typeof keyNode.value === 'symbol')) {
          if (valueNode) merges.push(valueNode);
          continue;
        }
        if (keyNode && !isScalar(keyNode)) {
          throw new UserError('mapping keys must be scalars', this.nodeLoc(keyNode));
        }
        const key = keyNode ? String(keyNode.value) : '';
        // Checked here rather than by the parser, whose check is quadratic in the number of keys.
        if (this.scalars !== 'yaml11' && key in locs) {
          throw new UserError(
            `invalid YAML: Map keys must be unique ("${key}" is first set at line ${locs[key]!.line})`,
            this.nodeLoc(keyNode ?? valueNode),
          );
        }
        if (
          this.scalars === 'kustomize' &&
          isScalar(keyNode) &&
          keyNode.type === 'PLAIN' &&
          !keyNode.tag &&
          typeof resolvePlain(keyNode.source ?? '', 'kustomize') !== 'string'
        ) {
          // kustomize prints through JSON, whose keys are strings: it fails on `80:` or `true:`.
          throw new UserError(
            `mapping key ${keyNode.source} is not a string: kustomize cannot render it (quote the key)`,
            this.nodeLoc(keyNode),
          );
        }
        if (
          this.scalars === 'yaml11' &&
          isScalar(keyNode) &&
          keyNode.type === 'PLAIN' &&
          !keyNode.tag &&
          keyNode.source !== '<<' &&
          typeof resolvePlain(keyNode.source ?? '', 'yaml11') !== 'string'
        ) {
          // Kustomize's YAML 1.1 reader (kustomization files, JSON6902 patches) reads `y`, `on`,
          // `1` as a boolean or a number: a key it turns into "true" (a JSON6902 patch) or fails
          // on later (commonLabels). Refused rather than read another way (measured).
          throw new UserError(
            `mapping key ${keyNode.source} is not a string for kustomize's YAML 1.1 reader (it reads it as ${JSON.stringify(resolvePlain(keyNode.source ?? '', 'yaml11'))}): quote the key`,
            this.nodeLoc(keyNode),
          );
        }
        out[key] = this.convert(valueNode, depth + 1, [...path, key]);
        if (
          this.scalars === 'kustomize' &&
          keepsRawText(path) &&
          isScalar(valueNode) &&
          valueNode.type === 'PLAIN' &&
          typeof valueNode.source === 'string'
        ) {
          (out[RAW_TEXT] ??= {})[key] = valueNode.source;
        }
        if (out[key] === null && (valueNode == null || (isScalar(valueNode) && valueNode.source === ''))) {
          (out[BARE_NULLS] ??= new Set()).add(key);
        }
        const start = keyNode?.range?.[0] ?? valueNode?.range?.[0] ?? 0;
        const end = contentEnd(valueNode) ?? keyNode?.range?.[1] ?? start;
        locs[key] = this.loc(start, end);
      }
      // YAML merge keys: explicit keys win, earlier merge sources win over later ones.
      for (const m of merges) {
        const sources = isSeq(m) ? (m.items as YamlNode[]) : [m];
        for (const src of sources) {
          const merged = this.convert(src, depth + 1, path);
          if (typeof merged !== 'object' || merged === null || Array.isArray(merged)) {
            throw new UserError('a merge key (<<) must refer to a mapping', this.nodeLoc(src));
          }
          const mlocs = merged[LOCS] ?? {};
          for (const k of Object.keys(merged)) {
            if (Object.prototype.hasOwnProperty.call(out, k)) continue;
            out[k] = merged[k] as Json;
            const l = mlocs[k];
            if (l) locs[k] = l;
          }
        }
      }
      out[LOCS] = locs;
      return out;
    }
    throw new UserError('unsupported YAML node', this.nodeLoc(node));
  }

  nodeLoc(node: YamlNode | null | undefined): SourceLocation {
    const r = node?.range;
    return r ? this.loc(r[0], contentEnd(node) ?? r[1]) : this.loc(0, 0);
  }
}

/**
 * Where a node's content ends. A block collection ends with its last item: a comment after it,
 * on its last line or on lines below, belongs to no value. (The yaml package stretches a
 * collection's range over some such comments, by rules that depend on their indentation; ending
 * at the content keeps locations to what was written, and lets fast-load.ts skip comments freely.)
 */
function contentEnd(node: YamlNode | null | undefined): number | undefined {
  if ((isMap(node) || isSeq(node)) && !node.flow && node.items.length > 0) {
    const last = node.items[node.items.length - 1];
    if (isPair(last)) return contentEnd(last.value as YamlNode | null) ?? (last.key as YamlNode | null)?.range?.[1];
    return contentEnd(last as YamlNode);
  }
  return node?.range?.[1];
}

function scalarValue(node: Scalar): Json {
  const v = node.value;
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'number') return v;
  if (typeof v === 'bigint') return Number(v);
  if (v instanceof Date) return node.source ?? v.toISOString();
  return String(v);
}

export interface LoadOptions {
  /**
   * Read untagged plain scalars as one of kustomize's Go YAML libraries does (see resolve.ts):
   * `kustomize` for resources and strategic-merge patches, `yaml11` for kustomization files and
   * JSON6902 patches. Without it, YAML 1.2's core schema (any other stream).
   */
  scalars?: ScalarMode;
}

/**
 * Parses a (multi-document) YAML text into plain values carrying provenance.
 * Syntax errors, duplicate keys and unresolvable aliases are UserErrors with file:line:col.
 */
export function loadYamlDocuments(text: string, origin: TextOrigin, options: LoadOptions = {}): LoadedDocument[] {
  if (!parseCache) return parseYamlDocuments(text, origin, options);
  // The parse of the same text, at the same place, read the same way, is shared: every caller
  // gets its own deep copy (the renderer's transformers mutate what they are given). Most texts
  // are loaded once, so the first caller gets the parse itself and nothing is kept; a second
  // load parses again and keeps that parse, pristine, for copies.
  // Keyed by the text itself (the string a caching file system hands out again, not a copy).
  const c = origin.collapseTo;
  const where = `${options.scalars ?? ''}\0${origin.file}\0${origin.lineOffset ?? 0}\0${origin.columnOffset ?? 0}\0${c ? `${c.file}:${c.line}:${c.column}:${c.endLine}:${c.endColumn}` : ''}`;
  let byPlace = parseCache.get(text);
  if (!byPlace) parseCache.set(text, (byPlace = new Map()));
  const docs = byPlace.get(where);
  if (docs === undefined) {
    byPlace.set(where, ONCE);
    return parseYamlDocuments(text, origin, options);
  }
  if (docs === ONCE) {
    const parsed = parseYamlDocuments(text, origin, options);
    byPlace.set(where, parsed);
    return parsed.map((d) => ({ value: cloneJson(d.value), location: d.location }));
  }
  return docs.map((d) => ({ value: cloneJson(d.value), location: d.location }));
}

/** A text loaded once so far (its parse was handed out, not kept). */
const ONCE = 'once' as const;

let parseCache: Map<string, Map<string, LoadedDocument[] | typeof ONCE>> | undefined;

/**
 * Runs `fn` with a parse cache shared by everything it loads (the targets of one run share their
 * bases): a text is parsed at most twice per file, offset and scalar mode (see loadYamlDocuments);
 * callers get their own copies, with provenance. Nested calls share the outer cache; it is dropped
 * when the outermost one returns.
 */
export function withParseCache<T>(fn: () => T): T {
  if (parseCache) return fn();
  parseCache = new Map();
  try {
    return fn();
  } finally {
    parseCache = undefined;
  }
}

function parseYamlDocuments(text: string, origin: TextOrigin, options: LoadOptions): LoadedDocument[] {
  // A BOM is legal at the start of a stream; strip it so columns stay right.
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (options.scalars === 'kustomize' || options.scalars === 'yaml11') checkGoYamlText(src, origin);
  if (options.scalars === 'kustomize') checkNoDirective(src, origin);
  // Plain manifests take the fast path (fast-load.ts); anything it does not read exactly as the
  // general loader would, it hands back.
  return fastLoadDocuments(src, origin, options.scalars ?? 'core') || parseWithYamlPackage(src, origin, options);
}

/** Raw characters Go's YAML readers (yaml.v2, yaml.v3) refuse: C0 controls but tab/LF/CR, DEL, C1 controls but NEL, U+FFFE/U+FFFF. */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ufffe\uffff]/;
/** Raw characters Go's YAML readers take for line breaks where this loader (YAML 1.2) does not. */
const SEPARATOR = /[\u0085\u2028\u2029]/;
/** An escape of a UTF-16 surrogate (`"\uD800"`), which Go's YAML readers refuse. */
const SURROGATE_ESCAPE = /(?<!\\)(?:\\\\)*\\(?:u[dD][89a-fA-F][0-9a-fA-F]{2}|U0000[dD][89a-fA-F][0-9a-fA-F]{2})/;

/**
 * Text kustomize cannot read (so a render must not accept it): raw control characters ("yaml:
 * control characters are not allowed"), surrogate escapes ("found invalid Unicode character
 * escape code") and raw NEL / line / paragraph separators, which yaml.v2 and yaml.v3 read as
 * line breaks (so a value holding one breaks its document). Checked over the whole text,
 * comments and quoted scalars included, where Go's readers differ only in the error they give.
 */
/**
 * A line starting with `%` (a %YAML or %TAG directive, or what would be one): kustomize's
 * resource reader splits documents itself and refuses it ("found incompatible YAML document",
 * "did not find expected <document start>", "found unknown directive name"). A kustomization
 * file is read by another library, which takes `%YAML 1.1`: not checked there.
 */
function checkNoDirective(src: string, origin: TextOrigin): void {
  const m = /^%/m.exec(src);
  if (!m) return;
  const line = src.slice(0, m.index).split('\n').length;
  const loc: SourceLocation = origin.collapseTo ?? {
    file: origin.file,
    line: line + (origin.lineOffset ?? 0),
    column: 1 + (origin.columnOffset ?? 0),
    endLine: line + (origin.lineOffset ?? 0),
    endColumn: 1 + (origin.columnOffset ?? 0),
  };
  throw new UserError(
    `a line starting with "%" (a YAML directive such as %YAML or %TAG): kustomize's resource reader refuses it ("found incompatible YAML document" / "did not find expected <document start>"); remove the directive`,
    loc,
  );
}

function checkGoYamlText(src: string, origin: TextOrigin): void {
  const m = CONTROL.exec(src) ?? SEPARATOR.exec(src) ?? SURROGATE_ESCAPE.exec(src);
  if (!m) return;
  const at = m.index + (m[0].startsWith('\\\\') ? m[0].lastIndexOf('\\') : 0);
  const before = src.slice(0, at);
  const line = before.split('\n').length;
  const column = at - before.lastIndexOf('\n');
  const loc: SourceLocation = origin.collapseTo ?? {
    file: origin.file,
    line: line + (origin.lineOffset ?? 0),
    column: column + (origin.columnOffset ?? 0),
    endLine: line + (origin.lineOffset ?? 0),
    endColumn: column + (origin.columnOffset ?? 0),
  };
  const cp = `U+${m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
  if (CONTROL.test(m[0]))
    throw new UserError(
      `raw control character ${cp}: kustomize's YAML reader refuses it ("control characters are not allowed"); write it as an escape in a double-quoted string`,
      loc,
    );
  if (SEPARATOR.test(m[0]))
    throw new UserError(
      `raw ${cp === 'U+0085' ? 'next-line (NEL)' : cp === 'U+2028' ? 'line separator' : 'paragraph separator'} character ${cp}: kustomize's YAML reader takes it for a line break; write it as an escape in a double-quoted string`,
      loc,
    );
  throw new UserError(
    `the escape ${m[0].slice(m[0].lastIndexOf('\\'))} names a UTF-16 surrogate, not a character: kustomize's YAML reader refuses it ("found invalid Unicode character escape code"); escape the character itself (\\U0001F600)`,
    loc,
  );
}

/** The general loader, over the `yaml` package (exported for the fast path's differential test). */
export function parseWithYamlPackage(src: string, origin: TextOrigin, options: LoadOptions): LoadedDocument[] {
  const lineCounter = new LineCounter();
  let docs: Document[];
  try {
    docs = parseDocumentsBounded(
      src,
      {
        merge: true,
        // Go's yaml.v2 (kustomization files, JSON6902 patches) lets a repeated key win; yaml.v3 does
        // not: the Converter checks (the parser's own check is quadratic).
        uniqueKeys: false,
        prettyErrors: false,
        strict: true,
      },
      lineCounter,
    );
  } catch (e) {
    if (!(e instanceof YamlLimitError)) throw e;
    if (lineCounter.lineStarts.length === 0) lineCounter.addNewLine(0);
    const at = new Converter(src, lineCounter, origin, undefined as unknown as Document).loc(e.offset, e.offset);
    throw new UserError(e.message, at);
  }
  const list = Array.isArray(docs) ? docs : [];
  if (!Array.isArray(docs)) {
    // An empty stream parses to an EmptyStream: no documents.
    return [];
  }
  const out: LoadedDocument[] = [];
  for (const [i, doc] of list.entries()) {
    // Kustomize's resource reader splits the stream at `---` and decodes one document from each
    // piece: a document after `...` without a `---` of its own is never read (measured).
    if (options.scalars === 'kustomize' && i > 0 && !doc.directives?.docStart) continue;
    const conv = new Converter(src, lineCounter, origin, doc as Document, options.scalars);
    const err = doc.errors[0];
    if (err) {
      let pos = err.pos[0];
      // An unterminated quoted scalar is reported at the end of the input: point at its opening quote.
      const quote = err.code === 'MISSING_CHAR' ? /Missing closing (["'])quote/.exec(err.message)?.[1] : undefined;
      if (quote) {
        const open = src.lastIndexOf(quote, pos - 1);
        if (open >= 0) pos = open;
      }
      // So is an unterminated flow collection: point at its opening bracket.
      const bracket = /^Flow (sequence|map)\b.*end with a ([\]}])/.exec(err.message)?.[2];
      if (bracket) pos = unclosedFlowStart(doc as Document, src, pos, bracket === ']' ? '[' : '{') ?? pos;
      const at = conv.loc(pos, pos);
      throw new UserError(`invalid YAML: ${firstLine(err.message)}`, at);
    }
    const contents = doc.contents as YamlNode | null;
    const value = conv.convert(contents, 0);
    const range = doc.range ?? [0, 0, 0];
    const start = contents?.range?.[0] ?? range[0];
    const location = conv.loc(start, contentEnd(contents) ?? range[1]);
    if (value && typeof value === 'object') (value as JsonObject)[SELF] = location;
    out.push({ value, location });
  }
  return out;
}

function firstLine(s: string): string {
  return s.split('\n')[0] ?? s;
}
