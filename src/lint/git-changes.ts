import path from 'node:path';
import { UserError } from '../model/errors.ts';
import { childProcess } from '../util/lazy-builtins.ts';

/**
 * `--since <ref>`: the files changed between the merge-base of `ref` and HEAD, and the working
 * tree (staged, unstaged and untracked files included; a deleted file and both sides of a rename
 * listed), as absolute paths.
 *
 * The ref is data, never an option: one starting with `-` is refused, and it reaches git only
 * after `--end-of-options` (git rev-parse resolves it to a commit id first, so no later command
 * sees the user's text). Only `git` itself is run, without a shell, with arguments as an array.
 */
export function changedSince(ref: string, cwd: string): string[] {
  if (ref === '' || ref.startsWith('-')) throw new UserError(`--since ${JSON.stringify(ref)}: a git ref cannot be empty or start with "-"`);
  const top = git(['rev-parse', '--show-toplevel'], cwd, () => `--since needs a git repository: ${cwd} is not inside one`).trim();
  const commit = git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`], cwd, () => `--since ${ref}: no such commit in this repository (a shallow clone may lack it: fetch it, or check out with enough depth)`).trim();
  const base = git(['merge-base', commit, 'HEAD'], cwd, () => `--since ${ref}: no common ancestor with HEAD (a shallow clone may lack it: fetch with enough depth)`).trim();
  // --no-renames lists a rename as its deletion and its addition: both paths may be read by a target.
  const changed = split(git(['diff', '--no-ext-diff', '--no-textconv', '--name-only', '--no-renames', '-z', base], top, () => `git diff against ${base} failed`));
  const untracked = split(git(['ls-files', '--others', '--exclude-standard', '-z'], top, () => 'git ls-files failed'));
  return [...new Set([...changed, ...untracked])].map((p) => path.resolve(top, p)).sort();
}

function split(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

function git(args: string[], cwd: string, failure: () => string): string {
  const r = childProcess().spawnSync('git', ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', ...args], { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, shell: false, env: gitEnv() });
  if (r.error) throw new UserError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) {
    const why = String(r.stderr ?? '').trim().split('\n')[0];
    throw new UserError(`${failure()}${why ? ` (git: ${why})` : ''}`);
  }
  return String(r.stdout);
}

/** The environment git runs with: the user's, without the variables that would make it run another program (a pager, an external diff). */
function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'PAGER', 'GIT_DIFF_OPTS']) delete env[k];
  return { ...env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' };
}
