import type { Rule } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';
import type { FileSystem } from '../util/fs.ts';

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
  /**
   * What a format reads source files through (rdjson: the findings' lines, for UTF-8 byte
   * columns). Default: the FileSystem the run read its targets through (LintRun.fs), so the text
   * is the one the findings were made from; the disk only for a run that does not say.
   */
  fs?: FileSystem;
}

export type Formatter = (run: LintRun, ctx: FormatContext) => string;
