import path from 'node:path';
import { applicationRoots, applicationsFor } from '../argocd/discover.ts';
import type { ApplicationDoc } from '../engine/types.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import { renderKustomization } from '../render/build.ts';
import { cachingFileSystem, nodeFileSystem, type FileSystem } from '../render/fs.ts';
import { localIncludes } from '../render/kustomization.ts';
import type { PathGlobSet } from '../util/glob.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { affectedTargets } from './affected.ts';
import { compareWithBase, type BaselineSummary } from './baseline.ts';
import { changedSinceBase, resolveBaseRef, type ResolvedBase } from './git-changes.ts';
import { gitTreeFileSystem, type GitTreeFileSystem } from './git-objects.ts';
import { newArgoCache, searchScope, type ArgoCache } from './lint-target.ts';
import { runLint, type LintRun, type LintRunOptions } from './run.ts';
import { allTargets } from './targets.ts';

/**
 * Pull-request mode (`--base <ref>`): the targets a change affects, linted at the base revision
 * (read from git objects: nothing checked out, nothing of the base executed) and in the working
 * tree, with every finding of the working tree marked new or unchanged and the base's findings
 * the working tree no longer has listed as absent. The one entry point for the CLI and the Action.
 */

export interface BaseLintOptions extends Omit<LintRunOptions, 'targets' | 'repoMode' | 'fs' | 'argoCache' | 'changes'> {
  /** The base ref (a branch, tag or commit), as given: data, never an option. */
  base: string;
  /** Directories the targets are looked for under (default: cwd), as for --since. */
  dirs?: readonly string[];
  /** The changed paths (absolute); default: what changed since the merge-base of `base` and HEAD, working tree included. */
  changed?: readonly string[];
  /** The option name used in messages (default `--base`). */
  option?: string;
}

export interface BaseLintResult {
  /** The working tree's run; `run.baseline` compares it with the base revision's. */
  run: LintRun;
  /** The base revision's run over the same targets. */
  baseRun: LintRun;
  baseline: BaselineSummary;
  resolved: ResolvedBase;
  /** The working tree as read (the renders of the diff reuse it). */
  headFs: FileSystem;
  /** The merge-base's tree, from git objects. */
  baseFs: GitTreeFileSystem;
  /** The affected targets, as given to both runs. */
  targets: string[];
}

export function runLintWithBase(opts: BaseLintOptions): BaseLintResult {
  const option = opts.option ?? '--base';
  const resolved = resolveBaseRef(opts.base, opts.cwd, option);
  const changed = opts.changed ? [...opts.changed] : changedSinceBase(resolved);
  const headFs = cachingFileSystem(nodeFileSystem);
  const argoCache = newArgoCache();
  const candidates = allTargets(opts.cwd, opts.dirs ?? []);
  const scope = searchScope(opts.config);
  const affected = affectedTargets(candidates, changed, { cwd: opts.cwd, fs: headFs, argocd: opts.argocd, scope, argoCache });
  const changes = { files: changed.length, unaffecting: affected.unaffecting.length };
  const run = runLint({ ...opts, targets: affected.targets, repoMode: true, fs: headFs, argoCache, changes });
  const base = baseRevision(resolved);
  const baseRun = lintAtBase(opts, affected.targets, base, scope);
  const baseline = compareWithBase(run, baseRun, { ref: opts.base, commit: resolved.commit, mergeBase: resolved.mergeBase });
  return { run, baseRun, baseline, resolved, headFs, baseFs: base, targets: affected.targets };
}

/** The merge-base's tree as a FileSystem at the working tree's paths. */
export function baseRevision(resolved: ResolvedBase): GitTreeFileSystem {
  return gitTreeFileSystem(resolved.top, resolved.mergeBase);
}

