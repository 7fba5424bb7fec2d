// node:fs at the surface: which of the action's targets are directories on the disk.
import { statSync } from 'node:fs';
import path from 'node:path';
import { baseRevision, preloadBaseApplications } from '../lint/base-revision.ts';
import { compareWithBase, type BaselineSummary } from '../lint/baseline.ts';
import { resolveBaseRef, type ResolvedBase } from '../lint/git-changes.ts';
import { newArgoCache, searchScope } from '../lint/lint-target.ts';
import { formatDiffMarkdown, renderedDiff } from '../lint/rendered-diff.ts';
import { runLint, type LintRun, type LintRunOptions } from '../lint/run.ts';
import { UserError } from '../model/errors.ts';
import { cachingFileSystem } from '../render/fs.ts';
import { CHANGE_EVENTS, eventBase, requireBaseCommit, type ChangeBase } from './changes.ts';

/**
 * The `baseline` and `diff` inputs: on a pull request (or a merge queue), the linted targets are
 * linted a second time at the merge-base of the event's base commit and HEAD (read from git
 * objects, never checked out: src/lint/base-revision.ts), every finding is marked new or unchanged
 * and the base's findings the head no longer has are the fixed ones (src/lint/baseline.ts); and
 * the rendered stream of each affected target at the base and at the head is compared object by
 * object, for the job summary (src/lint/rendered-diff.ts).
 */

export const BASELINE = ['auto', 'true', 'false'] as const;
export type BaselineMode = (typeof BASELINE)[number];
export const DIFF = ['auto', 'true', 'false'] as const;
export type DiffMode = (typeof DIFF)[number];

/**
 * The base commit for the `baseline` or `diff` input (`name`), or undefined (with the reason, for
 * the log). As for changed-only: `auto` uses the event's base commit when there is one, `true`
 * fails the step when there is none, `false` never compares.
 */
export function comparisonBase(
  name: 'baseline' | 'diff',
  mode: BaselineMode | DiffMode,
  env: Readonly<Record<string, string | undefined>>,
): { base?: ChangeBase; reason: string } {
  const what = name === 'baseline' ? 'findings compared with the base commit' : 'rendered diff';
  if (mode === 'false') return { reason: `${name} is false: no ${what}` };
  const found = eventBase(env);
  if ('sha' in found) return { base: found, reason: `${name}: ${mode}: ${what} ${found.sha.slice(0, 12)} of this ${found.event}` };
  if (mode === 'true') {
    throw new UserError(
      found.payload
        ? `the ${name} input is true, but ${found.problem}`
        : `the ${name} input is true, but ${found.problem}: only ${CHANGE_EVENTS.join(', ')} events have one; use ${name}: auto to do without on other events`,
    );
  }
  return { reason: `${name}: auto: ${found.problem}: no ${what}` };
}

/** What to tell a workflow whose checkout lacks the base commit `name` needs. */
export function checkoutFix(name: 'baseline' | 'diff'): string {
  return `give actions/checkout \`fetch-depth: 0\` (or a depth that reaches the base commit), or set ${name}: false`;
}

/** The base commit resolved (in the clone, with its merge-base with HEAD), or a clear failure naming the fix. */
export function resolveBase(name: 'baseline' | 'diff', base: ChangeBase, cwd: string): ResolvedBase {
  const shallow = requireBaseCommit(base, cwd, name, checkoutFix(name));
  try {
    return resolveBaseRef(base.sha, cwd, name);
  } catch (e) {
    if (e instanceof UserError && shallow) throw new UserError(`${e.message}; ${checkoutFix(name)}`);
    throw e;
  }
}

export type CompareOptions = Omit<LintRunOptions, 'targets' | 'fs' | 'argoCache' | 'changes' | 'onTarget'>;

