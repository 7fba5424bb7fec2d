import { describe, expect, it } from 'vitest';
import { RuleError, runRulesDetailed } from '../../src/engine/run.ts';
import { defineRule, type Rule } from '../../src/engine/types.ts';
import { COMPONENT } from './fixtures.ts';
import { buildInput, TARGET_PATH } from './rule-tester.ts';

const meta = {
  type: 'problem',
  docs: { description: 'Test.' },
  defaultSeverity: 'error',
  schema: { type: 'object' },
  defaultOptions: {},
  messages: { seen: 'seen {{name}}' },
} as const;

describe('the engine and a rule that fails', () => {
  it('names the rule and the target when a rule throws (as ESLint does), keeping the error as its cause', () => {
    const boom = new TypeError("Cannot read properties of undefined (reading 'spec')");
    const crashing: Rule = {
      meta: { ...meta, messages: { ...meta.messages } },
      check: () => {
        throw boom;
      },
    };
    let caught: unknown;
    try {
      runRulesDetailed(buildInput({ resources: COMPONENT }), { 'my-crashing-rule': crashing });
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(RuleError);
    const err = caught as RuleError;
    expect(err.message).toBe(`rule my-crashing-rule failed on ${TARGET_PATH}: Cannot read properties of undefined (reading 'spec')`);
    expect(err.ruleId).toBe('my-crashing-rule');
    expect(err.target).toBe(TARGET_PATH);
    expect(err.cause).toBe(boom);
  });

  it('names the rule of an unknown message id', () => {
    const wrong = {
      meta: { ...meta, messages: { ...meta.messages } },
      check: (c) => c.report({ target: true, messageId: 'nope' }),
    } as Rule;
    expect(() => runRulesDetailed(buildInput({ resources: COMPONENT }), { 'my-rule': wrong })).toThrow(/rule my-rule/);
  });

  it("types message ids per rule: report() accepts only the rule's own ids (checked by tsc)", () => {
    const rule = defineRule({
      meta: {
        type: 'problem',
        docs: { description: 'Test.' },
        defaultSeverity: 'error',
        schema: { type: 'object' },
        defaultOptions: {},
        messages: { seen: 'seen {{name}}' },
      },
      check(context) {
        for (const resource of context.input.resources)
          context.report({ resource, path: ['metadata', 'name'], messageId: 'seen', data: { name: 'x' } });
        // @ts-expect-error -- 'unseen' is not one of this rule's message ids
        if (context.input.resources.length < 0) context.report({ target: true, messageId: 'unseen' });
      },
    });
    expect(runRulesDetailed(buildInput({ resources: COMPONENT }), { r: rule }).findings.length).toBeGreaterThan(0);
  });
});
