import * as path from 'node:path';
import type { ApplicationDoc, LintInput } from '../../src/engine/types.ts';
import { getPath, isObject, type FieldPath } from '../../src/model/provenance.ts';
import { stringMap } from './k8s.ts';

export const MANIFEST_GENERATE_PATHS = 'argocd.argoproj.io/manifest-generate-paths';
export const ANNOTATIONS_PATH: FieldPath = ['metadata', 'annotations'];

export function applicationAnnotations(app: ApplicationDoc): Record<string, string> {
  return stringMap(getPath(app.object, ANNOTATIONS_PATH));
}

/** `spec.source` and every `spec.sources[i]` that is an object, with its `path` when a string. */
export function applicationSources(app: ApplicationDoc): { path: string | undefined; at: FieldPath }[] {
  const out: { path: string | undefined; at: FieldPath }[] = [];
  const source = getPath(app.object, ['spec', 'source']);
  if (isObject(source)) out.push({ path: typeof source['path'] === 'string' ? source['path'] : undefined, at: ['spec', 'source'] });
  const sources = getPath(app.object, ['spec', 'sources']);
  if (Array.isArray(sources)) {
    sources.forEach((s, i) => {
      if (isObject(s)) out.push({ path: typeof s['path'] === 'string' ? s['path'] : undefined, at: ['spec', 'sources', i] });
    });
  }
  return out;
}

/**
 * The Application's source path (relative to the repository root) that relative
 * manifest-generate-paths entries are resolved against: the `spec.source` / `spec.sources[]` whose
 * path is the lint target, else the first source that has a path, else the repository root.
 */
export function sourcePathFor(app: ApplicationDoc, input: Pick<LintInput, 'repoRoot' | 'targetPath'>): string {
  const sources = applicationSources(app).filter((s) => s.path !== undefined);
  if (input.repoRoot !== undefined) {
    const target = path.resolve(input.targetPath);
    const match = sources.find((s) => path.resolve(input.repoRoot!, s.path!) === target);
    if (match) return match.path!;
  }
  return sources[0]?.path ?? '';
}

/**
 * Parses a manifest-generate-paths value into absolute directories, as ArgoCD reads it:
 * `;`-separated entries; one starting with `/` is relative to the repository root, any other is
 * relative to the source path (so `.` is the source path itself). Blank entries are ignored.
 */
export function parseManifestGeneratePaths(value: string, repoRoot: string, sourcePath: string): string[] {
  const sourceDir = path.resolve(repoRoot, sourcePath);
  return value
    .split(';')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map((entry) => (entry.startsWith('/') ? path.resolve(repoRoot, `.${entry}`) : path.resolve(sourceDir, entry)));
}

/** Whether `dir` is one of `covering` or lies beneath one of them. */
export function isCovered(dir: string, covering: readonly string[]): boolean {
  const d = path.resolve(dir);
  return covering.some((c) => {
    const root = path.resolve(c);
    if (d === root) return true;
    const rel = path.relative(root, d);
    return rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel);
  });
}

/** `dir` relative to the repository root, with `/` separators (`.` for the root itself). */
export function repoRelative(dir: string, repoRoot: string): string {
  const rel = path.relative(repoRoot, dir);
  return rel === '' ? '.' : rel.split(path.sep).join('/');
}
