import path from 'node:path';
import type { ResolvedConfig } from '../engine/config.ts';
import type { Finding } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { cachingFileSystem, nodeFileSystem, type FileSystem } from '../render/fs.ts';
import { findKustomizationFile } from '../render/kustomization.ts';
import type { KustomizeProgramFlag } from '../render/kustomize-binary.ts';
import { compileGlob } from '../util/glob.ts';
import { withParseCache } from '../yaml/load.ts';
import type { BaselineSummary } from './baseline-summary.ts';
import { lintTarget, newArgoCache, type ArgoCache, type RendererName, type TargetResult } from './lint-target.ts';

/**
 * One lint run: every surface (the CLI, the Action) hands its targets here and formats what comes
 * back. A run with several targets keeps going: a target that cannot be rendered becomes one fatal
 * finding on its file:line (as ESLint reports a parse error) and the others are still linted; a
 * target an exclusion matches is listed as excluded, never linted.
 */

export interface LintRunOptions {
  /** The directory targets and `--exclude` globs are relative to. */
  cwd: string;
  config: ResolvedConfig;
  /** The targets, as the user gave them (relative to cwd, or absolute), or `-` for stdin. */
  targets: readonly string[];
  /** Several targets (a list, a glob, --all, --changed): component rules apply where the component is, and a failing target does not stop the run. */
  repoMode: boolean;
  renderer: RendererName;
  kustomizeFlags?: readonly KustomizeProgramFlag[];
  argocd: boolean;
  application?: string;
  readStdin: () => string;
  /** `--exclude` globs (relative to cwd), in addition to the configuration's `exclude`. */
  exclude?: readonly string[];
  /** Where `--debug` notes go. */
  debug?: (message: string) => void;
  /** Called before each target is linted (the CLI's progress line). */
  onTarget?: (index: number, count: number, target: string) => void;
  /** Default: the real disk, read once per run. */
  fs?: FileSystem;
  /** The ArgoCD lookups already made for this run (by the change analysis). */
  argoCache?: ArgoCache;
  /** The targets were selected by a change (see LintRun.changes). */
  changes?: LintRun['changes'];
}

/** A target that could not be linted: its cause as one fatal finding. */
export interface FatalTarget {
  path: string;
  finding: Finding;
  error: UserError;
}

export interface ExcludedTarget {
  path: string;
  reason: string;
  /** Where the exclusion is: the configuration entry, or `--exclude`. */
  by: SourceLocation | '--exclude';
}

export interface LintRun {
  repoMode: boolean;
  /** A run over what a change affects (`--changed`, `--since`, the Action's changed-only): how many changed paths, and how many of them no target reads. */
  changes?: { files: number; unaffecting: number };
  /** The targets linted, in order. */
  results: TargetResult[];
  fatal: FatalTarget[];
  excluded: ExcludedTarget[];
  /** `--base <ref>`: how the findings compare with the base revision's (each finding carries `baseline`); see lint/baseline.ts. */
  baseline?: BaselineSummary;
  /** What the run read its targets through: a format that reads the findings' files again (rdjson) reads the same text. */
  fs?: FileSystem;
}

/** The rule id of a fatal finding (a target that could not be rendered or read). */
export const FATAL_RULE_ID = 'fatal';

export function runLint(opts: LintRunOptions): LintRun {
  const matchExcluded = exclusionMatcher(opts);
  const run: LintRun = {
    repoMode: opts.repoMode,
    results: [],
    fatal: [],
    excluded: [],
    ...(opts.changes ? { changes: opts.changes } : {}),
  };
  const todo: string[] = [];
  for (const t of opts.targets) {
    const ex = t === '-' ? undefined : matchExcluded(path.resolve(opts.cwd, t));
    if (ex) run.excluded.push({ path: t, ...ex });
    else todo.push(t);
  }
  // The targets of one run share their bases: each file is read once and parsed at most twice.
  const fs = opts.fs ?? cachingFileSystem(nodeFileSystem);
  run.fs = fs;
  const argoCache = opts.argoCache ?? newArgoCache();
  withParseCache(() => {
    for (const [i, target] of todo.entries()) {
      opts.onTarget?.(i, todo.length, target);
      try {
        run.results.push(
          lintTarget(target, {
            cwd: opts.cwd,
            fs,
            rules: opts.config.rules,
            // The effective settings: the presets' options are already in them (src/engine/config.ts).
            settings: opts.config.settings,
            policy: opts.config.policy,
            component: opts.config.component,
            plugins: opts.config.plugins,
            argoCache,
            ...(opts.debug ? { debug: opts.debug } : {}),
            renderer: opts.renderer,
            kustomizeFlags: opts.kustomizeFlags ?? [],
            readStdin: opts.readStdin,
            argocd: opts.argocd,
            ...(opts.application !== undefined ? { application: opts.application } : {}),
            ...(opts.repoMode ? { repoMode: true, targetCount: todo.length } : {}),
          }),
        );
      } catch (e) {
        // Alone, a target that cannot be linted is the run's error (exit 2 on stderr); one of several is a finding.
        if (!opts.repoMode || !(e instanceof UserError)) throw e;
        run.fatal.push({ path: target, error: e, finding: fatalFinding(e, target, opts.cwd, fs) });
      }
    }
  });
  onceAKindPerRun(run.results);
  return run;
}

function fatalFinding(e: UserError, target: string, cwd: string, fs: FileSystem): Finding {
  const dir = path.resolve(cwd, target);
  const kfile = fs.kind(dir) === 'dir' ? findKustomizationFile(fs, dir) : undefined;
  const location: SourceLocation = e.location ?? { file: kfile ?? dir, line: 1, column: 1, endLine: 1, endColumn: 1 };
  return { ruleId: FATAL_RULE_ID, severity: 'error', message: e.message, location, fatal: true, target };
}

/**
 * `kubernetes-schema-missing` says once per apiVersion and kind per run that a kind is not
 * schema-checked: in a monorepo the same CRD kind would otherwise be said by every target.
 */
function onceAKindPerRun(results: TargetResult[]): void {
  const said = new Set<string>();
  for (const r of results) {
    r.findings = r.findings.filter((f) => {
      if (f.ruleId !== 'kubernetes-schema-missing') return true;
      const kind = f.resource ? `${f.resource.apiVersion}\0${f.resource.kind}` : f.message;
      if (said.has(kind)) return false;
      said.add(kind);
      return true;
    });
  }
}

/** Which exclusion (configuration `exclude`, then `--exclude`) a target directory matches, if any. */
function exclusionMatcher(opts: LintRunOptions): (absDir: string) => Omit<ExcludedTarget, 'path'> | undefined {
  const entries = [
    ...opts.config.exclude.map((e) => ({ base: e.base, pattern: e.pattern, reason: e.reason, by: e.location as ExcludedTarget['by'] })),
    ...(opts.exclude ?? []).map((pattern) => ({ base: opts.cwd, pattern, reason: `--exclude ${pattern}`, by: '--exclude' as const })),
  ].map((e) => {
    try {
      return { ...e, glob: compileGlob(e.pattern) };
    } catch (err) {
      throw new UserError(`exclude: ${(err as Error).message}`, e.by === '--exclude' ? undefined : e.by);
    }
  });
  return (absDir) => {
    for (const e of entries) {
      const rel = path.relative(e.base, absDir).split(path.sep).join('/') || '.';
      if (e.glob.matches(rel)) return { reason: e.reason, by: e.by };
    }
    return undefined;
  };
}
