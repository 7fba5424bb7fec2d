import type { SourceLocation } from '../model/location.ts';
import { BARE_NULLS, LOCS, RAW_TEXT, SELF, type Json, type JsonArray, type JsonObject } from '../model/provenance.ts';
import { YAML_LIMITS } from './limits.ts';
import { foldedRoundTrip, resolveCorePlain, resolvePlain, type ScalarMode } from './resolve.ts';
import type { LoadedDocument, TextOrigin } from './load.ts';

/**
 * A fast path for the YAML most manifests are written in: block mappings and sequences of
 * plain and quoted scalars, literal and folded block scalars, flow collections on one line,
 * comments, `---`, and anchored block collections with their aliases and merge keys
 * (`matchLabels: &labels` ... `<<: *labels`). It produces exactly what the general loader
 * (load.ts, over the `yaml` package) produces — values, locations, raw annotation text and bare
 * nulls — or `undefined` the moment it meets anything else (anchored scalars, tags, flow
 * collections over several lines, odd keys, tabs, CR line ends, errors of any kind), and the
 * general loader takes over. Generated CRDs,
 * megabytes of such YAML, are most of what a monorepo render parses; this reads them several
 * times faster. test/yaml/fast-load.test.ts holds the two loaders equal over every YAML file
 * of the fixtures and the corpus.
 */

class Fallback extends Error {}
const FALLBACK = new Fallback('fallback');
const bail = (): never => {
  throw FALLBACK;
};

/** One line of the text: where it starts, where its content starts (after the indentation) and ends. */
interface Line {
  start: number;
  /** Column of the first content character (0-based): the indentation, or, for a `- ` item, past it. */
  indent: number;
  end: number;
  /** A blank or comment-only line. */
  blank: boolean;
}

/** A parsed node: its value, where it starts and ends (a collection ends with its last item's content, as in load.ts). */
interface ParsedNode {
  value: Json;
  start: number;
  end: number;
}

const KEY_PLAIN = /^[A-Za-z_$/][A-Za-z0-9_.$/-]*$/;
const CORE_WORDS = /^(true|false|null|yes|no|on|off|y|n)$/i;

/** How plain scalars read: one of kustomize's Go libraries (resolve.ts), or YAML 1.2's core schema (any other stream). */
export type FastScalarMode = ScalarMode | 'core';

export function fastLoadDocuments(src: string, origin: TextOrigin, scalars: FastScalarMode): LoadedDocument[] | undefined {
  if (src.length > YAML_LIMITS.maxChars || src.includes('\t') || src.includes('\r')) return undefined;
  try {
    return new FastLoader(src, origin, scalars).documents();
  } catch (e) {
    if (e instanceof Fallback) return undefined;
    throw e;
  }
}

/** An anchored block collection (`key: &name` and the block below): its lines, parsed again for each alias. */
interface Anchor {
  /** Where `&name` is written: an alias refers to the last anchor of its name written before it. */
  at: number;
  line: number;
  /** Where its block ended (-1 while it is being parsed: an alias inside it is left to the general loader). */
  end: number;
}

/** An anchor or alias name the fast path takes (others are left to the general loader). */
const ANCHOR_NAME = /^[A-Za-z0-9_-]+/;

class FastLoader {
  private readonly lines: Line[] = [];
  private readonly lineStarts: number[] = [];
  /** Each line's indentation as written (a compact mapping's first line is re-indented while parsed). */
  private readonly indents: number[] = [];
  private i = 0;
  private nodes = 0;
  /** Nodes parsed again for aliases, bounded as the general loader bounds alias expansion. */
  private aliasNodes = 0;
  private expanding = 0;
  /** The anchors of the current document by name, in the order written. */
  private anchors = new Map<string, Anchor[]>();

  constructor(
    private readonly text: string,
    private readonly origin: TextOrigin,
    private readonly scalars: FastScalarMode,
  ) {
    let start = 0;
    while (start <= text.length) {
      let end = text.indexOf('\n', start);
      if (end < 0) end = text.length;
      this.lineStarts.push(start);
      let p = start;
      while (p < end && text.charCodeAt(p) === 32) p++;
      const blank = p === end || text.charCodeAt(p) === 35; /* # */
      this.lines.push({ start, indent: p - start, end, blank });
      this.indents.push(p - start);
      if (end === text.length) break;
      start = end + 1;
    }
  }

