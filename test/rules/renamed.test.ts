import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEPRECATED_RULES, builtinRules } from '../../rules/index.ts';
import { ruleTester, type InputSpec } from './rule-tester.ts';

/**
 * The deprecated aliases (rules/index.ts, DEPRECATED_RULES): each old `baseline-*` id is its rule
 * with `scope: workloads`. Alone (as here, and as a custom-rule author's RuleTester would run it)
 * an alias runs its rule's check with those options; beside its rule the engine folds it into the
 * rule (test/engine/aliases.test.ts). The failing fixture of each is its rule's workloads fixture
 * (rules/fixtures/<rule>/workloads-fail.yaml: the clean component and a Deployment that breaks the
 * rule), formerly the twin's own.
 */

function fixture(id: string, which: string): InputSpec {
  const text = readFileSync(new URL(`../../rules/fixtures/${id}/${which}.yaml`, import.meta.url), 'utf8');
  const docs = text.split(/^---$/m);
  const isApp = (d: string) => /^kind: Application$/m.test(d) && /^apiVersion: argoproj\.io\//m.test(d);
  return { resources: docs.filter((d) => !isApp(d)).join('---\n'), applications: docs.filter(isApp).join('---\n') };
}

const EXPECTED: Record<string, { line: number; messageId: string }> = {
  'baseline-drop-all-capabilities': { line: 99, messageId: 'workloadNotDropped' },
  'baseline-image-digest': { line: 95, messageId: 'workloadNotPinned' },
  'baseline-no-privilege-escalation': { line: 97, messageId: 'workloadNotDisabled' },
  'baseline-no-privileged': { line: 101, messageId: 'workloadPrivileged' },
  'baseline-read-only-root-filesystem': { line: 102, messageId: 'workloadNotReadOnly' },
};

for (const [id, alias] of Object.entries(DEPRECATED_RULES)) {
  const replacedBy = alias.meta.deprecated!.replacedBy;
  const { line, messageId } = EXPECTED[id]!;
  ruleTester(id, alias, {
    valid: [{ name: `the passing fixture of ${replacedBy}`, input: fixture(replacedBy, 'pass') }],
    invalid: [
      {
        name: `${replacedBy}'s workloads fixture: the Deployment, with the generic message`,
        input: fixture(replacedBy, 'workloads-fail'),
        errors: [{ line, messageId, object: 'Deployment/etcd-defrag' }],
      },
    ],
  });
  // The same fixture through the rule itself with scope: workloads: the same report.
  ruleTester(replacedBy, builtinRules[replacedBy]!, {
    valid: [{ name: 'its passing fixture, scope workloads', input: fixture(replacedBy, 'pass'), options: { scope: 'workloads' } }],
    invalid: [
      {
        name: 'its workloads fixture, scope workloads',
        input: fixture(replacedBy, 'workloads-fail'),
        options: { scope: 'workloads' },
        errors: [{ line, messageId, object: 'Deployment/etcd-defrag' }],
      },
      {
        name: 'its workloads fixture, through the old id (the alias), reports as the rule',
        input: fixture(replacedBy, 'workloads-fail'),
        options: alias.meta.deprecated!.options,
        errors: [{ line, messageId, object: 'Deployment/etcd-defrag' }],
      },
    ],
  });
}

describe('deprecated aliases', () => {
  it('each old id names its rule, the options it stands for, and is in no preset', () => {
    const table = Object.fromEntries(
      Object.entries(DEPRECATED_RULES).map(([id, r]) => [id, [r.meta.deprecated!.replacedBy, r.meta.deprecated!.options, r.meta.presets]]),
    );
    expect(table).toEqual({
      'baseline-drop-all-capabilities': ['drop-all-capabilities', { scope: 'workloads' }, []],
      'baseline-image-digest': ['image-digest', { scope: 'workloads' }, []],
      'baseline-no-privilege-escalation': ['no-privilege-escalation', { scope: 'workloads' }, []],
      'baseline-no-privileged': ['no-privileged', { scope: 'workloads' }, []],
      'baseline-read-only-root-filesystem': ['read-only-root-filesystem', { scope: 'workloads' }, []],
    });
    for (const [id, r] of Object.entries(DEPRECATED_RULES)) {
      expect(builtinRules[id]).toBe(r);
      // The messages are the rule's: a finding through the alias reads as the rule's.
      expect(r.meta.messages).toBe(builtinRules[r.meta.deprecated!.replacedBy]!.meta.messages);
    }
  });
});
