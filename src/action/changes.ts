// node:fs at the surface: the GitHub event payload (GITHUB_EVENT_PATH), outside the repository.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { affectedTargets } from '../lint/affected.ts';
import { changedSince, hasCommit, isShallowRepository } from '../lint/git-changes.ts';
import { UserError } from '../model/errors.ts';
import type { FileSystem } from '../render/fs.ts';
import type { PathGlobSet } from '../util/glob.ts';

/**
 * The `changed-only` input: on a pull request (or a merge queue), lint only the targets of `path`
 * that the change affects. The change is what differs between the event's base commit and the
 * working tree (src/lint/git-changes.ts); which targets it affects is src/lint/affected.ts's
 * answer (a target is affected when its build reads a changed file, or an Application deploying
 * it changed).
 */

export const CHANGED_ONLY = ['auto', 'true', 'false'] as const;
export type ChangedOnly = (typeof CHANGED_ONLY)[number];

/** The events whose payload names a base commit to compare with. */
export const CHANGE_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'] as const;

/** The commit a change is measured from. */
export interface ChangeBase {
  event: string;
  sha: string;
}

/** What `changed-only` did: the base, how many files changed, and what they affect. */
export interface ChangeSelection extends ChangeBase {
  /** Changed files (absolute). */
  files: number;
  /** Targets `path` named (after glob expansion). */
  candidates: number;
  /** The affected targets, as `path` named them. */
  targets: string[];
  /** Changed files that no candidate reads. */
  unaffecting: number;
  /** The changed files (absolute), for the rendered diff. */
  changed: string[];
}

/** A commit id as the event payload spells one (SHA-1, or SHA-256 for a repository using it). */
const SHA = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/i;

/**
 * The base commit `changed-only` compares with, or undefined when everything is to be linted
 * (with the reason, for the log). `true` outside a pull request or merge queue, or without a
 * base commit in the event payload, is an error: the workflow asked for something this run
 * cannot do, and linting everything instead would hide it.
 */
export function changeBase(mode: ChangedOnly, env: Readonly<Record<string, string | undefined>>): { base?: ChangeBase; reason: string } {
  if (mode === 'false') return { reason: 'changed-only is false: every target is linted' };
  const found = eventBase(env);
  const event = found.event;
  if (!('sha' in found) && !found.payload) {
    if (mode === 'true') {
      throw new UserError(
        `the changed-only input is true, but this is ${event ? `a "${event}" event` : 'not a workflow event (GITHUB_EVENT_NAME is not set)'}: only ${CHANGE_EVENTS.join(', ')} events have a base commit to compare with; use changed-only: auto to lint everything on other events`,
      );
    }
    return {
      reason: `changed-only: auto: ${event ? `a "${event}" event has no base commit to compare with` : 'no workflow event (GITHUB_EVENT_NAME is not set)'}, so every target is linted`,
    };
  }
  if ('sha' in found)
    return {
      base: { event, sha: found.sha },
      reason: `changed-only: ${mode}: linting the targets this ${event} affects, compared with its base commit ${found.sha}`,
    };
  if (mode === 'true') throw new UserError(`the changed-only input is true, but ${found.problem}`);
  return { reason: `changed-only: auto: ${found.problem}, so every target is linted` };
}

/**
 * The event's base commit, when the event is one of CHANGE_EVENTS and its payload names one
 * (`payload` false: not such an event; else `problem` says what is missing). Shared by
 * changed-only, baseline and diff.
 */
export function eventBase(
  env: Readonly<Record<string, string | undefined>>,
): { event: string; sha: string } | { event: string; payload: boolean; problem: string } {
  const event = env.GITHUB_EVENT_NAME ?? '';
  if (!(CHANGE_EVENTS as readonly string[]).includes(event)) {
    return {
      event,
      payload: false,
      problem: event ? `a "${event}" event has no base commit to compare with` : 'no workflow event (GITHUB_EVENT_NAME is not set)',
    };
  }
  const sha = baseSha(event, env.GITHUB_EVENT_PATH);
  return typeof sha === 'string' ? { event, sha } : { event, payload: true, problem: sha.problem };
}

