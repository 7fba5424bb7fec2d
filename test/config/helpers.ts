import { main } from '../../src/cli/main.ts';
import { cleanComponent, writeTree } from '../acceptance/component.ts';

export { cleanComponent, writeTree };

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI in `cwd` (the repository root unless given). */
export function cli(cwd: string, ...argv: string[]): CliRun {
  let stdout = '';
  let stderr = '';
  // Targets are resolved against the run's working directory (io.cwd), never the process's.
  const code = main({
    argv,
    cwd,
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return { code, stdout, stderr };
}

export interface JsonFinding {
  ruleId: string;
  severity: string;
  message: string;
  location: { file: string; line: number; column: number };
  suppression?: { kind: string; reason: string; location: { file: string; line: number } };
}

export function json(r: CliRun): { findings: JsonFinding[]; suppressed: JsonFinding[]; summary: Record<string, number> } {
  if (!r.stdout) throw new Error(`no output (exit ${r.code}): ${r.stderr}`);
  return JSON.parse(r.stdout);
}

/** 1-based line of the single occurrence of `needle`. */
export function lineOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  if (i < 0 || text.indexOf(needle, i + 1) >= 0) throw new Error(`lineOf: ${needle} must occur once`);
  return text.slice(0, i).split('\n').length;
}

/** 1-based column of the single occurrence of `needle` on its line. */
export function columnOf(text: string, needle: string): number {
  const i = text.indexOf(needle);
  return i - text.lastIndexOf('\n', i - 1);
}

export const OVERLAY = 'etcd/overlays/dev';
