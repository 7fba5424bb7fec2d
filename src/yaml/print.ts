/**
 * Prints objects as `kustomize build` does: each resource goes through JSON (so keys are sorted)
 * and then through sigs.k8s.io/yaml's YAML emitter (gopkg.in/yaml.v2, i.e. libyaml's emitter):
 * block style, sequences not indented under their key, empty collections as `{}` / `[]`, plain
 * scalars where a YAML 1.1 reader would read them back as the same string, a literal block for a
 * string with a line break, and long lines folded at spaces past column 80. Documents are joined
 * by `---`.
 *
 * The rules below restate libyaml's scalar analysis (which styles a value allows) and writers.
 */
import { isObject, type Json } from '../model/provenance.ts';
import { parseTimestamp, resolvePlain } from './resolve.ts';

const BEST_WIDTH = 80;
const BEST_INDENT = 2;

/** The whole `kustomize build` output for these objects. */
export function printKustomizeStream(objects: readonly Json[]): string {
  return objects.map((o) => printKustomizeDocument(o)).join('---\n');
}

export function printKustomizeDocument(value: Json): string {
  const w = new Writer();
  w.node(value, -1, 'doc');
  return w.out.endsWith('\n') ? w.out : w.out + '\n';
}

const BASE60 = /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/;

/** yaml.v2: can this string be written plain and read back as the same string? */
function plainResolvesToString(s: string): boolean {
  if (BASE60.test(s)) return false;
  const c = s[0];
  if (c !== undefined && ((c >= '0' && c <= '9') || c === '+' || c === '-') && /^\d{4}-/.test(s) && parseTimestamp(s) !== undefined)
    return false;
  return resolvePlain(s, 'yaml11') === s;
}

const isBreak = (c: string | undefined) => c === '\n' || c === '\r' || c === '\u0085' || c === '\u2028' || c === '\u2029';
const isSpace = (c: string | undefined) => c === ' ';
const isBlankz = (c: string | undefined) => c === undefined || c === ' ' || c === '\t' || isBreak(c) || c === '\0';

function isPrintable(c: string): boolean {
  const cp = c.codePointAt(0)!;
  return cp === 0x0a || (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd && cp !== 0xfeff);
  // yaml.v2's is_printable: NEL (U+0085) and every character beyond the BMP (4-byte UTF-8, e.g.
  // emoji) are not, so a string holding one is double-quoted with the character escaped.
}

interface Analysis {
  multiline: boolean;
  flowPlain: boolean;
  blockPlain: boolean;
  singleQuoted: boolean;
  block: boolean;
}

function analyze(value: string): Analysis {
  const chars = Array.from(value);
  if (chars.length === 0) return { multiline: false, flowPlain: false, blockPlain: true, singleQuoted: true, block: false };
  let blockIndicators = false;
  let flowIndicators = false;
  let lineBreaks = false;
  let special = false;
  let leadingSpace = false;
  let leadingBreak = false;
  let trailingSpace = false;
  let trailingBreak = false;
  let breakSpace = false;
  let spaceBreak = false;
  let previousSpace = false;
  let previousBreak = false;
  if (value.startsWith('---') || value.startsWith('...')) {
    blockIndicators = true;
    flowIndicators = true;
  }
  let precededByWhitespace = true;
  let followedByWhitespace = isBlankz(chars[1]);
  for (let i = 0; i < chars.length; i++) {
    const c = chars[i]!;
    const first = i === 0;
    const last = i === chars.length - 1;
    if (first) {
      if ('#,[]{}&*!|>\'"%@`'.includes(c)) {
        flowIndicators = true;
        blockIndicators = true;
      }
      if (c === '?' || c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === '-' && followedByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    } else {
      if (',?[]{}'.includes(c)) flowIndicators = true;
      if (c === ':') {
        flowIndicators = true;
        if (followedByWhitespace) blockIndicators = true;
      }
      if (c === '#' && precededByWhitespace) {
        flowIndicators = true;
        blockIndicators = true;
      }
    }
    if (!isPrintable(c)) special = true;
    if (isBreak(c)) lineBreaks = true;
    if (isSpace(c)) {
      if (first) leadingSpace = true;
      if (last) trailingSpace = true;
      if (previousBreak) breakSpace = true;
      previousSpace = true;
      previousBreak = false;
    } else if (isBreak(c)) {
      if (first) leadingBreak = true;
      if (last) trailingBreak = true;
      if (previousSpace) spaceBreak = true;
      previousBreak = true;
      previousSpace = false;
    } else {
      previousSpace = false;
      previousBreak = false;
    }
    precededByWhitespace = isBlankz(c);
    followedByWhitespace = isBlankz(chars[i + 2]);
  }
  const a: Analysis = { multiline: lineBreaks, flowPlain: true, blockPlain: true, singleQuoted: true, block: true };
  if (leadingSpace || leadingBreak || trailingSpace || trailingBreak) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (trailingSpace) a.block = false;
  if (breakSpace) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
  }
  if (spaceBreak || special) {
    a.flowPlain = false;
    a.blockPlain = false;
    a.singleQuoted = false;
    a.block = false;
  }
  if (lineBreaks) {
    a.flowPlain = false;
    a.blockPlain = false;
  }
  if (flowIndicators) a.flowPlain = false;
  if (blockIndicators) a.blockPlain = false;
  return a;
}

