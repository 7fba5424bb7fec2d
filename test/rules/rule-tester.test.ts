import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { RuleTester } from '../../src/testing/rule-tester.ts';
import { STATEFUL_SET } from './fixtures.ts';
import { buildInput, checkReports, edit, lineOf, runRule } from './rule-tester.ts';

/** The RuleTester of cilium-etcd-lint/testing runs the real engine and says what differs. */
describe('RuleTester', () => {
  const rule = builtinRules['host-network']!;
  const bad = edit(STATEFUL_SET, 'hostNetwork: true', 'hostNetwork: false');

  it('reports through the engine: its message, location and the declared fix', () => {
    const [r, ...rest] = runRule(rule, buildInput({ resources: bad }), {}, 'host-network');
    expect(rest).toEqual([]);
    expect(r).toMatchObject({
      messageId: 'notHostNetwork',
      line: lineOf(bad, 'hostNetwork: false'),
      subject: 'resource',
      object: 'StatefulSet/cilium-etcd-0',
      suppressed: false,
    });
    expect(r!.message).toBe('StatefulSet "cilium-etcd-0" must set spec.template.spec.hostNetwork: true');
    expect(r!.finding.severity).toBe('error');
  });

  it('says what differs when the reports are not the expected ones', () => {
    const got = runRule(rule, buildInput({ resources: bad }));
    expect(() => checkReports(got, [{ messageId: 'notHostNetwork', line: 1 }])).toThrow(/reports differ/);
    expect(() =>
      checkReports(got, [{ messageId: 'notHostNetwork', line: lineOf(bad, 'hostNetwork: false'), object: 'StatefulSet/other' }]),
    ).toThrow(/object StatefulSet\/cilium-etcd-0, expected StatefulSet\/other/);
    expect(() => checkReports(got, [{ messageId: 'notHostNetwork', line: lineOf(bad, 'hostNetwork: false') }])).not.toThrow();
  });

  it("refuses options the rule's schema rejects", () => {
    expect(() => runRule(rule, buildInput({ resources: bad }), { container: 'etcd' })).toThrow(/invalid options/);
  });

  it("needs the test framework's describe and it", () => {
    expect(() => new RuleTester({})).toThrow(/pass your test framework's describe and it/);
  });
});