/** The same lint over `targets`, reading the base revision's files and Applications. */
export function lintAtBase(
  opts: Omit<BaseLintOptions, 'base'>,
  targets: readonly string[],
  base: GitTreeFileSystem,
  scope: PathGlobSet,
): LintRun {
  const fs = cachingFileSystem(base);
  const argoCache = newArgoCache();
  if (opts.argocd) preloadBaseApplications(argoCache, base, fs, scope);
  const { onTarget: _progress, ...rest } = opts;
  return runLint({ ...rest, targets, repoMode: true, fs, argoCache });
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/**
 * The ArgoCD Applications and AppProjects of the base revision, put in the run's ArgoCD cache (so
 * the lint never looks at the working tree's): the discovery's rules applied to the tree's files.
 * Application files in scope (a top-level `kind: Application` of `argoproj.io`), rendered through
 * the top-most kustomizations that include them (directly or through others), else as written.
 */
export function preloadBaseApplications(cache: ArgoCache, tree: GitTreeFileSystem, fs: FileSystem, scope: PathGlobSet): void {
  const top = tree.top;
  const inScope = (file: string) => {
    const rel = path.relative(top, file).split(path.sep).join('/');
    return !rel.split('/').includes('node_modules') && (scope.everything || scope.includes(rel));
  };
  const files = tree.files().filter(inScope);
  const argo = (kind: 'Application' | 'AppProject') => {
    const topLevel = new RegExp(`^kind:[ \\t]*["']?${kind}["']?[ \\t]*(#.*)?\\r?$`, 'm');
    const out: { object: JsonObject; file: string }[] = [];
    for (const file of files) {
      if (!/\.ya?ml$/.test(file)) continue;
      const text = fs.readFile(file);
      if (!text.includes('argoproj.io') || !topLevel.test(text)) continue;
      let docs;
      try {
        docs = loadYamlDocuments(text, { file }, { scalars: 'kustomize' });
      } catch {
        continue;
      }
      for (const d of docs) {
        const v = d.value;
        if (isObject(v) && v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/'))
          out.push({ object: v, file });
      }
    }
    return out;
  };
  const key = `${top}\0${scope.key}`;
  const projects = new Set<string>();
  for (const { object } of argo('AppProject'))
    if (isObject(object.metadata) && typeof object.metadata.name === 'string') projects.add(object.metadata.name);
  cache.projects.set(key, [...projects].sort());

  const plain: ApplicationDoc[] = argo('Application');
  const appFiles = new Set(plain.map((a) => a.file));
  const refs = new Map<string, string[]>();
  for (const file of files) {
    if (!KUSTOMIZATION_NAMES.has(path.basename(file))) continue;
    try {
      const k = loadYamlDocuments(fs.readFile(file), { file }, { scalars: 'yaml11' })[0]?.value;
      const dir = path.dirname(file);
      refs.set(dir, isObject(k) ? localIncludes(k).map((r) => path.resolve(dir, r)) : []);
    } catch {
      refs.set(path.dirname(file), []);
    }
  }
  const roots = applicationRoots(refs, appFiles);
  const apps: ApplicationDoc[] = [];
  const covered = new Set<string>();
  for (const dir of roots) {
    let result;
    try {
      result = renderKustomization(dir, { fs, root: top });
    } catch {
      continue;
    }
    for (const f of result.files) if (appFiles.has(f)) covered.add(f);
    for (const r of result.resources) {
      const o = r.object;
      if (
        o.kind === 'Application' &&
        typeof o.apiVersion === 'string' &&
        o.apiVersion.startsWith('argoproj.io/') &&
        appFiles.has(r.location.file)
      )
        apps.push({ object: o, file: r.location.file, via: dir });
    }
  }
  for (const a of plain) if (!covered.has(a.file)) apps.push(a);
  cache.apps.set(key, apps);
}

/** The Applications of the base revision that deploy `dir` (for the diff of each Application's render). */
export function baseApplicationsFor(cache: ArgoCache, top: string, scope: PathGlobSet, dir: string): ApplicationDoc[] {
  return applicationsFor(cache.apps.get(`${top}\0${scope.key}`) ?? [], top, dir);
}
