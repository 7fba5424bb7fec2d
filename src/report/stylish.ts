import type { Finding } from '../engine/types.ts';
import { summarize } from './summary.ts';

const paint = (on: boolean, code: string) => (s: string) => (on ? `\u001b[${code}m${s}\u001b[0m` : s);

/** ESLint-style lines: `file:line:col  severity  message  ruleId`, then a summary line. */
export function formatStylish(findings: readonly Finding[], color: boolean): string {
  const red = paint(color, '31');
  const yellow = paint(color, '33');
  const blue = paint(color, '34');
  const dim = paint(color, '2');
  const bold = paint(color, '1');
  const lines = findings.map((f) => {
    const sev = f.severity === 'error' ? red('error') : f.severity === 'warning' ? yellow('warning') : blue('info');
    return `${f.location.file}:${f.location.line}:${f.location.column}  ${sev}  ${f.message}  ${dim(f.ruleId)}`;
  });
  const s = summarize(findings);
  const total = s.errors + s.warnings + s.infos;
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  if (total === 0) return `${bold('✔ no problems')}\n`;
  const tail = `${plural(total, 'problem')} (${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${plural(s.infos, 'info')})`;
  const mark = s.errors ? red('✖') : s.warnings ? yellow('⚠') : blue('ℹ');
  return `${lines.join('\n')}\n\n${bold(`${mark} ${tail}`)}\n`;
}
