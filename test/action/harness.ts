import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { vi } from 'vitest';
import { parseOutputs } from './repo.ts';

/**
 * @actions/core is loaded once per test file (vitest does not re-evaluate node_modules), and its
 * `summary` remembers the first GITHUB_STEP_SUMMARY it saw: every run of a file shares this one,
 * emptied before each run. (On a runner, one process writes one summary.)
 */
const summaryFile = path.join(mkdtempSync(path.join(tmpdir(), 'cel-summary-')), 'summary.md');

export interface ActionRun {
  stdout: string;
  exitCode: number | undefined;
  summary: string;
  outputs: Record<string, string>;
}

/** `INPUT_<NAME>` as the runner names it: upper case, spaces to `_`, hyphens kept. */
export function inputVar(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/**
 * Runs the action's `run()` in this process with the given inputs and environment, an empty
 * GITHUB_STEP_SUMMARY file, a temporary GITHUB_OUTPUT file, and stdout captured.
 */
export async function runAction(inputs: Record<string, string>, env: Record<string, string> = {}): Promise<ActionRun> {
  const dir = mkdtempSync(path.join(tmpdir(), 'cel-run-'));
  const outputFile = path.join(dir, 'output.txt');
  writeFileSync(summaryFile, '');
  writeFileSync(outputFile, '');

  const saved = { ...process.env };
  for (const k of Object.keys(process.env)) {
    if (k.startsWith('INPUT_') || k.startsWith('GITHUB_') || k === 'NO_COLOR') delete process.env[k];
  }
  for (const [k, v] of Object.entries(inputs)) process.env[inputVar(k)] = v;
  Object.assign(process.env, { GITHUB_STEP_SUMMARY: summaryFile, GITHUB_OUTPUT: outputFile }, env);

  const { run } = await import('../../src/action/main.ts');
  let stdout = '';
  const spy = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  });
  const before = process.exitCode;
  let exitCode: number | undefined;
  try {
    process.exitCode = undefined;
    await run();
    exitCode = process.exitCode === undefined || process.exitCode === null ? undefined : Number(process.exitCode);
  } finally {
    spy.mockRestore();
    process.exitCode = before;
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
  return { stdout, exitCode, summary: readFileSync(summaryFile, 'utf8'), outputs: parseOutputs(readFileSync(outputFile, 'utf8')) };
}
