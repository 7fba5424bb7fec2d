import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../rules/index.ts';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('README stays true', () => {
  it.each(Object.entries(builtinRules))('lists %s with its default severity and description', (id, rule) => {
    expect(readme).toContain(`| [\`${id}\`](rules/${id}.md) | ${rule.meta.defaultSeverity} | ${rule.meta.docs.description} |`);
    expect(existsSync(new URL(`../rules/${id}.md`, import.meta.url))).toBe(true);
  });
  it('lists no rule that does not exist', () => {
    const listed = [...readme.matchAll(/^\| \[`([a-z0-9-]+)`\]\(rules\//gm)].map((m) => m[1]);
    expect(listed.sort()).toEqual(Object.keys(builtinRules).sort());
  });
  it('gives the quick-start commands that CI relies on', () => {
    expect(readme).toContain('npm ci && npx cilium-etcd-lint fixtures/cilium-etcd/overlays/dev');
    expect(readme).toMatch(/^npm test\s/m);
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toMatch(/^npm test$/m);
  });
});
