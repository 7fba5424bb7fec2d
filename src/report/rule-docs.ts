// node:fs, not a FileSystem: run from source, the built-in rules' pages (rules/<id>.md) of the package, not the linted repository.
import { readFileSync } from 'node:fs';

/**
 * The bundles (dist/) get every `rules/<id>.md` inlined at build time (scripts/build.mjs defines
 * `__RULE_DOCS__`), so they need no file beside them; run from source, the pages are read from
 * `rules/` in the repository.
 */
declare const __RULE_DOCS__: Record<string, string> | undefined;

const cache = new Map<string, string | undefined>();

/** The Markdown page of a built-in rule, or undefined when there is none. */
export function ruleDoc(ruleId: string): string | undefined {
  if (typeof __RULE_DOCS__ === 'object') return Object.hasOwn(__RULE_DOCS__, ruleId) ? __RULE_DOCS__[ruleId] : undefined;
  if (!/^[a-z0-9-]+$/.test(ruleId)) return undefined;
  if (!cache.has(ruleId)) {
    let text: string | undefined;
    try {
      text = readFileSync(new URL(`../../rules/${ruleId}.md`, import.meta.url), 'utf8');
    } catch {
      text = undefined;
    }
    cache.set(ruleId, text);
  }
  return cache.get(ruleId);
}

/** The text of a `## heading` section of a rule page (up to the next heading), or undefined. */
export function docSection(markdown: string, heading: string): string | undefined {
  const lines = markdown.split(/\r?\n/);
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) return undefined;
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (/^#{1,2} /.test(l)) break;
    body.push(l);
  }
  const text = body.join('\n').trim();
  return text === '' ? undefined : text;
}
