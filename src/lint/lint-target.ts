import path from 'node:path';
import {
  applicationsFor,
  discoverApplications,
  discoverApplicationsFor,
  findAppProjects,
  findRepoRoot,
  normalizeSourcePath,
  WHOLE_REPOSITORY,
  type DiscoveryRender,
  type ScanCache,
} from '../argocd/discover.ts';
import { argocdKustomizeEdit, hasKustomizeOverrides } from '../argocd/overrides.ts';
import { getPath, isObject, locate, type FieldPath } from '../model/provenance.ts';
import { runRulesDetailed, type RuleSettings } from '../engine/run.ts';
import type { SuppressedFinding, SuppressionPolicy } from '../engine/suppress.ts';
import type { ApplicationDoc, Finding, LintInput, Rule } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import type { ComponentSetting } from '../model/component.ts';
import { renderKustomization } from '../render/build.ts';
import type { FileSystem } from '../render/fs.ts';
import { findKustomizationFile } from '../render/kustomization.ts';
import { parseRenderedStream, renderWithKustomize, type KustomizeProgramFlag } from '../render/kustomize-binary.ts';
import type { Resource } from '../render/resource.ts';
import { findComponentStatefulSets } from '../../rules/support/statefulset.ts';
import { compileGlobSet, type PathGlobSet } from '../util/glob.ts';

export type RendererName = 'builtin' | 'kustomize';

export interface LintOptions {
  /** The directory a relative target (and a file given as `application`) is relative to (default: the process's). */
  cwd?: string;
  fs: FileSystem;
  rules: Readonly<Record<string, Rule<any>>>;
  settings?: RuleSettings;
  /** Config exemptions and locked rules (the ignore annotation is read either way). */
  policy?: SuppressionPolicy;
  renderer: RendererName;
  /** kustomize flags that run programs, passed to `--renderer kustomize` only when the user gives them. */
  kustomizeFlags?: readonly KustomizeProgramFlag[];
  /** Read by the `-` target. */
  readStdin: () => string;
  /** Skip the ArgoCD Application checks. */
  argocd: boolean;
  /** Lint only with this Application (its metadata.name, or the file that holds it). */
  application?: string;
  /** One of several targets of a run (see LintInput.repoMode). */
  repoMode?: boolean;
  /** How many targets the run has: with more than FAST_LOOKUPS_PER_ROOT, the full ArgoCD discovery is done at once. */
  targetCount?: number;
  /** `settings.component` of the configuration. */
  component?: ComponentSetting;
  /** `plugins` of the configuration: what the built-in renderer does with a generator plugin. */
  plugins?: 'refuse' | 'skip';
  /** The run's ArgoCD lookups, shared by its targets (default: this target's own). */
  argoCache?: ArgoCache;
  /** Where `--debug` notes go (why a fast path was not taken, ...). */
  debug?: (message: string) => void;
}

export interface TargetResult {
  /** The target as given. */
  path: string;
  renderer: RendererName | 'stdin';
  /** With the kustomize renderer: the Kustomize version kubectl embeds (e.g. "v5.5.0"). */
  rendererVersion?: string;
  resources: number;
  findings: Finding[];
  /** Findings a suppression applies to: listed by every format, never counted. */
  suppressed?: SuppressedFinding[];
  /** The ArgoCD Applications that deploy the target, as ArgoCD sees them (each linted with its own overrides). */
  applications?: { name: string; namespace?: string; file: string; via?: string }[];
}

/**
 * Applications: a target's are looked up on their own (see discoverApplicationsFor: it reads the
 * repository once per root, but parses and renders only what may concern the target). The full
 * discovery, when one is needed, is done once per repository root and then serves every target
 * that shares it: after FAST_LOOKUPS_PER_ROOT targets of one root (a run over many targets, such
 * as --all), it is the cheaper way. Both give every target the same Applications.
 */
export interface ArgoCache {
  /** The repository scans (one walk per root and search scope). */
  scans: ScanCache;
  apps: Map<string, ApplicationDoc[]>;
  targetApps: Map<string, ApplicationDoc[]>;
  fastLookups: Map<string, number>;
  projects: Map<string, string[]>;
}
const FAST_LOOKUPS_PER_ROOT = 16;

/** The ArgoCD lookups of one run (a run's files do not change while it runs; the next run reads them again). */
export function newArgoCache(): ArgoCache {
  return { scans: new Map(), apps: new Map(), targetApps: new Map(), fastLookups: new Map(), projects: new Map() };
}

