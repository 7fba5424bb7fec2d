import type { Finding } from '../engine/types.ts';
import type { Formatter } from './formatter.ts';
import { runFindings } from './run-summary.ts';
import { TOOL_NAME } from './tool-info.ts';

/**
 * `--format junit`: JUnit XML, the test report CI systems show without a plugin (GitLab's
 * `artifacts:reports:junit`, Jenkins, Azure Pipelines). One `<testsuite>` per target; each
 * finding is a `<testcase>` named after its rule and location, failed (`<failure>`) when it is an
 * error or a warning, passed with the message as output when it is an info; a target without
 * findings has one passing test case; a target that could not be rendered has one `<error>`
 * (its fatal finding); an excluded target is a skipped test case. Paths are relative to the
 * repository root, as a CI system shows them.
 */
export const junitFormatter: Formatter = (run, ctx) => {
  const { findings } = runFindings(run, ctx.root, true);
  const byTarget = new Map<string, Finding[]>();
  for (const r of run.results) byTarget.set(r.path, []);
  for (const t of run.fatal) byTarget.set(t.path, []);
  // runFindings tags every finding (the fatal ones included) with its target.
  for (const f of findings) {
    const key = f.target ?? '';
    (byTarget.get(key) ?? byTarget.set(key, []).get(key)!).push(f);
  }
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  let errors = 0;
  let skipped = 0;
  for (const [target, list] of byTarget) {
    const cases = list.map((f) => testcase(target, f));
    if (cases.length === 0) cases.push(`    <testcase name="${attr(`${TOOL_NAME}: no findings`)}" classname="${attr(target)}"/>`);
    const fail = list.filter((f) => !f.fatal && f.severity !== 'info').length;
    const err = list.filter((f) => f.fatal).length;
    tests += cases.length;
    failures += fail;
    errors += err;
    suites.push(
      `  <testsuite name="${attr(target)}" tests="${cases.length}" failures="${fail}" errors="${err}" skipped="0">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  if (run.excluded.length) {
    const cases = run.excluded.map(
      (e) =>
        `    <testcase name="${attr(`${TOOL_NAME}: excluded`)}" classname="${attr(e.path)}">\n      <skipped message="${attr(e.reason)}"/>\n    </testcase>`,
    );
    tests += cases.length;
    skipped += cases.length;
    suites.push(
      `  <testsuite name="excluded" tests="${cases.length}" failures="0" errors="0" skipped="${cases.length}">\n${cases.join('\n')}\n  </testsuite>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${TOOL_NAME}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">\n${suites.join('\n')}\n</testsuites>\n`;
};

function testcase(target: string, f: Finding): string {
  const where = `${f.location.file}:${f.location.line}:${f.location.column}`;
  const open = `    <testcase name="${attr(`${f.ruleId}: ${where}`)}" classname="${attr(target)}" file="${attr(f.location.file)}" line="${f.location.line}">`;
  const text = text_(
    `${where}  ${f.severity}  ${f.message}  ${f.ruleId}${f.application !== undefined ? `  (Application ${f.application})` : ''}`,
  );
  if (f.fatal) return `${open}\n      <error message="${attr(f.message)}" type="${attr(f.ruleId)}">${text}</error>\n    </testcase>`;
  if (f.severity === 'info') return `${open}\n      <system-out>${text}</system-out>\n    </testcase>`;
  return `${open}\n      <failure message="${attr(f.message)}" type="${f.severity}">${text}</failure>\n    </testcase>`;
}

/** XML 1.0 text: the five special characters escaped, characters XML cannot hold dropped. */
function text_(s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function attr(s: string): string {
  return text_(s).replace(/"/g, '&quot;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;').replace(/\t/g, '&#9;');
}
