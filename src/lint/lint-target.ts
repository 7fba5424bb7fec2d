import path from 'node:path';
import { applicationsFor, findApplications, findRepoRoot } from '../argocd/discover.ts';
import { runRules, type RuleSettings } from '../engine/run.ts';
import type { ApplicationDoc, Finding, LintInput, Rule } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { renderKustomization } from '../render/build.ts';
import type { FileSystem } from '../render/fs.ts';
import { findKustomizationFile } from '../render/kustomization.ts';
import { parseRenderedStream, renderWithKustomize } from '../render/kustomize-binary.ts';
import type { Resource } from '../render/resource.ts';

export type RendererName = 'builtin' | 'kustomize';

export interface LintOptions {
  fs: FileSystem;
  rules: Readonly<Record<string, Rule<any>>>;
  settings?: RuleSettings;
  renderer: RendererName;
  /** Read by the `-` target. */
  readStdin: () => string;
  /** Skip the ArgoCD Application checks. */
  argocd: boolean;
}

export interface TargetResult {
  /** The target as given. */
  path: string;
  renderer: RendererName | 'stdin';
  resources: number;
  findings: Finding[];
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
  const extra: Finding[] = [];
  if (opts.renderer === 'kustomize') {
    resources = renderWithKustomize(dir).resources;
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
  return finish(target, opts.renderer, resources, { targetPath: dir, targetLocation, applications, repoRoot, dependencyDirs }, extra, opts);
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
  const findings = [...runRules(input, opts.rules, opts.settings), ...extra];
  return { path: target, renderer, resources: resources.length, findings };
}
