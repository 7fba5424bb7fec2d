import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { buildInput, runRule } from './rule-tester.ts';

/**
 * Every built-in rule is documented and demonstrated: a page (rules/<id>.md, shown by `explain`),
 * a passing and a failing fixture (rules/fixtures/<id>/{pass,fail}.yaml: a rendered stream, its
 * Applications included), and a row in the README's rule tables. Adding a rule without them fails here.
 */

const RULES = new URL('../../rules/', import.meta.url);
const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

function inputOf(text: string) {
  const docs = text.split(/^---$/m);
  const isApp = (d: string) => /^kind: Application$/m.test(d) && /^apiVersion: argoproj\.io\//m.test(d);
  return buildInput({ resources: docs.filter((d) => !isApp(d)).join('---\n'), applications: docs.filter(isApp).join('---\n') });
}

describe.each(Object.keys(builtinRules))('%s', (id) => {
  const rule = builtinRules[id]!;
  it('has a page that explains why, what fails and what passes', () => {
    const page = new URL(`${id}.md`, RULES);
    expect(existsSync(page), `rules/${id}.md`).toBe(true);
    const text = readFileSync(page, 'utf8');
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    for (const h of ['## What it checks', '## Why', '## How to fix', '## Incorrect', '## Correct']) expect(text, `${id}.md ${h}`).toContain(h);
  });
  it('has a row in the README', () => {
    expect(readme).toContain(`| [\`${id}\`](rules/${id}.md) | ${rule.meta.defaultSeverity} | ${rule.meta.docs.description} |`);
  });
  it('passes its passing fixture', () => {
    const file = new URL(`fixtures/${id}/pass.yaml`, RULES);
    expect(existsSync(file), `rules/fixtures/${id}/pass.yaml`).toBe(true);
    expect(runRule(rule, inputOf(readFileSync(file, 'utf8'))).map((r) => `${r.line}: ${r.message}`)).toEqual([]);
  });
  it('fails its failing fixture', () => {
    const file = new URL(`fixtures/${id}/fail.yaml`, RULES);
    expect(existsSync(file), `rules/fixtures/${id}/fail.yaml`).toBe(true);
    expect(runRule(rule, inputOf(readFileSync(file, 'utf8'))).length).toBeGreaterThan(0);
  });
});
