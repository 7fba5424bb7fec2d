/**
 * The built-in rules' suites use the RuleTester that custom-rule authors get as
 * `cilium-etcd-lint/testing` (src/testing/rule-tester.ts): it runs the rule through the real
 * engine. This module gives it vitest's describe and it, and adds the helpers of the suites.
 */
import { describe, it } from 'vitest';
import type { Rule } from '../../src/engine/types.ts';
import { RuleTester, type RuleTests } from '../../src/testing/rule-tester.ts';

export {
  APPLICATION_FILE,
  BASE_PATH,
  buildInput,
  checkReports,
  RENDER_FILE,
  REPO_ROOT,
  runRule,
  TARGET_PATH,
  validateOptions,
  type ExpectedReport,
  type InputSpec,
  type InvalidCase,
  type ResolvedReport,
  type Subject,
  type ValidCase,
} from '../../src/testing/rule-tester.ts';

const tester = new RuleTester({ describe, it });

/** A suite for one rule (see RuleTester.run). */
export function ruleTester(id: string, rule: Rule<any, any>, cases: RuleTests): void {
  tester.run(id, rule, cases);
}

/** 1-based line of the `nth` occurrence of `needle` in `text`; without `nth` it must occur once. */
export function lineOf(text: string, needle: string, nth?: number): number {
  const lines: number[] = [];
  let from = 0;
  for (;;) {
    const i = text.indexOf(needle, from);
    if (i < 0) break;
    lines.push(text.slice(0, i).split('\n').length);
    from = i + needle.length;
  }
  if (lines.length === 0) throw new Error(`lineOf: "${needle}" not found`);
  if (nth === undefined) {
    if (lines.length > 1) throw new Error(`lineOf: "${needle}" occurs ${lines.length} times; pass nth`);
    return lines[0]!;
  }
  const line = lines[nth - 1];
  if (line === undefined) throw new Error(`lineOf: "${needle}" occurs only ${lines.length} times`);
  return line;
}

/** `text` with the single occurrence of `from` replaced by `to` (throws unless exactly one). */
export function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0) throw new Error(`edit: "${from}" not found`);
  if (text.indexOf(from, first + 1) >= 0) throw new Error(`edit: "${from}" occurs more than once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}
