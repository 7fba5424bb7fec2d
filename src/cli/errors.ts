import { UserError } from '../model/errors.ts';
import { displayPath } from '../util/display-path.ts';
import type { Io } from './io.ts';

/**
 * How the CLI and its subcommands end on an error: the user's problem as `file:line:col: message`
 * (and the related problems of the same document, a line each), a usage error with where to read
 * more, anything else as an internal error, with its stack only under --debug. Always exit 2.
 */
export function reportError(e: unknown, io: Pick<Io, 'cwd' | 'stderr'>, opts: { help: string; debug: boolean }): 2 {
  if (e instanceof UserError) {
    io.stderr(userErrorText(e, io.cwd));
    return 2;
  }
  const code = (e as { code?: string })?.code;
  if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
    io.stderr(`cilium-etcd-lint: ${(e as Error).message}\nSee ${opts.help}.\n`);
    return 2;
  }
  const err = e as Error;
  io.stderr(`cilium-etcd-lint: internal error: ${err?.message ?? String(e)}\n`);
  io.stderr(opts.debug ? `${err?.stack ?? ''}\n` : 'Run again with --debug for a stack trace, and please report it.\n');
  return 2;
}

export function userErrorText(e: UserError, cwd: string): string {
  const where = e.location ? `${displayPath(e.location.file, cwd)}:${e.location.line}:${e.location.column}: ` : '';
  let out = `cilium-etcd-lint: ${where}${e.message}\n`;
  // Further problems of the same document (configuration, rule file), each on its own line.
  for (const p of e.related) {
    out += `  ${displayPath(p.location.file, cwd)}:${p.location.line}:${p.location.column}: ${p.message}\n`;
  }
  return out;
}