  documents(): LoadedDocument[] {
    const out: LoadedDocument[] = [];
    this.skipBlank();
    while (this.i < this.lines.length) {
      // The general loader enforces the limits (and names them).
      if (out.length >= YAML_LIMITS.maxDocuments) bail();
      const line = this.lines[this.i]!;
      if (this.isMarker(line)) {
        this.i++;
        this.skipBlank();
        const next = this.lines[this.i];
        if (!next || this.isMarker(next)) {
          // An empty document: null, located at the end of its marker line (after a comment there: the general loader's business).
          if (line.end >= this.text.length || line.end !== line.start + 3) bail();
          out.push({ value: null, location: this.loc(line.end, line.end) });
          continue;
        }
      }
      const first = this.lines[this.i]!;
      if (first.indent !== 0) bail();
      this.nodes = 0;
      this.anchors = new Map();
      const node = this.block(0, []);
      // Content the block did not take: an error or an unusual layout.
      if (this.i < this.lines.length && !this.isMarker(this.lines[this.i]!)) bail();
      const location = this.loc(node.start, node.end);
      if (node.value && typeof node.value === 'object') (node.value as JsonObject)[SELF] = location;
      out.push({ value: node.value, location });
    }
    return out;
  }

  private isMarker(line: Line): boolean {
    if (line.indent !== 0 || line.blank) return false;
    const t = this.text;
    const s = line.start;
    if (t.charCodeAt(s) === 37 /* % */) bail();
    if (t.startsWith('...', s) && (line.end === s + 3 || t.charCodeAt(s + 3) === 32)) bail();
    if (!t.startsWith('---', s)) return false;
    if (line.end === s + 3) return true;
    if (t.charCodeAt(s + 3) !== 32) return false;
    // `--- # comment` only: content after the marker is left to the general loader.
    const rest = t.slice(s + 3, line.end).trim();
    return rest === '' || rest.startsWith('#') ? true : bail();
  }

  /**
   * Skips blank and comment lines, wherever they are: no value or location depends on a comment
   * (load.ts ends a collection with its last item's content). Returns whether a comment was skipped.
   */
  private skipBlank(): boolean {
    let comment = false;
    while (this.i < this.lines.length && this.lines[this.i]!.blank) {
      const l = this.lines[this.i]!;
      if (l.indent !== l.end - l.start) comment = true;
      this.i++;
    }
    return comment;
  }

  /** As the general loader locates a node: trailing blanks and newlines belong to no value. */
  private loc(start: number, end: number): SourceLocation {
    if (this.origin.collapseTo) return this.origin.collapseTo;
    while (end > start && /\s/.test(this.text[end - 1] ?? '')) end--;
    const a = this.pos(start);
    const b = this.pos(end);
    const lo = this.origin.lineOffset ?? 0;
    const co = this.origin.columnOffset ?? 0;
    return { file: this.origin.file, line: a.line + lo, column: a.col + co, endLine: b.line + lo, endColumn: b.col + co };
  }

