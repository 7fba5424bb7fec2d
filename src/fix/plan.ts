// node:fs only as the default of readFile (PlanOptions): the language server passes its buffers' reader.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  parseDocument,
  visit,
  stringify,
  type Node as YamlNode,
  type Pair,
  type Scalar,
  type YAMLMap,
  type YAMLSeq,
} from 'yaml';
import { FIX_SUBJECT, type Finding, type FindingFix, type FixIntent, type TextEdit } from '../engine/types.ts';
import type { SourceLocation } from '../model/location.ts';
import { getPath, isObject, LOCS, type FieldPath, type Json, type JsonArray, type JsonObject } from '../model/provenance.ts';
import type { LintRun } from '../lint/run.ts';
import { DependencyIndex } from '../lint/affected.ts';
import { nodeFileSystem, type FileSystem } from '../render/fs.ts';

/**
 * Fixes at the responsible line. A rule declares a fix intent by field path (set a value, replace
 * text in a string, append to or remove from a sequence); here it becomes an edit of the source
 * text that provenance says set the field (the base, the overlay patch, the JSON6902 operation's
 * `value`, the Application) — or, for a missing field, of the mapping where its nearest present
 * parent is written. Only the edited token (or the inserted lines) changes: comments, quoting and
 * indentation of everything else are kept, and a scalar keeps its own quoting style.
 *
 * A fix is planned only when it is certain: the source text at the location must hold exactly the
 * rendered value (a value a transformer changed after it was written, or an inline patch that is
 * not a literal block, gives no fix), the field must not have been deleted by a later patch, and
 * the edited file must still parse. Applying the planned edits and linting again finds nothing to
 * fix (idempotent).
 */

export interface PlanOptions {
  /** Reads a source file as the run read it (default: the disk). */
  readFile?: (file: string) => string | undefined;
}

export function planFix(finding: Finding, opts: PlanOptions = {}): FindingFix | undefined {
  const subject = finding[FIX_SUBJECT];
  if (!subject) return undefined;
  const read = opts.readFile ?? defaultRead;
  try {
    const edits = planIntent(subject.object, subject.intent, read);
    return edits && edits.length ? { description: subject.intent.description, edits } : undefined;
  } catch {
    return undefined;
  }
}

const defaultRead = (file: string): string | undefined => {
  try {
    return nodeFs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
};

/**
 * Plans the fix of every finding of the run that declares one (`finding.fix`), and notes the
 * other targets of the run that read an edited file (a shared base). Returns how many were planned.
 */
export function attachFixes(run: LintRun, opts: PlanOptions & { cwd?: string; fs?: FileSystem; root?: string } = {}): number {
  const texts = new Map<string, string | undefined>();
  const read = (file: string) => {
    if (!texts.has(file)) texts.set(file, (opts.readFile ?? defaultRead)(file));
    return texts.get(file);
  };
  let n = 0;
  const planned: Finding[] = [];
  for (const r of run.results) {
    r.findings = r.findings.map((f) => {
      const fix = planFix(f, { readFile: read });
      if (!fix) return f;
      n++;
      const g = { ...f, fix };
      planned.push(g);
      return g;
    });
  }
  if (n && opts.cwd && run.results.length > 1) {
    // Which targets of the run read each edited file.
    let index: DependencyIndex | undefined;
    try {
      index = new DependencyIndex(
        run.results.map((r) => r.path),
        { cwd: opts.cwd, fs: opts.fs ?? nodeFileSystem, argocd: false },
      );
    } catch {
      index = undefined;
    }
    if (index) {
      const readers = (file: string) => run.results.filter((r) => index!.dependencies(r.path)?.files.has(file)).map((r) => r.path);
      for (const r of run.results) {
        for (const f of r.findings) {
          if (!f.fix) continue;
          const others = [...new Set(f.fix.edits.flatMap((e) => readers(e.file)))].filter((t) => t !== r.path);
          if (others.length) f.fix.alsoAffects = others.sort();
        }
      }
    }
  }
  return n;
}

// ---------------------------------------------------------------------------------------------

interface Text {
  file: string;
  text: string;
  starts: number[];
  eol: string;
}

/** The Text of each file, per reader (a run's planning reads each file once and indexes its lines once). */
const textCache = new WeakMap<(f: string) => string | undefined, Map<string, Text | undefined>>();

function textOf(file: string, read: (f: string) => string | undefined): Text | undefined {
  let cache = textCache.get(read);
  if (!cache) textCache.set(read, (cache = new Map()));
  if (!cache.has(file)) cache.set(file, makeText(file, read));
  return cache.get(file);
}

function makeText(file: string, read: (f: string) => string | undefined): Text | undefined {
  if (!path.isAbsolute(file)) return undefined;
  const text = read(file);
  if (text === undefined) return undefined;
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return { file, text, starts, eol: text.includes('\r\n') ? '\r\n' : '\n' };
}

const offsetOf = (t: Text, line: number, column: number): number => (t.starts[line - 1] ?? t.text.length) + column - 1;

function positionOf(t: Text, offset: number): { line: number; column: number } {
  let lo = 0;
  let hi = t.starts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (t.starts[mid]! <= offset) lo = mid;
    else hi = mid - 1;
  }
  return { line: lo + 1, column: offset - t.starts[lo]! + 1 };
}

