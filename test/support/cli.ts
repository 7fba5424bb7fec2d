import { main, type Io } from '../../src/cli/main.ts';

/** Runs the CLI in-process with captured output. */
export function runCli(argv: string[], io: Partial<Io> = {}): { code: number; stdout: string; stderr: string } {
  let stdout = '';
  let stderr = '';
  const code = main({
    argv,
    cwd: process.cwd(),
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => '',
    ...io,
  });
  return { code, stdout, stderr };
}