type Style = 'plain' | 'single' | 'double' | 'literal';

/**
 * libyaml writes a mapping key as a simple `key:` only when it is one line of at most 128 bytes
 * (yaml_emitter_check_simple_key); any other key is written `? key` / `: value`.
 */
function isSimpleKey(k: string): boolean {
  return Buffer.byteLength(k, 'utf8') <= 128 && !analyze(k).multiline;
}

function scalarStyle(s: string, simpleKey: boolean): Style {
  let style: Style = s.includes('\n') ? 'literal' : plainResolvesToString(s) ? 'plain' : 'double';
  const a = analyze(s);
  if (style === 'literal' && (!a.block || simpleKey)) style = 'double';
  if (style === 'plain') {
    if (!a.blockPlain || (s === '' && simpleKey) || (simpleKey && a.multiline)) style = 'single';
  }
  if (style === 'single' && (!a.singleQuoted || (simpleKey && a.multiline))) style = 'double';
  return style;
}

/** A number as JSON (Go's encoding/json) writes it and yaml.v2 then prints it. */
function numberText(v: number): string {
  // Kustomize's numbers are float64s: Go's JSON writes an integral one with its shortest digits
  // and zeros (12345678901234567890 is 12345678901234567000), as JavaScript does below 1e21.
  if (Number.isInteger(v) && Math.abs(v) < 1e21) return Object.is(v, -0) ? '0' : String(v);
  // Go's JSON float text is read back by yaml.v2 as a float and printed with 'g' formatting.
  if (!Number.isFinite(v)) return v > 0 ? '+Inf' : v < 0 ? '-Inf' : 'NaN';
  const [mant, e] = v.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mant}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(v);
}

class Writer {
  out = '';
  private column = 0;
  private whitespace = true;
  private indention = true;

  private write(s: string): void {
    this.out += s;
    this.column += Array.from(s).length;
    this.whitespace = false;
    this.indention = false;
  }

  private newline(): void {
    this.out += '\n';
    this.column = 0;
    this.whitespace = true;
    this.indention = true;
  }

  private writeIndent(indent: number): void {
    const ind = Math.max(indent, 0);
    if (!this.indention || this.column > ind || (this.column === ind && !this.whitespace)) this.newline();
    if (this.column < ind) {
      this.out += ' '.repeat(ind - this.column);
      this.column = ind;
    }
    this.whitespace = true;
    this.indention = true;
  }