function edit(t: Text, from: number, to: number, text: string): TextEdit {
  return { file: t.file, start: positionOf(t, from), end: positionOf(t, to), text };
}

/**
 * The YAML node a provenance span stands for, with the offset that maps its positions to the
 * file's: the span's text is parsed on its own (its first line padded to its column, so the
 * indentation is the file's). A `key: value` span gives the value; a JSON6902 operation gives
 * its `value`; a sequence item gives itself.
 */
function spanNode(t: Text, loc: SourceLocation, key: string | number): { node: YamlNode; shift: number } | undefined {
  const start = offsetOf(t, loc.line, loc.column);
  const end = offsetOf(t, loc.endLine, loc.endColumn);
  const lineStart = t.starts[loc.line - 1]!;
  if (end < start || end > t.text.length) return undefined;
  const padded = ' '.repeat(start - lineStart) + t.text.slice(start, end);
  const doc = parseDocument(padded, { uniqueKeys: false, strict: false, prettyErrors: false });
  if (doc.errors.length) return undefined;
  let node = doc.contents as YamlNode | null;
  if (!node) return undefined;
  if (isMap(node) && node.has('op') && node.has('path')) {
    // A JSON6902 operation: its value (for a key it added, or a value under it).
    const v = node.get('value', true) as YamlNode | undefined;
    if (!v) return undefined;
    node = v;
    if (typeof key === 'string' && isMap(node) && node.has(key) && !opPathEndsWith(doc.contents as YAMLMap, key))
      node = node.get(key, true) as YamlNode;
  } else if (typeof key === 'string') {
    if (!isMap(node) || node.items.length !== 1) return undefined;
    const pair = node.items[0] as Pair<YamlNode, YamlNode | null>;
    if (!isScalar(pair.key) || String(pair.key.value) !== key) return undefined;
    if (!pair.value) return undefined;
    node = pair.value;
  }
  return { node, shift: lineStart };
}

function opPathEndsWith(op: YAMLMap, key: string): boolean {
  const p = op.get('path');
  return typeof p === 'string' && p.split('/').at(-1)?.replace(/~1/g, '/').replace(/~0/g, '~') === key;
}

/** Where the field `path` of `obj` was set: its parent, the span, and the key in the parent. */
function fieldSpan(
  obj: JsonObject,
  fpath: FieldPath,
): { parent: JsonObject | JsonArray; loc: SourceLocation; key: string | number } | undefined {
  if (fpath.length === 0) return undefined;
  const parent = getPath(obj, fpath.slice(0, -1));
  const key = fpath[fpath.length - 1]!;
  if (Array.isArray(parent) && typeof key === 'number') {
    const loc = parent[LOCS]?.[key];
    return loc ? { parent, loc, key } : undefined;
  }
  if (isObject(parent) && typeof key === 'string') {
    const loc = parent[LOCS]?.[key];
    return loc ? { parent, loc, key } : undefined;
  }
  return undefined;
}

/** The scalar at `fpath` as written, checked to hold the rendered value. */
function writtenScalar(
  obj: JsonObject,
  fpath: FieldPath,
  read: (f: string) => string | undefined,
): { t: Text; node: Scalar; from: number; to: number } | undefined {
  const span = fieldSpan(obj, fpath);
  if (!span) return undefined;
  const t = textOf(span.loc.file, read);
  if (!t) return undefined;
  const found = spanNode(t, span.loc, span.key);
  if (!found || !isScalar(found.node) || !found.node.range) return undefined;
  const rendered = getPath(obj, fpath);
  if (rendered === undefined || !sameScalar(found.node.value, rendered)) return undefined;
  const [from, to] = found.node.range;
  return { t, node: found.node, from: from + found.shift, to: to + found.shift };
}

