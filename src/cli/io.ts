import type { FileSystem } from '../util/fs.ts';

/** What the CLI (and each subcommand) is a function of: its arguments, directory, environment and streams. */
export interface Io {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTty: boolean;
  /** A progress line is shown on stderr in repo mode when it is a terminal (and the run is long, see PROGRESS_AFTER_MS). */
  stderrIsTty?: boolean;
  readStdin: () => string;
  /** What the lint reads through (default: the disk); tests give another (a reordering one, in memory). */
  fs?: FileSystem;
  /** Milliseconds of a monotonic clock (default performance.now); tests give a fake one. */
  now?: () => number;
}