/** The base commit in the event payload: pull_request.base.sha, or merge_group.base_sha. */
function baseSha(event: string, payloadPath: string | undefined): string | { problem: string } {
  const field = event === 'merge_group' ? 'merge_group.base_sha' : 'pull_request.base.sha';
  if (!payloadPath) return { problem: `the ${event} event payload is missing (GITHUB_EVENT_PATH is not set)` };
  let payload: unknown;
  try {
    payload = JSON.parse(readFileSync(payloadPath, 'utf8'));
  } catch (e) {
    return { problem: `the ${event} event payload ${payloadPath} cannot be read (${(e as Error).message})` };
  }
  const p = payload as { pull_request?: { base?: { sha?: unknown } }; merge_group?: { base_sha?: unknown } } | null;
  const sha = event === 'merge_group' ? p?.merge_group?.base_sha : p?.pull_request?.base?.sha;
  if (typeof sha !== 'string' || !SHA.test(sha)) return { problem: `the ${event} event payload has no base commit (${field})` };
  return sha.toLowerCase();
}

/** What to tell a workflow whose checkout lacks the base commit. */
export const CHECKOUT_FIX = 'give actions/checkout `fetch-depth: 0` (or a depth that reaches the base commit), or set changed-only: false';

/**
 * The files changed since the base commit (absolute). The base commit must be in the clone: the
 * default `actions/checkout` is a shallow clone of one commit, which is said with its fix rather
 * than in git's words.
 */
export function changedFiles(base: ChangeBase, cwd: string): string[] {
  const shallow = requireBaseCommit(base, cwd, 'changed-only', CHECKOUT_FIX);
  try {
    return changedSince(base.sha, cwd);
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // changedSince speaks of the CLI's --since; here the ref is the event's base commit.
    const why = e.message.replace(/^--since \S+: /, '');
    throw new UserError(
      `changed-only: cannot list the files changed since the base commit ${base.sha}: ${why}${shallow ? `; ${CHECKOUT_FIX}` : ''}`,
    );
  }
}

/**
 * Fails, saying the fix, when the base commit is not in the clone (`what` names the input that
 * needs it, `fix` the remedy). Returns whether the clone is shallow (undefined: no git repository,
 * or no git; the git commands that follow say so).
 */
export function requireBaseCommit(base: ChangeBase, cwd: string, what: string, fix: string): boolean | undefined {
  const shallow = isShallowRepository(cwd);
  if (shallow !== undefined && !hasCommit(base.sha, cwd)) {
    throw new UserError(
      `${what}: the base commit ${base.sha} of this ${base.event} is not in the checkout${shallow ? ' (a shallow clone: actions/checkout fetches a single commit by default)' : ''}: ${fix}`,
    );
  }
  return shallow;
}

export interface SelectOptions {
  cwd: string;
  fs: FileSystem;
  argocd: boolean;
  scope?: PathGlobSet;
}

/**
 * The targets among `candidates` (relative to opts.cwd) that the change since `base` affects. A
 * candidate that is not a directory is kept: no change can be said not to affect it, and the lint
 * run reports it (a typo in `path` must fail a pull request as it fails a push).
 */
export function selectChanged(base: ChangeBase, candidates: readonly string[], opts: SelectOptions): ChangeSelection {
  const changed = changedFiles(base, opts.cwd);
  const affected = affectedTargets(candidates, changed, {
    cwd: opts.cwd,
    fs: opts.fs,
    argocd: opts.argocd,
    ...(opts.scope ? { scope: opts.scope } : {}),
  });
  const selected = new Set(affected.targets);
  const targets = candidates.filter((c) => selected.has(c) || opts.fs.kind(path.resolve(opts.cwd, c)) !== 'dir');
  return { ...base, files: changed.length, candidates: candidates.length, targets, unaffecting: affected.unaffecting.length, changed };
}