  private pos(offset: number): { line: number; col: number } {
    const ls = this.lineStarts;
    let low = 0;
    let high = ls.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ls[mid]! < offset) low = mid + 1;
      else high = mid;
    }
    if (ls[low] === offset) return { line: low + 1, col: 1 };
    return { line: low, col: offset - ls[low - 1]! + 1 };
  }

  private count(depth: number): void {
    if (++this.nodes > YAML_LIMITS.maxNodes || depth > YAML_LIMITS.maxDepth) bail();
    if (this.expanding > 0 && ++this.aliasNodes > YAML_LIMITS.maxAliasNodes) bail();
  }

  /** `&name` at `q`, alone on its line (before a block): the name, else left to the general loader. */
  private anchorName(q: number, lineEnd: number): string {
    const name = ANCHOR_NAME.exec(this.text.slice(q + 1, lineEnd))?.[0];
    if (!name) bail();
    for (let k = q + 1 + name!.length; k < lineEnd; k++) if (this.text.charCodeAt(k) !== 32) bail();
    return name!;
  }

  /** `*name` at `q`, followed by nothing but blanks or a comment: the name and where it ends, else left to the general loader. */
  private aliasName(q: number, lineEnd: number): { name: string; end: number } {
    const name = this.text.charCodeAt(q) === 42 /* * */ ? ANCHOR_NAME.exec(this.text.slice(q + 1, lineEnd))?.[0] : undefined;
    if (!name) return bail();
    const end = q + 1 + name.length;
    this.afterValue(end, lineEnd);
    return { name, end };
  }

  /** An untagged plain scalar's value in this loader's mode; infinities and NaN are the general loader's to decide. */
  private plainValue(source: string): Json {
    const v = this.scalars === 'core' ? resolveCorePlain(source) : resolvePlain(source, this.scalars);
    return v !== null && typeof v === 'object' ? bail() : v;
  }

  /**
   * The value of `*name` at `q`: its anchored block parsed again at `path` (so what depends on
   * the path, an annotation's raw text, is as the general loader makes it: a fresh conversion of
   * the anchored node where the alias is). Leaves the current line past the alias.
   */
  private alias(q: number, line: Line, indent: number, depth: number, path: readonly (string | number)[]): ParsedNode {
    const { name, end } = this.aliasName(q, line.end);
    const value = this.expand(name, q, depth, path);
    this.i++;
    this.skipBlank();
    const next = this.lines[this.i];
    if (next && next.indent > indent && !this.isMarker(next)) bail();
    return { value, start: q, end };
  }

  /** The anchored block an alias `*name` written at `at` refers to, parsed again at `path`. */
  private expand(name: string, at: number, depth: number, path: readonly (string | number)[]): Json {
    let anchor: Anchor | undefined;
    for (const a of this.anchors.get(name) ?? []) if (a.at < at) anchor = a;
    if (!anchor || anchor.end < 0) return bail();
    const saved = this.i;
    for (let k = anchor.line; k < anchor.end; k++) this.lines[k]!.indent = this.indents[k]!;
    this.expanding++;
    try {
      this.i = anchor.line;
      return this.block(depth, path).value;
    } finally {
      this.expanding--;
      this.i = saved;
    }
  }

  /** A block collection whose first line is the current one, at column `indent`. */
  private block(depth: number, path: readonly (string | number)[]): ParsedNode {
    const line = this.lines[this.i]!;
    const p = line.start + line.indent;
    if (this.text.charCodeAt(p) === 45 /* - */ && (p + 1 === line.end || this.text.charCodeAt(p + 1) === 32))
      return this.sequence(line.indent, depth, path);
    return this.mapping(line.indent, depth, path);
  }

  private sequence(indent: number, depth: number, path: readonly (string | number)[]): ParsedNode {
    this.count(depth);
    const out: JsonArray = [];
    const locs: (SourceLocation | undefined)[] = [];
    const start = this.lines[this.i]!.start + indent;
    let end = start;
    while (this.i < this.lines.length) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent !== indent || this.isMarker(line)) break;
      const p = line.start + indent;
      if (this.text.charCodeAt(p) !== 45 || !(p + 1 === line.end || this.text.charCodeAt(p + 1) === 32)) break;
      // The item's content: on this line after `- `, or a block on the lines below.
      let q = p + 1;
      while (q < line.end && this.text.charCodeAt(q) === 32) q++;
      let item: ParsedNode;
      if (q === line.end || this.text.charCodeAt(q) === 35) {
        if (q < line.end) bail(); // `- # comment`
        this.i++;
        this.skipBlank();
        const next = this.lines[this.i];
        if (!next || next.indent <= indent || this.isMarker(next)) bail(); // `-` alone: a null item.
        item = this.block(depth + 1, [...path, out.length]);
      } else {
        const c = this.text.charCodeAt(q);
        if (c === 45 /* - */ && (q + 1 === line.end || this.text.charCodeAt(q + 1) === 32)) bail(); // `- - x`
        if (c !== 91 /* [ */ && c !== 123 /* { */ && this.keyEnd(q, line.end) >= 0) {
          // A compact mapping: its keys line up with the first one, past the dash.
          line.indent = q - line.start;
          item = this.mapping(line.indent, depth + 1, [...path, out.length]);
        } else if (c === 42 /* * */) {
          item = this.alias(q, line, indent, depth + 1, [...path, out.length]);
        } else {
          item = this.inlineValue(q, line, indent, depth + 1, [...path, out.length]).node;
        }
      }
      out.push(item.value);
      locs.push(this.loc(item.start, item.end));
      end = item.end;
    }
    out[LOCS] = locs;
    return { value: out, start, end };
  }

  /** Where a plain or quoted key on this line ends (the offset of its `:`), or -1 for no key. */
  private keyEnd(p: number, lineEnd: number): number {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 34 /* " */ || c === 39 /* ' */) {
      const close = t.indexOf(String.fromCharCode(c), p + 1);
      if (close < 0 || close >= lineEnd) return -1;
      if (t.charCodeAt(close + 1) === 58 && (close + 2 === lineEnd || t.charCodeAt(close + 2) === 32)) return close + 1;
      return -1;
    }
    for (let q = p; q < lineEnd; q++) {
      const ch = t.charCodeAt(q);
      if (ch === 58 /* : */ && (q + 1 === lineEnd || t.charCodeAt(q + 1) === 32)) return q;
      if (ch === 35 /* # */ && t.charCodeAt(q - 1) === 32) return -1;
    }
    return -1;
  }

  private key(p: number, colon: number): string {
    const t = this.text;
    const c = t.charCodeAt(p);
    if (c === 34 || c === 39) {
      const key = c === 34 ? this.doubleQuoted(p + 1, colon - 1) : this.singleQuoted(p + 1, colon - 1);
      // load.ts takes a quoted `<<` for a merge key too.
      return key === '<<' ? bail() : key;
    }
    const key = t.slice(p, colon);
    if (!KEY_PLAIN.test(key) || CORE_WORDS.test(key) || key === '__proto__' || key === '<<') bail();
    return key;
  }

  private mapping(indent: number, depth: number, path: readonly (string | number)[]): ParsedNode {
    this.count(depth);
    const out: JsonObject = {};
    const locs: Record<string, SourceLocation> = Object.create(null);
    const first = this.lines[this.i]!;
    const start = first.start + indent;
    let end = start;
    const annotations = this.scalars === 'kustomize' && keepsRawText(path);
    const merges: { name: string; at: number }[] = [];
    while (this.i < this.lines.length) {
      this.skipBlank();
      const line = this.lines[this.i];
      if (!line || line.indent !== indent || this.isMarker(line)) break;
      const p = line.start + indent;
      const colon = this.keyEnd(p, line.end);
      if (colon < 0) break;
      if (colon === p + 2 && this.text.startsWith('<<', p)) {
        // A merge key, `<<: *name`: its keys are added after the explicit ones (below).
        let q = colon + 1;
        while (q < line.end && this.text.charCodeAt(q) === 32) q++;
        if (merges.length > 0) bail();
        const alias = this.aliasName(q, line.end);
        merges.push({ name: alias.name, at: q });
        // The mapping ends with this line's alias if it is the last (as load.ts ends a collection).
        end = alias.end;
        this.i++;
        continue;
      }
      const key = this.key(p, colon);
      if (Object.hasOwn(locs, key) && this.scalars !== 'yaml11') bail(); // The general loader reports duplicates.
      let q = colon + 1;
      while (q < line.end && this.text.charCodeAt(q) === 32) q++;
      let value: ParsedNode;
      let plainSource: string | undefined;
      const anchor = this.text.charCodeAt(q) === 38 /* & */ ? this.anchorName(q, line.end) : undefined;
      if (anchor !== undefined || q === line.end || this.text.charCodeAt(q) === 35) {
        // Nothing after the colon (or an anchor): a block below (deeper, or a sequence at the same column), or null.
        this.i++;
        const comment = this.skipBlank();
        const next = this.lines[this.i];
        const nextIsSeqHere =
          next &&
          next.indent === indent &&
          !this.isMarker(next) &&
          this.text.charCodeAt(next.start + indent) === 45 &&
          (next.start + indent + 1 === next.end || this.text.charCodeAt(next.start + indent + 1) === 32);
        if (next && !this.isMarker(next) && (next.indent > indent || nextIsSeqHere)) {
          // Registered when first parsed, in the order written; parsing it again for an alias changes nothing.
          const anchored: Anchor | undefined = anchor === undefined || this.expanding > 0 ? undefined : { at: q, line: this.i, end: -1 };
          if (anchored) this.anchors.set(anchor!, [...(this.anchors.get(anchor!) ?? []), anchored]);
          value = this.block(depth + 1, [...path, key]);
          if (anchored) anchored.end = this.i;
        } else {
          // `key: # comment`, or comments, then no block: where the null sits is the general loader's business.
          if (q < line.end || comment || anchor !== undefined) bail();
          value = { value: null, start: colon + 1, end: colon + 1 };
          plainSource = '';
        }
      } else if (this.text.charCodeAt(q) === 42 /* * */) {
        value = this.alias(q, line, indent, depth + 1, [...path, key]);
      } else {
        const r = this.inlineValue(q, line, indent, depth + 1, [...path, key]);
        value = r.node;
        plainSource = r.plainSource;
      }
      out[key] = value.value;
      if (annotations && plainSource !== undefined) (out[RAW_TEXT] ??= {})[key] = plainSource;
      if (value.value === null && plainSource === '') (out[BARE_NULLS] ??= new Set()).add(key);
      locs[key] = this.loc(p, value.end);
      end = value.end;
    }
    // As load.ts merges: explicit keys win; the merged ones keep their own locations (in the anchor).
    for (const { name, at } of merges) {
      const merged = this.expand(name, at, depth + 1, path);
      if (merged === null || typeof merged !== 'object' || Array.isArray(merged)) bail();
      const mlocs = (merged as JsonObject)[LOCS] ?? {};
      for (const k of Object.keys(merged as JsonObject)) {
        if (Object.prototype.hasOwnProperty.call(out, k)) continue;
        out[k] = (merged as JsonObject)[k] as Json;
        const l = mlocs[k];
        if (l) locs[k] = l;
      }
    }
    out[LOCS] = locs;
    return { value: out, start, end };
  }

  /**
   * A value that starts on the current line at `q` (after `key: ` or `- `): a scalar, a block
   * scalar, or an empty flow collection. Leaves the current line past what it took.
   */
  private inlineValue(
    q: number,
    line: Line,
    indent: number,
    depth: number,
    path: readonly (string | number)[],
  ): { node: ParsedNode; plainSource?: string } {
    const t = this.text;
    const c = t.charCodeAt(q);
    this.count(depth);
    if (c === 124 /* | */ || c === 62 /* > */) return { node: this.blockScalar(q, line, indent) };
    let end: number;
    let value: Json;
    let plainSource: string | undefined;
    let commented: boolean;
    if (c === 34 || c === 39) {
      const r = this.quoted(q, indent);
      value = r.value;
      end = r.end;
      commented = this.afterValue(end, this.lines[this.i]!.end);
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      const r = this.flow(q, line.end, depth, path);
      value = r.value;
      end = r.end;
      commented = this.afterValue(end, line.end);
    } else {
      // A plain scalar: indicators that start anything else are left to the general loader.
      if ('[]{},&*!|>\'"%@`?:#'.includes(t[q]!) || (c === 45 && (q + 1 === line.end || t.charCodeAt(q + 1) === 32))) bail();
      end = line.end;
      // A comment starts at ` #` (searched on this line only: the text may be megabytes long).
      let hash = -1;
      for (let k = q + 1; k < end; k++) {
        if (t.charCodeAt(k) === 35 && t.charCodeAt(k - 1) === 32) {
          hash = k - 1;
          break;
        }
      }
      commented = hash >= 0;
      if (commented) end = hash;
      while (end > q && t.charCodeAt(end - 1) === 32) end--;
      plainSource = t.slice(q, end);
      if (plainSource.includes(': ') || plainSource.endsWith(':')) bail();
      if (!commented) {
        const more = this.plainContinuation(indent);
        if (more) {
          plainSource += more.text;
          end = more.end;
        }
      }
      value = this.plainValue(plainSource);
    }
    this.i++;
    // A deeper line that follows continues a multi-line scalar: left to the general loader.
    this.skipBlank();
    const next = this.lines[this.i];
    if (next && next.indent > indent && !this.isMarker(next)) bail();
    return { node: { value, start: q, end }, ...(plainSource !== undefined ? { plainSource } : {}) };
  }

  /**
   * The lines that continue a plain scalar (deeper than `indent`), folded as YAML folds them: a
   * line break between two lines is a space, each empty line between them a line feed. Lines that
   * could be anything but prose are left to the general loader. Leaves the current line on the
   * scalar's last line.
   */
  private plainContinuation(indent: number): { text: string; end: number } | undefined {
    const t = this.text;
    let text = '';
    let end = -1;
    let empties = 0;
    let last = this.i;
    for (let j = this.i + 1; j < this.lines.length; j++) {
      const l = this.lines[j]!;
      if (l.indent === l.end - l.start) {
        empties++;
        continue;
      }
      if (l.indent <= indent) break;
      const s = l.start + l.indent;
      let e = l.end;
      while (e > s && t.charCodeAt(e - 1) === 32) e--;
      const part = t.slice(s, e);
      if (part.startsWith('#') || part.includes(' #') || part.includes(': ') || part.endsWith(':') || part.startsWith('- ') || part === '-')
        bail();
      text += empties ? '\n'.repeat(empties) : ' ';
      text += part;
      end = e;
      empties = 0;
      last = j;
    }
    if (end < 0) return undefined;
    this.i = last;
    return { text, end };
  }

  /**
   * A flow collection written on one line from `q` (`[` or `{`), of plain and quoted scalars and
   * flow collections: `[get, list]`, `{ search: [a, b] }`. Anything else in it (a plain scalar
   * with a `:` or `#`, an implicit pair in a sequence, a pair without a value, a trailing comma,
   * anchors, tags, a collection that spans lines) is left to the general loader.
   */
  private flow(q: number, lineEnd: number, depth: number, path: readonly (string | number)[]): { value: Json; end: number } {
    const t = this.text;
    const isMap = t.charCodeAt(q) === 123;
    const close = isMap ? 125 : 93;
    // Annotations, labels and data keep their raw text (load.ts): not in flow style here.
    if (isMap && this.scalars === 'kustomize' && keepsRawText(path)) bail();
    const seq: JsonArray = [];
    const seqLocs: (SourceLocation | undefined)[] = [];
    const map: JsonObject = {};
    const mapLocs: Record<string, SourceLocation> = Object.create(null);
    const blanks = (p: number): number => {
      while (p < lineEnd && t.charCodeAt(p) === 32) p++;
      return p;
    };
    let p = blanks(q + 1);
    if (t.charCodeAt(p) !== close) {
      for (;;) {
        if (p >= lineEnd) bail();
        if (isMap) {
          const keyStart = p;
          const key = this.flowKey(p, lineEnd);
          if (Object.hasOwn(mapLocs, key.value) && this.scalars !== 'yaml11') bail();
          p = blanks(key.end + 2);
          const v = this.flowItem(p, lineEnd, depth + 1, [...path, key.value]);
          map[key.value] = v.value;
          mapLocs[key.value] = this.loc(keyStart, v.end);
          p = v.end;
        } else {
          const v = this.flowItem(p, lineEnd, depth + 1, [...path, seq.length]);
          seq.push(v.value);
          seqLocs.push(this.loc(p, v.end));
          p = v.end;
        }
        p = blanks(p);
        const ch = t.charCodeAt(p);
        if (ch === close) break;
        if (ch !== 44 /* , */) bail();
        p = blanks(p + 1);
        if (t.charCodeAt(p) === close || t.charCodeAt(p) === 44) bail(); // `[a, ]`, `[a,, b]`
      }
    }
    if (isMap) map[LOCS] = mapLocs;
    else seq[LOCS] = seqLocs;
    return { value: isMap ? map : seq, end: p + 1 };
  }

  /** A key of a flow mapping at `p`, plain or quoted, followed by `: `; `end` is where its `:` is. */
  private flowKey(p: number, lineEnd: number): { value: string; end: number } {
    const t = this.text;
    const c = t.charCodeAt(p);
    let colon: number;
    if (c === 34 || c === 39) {
      const close = c === 34 ? this.closingDoubleQuote(p + 1, lineEnd) : this.closingSingleQuote(p + 1, lineEnd);
      colon = close + 1;
    } else {
      colon = p;
      while (colon < lineEnd && !',[]{}: #'.includes(t[colon]!)) colon++;
    }
    if (t.charCodeAt(colon) !== 58 || t.charCodeAt(colon + 1) !== 32) bail();
    return { value: this.key(p, colon), end: colon };
  }

  /** A value inside a flow collection at `p`: a nested flow collection, a quoted or a plain scalar. */
  private flowItem(p: number, lineEnd: number, depth: number, path: readonly (string | number)[]): { value: Json; end: number } {
    const t = this.text;
    const c = t.charCodeAt(p);
    this.count(depth);
    if (c === 91 || c === 123) return this.flow(p, lineEnd, depth, path);
    if (c === 34 || c === 39) {
      const close = c === 34 ? this.closingDoubleQuote(p + 1, lineEnd) : this.closingSingleQuote(p + 1, lineEnd);
      return { value: c === 34 ? this.doubleQuoted(p + 1, close) : this.singleQuoted(p + 1, close), end: close + 1 };
    }
    if ('[]{},&*!|>\'"%@`?:#'.includes(t[p]!) || (c === 45 /* - */ && ' ,[]{}'.includes(t[p + 1] ?? ' '))) bail();
    let end = p;
    while (end < lineEnd && !',[]{}'.includes(t[end]!)) end++;
    while (end > p && t.charCodeAt(end - 1) === 32) end--;
    const source = t.slice(p, end);
    if (source === '' || source.includes(':') || source.includes('#')) bail();
    return { value: this.plainValue(source), end };
  }

  /** Only blanks, or blanks and a comment, may follow a quoted scalar or a flow collection on its line. */
  private afterValue(p: number, lineEnd: number): boolean {
    let q = p;
    while (q < lineEnd && this.text.charCodeAt(q) === 32) q++;
    if (q === lineEnd) return false;
    if (this.text.charCodeAt(q) === 35 && q > p) return true;
    return bail();
  }

  /**
   * A quoted scalar starting at `q` on the current line; one that spans lines (deeper than
   * `indent`) is folded as YAML folds it. Leaves the current line on the closing quote's line.
   */
  private quoted(q: number, indent: number): { value: string; end: number } {
    const t = this.text;
    const double = t.charCodeAt(q) === 34;
    const line = this.lines[this.i]!;
    const close = double ? this.closingDoubleQuote(q + 1, t.length) : this.closingSingleQuote(q + 1, t.length);
    if (close < line.end) return { value: double ? this.doubleQuoted(q + 1, close) : this.singleQuoted(q + 1, close), end: close + 1 };
    // Spans lines: each continuation line must be deeper than the collection.
    let j = this.i + 1;
    while (this.lines[j]!.end < close) j++;
    for (let k = this.i + 1; k <= j; k++) {
      const l = this.lines[k]!;
      if (l.indent <= indent && l.indent !== l.end - l.start) bail();
    }
    const raw = t.slice(q + 1, close);
    if (double && raw.includes('\\')) bail(); // Escaped line breaks and blanks: the general loader's.
    const segments = raw.split('\n');
    let value = segments[0]!.replace(/ +$/, '');
    let empties = 0;
    for (let k = 1; k < segments.length; k++) {
      const last = k === segments.length - 1;
      let seg = segments[k]!.replace(/^ +/, '');
      if (!last) seg = seg.replace(/ +$/, '');
      if (seg === '' && !last) {
        empties++;
        continue;
      }
      value += empties ? '\n'.repeat(empties) : ' ';
      value += seg;
      empties = 0;
    }
    if (!double) value = value.replaceAll("''", "'");
    this.i = j;
    return { value, end: close + 1 };
  }

  private closingDoubleQuote(p: number, lineEnd: number): number {
    for (let q = p; q < lineEnd; q++) {
      const ch = this.text.charCodeAt(q);
      if (ch === 92 /* \ */) q++;
      else if (ch === 34) return q;
    }
    return bail();
  }

  private closingSingleQuote(p: number, lineEnd: number): number {
    for (let q = p; q < lineEnd; q++) {
      if (this.text.charCodeAt(q) !== 39) continue;
      if (this.text.charCodeAt(q + 1) === 39) q++;
      else return q;
    }
    return bail();
  }

  private singleQuoted(p: number, close: number): string {
    return this.text.slice(p, close).replaceAll("''", "'");
  }

  private doubleQuoted(p: number, close: number): string {
    const s = this.text.slice(p, close);
    if (!s.includes('\\')) return s;
    return s.replace(/\\(x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|.)/g, (_, e: string) => {
      switch (e[0]) {
        case 'n':
          return '\n';
        case 't':
          return '\t';
        case 'r':
          return '\r';
        case '"':
          return '"';
        case '\\':
          return '\\';
        case '/':
          return '/';
        case '0':
          return '\0';
        case 'x':
        case 'u': {
          // `\u` or `\x` without its hex digits is an error: the general loader reports it.
          if (e.length === 1) return bail();
          const code = parseInt(e.slice(1), 16);
          // Surrogate halves are the general loader's business.
          return code >= 0xd800 && code <= 0xdfff ? bail() : String.fromCharCode(code);
        }
        default:
          return bail();
      }
    });
  }

  /** `|` or `>` (with an optional `-` chomping indicator) and its indented lines. */
  private blockScalar(q: number, line: Line, indent: number): ParsedNode {
    const t = this.text;
    const folded = t.charCodeAt(q) === 62;
    let h = q + 1;
    let strip = false;
    if (t.charCodeAt(h) === 45) {
      strip = true;
      h++;
    }
    this.afterValue(h, line.end);
    this.i++;
    // Content lines: deeper than the parent; the first non-empty one sets the indentation.
    const contentStart = this.i;
    let n = -1;
    let last = -1;
    let j = this.i;
    for (; j < this.lines.length; j++) {
      const l = this.lines[j]!;
      const empty = l.indent === l.end - l.start;
      if (empty) continue;
      if (n < 0) {
        if (l.indent <= indent) break;
        n = l.indent;
      } else if (l.indent < n) break;
      last = j;
    }
    if (n < 0) bail(); // No content: left to the general loader.
    const parts: string[] = [];
    for (let k = contentStart; k <= last; k++) {
      const l = this.lines[k]!;
      const len = l.end - l.start;
      // A blank line (no more spaces than the indentation, see below) is an empty line.
      parts.push(len > n ? t.slice(l.start + n, l.end) : '');
    }
    // A blank line with more spaces than the indentation (inside the scalar or trailing it) holds
    // content or is an error: not ours.
    for (let k = contentStart; k < j; k++) {
      const l = this.lines[k]!;
      if (l.indent === l.end - l.start && l.end - l.start > n) bail();
    }
    if (folded && parts[0] === '') bail();
    let value: string;
    if (!folded) value = parts.join('\n');
    else {
      value = '';
      let prev: string | undefined;
      let empties = 0;
      for (const s of parts) {
        if (s === '') {
          empties++;
          continue;
        }
        if (prev === undefined) value += '\n'.repeat(empties);
        else if (prev.startsWith(' ') || s.startsWith(' ')) value += '\n'.repeat(empties + 1);
        else value += empties ? '\n'.repeat(empties) : ' ';
        value += s;
        prev = s;
        empties = 0;
      }
    }
    const lastLine = this.lines[last]!;
    this.i = last + 1;
    const endOfText = lastLine.end === t.length;
    // Clip keeps one final line break; a scalar that ends the text without one has none.
    if (!strip && !endOfText) value += '\n';
    if (folded && this.scalars === 'kustomize') value = foldedRoundTrip(value);
    return { value, start: q, end: lastLine.end };
  }
}

/**
 * The maps whose plain scalars keep their raw text (RAW_TEXT), of a document or of an item of a
 * List document: `metadata.annotations` and `metadata.labels`, and `data` / `binaryData`, which
 * kustomize reads as strings of their text (annotations always; data when a generator merges
 * into it: `0644` stays "0644", `1.10` "1.10").
 */
export function keepsRawText(path: readonly (string | number)[]): boolean {
  const n = path.length;
  const inItem = path[0] === 'items' && typeof path[1] === 'number';
  if (path[n - 1] === 'data' || path[n - 1] === 'binaryData') return n === 1 || (n === 3 && inItem);
  if ((path[n - 1] !== 'annotations' && path[n - 1] !== 'labels') || path[n - 2] !== 'metadata') return false;
  return n === 2 || (n === 4 && inItem);
}