  /**
   * Writes `value`; `indent` is the enclosing block's indentation. `complex-value` is the value
   * of a `? key` entry: it starts on the `:` line, a collection indented one level deeper.
   */
  node(value: Json, indent: number, ctx: 'doc' | 'map-value' | 'seq-item' | 'complex-value'): void {
    if (Array.isArray(value)) {
      if (value.length === 0) return this.inlineScalar('[]', ctx);
      // A sequence under a simple mapping key is not indented; elsewhere it is.
      const seqIndent = ctx === 'map-value' ? indent : indent < 0 ? 0 : indent + BEST_INDENT;
      for (const item of value) {
        this.writeIndent(seqIndent);
        this.write('-');
        this.whitespace = false;
        this.indention = true; // libyaml: "-" counts as indentation
        this.out += ' ';
        this.column++;
        this.whitespace = true;
        this.node(item as Json, seqIndent, 'seq-item');
      }
      return;
    }
    if (isObject(value)) {
      const keys = Object.keys(value).sort(compareKeys);
      if (keys.length === 0) return this.inlineScalar('{}', ctx);
      const mapIndent = indent < 0 ? 0 : indent + BEST_INDENT;
      keys.forEach((k, i) => {
        // The first key of a mapping inside a sequence item goes on the item's line.
        if (!(ctx === 'seq-item' && i === 0)) this.writeIndent(mapIndent);
        const v = value[k] as Json;
        if (isSimpleKey(k)) {
          this.scalar(k, mapIndent, true);
          this.write(':');
          this.node(v, mapIndent, 'map-value');
          return;
        }
        // libyaml's complex key: `? key`, then `: value` on a line of its own.
        this.indicator('?');
        this.out += ' ';
        this.column++;
        this.whitespace = true;
        this.scalar(k, mapIndent, false);
        this.writeIndent(mapIndent);
        this.indicator(':');
        this.node(v, mapIndent, 'complex-value');
      });
      return;
    }
    if (ctx === 'map-value' || ctx === 'complex-value') {
      this.out += ' ';
      this.column++;
      this.whitespace = true;
    }
    if (value === null) return this.write('null');
    if (typeof value === 'boolean') return this.write(String(value));
    if (typeof value === 'number') return this.write(numberText(value));
    this.scalar(value, indent, false);
  }

  /**
   * A `?` or `:` indicator of a complex key entry: it counts as indentation (libyaml), and what
   * follows puts a space after it (the key here, the value in node()).
   */
  private indicator(c: '?' | ':'): void {
    this.out += c;
    this.column += 1;
    this.whitespace = false;
    this.indention = true;
  }

  private inlineScalar(text: string, ctx: 'doc' | 'map-value' | 'seq-item' | 'complex-value'): void {
    if (ctx === 'map-value' || ctx === 'complex-value') {
      this.out += ' ';
      this.column++;
    }
    this.write(text);
  }

  /** A string scalar; `indent` is the enclosing block's indentation (continuation lines go 2 deeper). */
  private scalar(s: string, indent: number, simpleKey: boolean): void {
    const style = scalarStyle(s, simpleKey);
    const contIndent = indent + BEST_INDENT;
    const allowBreaks = !simpleKey;
    const chars = Array.from(s);
    switch (style) {
      case 'plain': {
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (isSpace(c)) {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && !isSpace(chars[i + 1])) this.writeIndent(contIndent);
            else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        return;
      }
      case 'single': {
        this.write("'");
        let spaces = false;
        let breaks = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          if (isBreak(c)) {
            // A line or paragraph separator (U+2028/U+2029) is written as it is, and the emitter
            // then counts a new line: the next character comes after the indentation.
            this.out += c;
            this.column = 0;
            this.indention = true;
            this.whitespace = true;
            breaks = true;
            spaces = false;
            continue;
          }
          if (breaks) {
            this.writeIndent(contIndent);
            breaks = false;
          }
          if (isSpace(c)) {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1 && !isSpace(chars[i + 1]))
              this.writeIndent(contIndent);
            else this.write(c);
            spaces = true;
          } else {
            if (c === "'") this.write("'");
            this.write(c);
            spaces = false;
          }
        }
        this.write("'");
        return;
      }
      case 'double': {
        this.write('"');
        let spaces = false;
        for (let i = 0; i < chars.length; i++) {
          const c = chars[i]!;
          const cp = c.codePointAt(0)!;
          if (!isPrintable(c) || cp === 0xfeff || isBreak(c) || c === '"' || c === '\\') {
            this.write(escape(c));
            spaces = false;
          } else if (isSpace(c)) {
            if (allowBreaks && !spaces && this.column > BEST_WIDTH && i !== 0 && i !== chars.length - 1) {
              this.writeIndent(contIndent);
              if (isSpace(chars[i + 1])) this.write('\\');
            } else this.write(c);
            spaces = true;
          } else {
            this.write(c);
            spaces = false;
          }
        }
        this.write('"');
        return;
      }
      case 'literal': {
        this.write('|');
        const last = chars[chars.length - 1];
        if (isSpace(chars[0]) || isBreak(chars[0])) this.write(String(BEST_INDENT));
        if (!isBreak(last)) this.write('-');
        else if (chars.length === 1 || isBreak(chars[chars.length - 2])) this.write('+');
        this.newline();
        let breaks = true;
        for (const c of chars) {
          if (isBreak(c)) {
            this.newline();
            breaks = true;
          } else {
            if (breaks) this.writeIndent(contIndent);
            this.write(c);
            breaks = false;
          }
        }
        // The emitter ends the scalar on a fresh line either way.
        if (!breaks) return;
        this.indention = true;
        this.whitespace = true;
        return;
      }
    }
  }
}

