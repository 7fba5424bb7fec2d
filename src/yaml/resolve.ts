/**
 * How kustomize's Go YAML libraries read an untagged plain scalar, restated.
 *
 * - `kustomize`: resources and strategic-merge patches go through kyaml (gopkg.in/yaml.v3) and
 *   kustomize prints them through JSON, so what comes out is yaml.v3's reading of each plain
 *   scalar: `0644` is the octal 420, `1_000` is 1000, `0o17` / `0x1F` / `0b101` are numbers,
 *   `yes` / `on` stay strings, and a date or time becomes an RFC 3339 timestamp string.
 * - `yaml11`: kustomization files and JSON6902 patches go through sigs.k8s.io/yaml
 *   (gopkg.in/yaml.v2): the same numbers, but `yes` / `no` / `on` / `off` / `y` / `n` are
 *   booleans and dates stay strings as written.
 *
 * Sexagesimal numbers (`1:30`) are strings in both; quoted and block scalars are always strings.
 */
export type ScalarMode = 'kustomize' | 'yaml11';

/**
 * An untagged plain scalar as the `yaml` package's YAML 1.2 core schema reads it (what load.ts
 * gives any other stream: the configuration, rule files): its tags' tests, in its order.
 */
export function resolveCorePlain(s: string): Resolved {
  if (/^(?:~|[Nn]ull|NULL)?$/.test(s)) return null;
  if (/^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/.test(s)) return s[0] === 't' || s[0] === 'T';
  if (/^0o[0-7]+$/.test(s)) return parseInt(s.substring(2), 8);
  if (/^[-+]?[0-9]+$/.test(s)) return parseInt(s, 10);
  if (/^0x[0-9a-fA-F]+$/.test(s)) return parseInt(s.substring(2), 16);
  if (/^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/.test(s)) return { nonFinite: s };
  if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/.test(s) || /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/.test(s))
    return parseFloat(s);
  return s;
}

export type Resolved = null | boolean | number | string | { nonFinite: string };

const NULLS = new Set(['', '~', 'null', 'Null', 'NULL']);
const TRUE = new Set(['true', 'True', 'TRUE']);
const FALSE = new Set(['false', 'False', 'FALSE']);
const TRUE11 = new Set([...TRUE, 'y', 'Y', 'yes', 'Yes', 'YES', 'on', 'On', 'ON']);
const FALSE11 = new Set([...FALSE, 'n', 'N', 'no', 'No', 'NO', 'off', 'Off', 'OFF']);
const NON_FINITE = new Set(['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN']);

/** The YAML float syntax both Go libraries accept before calling strconv.ParseFloat. */
const YAML_FLOAT = /^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/;

/** strconv.ParseInt / ParseUint with base 0 (sign, then 0x, 0o, 0b or a leading-0 octal). */
function parseGoInt(s: string): number | undefined {
  const m = /^([-+]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)$/.exec(s);
  if (!m) return undefined;
  const sign = m[1] === '-' ? -1n : 1n;
  const body = m[2]!;
  let v: bigint;
  if (/^0[xX]/.test(body)) v = BigInt(body);
  else if (/^0[oO]/.test(body)) v = BigInt(`0o${body.slice(2)}`);
  else if (/^0[bB]/.test(body)) v = BigInt(`0b${body.slice(2)}`);
  else if (body.length > 1 && body.startsWith('0')) v = BigInt(`0o${body.slice(1)}`);
  else v = BigInt(body);
  v *= sign;
  // int64, or (without a sign) uint64.
  if (v < -(2n ** 63n) || v > 2n ** 64n - 1n || (v > 2n ** 63n - 1n && m[1] !== '')) return undefined;
  return Number(v);
}

function parseGoFloat(s: string): number | undefined {
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/**
 * yaml.v3's timestamps (layouts 2006-1-2T15:4:5.999999999Z07:00, the same with a lower-case t or
 * a space and no zone, and 2006-1-2), printed as Go prints a time.Time in JSON (RFC 3339 with
 * nanoseconds, trailing zeros dropped).
 */
export function parseTimestamp(s: string): string | undefined {
  if (!/^\d{4}-/.test(s)) return undefined;
  const m = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:(?:([Tt])|( ))(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?)?$/.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, t, space, h, mi, se, frac, zone] = m;
  if (t && zone === undefined) return undefined; // the T layouts require a zone
  if (space && zone !== undefined) return undefined; // the space layout has none
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1) return undefined;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days) return undefined;
  let out = `${y}-${pad(month)}-${pad(day)}T`;
  if (h === undefined) return `${out}00:00:00Z`;
  const hour = Number(h);
  const min = Number(mi);
  const sec = Number(se);
  if (hour > 23 || min > 59 || sec > 59) return undefined;
  out += `${pad(hour)}:${pad(min)}:${pad(sec)}`;
  const f = (frac ?? '').replace(/0+$/, '');
  if (f) out += `.${f}`;
  if (zone && zone !== 'Z') {
    const [zh, zm] = zone.slice(1).split(':').map(Number) as [number, number];
    if (zh > 23 || zm > 59) return undefined;
    if (zh === 0 && zm === 0) return `${out}Z`;
  }
  return out + (zone && zone !== 'Z' ? zone : 'Z');
}

