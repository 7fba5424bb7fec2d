import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DECLARATIVE_RULE_IDS, DEPRECATED_RULES, builtinRules } from '../../rules/index.ts';
import { validateOptions } from './rule-tester.ts';

const RULES_DIR = fileURLToPath(new URL('../../rules/', import.meta.url));
const ids = Object.keys(builtinRules);

describe('builtinRules', () => {
  it('is sorted alphabetically by id', () => {
    expect(ids).toEqual([...ids].sort());
  });

  it('lists every rule module, every rule file in rules/ and the deprecated aliases, and nothing else', () => {
    const modules = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
      .map((f) => f.slice(0, -3));
    const files = readdirSync(RULES_DIR)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => f.slice(0, -5));
    expect(ids).toEqual([...modules, ...files, ...Object.keys(DEPRECATED_RULES)].sort());
    // A declarative rule has no module of its own: it is registered from DECLARATIVE_RULE_IDS.
    expect(modules.filter((id) => files.includes(id))).toEqual([]);
    expect([...DECLARATIVE_RULE_IDS]).toEqual(files.sort());
  });

  it('says which presets hold each rule in its metadata (meta.presets), not by its id', () => {
    for (const id of ids) expect(builtinRules[id]!.meta.presets, id).toBeDefined();
    expect(ids.filter((id) => builtinRules[id]!.meta.presets!.includes('baseline'))).toEqual([
      'drop-all-capabilities',
      'image-digest',
      'kubernetes-schema',
      'kubernetes-schema-missing',
      'no-privilege-escalation',
      'no-privileged',
      'read-only-root-filesystem',
    ]);
    // Every rule but the deprecated aliases is in recommended; the aliases are in no preset.
    expect(ids.filter((id) => !builtinRules[id]!.meta.presets!.includes('recommended'))).toEqual(Object.keys(DEPRECATED_RULES));
    for (const id of Object.keys(DEPRECATED_RULES)) expect(builtinRules[id]!.meta.presets).toEqual([]);
  });

  it('the preset baseline runs the container hardening rules with scope: workloads, recommended with the default', () => {
    const widened = ids.filter((id) => builtinRules[id]!.meta.presetOptions);
    expect(widened).toEqual([
      'drop-all-capabilities',
      'image-digest',
      'no-privilege-escalation',
      'no-privileged',
      'read-only-root-filesystem',
    ]);
    for (const id of widened) {
      const { meta } = builtinRules[id]!;
      expect(meta.presetOptions, id).toEqual({ baseline: { scope: 'workloads' } });
      expect(meta.defaultOptions, id).toEqual({ scope: 'component' });
      // Valid options, as the configuration would check them.
      expect(() => validateOptions(builtinRules[id]!, { ...meta.defaultOptions, ...meta.presetOptions!.baseline })).not.toThrow();
      expect(() => validateOptions(builtinRules[id]!, { scope: 'everything' })).toThrow();
    }
  });

  it('uses kebab-case ids', () => {
    for (const id of ids) expect(id).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
  });

  it.each(ids)('%s: has a doc file naming the rule, its options, its messageIds and both examples', (id) => {
    const doc = `${RULES_DIR}${id}.md`;
    expect(existsSync(doc), `${id}.md`).toBe(true);
    const text = readFileSync(doc, 'utf8');
    expect(text.startsWith(`# ${id}\n`)).toBe(true);
    const { deprecated } = builtinRules[id]!.meta;
    // A deprecated alias's page names its rule, whose page has the options, messages and examples.
    if (deprecated) return void expect(text).toContain(`\`${deprecated.replacedBy}\``);
    for (const option of Object.keys(builtinRules[id]!.meta.defaultOptions)) expect(text).toContain(`\`${option}\``);
    for (const messageId of Object.keys(builtinRules[id]!.meta.messages)) expect(text).toContain(`\`${messageId}\``);
    expect(text).toMatch(/## Incorrect/);
    expect(text).toMatch(/## Correct/);
  });

  it.each(ids)('%s: meta is well-formed', (id) => {
    const { meta } = builtinRules[id]!;
    expect(['problem', 'suggestion']).toContain(meta.type);
    expect(['error', 'warning', 'info']).toContain(meta.defaultSeverity);
    expect(meta.docs.description).toMatch(/^\S.*\.$/);
    expect(meta.docs.description).not.toContain('\n');
    expect(Object.keys(meta.messages).length).toBeGreaterThan(0);
    for (const m of Object.values(meta.messages)) expect(m.trim()).not.toBe('');
    // The defaults satisfy the schema, and the schema rejects unknown options.
    expect(() => validateOptions(builtinRules[id]!, meta.defaultOptions)).not.toThrow();
    expect(() => validateOptions(builtinRules[id]!, { ...meta.defaultOptions, noSuchOption: 1 })).toThrow();
  });

  it('warns (not errors) only for TLS, backup and the missing manifest-generate-paths annotation', () => {
    const warnings = ids.filter((id) => builtinRules[id]!.meta.defaultSeverity === 'warning');
    expect(warnings).toEqual(['argocd-manifest-generate-paths-missing', 'etcd-backup', 'etcd-tls']);
    // The one info rule says which kinds were not schema-checked.
    expect(ids.filter((id) => builtinRules[id]!.meta.defaultSeverity === 'info')).toEqual(['kubernetes-schema-missing']);
  });

  it('rule modules are pure: no file system, process, console or network access', () => {
    const files = [
      ...readdirSync(RULES_DIR).filter((f) => f.endsWith('.ts')),
      ...readdirSync(`${RULES_DIR}support`)
        .filter((f) => f.endsWith('.ts'))
        .map((f) => `support/${f}`),
    ];
    for (const f of files) {
      const src = readFileSync(`${RULES_DIR}${f}`, 'utf8');
      expect(src, f).not.toMatch(/\bprocess\s*\.|\bconsole\s*\.|\bfetch\s*\(|\brequire\s*\(/);
      expect(src, f).not.toMatch(/from\s+'(node:)?(fs|fs\/promises|child_process|http|https|net|os)'/);
    }
  });
});
