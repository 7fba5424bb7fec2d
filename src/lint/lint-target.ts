import path from 'node:path';
import { applicationsFor, findApplications, findRepoRoot } from '../argocd/discover.ts';
import { runRulesDetailed, type RuleSettings } from '../engine/run.ts';
import type { SuppressedFinding, SuppressionPolicy } from '../engine/suppress.ts';
import type { ApplicationDoc, Finding, LintInput, Rule } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { renderKustomization } from '../render/build.ts';
import type { FileSystem } from '../render/fs.ts';
import { findKustomizationFile } from '../render/kustomization.ts';
import { parseRenderedStream, renderWithKustomize, type KustomizeProgramFlag } from '../render/kustomize-binary.ts';
import type { Resource } from '../render/resource.ts';

export type RendererName = 'builtin' | 'kustomize';

export interface LintOptions {
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
}

/** Applications are looked up once per repository root, however many targets share it. */
const appCache = new Map<string, ApplicationDoc[]>();

export function lintTarget(target: string, opts: LintOptions): TargetResult {
  if (target === '-') {
    const file = '<stdin>';
    const resources = parseRenderedStream(opts.readStdin(), file);
    const at: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return finish(target, 'stdin', resources, { targetPath: file, targetLocation: at, applications: undefined, repoRoot: undefined, dependencyDirs: [] }, [], opts);
  }
  const dir = path.resolve(target);
  const kind = opts.fs.kind(dir);
  if (kind === undefined) throw new UserError(`${target}: no such file or directory`);
  if (kind !== 'dir') throw new UserError(`${target}: not a directory (give the overlay directory, or - for a rendered stream on stdin)`);
  const kfile = findKustomizationFile(opts.fs, dir);
  if (!kfile) throw new UserError(`${target}: no kustomization.yaml in this directory`);
  const targetLocation: SourceLocation = { file: kfile, line: 1, column: 1, endLine: 1, endColumn: 1 };

  let resources: Resource[];
  let dependencyDirs: string[];
  let rendererVersion: string | undefined;
  const extra: Finding[] = [];
  if (opts.renderer === 'kustomize') {
    const rendered = renderWithKustomize(dir, { origins: true, fs: opts.fs, enable: opts.kustomizeFlags ?? [] });
    resources = rendered.resources;
    rendererVersion = rendered.version;
    dependencyDirs = [dir];
  } else {
    const r = renderKustomization(dir, { fs: opts.fs });
    resources = r.resources;
    dependencyDirs = r.kustomizationDirs;
    for (const w of r.warnings) extra.push({ ruleId: 'render', severity: 'warning', message: w.message, location: w.location });
  }

  let applications: ApplicationDoc[] | undefined;
  let repoRoot: string | undefined;
  if (opts.argocd) {
    repoRoot = findRepoRoot(dir);
    if (repoRoot) {
      let apps = appCache.get(repoRoot);
      if (!apps) appCache.set(repoRoot, (apps = findApplications(repoRoot)));
      applications = applicationsFor(apps, repoRoot, dir);
    } else {
      extra.push({ ruleId: 'argocd', severity: 'info', message: 'not inside a git repository: ArgoCD Application checks skipped', location: targetLocation });
    }
  }
  const result = finish(target, opts.renderer, resources, { targetPath: dir, targetLocation, applications, repoRoot, dependencyDirs }, extra, opts);
  return rendererVersion ? { ...result, rendererVersion } : result;
}

function finish(
  target: string,
  renderer: TargetResult['renderer'],
  resources: Resource[],
  ctx: Omit<LintInput, 'resources'>,
  extra: Finding[],
  opts: LintOptions,
): TargetResult {
  if (resources.length === 0) throw new UserError(`${target}: rendered no resources: nothing to lint`, ctx.targetLocation.file.startsWith('<') ? undefined : ctx.targetLocation);
  const input: LintInput = { ...ctx, resources: resources.map((r) => r.object) };
  const run = runRulesDetailed(input, opts.rules, opts.settings, opts.policy);
  const findings = [...run.findings, ...extra];
  return { path: target, renderer, resources: resources.length, findings, suppressed: run.suppressed };
}