/** The value of an untagged plain scalar, as the Go library of `mode` reads it. */
export function resolvePlain(source: string, mode: ScalarMode): Resolved {
  if (NULLS.has(source)) return null;
  if (mode === 'yaml11') {
    if (TRUE11.has(source)) return true;
    if (FALSE11.has(source)) return false;
  } else {
    if (TRUE.has(source)) return true;
    if (FALSE.has(source)) return false;
  }
  if (NON_FINITE.has(source)) return { nonFinite: source };
  const c = source[0]!;
  if (c === '.') return parseGoFloat(source) ?? source;
  if (!(c === '+' || c === '-' || (c >= '0' && c <= '9'))) return source;
  if (mode === 'kustomize') {
    const ts = parseTimestamp(source);
    if (ts !== undefined) return ts;
  }
  const plain = source.replace(/_/g, '');
  const int = parseGoInt(plain);
  if (int !== undefined) return int;
  if (YAML_FLOAT.test(plain)) {
    const f = parseGoFloat(plain);
    if (f !== undefined) return f;
  }
  return source;
}

const isBlankChar = (c: string | undefined) => c === ' ' || c === '\t';

/**
 * What one trip through kyaml's printer and parser does to a folded (`>`) block scalar. Its
 * emitter (libyaml's, in yaml.v3) decides whether a line break needs an extra blank line by
 * looking at the start of the whole value instead of the next line, so when the value starts
 * with a non-blank character, a break before a more-indented line (or inside trailing breaks)
 * gains a newline; when it starts with a blank, a single break between ordinary lines becomes
 * a space and longer runs lose one break. Kustomize prints every resource through that trip.
 */
export function foldedRoundTrip(value: string): string {
  // A value with a space before a line break (or at its end) is printed double-quoted instead.
  if (value === '' || / \n/.test(value) || value.endsWith(' ')) return value;
  // Emit: the lines the emitter writes (the last one unterminated).
  const lines: string[] = [];
  let cur = '';
  let breaks = true;
  let leadingSpaces = true;
  let first = 0;
  while (value[first] === '\n') first++;
  const startsBlank = first >= value.length || isBlankChar(value[first]);
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '\n') {
      if (!breaks && !leadingSpaces && !startsBlank) {
        lines.push(cur);
        cur = '';
      }
      lines.push(cur);
      cur = '';
      breaks = true;
    } else {
      if (breaks) leadingSpaces = isBlankChar(c);
      cur += c;
      breaks = false;
    }
  }
  // Chomping indicator the emitter picks: strip without a final break, keep with two or more.
  const chomp = !value.endsWith('\n') ? 'strip' : value.length === 1 || value.endsWith('\n\n') ? 'keep' : 'clip';
  // Scan the lines back as libyaml folds them.
  let s = '';
  let leadingBreak = '';
  let trailingBreaks = '';
  let leadingBlank = false;
  const terminated = lines.length; // lines[] are terminated; `cur` is the unterminated rest
  const all = [...lines, cur];
  let i = 0;
  while (i < terminated && all[i] === '') {
    trailingBreaks += '\n';
    i++;
  }
  while (i < all.length && all[i] !== '') {
    const line = all[i]!;
    const trailingBlank = isBlankChar(line[0]);
    if (leadingBreak.startsWith('\n') && !leadingBlank && !trailingBlank) {
      if (trailingBreaks === '') s += ' ';
    } else {
      s += leadingBreak;
    }
    leadingBreak = '';
    s += trailingBreaks;
    trailingBreaks = '';
    leadingBlank = isBlankChar(line[0]);
    s += line;
    if (i < terminated) leadingBreak = '\n';
    i++;
    while (i < terminated && all[i] === '') {
      trailingBreaks += '\n';
      i++;
    }
  }
  if (chomp !== 'strip') s += leadingBreak;
  if (chomp === 'keep') s += trailingBreaks;
  return s;
}
