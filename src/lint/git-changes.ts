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
export function changedSince(ref: string, cwd: string, option = '--since'): string[] {
  return changedSinceBase(resolveBaseRef(ref, cwd, option));
}

/** A ref resolved for `--since` / `--base`: the repository's top, the ref's commit, and its merge-base with HEAD (what a pull request is compared with). */
export interface ResolvedBase {
  ref: string;
  top: string;
  commit: string;
  mergeBase: string;
}

/** Resolves `ref` as `--since` does: data, never an option (refused when it starts with '-', after --end-of-options). */
export function resolveBaseRef(ref: string, cwd: string, option = '--since'): ResolvedBase {
  if (ref === '' || ref.startsWith('-'))
    throw new UserError(`${option} ${JSON.stringify(ref)}: a git ref cannot be empty or start with "-"`);
  const top = git(['rev-parse', '--show-toplevel'], cwd, () => `${option} needs a git repository: ${cwd} is not inside one`).trim();
  const commit = git(
    ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`],
    cwd,
    () => `${option} ${ref}: no such commit in this repository (a shallow clone may lack it: fetch it, or check out with enough depth)`,
  ).trim();
  const mergeBase = git(
    ['merge-base', commit, 'HEAD'],
    cwd,
    () => `${option} ${ref}: no common ancestor with HEAD (a shallow clone may lack it: fetch with enough depth)`,
  ).trim();
  return { ref, top, commit, mergeBase };
}

/** The files changed between a resolved base's merge-base and the working tree (see changedSince). */
export function changedSinceBase(resolved: ResolvedBase): string[] {
  const { top, mergeBase: base } = resolved;
  // --no-renames lists a rename as its deletion and its addition: both paths may be read by a target.
  const changed = split(
    git(
      ['diff', '--no-ext-diff', '--no-textconv', '--name-only', '--no-renames', '-z', base],
      top,
      () => `git diff against ${base} failed`,
    ),
  );
  const untracked = split(git(['ls-files', '--others', '--exclude-standard', '-z'], top, () => 'git ls-files failed'));
  return [...new Set([...changed, ...untracked])].map((p) => path.resolve(top, p)).sort();
}

function split(out: string): string[] {
  return out.split('\0').filter((s) => s !== '');
}

function git(args: string[], cwd: string, failure: () => string): string {
  return String(checked(spawnGit(args, cwd, { encoding: 'utf8' }), failure));
}

/**
 * The one place git is started: never through a shell, with gitEnv, no file-system monitor, paths
 * unquoted. `input` goes to its stdin.
 */
function spawnGit(args: string[], cwd: string, opts: { encoding: 'utf8' | 'buffer'; input?: string }) {
  return childProcess().spawnSync('git', ['-c', 'core.quotepath=off', '-c', 'core.fsmonitor=false', ...args], {
    cwd,
    ...(opts.encoding === 'utf8' ? { encoding: 'utf8' as const } : {}),
    maxBuffer: 1024 * 1024 * 1024,
    shell: false,
    env: gitEnv(),
    ...(opts.input !== undefined ? { input: opts.input } : {}),
  });
}

/** A git run's stdout, or a UserError naming `failure()` and git's first line of complaint. */
function checked(r: ReturnType<typeof spawnGit>, failure: () => string): string | Buffer {
  if (r.error) throw new UserError(`cannot run git: ${(r.error as NodeJS.ErrnoException).code ?? r.error.message}`);
  if (r.status !== 0) {
    const why = String(r.stderr ?? '')
      .trim()
      .split('\n')[0];
    throw new UserError(`${failure()}${why ? ` (git: ${why})` : ''}`);
  }
  return r.stdout as string | Buffer;
}

/** Whether the repository holding `cwd` is a shallow clone (undefined: not a git repository, or no git). */
export function isShallowRepository(cwd: string): boolean | undefined {
  const r = spawnGit(['rev-parse', '--is-shallow-repository'], cwd, { encoding: 'utf8' });
  return !r.error && r.status === 0 ? String(r.stdout).trim() === 'true' : undefined;
}

/** Whether the commit `sha` (already checked to be hex) is in the repository holding `cwd`. */
export function hasCommit(sha: string, cwd: string): boolean {
  const r = spawnGit(['cat-file', '-e', `${sha}^{commit}`], cwd, { encoding: 'utf8' });
  return !r.error && r.status === 0;
}

/**
 * Runs git (never through a shell, with gitEnv) for the git-object reader (lint/git-objects.ts):
 * its stdout as text, or as bytes for `cat-file --batch`; `input` goes to its stdin.
 */
export function gitOutput(args: string[], cwd: string, encoding: 'utf8' | 'buffer', input?: string): string | Buffer {
  return checked(spawnGit(args, cwd, { encoding, ...(input !== undefined ? { input } : {}) }), () => `git ${args[0]} failed`);
}

/** The environment git runs with: the user's, without the variables that would make it run another program (a pager, an external diff). */
export function gitEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of ['GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'PAGER', 'GIT_DIFF_OPTS']) delete env[k];
  return { ...env, GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' };
}