/**
 * Lints the targets `run` linted (its results and the ones that could not be rendered; the
 * excluded ones stay excluded) at the merge-base, with the same options (the working tree's
 * configuration), reading the base revision's files and ArgoCD Applications from git objects; then
 * marks `run`'s findings new or unchanged and sets `run.baseline`. A single target the base
 * revision cannot render makes all its head findings new.
 */
export function compareAtBase(run: LintRun, resolved: ResolvedBase, opts: CompareOptions): BaselineSummary {
  const targets = [...run.results.map((r) => r.path), ...run.fatal.map((t) => t.path)];
  const tree = baseRevision(resolved);
  const fs = cachingFileSystem(tree);
  const argoCache = newArgoCache();
  if (opts.argocd) preloadBaseApplications(argoCache, tree, fs, searchScope(opts.config));
  let baseRun: LintRun;
  try {
    baseRun = runLint({ ...opts, targets, fs, argoCache });
  } catch (e) {
    // One target, not in repo mode: its failure at the base is the base's, not the step's.
    if (!(e instanceof UserError)) throw e;
    baseRun = { repoMode: opts.repoMode, results: [], fatal: [], excluded: [] };
  }
  return compareWithBase(run, baseRun, { ref: resolved.ref, commit: resolved.commit, mergeBase: resolved.mergeBase });
}

export interface DiffOptions {
  cwd: string;
  config: LintRunOptions['config'];
  argocd: boolean;
  base: ChangeBase;
  /** The linted targets (relative to cwd); the diff covers those the change affects. */
  targets: readonly string[];
  /** The changed files (absolute), when changed-only listed them already. */
  changed?: readonly string[];
}

/**
 * The rendered diff of the linted targets as Markdown (one `<details>` block per target and
 * Application), within `budget` bytes: a function of the room left, for the job summary to call
 * last. Never throws: a failure is a note in its place (the lint is what passes or fails the step).
 */
export function renderedDiffSection(opts: DiffOptions, log: (message: string) => void): (budget: number) => string {
  const dirs = opts.targets.filter((t) => isDir(path.resolve(opts.cwd, t)));
  const ref = opts.base.sha.slice(0, 12);
  let computed: { diffs: ReturnType<typeof renderedDiff>['diffs'] } | { error: string };
  try {
    computed = dirs.length
      ? renderedDiff({
          cwd: opts.cwd,
          base: opts.base.sha,
          config: opts.config,
          dirs,
          argocd: opts.argocd,
          ...(opts.changed ? { changed: opts.changed } : {}),
        })
      : { diffs: [] };
    // Only the targets that were linted (renderedDiff discovers the kustomization roots under each).
    if ('diffs' in computed) {
      const keep = new Set(dirs.map((d) => path.resolve(opts.cwd, d)));
      computed = { diffs: computed.diffs.filter((d) => keep.has(path.resolve(opts.cwd, d.target))) };
    }
  } catch (e) {
    computed = { error: e instanceof Error ? e.message : String(e) };
    log(`diff: the rendered diff could not be computed: ${computed.error}`);
  }
  return (budget: number): string => {
    if ('error' in computed)
      return `### Rendered changes since \`${ref}\`\n\n_The rendered diff could not be computed: ${escapeMarkdown(computed.error)}_\n`;
    if (budget < 512)
      return `### Rendered changes since \`${ref}\`\n\n_Not shown: the job summary's size limit was reached. Run \`cilium-etcd-lint diff --base ${ref}\` to see it._\n`;
    const text = formatDiffMarkdown(computed.diffs, opts.cwd, ref, budget);
    if (Buffer.byteLength(text) <= budget) return text;
    return `### Rendered changes since \`${ref}\`\n\n_Not shown: it does not fit in the job summary's size limit. Run \`cilium-etcd-lint diff --base ${ref}\` to see it._\n`;
  };
}

function isDir(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function escapeMarkdown(s: string): string {
  return s.replace(/[\\`*_<>[\]]/g, (c) => `\\${c}`).replace(/\r?\n/g, ' ');
}