function escape(c: string): string {
  switch (c) {
    case '\0':
      return '\\0';
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\t':
      return '\\t';
    case '\n':
      return '\\n';
    case '\x0b':
      return '\\v';
    case '\f':
      return '\\f';
    case '\r':
      return '\\r';
    case '\x1b':
      return '\\e';
    case '"':
      return '\\"';
    case '\\':
      return '\\\\';
    case '\u0085':
      return '\\N';
    case '\u00a0':
      return '\\_';
    case '\u2028':
      return '\\L';
    case '\u2029':
      return '\\P';
  }
  const cp = c.codePointAt(0)!;
  if (cp <= 0xff) return '\\x' + cp.toString(16).toUpperCase().padStart(2, '0');
  if (cp <= 0xffff) return '\\u' + cp.toString(16).toUpperCase().padStart(4, '0');
  return '\\U' + cp.toString(16).toUpperCase().padStart(8, '0');
}

/**
 * yaml.v2's order of map keys (it prints a map with its keys sorted this way): rune by rune, a
 * non-letter before a letter, letters by code point, and runs of digits compared as numbers
 * (`a2` before `a10`).
 */
export function compareKeys(a: string, b: string): number {
  if (a === b) return 0;
  return keyLess(a, b) ? -1 : keyLess(b, a) ? 1 : 0;
}

const isLetter = (c: string) => /\p{L}/u.test(c);
const isDigit = (c: string | undefined) => c !== undefined && c >= '0' && c <= '9';

function keyLess(a: string, b: string): boolean {
  const ar = Array.from(a);
  const br = Array.from(b);
  for (let i = 0; i < ar.length && i < br.length; i++) {
    if (ar[i] === br[i]) continue;
    const al = isLetter(ar[i]!);
    const bl = isLetter(br[i]!);
    if (al && bl) return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
    if (al || bl) return bl;
    let an = 0n;
    let bn = 0n;
    if (ar[i] === '0' || br[i] === '0') {
      for (let j = i - 1; j >= 0 && isDigit(ar[j]); j--) {
        if (ar[j] !== '0') {
          an = 1n;
          bn = 1n;
          break;
        }
      }
    }
    let ai = i;
    for (; ai < ar.length && isDigit(ar[ai]); ai++) an = an * 10n + BigInt(ar[ai]!.charCodeAt(0) - 48);
    let bi = i;
    for (; bi < br.length && isDigit(br[bi]); bi++) bn = bn * 10n + BigInt(br[bi]!.charCodeAt(0) - 48);
    if (an !== bn) return an < bn;
    if (ai !== bi) return ai < bi;
    return ar[i]!.codePointAt(0)! < br[i]!.codePointAt(0)!;
  }
  return ar.length < br.length;
}