export function lintTarget(target: string, given: LintOptions): TargetResult {
  const opts = given.argoCache ? given : { ...given, argoCache: newArgoCache() };
  const { apps: appCache, targetApps: targetAppCache, fastLookups, projects: projectCache } = opts.argoCache!;
  if (target === '-') {
    const file = '<stdin>';
    const resources = parseRenderedStream(opts.readStdin(), file);
    const at: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return finish(
      target,
      'stdin',
      resources,
      { targetPath: file, targetLocation: at, applications: undefined, repoRoot: undefined, dependencyDirs: [] },
      [],
      opts,
    );
  }
  const dir = path.resolve(opts.cwd ?? process.cwd(), target);
  const kind = opts.fs.kind(dir);
  if (kind === undefined) throw new UserError(`${target}: no such file or directory`);
  if (kind !== 'dir') throw new UserError(`${target}: not a directory (give the overlay directory, or - for a rendered stream on stdin)`);
  const kfile = findKustomizationFile(opts.fs, dir);
  if (!kfile) throw new UserError(`${target}: no kustomization.yaml in this directory`);
  const targetLocation: SourceLocation = { file: kfile, line: 1, column: 1, endLine: 1, endColumn: 1 };

  let repoRoot: string | undefined;
  let applications: ApplicationDoc[] | undefined;
  const notes: Finding[] = [];
  if (opts.argocd) {
    repoRoot = findRepoRoot(dir, opts.fs);
    if (repoRoot) {
      const root = repoRoot;
      const scope = searchScope(opts);
      const render: DiscoveryRender = (d, o) => renderKustomization(d, { fs: opts.fs, root, ...o });
      const rootKey = `${root}\0${scope.key}`;
      const full = (): ApplicationDoc[] => {
        let all = appCache.get(rootKey);
        if (!all) appCache.set(rootKey, (all = discoverApplications(root, render, scope, opts.argoCache!.scans, opts.fs)));
        return all;
      };
      const key = `${rootKey}\0${dir}`;
      let apps = appCache.get(rootKey) ?? targetAppCache.get(key);
      if (!apps) {
        const n = (fastLookups.get(rootKey) ?? 0) + 1;
        fastLookups.set(rootKey, n);
        apps =
          n > FAST_LOOKUPS_PER_ROOT || (opts.targetCount ?? 1) > FAST_LOOKUPS_PER_ROOT
            ? full()
            : discoverApplicationsFor(root, [dir], render, {
                scope,
                scans: opts.argoCache!.scans,
                fs: opts.fs,
                full,
                ...(opts.debug
                  ? { onFallback: (why) => opts.debug!(`ArgoCD: the fast lookup for ${target} handed over to the full discovery: ${why}`) }
                  : {}),
              });
        targetAppCache.set(key, apps);
      }
      applications = applicationsFor(apps, root, dir);
      if (!projectCache.has(rootKey)) projectCache.set(rootKey, findAppProjects(root, scope, opts.argoCache!.scans, opts.fs));
      if (opts.application !== undefined) {
        const want = opts.application;
        applications = applications.filter(
          (a) => getPath(a.object, ['metadata', 'name']) === want || a.file === path.resolve(opts.cwd ?? process.cwd(), want),
        );
        if (applications.length === 0)
          throw new UserError(`--application ${want}: no Application of that name (or in that file) deploys ${target}`);
      }
    } else {
      notes.push({
        ruleId: 'argocd',
        severity: 'info',
        message: 'not inside a git repository: ArgoCD Application checks skipped',
        location: targetLocation,
      });
    }
  }

  if (opts.renderer === 'kustomize') {
    // kubectl kustomize renders the overlay as written: the Applications' spec.source.kustomize is not applied.
    const rendered = renderWithKustomize(dir, { origins: true, fs: opts.fs, enable: opts.kustomizeFlags ?? [] });
    for (const app of applications ?? []) {
      for (const at of sourceFor(app, repoRoot!, dir)) {
        if (!hasKustomizeOverrides(app, at)) continue;
        const name = String(getPath(app.object, ['metadata', 'name']) ?? '');
        const where = locate(app.object, [...at, 'kustomize']) ?? { file: app.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
        notes.push({
          ruleId: 'argocd',
          severity: 'info',
          message: `Application "${name}" sets spec.source.kustomize, which --renderer kustomize does not apply: the overlay was linted as written (the built-in renderer applies it)`,
          location: where,
        });
      }
    }
    const result = finish(
      target,
      opts.renderer,
      rendered.resources,
      { targetPath: dir, targetLocation, applications, repoRoot, dependencyDirs: [dir], ...projects(repoRoot, opts) },
      notes,
      opts,
    );
    return { ...result, rendererVersion: rendered.version, ...summaries(applications) };
  }

  // One render per Application (its own kustomize settings applied as ArgoCD applies them), or one plain render.
  const runs: { app?: ApplicationDoc; label?: string }[] = applications?.length ? applications.map((app) => ({ app })) : [{}];
  const attribute =
    (applications?.length ?? 0) > 1 ||
    (applications ?? []).some((a) => sourceFor(a, repoRoot!, dir).some((at) => hasKustomizeOverrides(a, at)));
  const names = (applications ?? []).map((a) => String(getPath(a.object, ['metadata', 'name']) ?? ''));
  runs.forEach((r, i) => {
    if (!r.app || !attribute) return;
    const name = names[i]!;
    r.label =
      names.filter((n) => n === name).length > 1
        ? `${name} (${normalizeSourcePath(path.relative(repoRoot!, r.app.via ?? r.app.file))})`
        : name;
  });
  let merged: TargetResult | undefined;
  for (const { app, label } of runs) {
    const at = app ? sourceFor(app, repoRoot!, dir)[0] : undefined;
    const r = renderKustomization(dir, {
      fs: opts.fs,
      ...(opts.plugins ? { plugins: opts.plugins } : {}),
      ...(app && at ? { editTop: argocdKustomizeEdit(app, at, opts.fs) } : {}),
    });
    const extra: Finding[] = [...(merged ? [] : notes)];
    for (const w of r.warnings) extra.push({ ruleId: 'render', severity: 'warning', message: w.message, location: w.location });
    const result = finish(
      target,
      opts.renderer,
      r.resources,
      {
        targetPath: dir,
        targetLocation,
        applications: app ? [app] : applications,
        repoRoot,
        dependencyDirs: r.kustomizationDirs,
        ...projects(repoRoot, opts),
      },
      extra,
      opts,
    );
    const tag = <F extends Finding>(f: F): F => (label ? { ...f, application: label } : f);
    result.findings = result.findings.map(tag);
    if (result.suppressed) result.suppressed = result.suppressed.map(tag);
    if (!merged) merged = result;
    else {
      merged.findings.push(...result.findings);
      (merged.suppressed ??= []).push(...(result.suppressed ?? []));
    }
  }
  return { ...merged!, ...summaries(applications) };
}

/** Where in `app` the source(s) deploying `dir` are (`spec.source`, `spec.sources[i]`). */
function sourceFor(app: ApplicationDoc, repoRoot: string, dir: string): FieldPath[] {
  const rel = normalizeSourcePath(path.relative(repoRoot, dir));
  const out: FieldPath[] = [];
  const spec = isObject(app.object.spec) ? app.object.spec : {};
  if (isObject(spec.source) && typeof spec.source.path === 'string' && normalizeSourcePath(spec.source.path) === rel)
    out.push(['spec', 'source']);
  if (Array.isArray(spec.sources)) {
    spec.sources.forEach((s, i) => {
      if (isObject(s) && typeof s.path === 'string' && normalizeSourcePath(s.path) === rel) out.push(['spec', 'sources', i]);
    });
  }
  return out;
}

/** Where the Applications are searched for: the `search` option of `argocd-application` (default: the whole repository). */
const scopes = new Map<string, PathGlobSet>();
export function searchScope(opts: Pick<LintOptions, 'settings'>): PathGlobSet {
  const search = opts.settings?.['argocd-application']?.options?.search;
  if (!Array.isArray(search) || !search.every((p): p is string => typeof p === 'string')) return WHOLE_REPOSITORY;
  const key = search.join('\0');
  let scope = scopes.get(key);
  if (!scope) scopes.set(key, (scope = compileGlobSet(search)));
  return scope;
}

function projects(repoRoot: string | undefined, opts: LintOptions): Pick<LintInput, 'appProjects'> {
  const names = repoRoot === undefined ? undefined : opts.argoCache?.projects.get(`${repoRoot}\0${searchScope(opts).key}`);
  return names ? { appProjects: names } : {};
}

function summaries(applications: readonly ApplicationDoc[] | undefined): Pick<TargetResult, 'applications'> {
  if (!applications?.length) return {};
  return {
    applications: applications.map((a) => {
      const ns = getPath(a.object, ['metadata', 'namespace']);
      return {
        name: String(getPath(a.object, ['metadata', 'name']) ?? ''),
        ...(typeof ns === 'string' ? { namespace: ns } : {}),
        file: a.file,
        ...(a.via ? { via: a.via } : {}),
      };
    }),
  };
}

function finish(
  target: string,
  renderer: TargetResult['renderer'],
  resources: Resource[],
  ctx: Omit<LintInput, 'resources'>,
  extra: Finding[],
  opts: LintOptions,
): TargetResult {
  if (resources.length === 0)
    throw new UserError(
      `${target}: rendered no resources: nothing to lint`,
      ctx.targetLocation.file.startsWith('<') ? undefined : ctx.targetLocation,
    );
  const input: LintInput = { ...ctx, resources: resources.map((r) => r.object), ...(opts.component ? { component: opts.component } : {}) };
  if (opts.repoMode) {
    input.repoMode = { component: findComponentStatefulSets(input.resources, opts.component).length > 0 };
  }
  const run = runRulesDetailed(input, opts.rules, opts.settings, opts.policy);
  const findings = [...run.findings, ...extra];
  return { path: target, renderer, resources: resources.length, findings, suppressed: run.suppressed };
}