function sameScalar(written: unknown, rendered: Json): boolean {
  if (rendered === null) return written === null;
  if (typeof rendered === 'object') return false;
  return String(written) === String(rendered);
}

/** A scalar in the style of the one it replaces (plain stays plain when it reads back the same, quotes keep their kind). */
function scalarText(value: Json, style: string | undefined): string | undefined {
  if (value === null || typeof value === 'object') return undefined;
  if (typeof value !== 'string') return String(value);
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  if (style === 'QUOTE_DOUBLE') return JSON.stringify(value);
  if (style === 'PLAIN' || style === undefined) {
    // Plain only when it reads back the same and holds no flow indicator (it may sit in a flow collection).
    const plain = stringify(value, { version: '1.1' }).trimEnd();
    return plain === value && !/[,[\]{}#]|: /.test(value) ? value : JSON.stringify(value);
  }
  return undefined; // block scalars: not edited
}

function planIntent(obj: JsonObject, intent: FixIntent, read: (f: string) => string | undefined): TextEdit[] | undefined {
  switch (intent.kind) {
    case 'set':
      if (getPath(obj, intent.path) !== undefined) {
        const w = writtenScalar(obj, intent.path, read);
        if (!w) return undefined;
        const text = scalarText(intent.value, w.node.type);
        if (text === undefined) return undefined;
        return [edit(w.t, w.from, w.to, text)];
      }
      return insertMissing(obj, intent.path, intent.value, read);
    case 'replace': {
      const current = getPath(obj, intent.path);
      if (typeof current !== 'string' || current.split(intent.from).length !== 2) return undefined;
      const w = writtenScalar(obj, intent.path, read);
      if (!w) return undefined;
      const text = scalarText(current.replace(intent.from, intent.to), w.node.type);
      if (text === undefined) return undefined;
      return [edit(w.t, w.from, w.to, text)];
    }
    case 'append': {
      const seq = getPath(obj, intent.path);
      if (seq === undefined) return insertMissing(obj, intent.path, [intent.value], read);
      if (!Array.isArray(seq) || seq.length === 0) return undefined;
      return appendItem(obj, intent.path, seq, intent.value, read);
    }
    case 'remove':
      return removeItem(obj, intent.path, read);
  }
}

/**
 * The edits applied to the file's text must leave the YAML document they touch parseable (only
 * that document is parsed again: a file of many documents is not parsed once per fix).
 */
function checked(t: Text, edits: TextEdit[], region?: { line: number; endLine: number }): TextEdit[] | undefined {
  const lineCount = t.starts.length;
  const lineAt = (i: number) =>
    i < 0 || i >= lineCount ? undefined : t.text.slice(t.starts[i], (t.starts[i + 1] ?? t.text.length + 1) - 1);
  const isMarker = (l: string | undefined) => l !== undefined && /^(---|\.\.\.)(\s|$)/.test(l);
  let first = Math.min(...edits.map((e) => e.start.line), region?.line ?? Infinity) - 1;
  let last = Math.max(...edits.map((e) => e.end.line), region?.endLine ?? -Infinity) - 1;
  // The mapping the edit is in (its whole lines: their indentation is the file's), else the whole document.
  if (!region) {
    while (first > 0 && !isMarker(lineAt(first))) first--;
    while (last < lineCount - 1 && !isMarker(lineAt(last + 1))) last++;
  }
  const from = t.starts[first]!;
  const to = last + 1 < t.starts.length ? t.starts[last + 1]! : t.text.length;
  const shifted = edits.map((e) => ({
    ...e,
    start: { line: e.start.line - first, column: e.start.column },
    end: { line: e.end.line - first, column: e.end.column },
  }));
  const after = applyEditsToText(t.text.slice(from, to), shifted);
  if (after === undefined) return undefined;
  for (const doc of parseAllDocuments(after, { uniqueKeys: false }) as { errors: unknown[] }[]) if (doc.errors.length) return undefined;
  return edits;
}

/** A missing field (and any missing parents) written into the mapping where its nearest present parent is. */
function insertMissing(obj: JsonObject, fpath: FieldPath, value: Json, read: (f: string) => string | undefined): TextEdit[] | undefined {
  let k = fpath.length - 1;
  while (k > 0 && getPath(obj, fpath.slice(0, k)) === undefined) k--;
  if (k === 0) return undefined;
  const parentPath = fpath.slice(0, k);
  const parent = getPath(obj, parentPath);
  if (!isObject(parent)) return undefined;
  const rest = fpath.slice(k);
  if (!rest.every((s): s is string => typeof s === 'string')) return undefined;
  // Deleted by a later patch (a tombstone): putting it back where it was written would not survive.
  if (parent[LOCS]?.[rest[0]!] !== undefined) return undefined;
  const span = fieldSpan(obj, parentPath);
  if (!span) return undefined;
  const t = textOf(span.loc.file, read);
  if (!t) return undefined;
  const found = spanNode(t, span.loc, span.key);
  if (!found || !isMap(found.node) || found.node.flow || found.node.items.length === 0) return undefined;
  const map = found.node as YAMLMap<YamlNode, YamlNode | null>;
  const first = map.items[0]!.key;
  if (!first?.range) return undefined;
  const indent = positionOf(t, first.range[0] + found.shift).column - 1;
  const at = lineEndAfter(t, map.items.at(-1)!, found.shift);
  if (at === undefined) return undefined;
  let nested: Json = value;
  for (let i = rest.length - 1; i >= 0; i--) nested = { [rest[i]!]: nested };
  const body = stringify(nested, { version: '1.1', indent: indentStep(t), indentSeq: indentsSequences(t), lineWidth: 0 }).trimEnd();
  const lines = body.split('\n').map((l) => ' '.repeat(indent) + l);
  return checked(t, [edit(t, at, at, t.eol + lines.join(t.eol))], span.loc);
}

/** The offset of the end of the line holding the end of `pair`'s value (before a comment's line end, never inside a following line). */
function lineEndAfter(t: Text, pair: Pair<YamlNode, YamlNode | null>, shift: number): number | undefined {
  const node = pair.value ?? pair.key;
  const range = node?.range;
  if (!range) return undefined;
  let end = range[1] + shift;
  while (end > 0 && (t.text[end - 1] === '\n' || t.text[end - 1] === '\r')) end--;
  const nl = t.text.indexOf('\n', end);
  const lineEnd = nl < 0 ? t.text.length : nl;
  return t.text[lineEnd - 1] === '\r' ? lineEnd - 1 : lineEnd;
}

/** The indentation step the file uses (the first nested mapping's), default 2. */
function indentStep(t: Text): number {
  const m = /^( *)[^\s#-][^:\n]*:[ \t]*\r?\n( +)[^\s-]/m.exec(t.text);
  const step = m ? m[2]!.length - m[1]!.length : 2;
  return step >= 1 && step <= 8 ? step : 2;
}

/** Whether the file indents a block sequence under its key (`key:\n  - a`) or not (`key:\n- a`). */
function indentsSequences(t: Text): boolean {
  const m = /^( *)[^\s#-][^:\n]*:[ \t]*\r?\n( *)- /m.exec(t.text);
  return m ? m[2]!.length > m[1]!.length : true;
}

function appendItem(
  obj: JsonObject,
  fpath: FieldPath,
  seq: JsonArray,
  value: Json,
  read: (f: string) => string | undefined,
): TextEdit[] | undefined {
  const span = fieldSpan(obj, fpath);
  if (!span) return undefined;
  // Every item must come from the same written sequence (a merge of several would be ambiguous).
  const itemLocs = seq[LOCS] ?? [];
  if (itemLocs.some((l) => !l || l.file !== span.loc.file)) return undefined;
  const t = textOf(span.loc.file, read);
  if (!t) return undefined;
  const found = spanNode(t, span.loc, span.key);
  if (!found || !isSeq(found.node) || found.node.flow || found.node.items.length !== seq.length) return undefined;
  const s = found.node as YAMLSeq<YamlNode>;
  const last = s.items.at(-1)!;
  const firstRange = s.items[0]?.range;
  if (!last.range || !firstRange) return undefined;
  // The dash of the first item is two columns before it (`- item`).
  const firstCol = positionOf(t, firstRange[0] + found.shift).column;
  const dashCol = t.text.lastIndexOf('-', firstRange[0] + found.shift) - t.starts[positionOf(t, firstRange[0] + found.shift).line - 1]! + 1;
  if (dashCol < 1 || dashCol >= firstCol) return undefined;
  const item = scalarText(value, 'PLAIN');
  if (item === undefined) return undefined;
  const at = lineEndAfter(t, { key: null, value: last } as unknown as Pair<YamlNode, YamlNode>, found.shift);
  if (at === undefined) return undefined;
  return checked(t, [edit(t, at, at, `${t.eol}${' '.repeat(dashCol - 1)}- ${item}`)], span.loc);
}

/** Removes one block sequence item (its whole line); the key too when it was the only item. */
function removeItem(obj: JsonObject, fpath: FieldPath, read: (f: string) => string | undefined): TextEdit[] | undefined {
  const seqPath = fpath.slice(0, -1);
  const seq = getPath(obj, seqPath);
  const index = fpath[fpath.length - 1];
  if (!Array.isArray(seq) || typeof index !== 'number') return undefined;
  if (seq.length === 1) {
    // The only item: remove the whole `key:` entry, when one file wrote it.
    const span = fieldSpan(obj, seqPath);
    if (!span || typeof span.key !== 'string') return undefined;
    const itemLoc = seq[LOCS]?.[0];
    if (!itemLoc || itemLoc.file !== span.loc.file) return undefined;
    const t = textOf(span.loc.file, read);
    if (!t) return undefined;
    const found = spanNode(t, span.loc, span.key);
    if (!found || !isSeq(found.node)) return undefined;
    // The entry, or the outermost of its parents that hold nothing else in this file: an empty
    // `capabilities:` left behind would be null, which a strategic merge reads as a deletion.
    const entry = outermostSoleEntry(t, offsetOf(t, span.loc.line, span.loc.column));
    if (!entry) return undefined;
    return checked(t, [wholeLines(t, entry.line, entry.endLine)]);
  }
  const span = fieldSpan(obj, fpath);
  if (!span) return undefined;
  const t = textOf(span.loc.file, read);
  if (!t) return undefined;
  const found = spanNode(t, span.loc, span.key);
  if (!found || !isScalar(found.node) || !sameScalar(found.node.value, seq[index]!)) return undefined;
  // Only a block item alone on its line(s): `- VALUE`.
  const lineText = t.text.slice(t.starts[span.loc.line - 1], t.starts[span.loc.line] ?? t.text.length);
  if (!/^\s*-\s/.test(lineText)) return undefined;
  return checked(t, [wholeLines(t, span.loc.line, span.loc.endLine)]);
}

/** The lines of the `key: value` pair whose key starts at `keyOffset`, widened to each parent pair whose mapping holds only it. */
function outermostSoleEntry(t: Text, keyOffset: number): { line: number; endLine: number } | undefined {
  for (const doc of parseAllDocuments(t.text, { uniqueKeys: false })) {
    if (!('contents' in doc)) continue;
    let found: { pair: Pair<YamlNode, YamlNode | null>; ancestors: readonly unknown[] } | undefined;
    visit(doc, {
      Pair(_key, pair, ancestors) {
        const k = (pair as Pair<YamlNode, YamlNode | null>).key;
        if (k?.range?.[0] === keyOffset) {
          found = { pair: pair as Pair<YamlNode, YamlNode | null>, ancestors: [...ancestors] };
          return visit.BREAK;
        }
        return undefined;
      },
    });
    if (!found) continue;
    let pair = found.pair;
    // ancestors: [..., pair?, map] — the map holding `pair`, then the pair holding that map.
    for (let i = found.ancestors.length - 1; i >= 1; i -= 2) {
      const map = found.ancestors[i];
      const holder = found.ancestors[i - 1];
      if (!isMap(map) || map.items.length !== 1 || !isPair(holder)) break;
      pair = holder as Pair<YamlNode, YamlNode | null>;
    }
    const start = pair.key?.range?.[0];
    const end = pair.value?.range?.[1];
    if (start === undefined || end === undefined) return undefined;
    let last = end;
    while (last > start && /\s/.test(t.text[last - 1]!)) last--;
    return { line: positionOf(t, start).line, endLine: positionOf(t, last).line };
  }
  return undefined;
}

function wholeLines(t: Text, line: number, endLine: number): TextEdit {
  const from = t.starts[line - 1]!;
  const to = t.starts[endLine] ?? t.text.length;
  return edit(t, from, to, '');
}

// ---------------------------------------------------------------------------------------------

/** The text with `edits` (all of one file) applied; undefined when two edits overlap. */
export function applyEditsToText(text: string, edits: readonly TextEdit[]): string | undefined {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  const off = (p: { line: number; column: number }) => (starts[p.line - 1] ?? text.length) + p.column - 1;
  const spans = edits.map((e, i) => ({ from: off(e.start), to: off(e.end), text: e.text, i })).sort((a, b) => a.from - b.from || a.i - b.i);
  for (let i = 1; i < spans.length; i++) if (spans[i]!.from < spans[i - 1]!.to) return undefined;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.from) + s.text;
    at = s.to;
  }
  return out + text.slice(at);
}
