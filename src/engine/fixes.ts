import type { FixIntent, Report, Rule } from './types.ts';

/**
 * A rule with fixes: each report passes through `fixer`, which may attach the certain fix of that
 * report (by field path, see FixIntent). Used by the built-in rules whose check is declarative
 * (rules/<id>.yaml) and by code rules that prefer to keep fixes apart from the check.
 */
export function withFixes<O>(rule: Rule<O>, fixer: (report: Report) => FixIntent | undefined): Rule<O> {
  return {
    meta: rule.meta,
    check(context) {
      rule.check({
        options: context.options,
        input: context.input,
        report: (r) => {
          if (r.fix) return context.report(r);
          const fix = fixer(r);
          context.report(fix ? { ...r, fix } : r);
        },
      });
    },
  };
}

/** The field path of a report about a resource or an Application (none for a target-level report). */
export function reportPath(r: Report): readonly (string | number)[] | undefined {
  return 'path' in r ? r.path : undefined;
}

/** `set` intent for the report's own field. */
export function setField(r: Report, value: string | number | boolean, description: string): FixIntent | undefined {
  const path = reportPath(r);
  return path ? { kind: 'set', path, value, description } : undefined;
}
