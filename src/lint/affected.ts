import path from 'node:path';
import { discoverApplications, findRepoRoot, normalizeSourcePath, sourcePaths, WHOLE_REPOSITORY } from '../argocd/discover.ts';
import type { ApplicationDoc } from '../engine/types.ts';
import { isObject, LOCS, SELF, type Json } from '../model/provenance.ts';
import { renderKustomization } from '../render/build.ts';
import { kustomizationDependencies, type DependencyCache } from '../render/dependencies.ts';
import type { FileSystem } from '../render/fs.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomization.ts';
import type { PathGlobSet } from '../util/glob.ts';
import type { ArgoCache } from './lint-target.ts';

/**
 * `--changed` / `--since` / the Action's `changed-only`: which of the candidate targets a change
 * affects. A target is affected when its build reads a changed path (any file the renderer reads:
 * kustomization files, resources, bases, components, patches, generator inputs, configurations,
 * openapi, replacement sources...; a changed directory counts for every file under it), or when an
 * ArgoCD Application that deploys it changed: its own file, a file that set one of its fields, or a
 * kustomization file of the kustomization it is rendered through.
 *
 * The index is static: kustomization files are parsed, nothing is built (render/dependencies.ts),
 * so a whole monorepo costs a few hundred milliseconds; the Applications come from the ArgoCD
 * discovery the lint would do anyway.
 */

export interface AffectedOptions {
  /** Directory the candidates are relative to (the run's cwd). */
  cwd: string;
  fs: FileSystem;
  /** Look at the ArgoCD Applications that deploy the candidates (off with --no-argocd). */
  argocd: boolean;
  /** Where Applications are searched (the `search` option of argocd-application). */
  scope?: PathGlobSet;
  /** The run's ArgoCD lookups: the Applications found here are the lint's too. */
  argoCache?: ArgoCache;
}

export interface Affected {
  /** The affected candidates, in the candidates' order, as given. */
  targets: string[];
  /** The changed paths no candidate reads (absolute). */
  unaffecting: string[];
}

/** `candidates`: target directories relative to `opts.cwd` (or absolute); `changed`: absolute paths. */
export function affectedTargets(candidates: readonly string[], changed: readonly string[], opts: AffectedOptions): Affected {
  return new DependencyIndex(candidates, opts).affected(changed);
}

/**
 * What each candidate target depends on: the paths its build reads, and the files of the ArgoCD
 * Applications that deploy it. Built once, asked for any number of changes.
 */
export class DependencyIndex {
  private readonly reads = new Map<string, Reads>();
  constructor(
    private readonly candidates: readonly string[],
    opts: AffectedOptions,
  ) {
    const cache: DependencyCache = new Map();
    const absOf = new Map(candidates.map((c) => [c, path.resolve(opts.cwd, c)]));
    for (const [c, abs] of absOf) {
      const deps = kustomizationDependencies(abs, opts.fs, { cache });
      this.reads.set(c, { files: new Set(deps.files), dirs: new Set(deps.dirs) });
    }
    if (!opts.argocd) return;
    for (const [root, targets] of byRepositoryRoot(absOf, opts.fs)) {
      const scope = opts.scope ?? WHOLE_REPOSITORY;
      const key = `${root}\0${scope.key}`;
      const apps =
        opts.argoCache?.apps.get(key) ??
        discoverApplications(root, (d, o) => renderKustomization(d, { fs: opts.fs, root, ...o }), scope, opts.argoCache?.scans, opts.fs);
      opts.argoCache?.apps.set(key, apps);
      for (const app of apps) {
        const sources = sourcePaths(app.object).map(normalizeSourcePath);
        const deployed = targets.filter(([, abs]) => sources.includes(normalizeSourcePath(path.relative(root, abs))));
        if (deployed.length === 0) continue;
        const files = applicationFiles(app, opts.fs, cache);
        for (const [c] of deployed) for (const f of files) this.reads.get(c)!.files.add(f);
      }
    }
  }

  /** What the candidate `target` depends on: files, and directories read as a whole (absolute paths). */
  dependencies(target: string): Readonly<Reads> | undefined {
    return this.reads.get(target);
  }

  affected(changed: readonly string[]): Affected {
    const changes = new ChangeSet(changed);
    const used = new Set<string>();
    const targets = this.candidates.filter((c) => {
      const hits = changes.hits(this.reads.get(c)!);
      for (const h of hits) used.add(h);
      return hits.length > 0;
    });
    return { targets, unaffecting: changed.filter((p) => !used.has(path.resolve(p))) };
  }
}

/**
 * The files an Application depends on: every file that set one of its fields (its own file, a
 * patch, a kustomization's namespace), and the kustomization files of the kustomization it is
 * rendered through (they decide what is built at all).
 */
export function applicationFiles(app: ApplicationDoc, fs: FileSystem, cache?: DependencyCache): string[] {
  const files = new Set<string>([app.file]);
  provenanceFiles(app.object, files);
  if (app.via) {
    const deps = kustomizationDependencies(app.via, fs, cache ? { cache } : {});
    for (const f of deps.files) if (KUSTOMIZATION_FILE_NAMES.includes(path.basename(f))) files.add(f);
  }
  return [...files];
}

/** Every file named by the provenance of `value` and everything in it. */
function provenanceFiles(value: Json, out: Set<string>): void {
  if (Array.isArray(value)) {
    for (const l of value[LOCS] ?? []) if (l) out.add(l.file);
    if (value[SELF]) out.add(value[SELF].file);
    for (const v of value) provenanceFiles(v, out);
  } else if (isObject(value)) {
    for (const l of Object.values(value[LOCS] ?? {})) out.add(l.file);
    if (value[SELF]) out.add(value[SELF].file);
    for (const v of Object.values(value)) provenanceFiles(v, out);
  }
}

function byRepositoryRoot(absOf: ReadonlyMap<string, string>, fs: FileSystem): Map<string, [string, string][]> {
  const out = new Map<string, [string, string][]>();
  for (const [c, abs] of absOf) {
    const root = findRepoRoot(abs, fs);
    if (!root) continue;
    (out.get(root) ?? out.set(root, []).get(root)!).push([c, abs]);
  }
  return out;
}

interface Reads {
  files: Set<string>;
  /** Directories read as a whole: anything under one counts. */
  dirs: Set<string>;
}

/** The changed paths, answering which of them a target's reads touch (a changed directory covers everything under it). */
class ChangeSet {
  private readonly paths: string[];
  constructor(changed: readonly string[]) {
    this.paths = [...new Set(changed.map((p) => path.resolve(p)))];
  }
  hits(reads: Reads): string[] {
    return this.paths.filter((p) => {
      if (reads.files.has(p) || reads.dirs.has(p)) return true;
      const under = p + path.sep;
      for (const f of reads.files) if (f.startsWith(under)) return true;
      for (const d of reads.dirs) if (d.startsWith(under) || p.startsWith(d + path.sep)) return true;
      return false;
    });
  }
}
