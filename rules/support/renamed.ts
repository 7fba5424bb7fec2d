import type { Rule } from '../../src/engine/types.ts';
import { optionsSchema } from './options.ts';

/**
 * The old id of a rule, kept as a deprecated alias (ESLint's meta.deprecated and replacedBy): the
 * rule `replacedBy` with `options` over its own. It is in no preset and takes no options of its
 * own (as the rule it was). The engine never runs it beside `replacedBy`: a setting of it runs
 * `replacedBy` with `options`, and a suppression naming it suppresses `replacedBy`
 * (src/engine/run.ts). Alone (a RuleTester, a run of this rule only) it runs `replacedBy`'s check
 * with `options`, its messages being that rule's.
 */
export function renamedRule<O, M extends string>(
  replacedBy: string,
  rule: Rule<O, M>,
  options: Partial<O>,
): Rule<Record<string, never>, M> {
  const spelled = Object.entries(options)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  return {
    meta: {
      type: rule.meta.type,
      docs: { description: `Deprecated: renamed to ${replacedBy}${spelled ? ` with ${spelled}` : ''}.` },
      defaultSeverity: rule.meta.defaultSeverity,
      presets: [],
      schema: optionsSchema({}),
      defaultOptions: {},
      messages: rule.meta.messages,
      deprecated: { replacedBy, options: { ...options } },
    },
    check(context) {
      rule.check({ options: { ...rule.meta.defaultOptions, ...options }, input: context.input, report: (r) => context.report(r) });
    },
  };
}
