import type { Rule } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';

/** What every output format is: a whole run in, the text to print out (see the registry in index.ts). */

export interface FormatContext {
  /** The working directory: stylish and JSON paths are relative to it. */
  cwd: string;
  /** The repository root: GitHub and SARIF paths are relative to it. */
  root: string;
  env: Readonly<Record<string, string | undefined>>;
  /** Colours (stylish only). */
  color: boolean;
  /** The rules of the run (SARIF describes them). */
  rules: Readonly<Record<string, Rule<any>>>;
}

export type Formatter = (run: LintRun, ctx: FormatContext) => string;
