import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { parseRuleFile } from '../../src/config/rule-files.ts';

const RULES = new URL('../../rules/', import.meta.url);
const files = readdirSync(RULES).filter((f) => f.endsWith('.yaml'));

describe('the declarative built-in rules (rules/<id>.yaml)', () => {
  it('exist for the simple invariants (the rules with a scope option are code)', () => {
    expect(files.map((f) => f.slice(0, -5)).sort()).toEqual(['host-network']);
  });

  it.each(files)('%s satisfies the rule-file meta-schema and is the registered rule', (f) => {
    const def = parseRuleFile(readFileSync(new URL(f, RULES), 'utf8'), `rules/${f}`);
    expect(def.id).toBe(f.slice(0, -5));
    const rule = builtinRules[def.id]!;
    expect(rule.meta.docs.description).toBe(def.description);
    expect(rule.meta.defaultSeverity).toBe(def.severity);
  });
});
