import picomatch from 'picomatch';

/**
 * Glob patterns over repository-relative paths (`/`-separated, no leading `./`), in picomatch's
 * dialect, the one every glob a user writes here follows (the Action's `path`, `exclude`, the
 * `search` option): `*` within one segment, `**` across segments, `?`, classes, braces, extglobs,
 * `\` escapes. A pattern matches a path, or any path below it: `cluster/apps` covers
 * `cluster/apps/x.yaml`. Wildcards match a leading dot (`dot: true`, as in globby).
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

// posix: `[!a]` negates a class, as in globby and the shell.
const OPTIONS = { dot: true, posix: true } as const;

export function compileGlob(pattern: string): PathGlob {
  const segments = pattern
    .replace(/^(\.\/)+/, '')
    .split('/')
    .filter((s) => s !== '' && s !== '.');
  // Every pattern covers what is below what it matches, so a trailing `**` adds nothing.
  while (segments[segments.length - 1] === '**') segments.pop();
  const clean = segments.join('/');
  assertWellFormed(clean, pattern);
  if (segments.length === 0) return { source: pattern, base: '', everything: true, matches: () => true };
  const scan = picomatch.scan(clean);
  const base = scan.isGlob ? scan.base : clean;
  const self = picomatch(clean, OPTIONS);
  const below = picomatch(`${clean}/**`, OPTIONS);
  return { source: pattern, base: base === '.' ? '' : base, everything: false, matches: (rel) => self(rel) || below(rel) };
}

/** picomatch reads an unclosed bracket or brace, or a trailing `\`, as literal text: a pattern the user surely mistyped, refused instead. */
function assertWellFormed(clean: string, pattern: string): void {
  if (/(^|[^\\])(\\\\)*\\$/.test(clean)) throw new Error(`glob ${JSON.stringify(pattern)} ends in a lone \\`);
  let brackets = 0;
  let braces = 0;
  for (let i = 0; i < clean.length; i++) {
    const c = clean[i];
    if (c === '\\') i++;
    else if (c === '[' && brackets === 0) brackets++;
    else if (c === ']' && brackets > 0) brackets--;
    else if (c === '{' && brackets === 0) braces++;
    else if (c === '}' && brackets === 0 && braces > 0) braces--;
  }
  if (brackets) throw new Error(`glob ${JSON.stringify(pattern)} has an unclosed [`);
  if (braces) throw new Error(`glob ${JSON.stringify(pattern)} has an unclosed {`);
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
