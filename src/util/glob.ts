/**
 * Glob patterns over repository-relative paths (`/`-separated, no leading `./`), in the dialect
 * the docs give: `*` matches within one path segment, `**` as a whole segment matches any number
 * of segments (none included), `?` one character other than `/`, `[abc]` / `[a-z]` / `[!a]` one
 * character of a class, `{a,b}` either alternative, `\` escapes the next character. A pattern
 * matches a path, or any path below it: `cluster/apps` covers `cluster/apps/x.yaml`. `*` and `?`
 * match a leading dot as any other character (as `dot: true` does in globby).
 */
export interface PathGlob {
  source: string;
  /** True when `rel` (or a directory it is inside) matches. */
  matches(rel: string): boolean;
  /** The directory the pattern cannot match outside of: its segments before the first wildcard ('' for the root). */
  base: string;
  /** The pattern matches every path (`**`). */
  everything: boolean;
}

const MAGIC = /[*?[{\\]/;

export function compileGlob(pattern: string): PathGlob {
  const segments = pattern.replace(/^(\.\/)+/, '').split('/').filter((s) => s !== '' && s !== '.');
  // Every pattern covers what is below what it matches, so a trailing `**` adds nothing.
  while (segments[segments.length - 1] === '**') segments.pop();
  const firstMagic = segments.findIndex((s) => MAGIC.test(s));
  const base = (firstMagic < 0 ? segments : segments.slice(0, firstMagic)).join('/');
  if (segments.length === 0) return { source: pattern, base, everything: true, matches: () => true };
  // `a/**/b` matches `a/b` and `a/x/y/b`: a middle `**` is any number of whole segments.
  const body = segments.map((seg, i) => (seg === '**' ? '(?:[^/]+/)*' : segmentSource(seg, pattern) + (i < segments.length - 1 ? '/' : ''))).join('');
  const re = new RegExp(`^${body}(?:/.*)?$`);
  return { source: pattern, base, everything: false, matches: (rel) => re.test(rel) };
}

/** One segment's regular expression: its wildcards never cross a `/`. */
function segmentSource(seg: string, pattern: string): string {
  let out = '';
  for (let i = 0; i < seg.length; i++) {
    const c = seg[i]!;
    if (c === '\\') {
      const next = seg[++i];
      if (next === undefined) throw new Error(`glob ${JSON.stringify(pattern)} ends in a lone \\`);
      out += escape(next);
    } else if (c === '*') {
      while (seg[i + 1] === '*') i++;
      out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = seg.indexOf(']', i + 2);
      if (end < 0) throw new Error(`glob ${JSON.stringify(pattern)} has an unclosed [`);
      let cls = seg.slice(i + 1, end);
      const negated = cls.startsWith('!') || cls.startsWith('^');
      if (negated) cls = cls.slice(1);
      out += `[${negated ? '^/' : ''}${cls.replace(/[\\\]^]/g, '\\$&')}]`;
      i = end;
    } else if (c === '{') {
      const end = seg.indexOf('}', i);
      if (end < 0) throw new Error(`glob ${JSON.stringify(pattern)} has an unclosed {`);
      out += `(?:${seg.slice(i + 1, end).split(',').map((alt) => segmentSource(alt, pattern)).join('|')})`;
      i = end;
    } else out += escape(c);
  }
  return out;
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A set of patterns: a path is in it when some pattern without `!` matches it and no `!pattern`
 * does (only `!patterns`: every path but those). `bases` are the directories a walk must enter
 * (none nested in another).
 */
export interface PathGlobSet {
  key: string;
  includes(rel: string): boolean;
  bases: string[];
  /** Every path of the repository is in the set (the patterns are `**`). */
  everything: boolean;
}

export function compileGlobSet(patterns: readonly string[]): PathGlobSet {
  const positive = (patterns.some((p) => !p.startsWith('!')) ? patterns.filter((p) => !p.startsWith('!')) : ['**']).map(compileGlob);
  const negative = patterns.filter((p) => p.startsWith('!')).map((p) => compileGlob(p.slice(1)));
  const bases = [...new Set(positive.map((g) => g.base))].sort();
  const outer = bases.filter((b) => !bases.some((o) => o !== b && (o === '' || b.startsWith(o + '/'))));
  return {
    key: patterns.join('\0'),
    includes: (rel) => positive.some((g) => g.matches(rel)) && !negative.some((g) => g.matches(rel)),
    bases: outer,
    everything: negative.length === 0 && positive.some((g) => g.everything),
  };
}
