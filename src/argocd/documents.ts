import path from 'node:path';
import type { ApplicationDoc } from '../model/kube.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import { localIncludes } from '../render/kustomization.ts';
import type { FileSystem } from '../util/fs.ts';
import { findRepositoryRoot } from '../util/repo-root.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import type { RepoScan } from './scan.ts';

/*
 * The documents the ArgoCD discovery reads: Application and AppProject manifests, their source
 * paths, and what kustomizations include.
 */

/**
 * The repository root holding `dir` (src/util/repo-root.ts), probed through `fs`: the run's
 * FileSystem (a `.git` file or directory is a root; a FIFO or a socket is nothing).
 */
export const findRepoRoot = (dir: string, fs: FileSystem): string | undefined => findRepositoryRoot(dir, (p) => fs.kind(p) !== undefined);

/** Repository-relative form of an Application source path, for comparison. */
export function normalizeSourcePath(p: string): string {
  return path.posix
    .normalize(p.replace(/\\/g, '/'))
    .replace(/^\.?\/+/, '')
    .replace(/\/+$/, '');
}

export function sourcePaths(app: JsonObject): string[] {
  const spec = isObject(app.spec) ? app.spec : {};
  const out: string[] = [];
  if (isObject(spec.source) && typeof spec.source.path === 'string') out.push(spec.source.path);
  if (Array.isArray(spec.sources)) {
    for (const s of spec.sources) if (isObject(s) && typeof s.path === 'string') out.push(s.path);
  }
  return out;
}

/** A `kind:` line at column 0 (a top-level document's kind), as opposed to an indented mention. */
function topLevelKind(kind: string): RegExp {
  return new RegExp(`^kind:[ \\t]*["']?${kind}["']?[ \\t]*(#.*)?\\r?$`, 'm');
}

export const TOP_LEVEL_KIND = { Application: topLevelKind('Application'), AppProject: topLevelKind('AppProject') };

/**
 * The `argoproj.io` documents of one kind in one file (a file that does not parse: none), read as
 * the renderer reads a resource: an Application taken as written and one rendered through its
 * kustomization hold the same values (and the render reuses this parse).
 */
export function argoDocumentsIn(file: string, text: string, kind: 'Application' | 'AppProject'): { object: JsonObject; file: string }[] {
  let docs;
  try {
    docs = loadYamlDocuments(text, { file }, { scalars: 'kustomize' });
  } catch {
    return []; // A broken unrelated file must not break the lint of this target.
  }
  const out: { object: JsonObject; file: string }[] = [];
  for (const d of docs) {
    const v = d.value;
    if (isObject(v) && v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/'))
      out.push({ object: v, file });
  }
  return out;
}

/** Files that may hold documents of `kind`: Applications are top-level documents, a `kind:` line at column 0. This skips the CRDs and charts that merely mention the kind (indented), which are most of the bytes. */
export function argoCandidates(scan: RepoScan, kind: 'Application' | 'AppProject'): { file: string; text: string }[] {
  return scan.argo.filter((f) => TOP_LEVEL_KIND[kind].test(f.text));
}

/** Parsed `argoproj.io` documents of one kind, with the file that holds each. */
export function argoDocuments(scan: RepoScan, kind: 'Application' | 'AppProject'): { object: JsonObject; file: string }[] {
  return argoCandidates(scan, kind).flatMap(({ file, text }) => argoDocumentsIn(file, text, kind));
}

/** Applications whose source path is `targetDir`. */
export function applicationsFor(apps: readonly ApplicationDoc[], repoRoot: string, targetDir: string): ApplicationDoc[] {
  const rel = normalizeSourcePath(path.relative(repoRoot, targetDir));
  return apps.filter((a) => sourcePaths(a.object).some((p) => normalizeSourcePath(p) === rel));
}

/**
 * `resources:` / `bases:` / `components:` entries of a kustomization, as absolute paths
 * (unparsable: none). Read as the renderer reads a kustomization (which then shares the parse).
 */
function kustomizationRefs(file: string, text: string): string[] {
  try {
    const docs = loadYamlDocuments(text, { file }, { scalars: 'yaml11' });
    const k = docs[0]?.value;
    if (!isObject(k)) return [];
    const dir = path.dirname(file);
    return localIncludes(k).map((r) => path.resolve(dir, r));
  } catch {
    return [];
  }
}

/** kustomizationRefs, parsed once per scan. */
export function refsOf(scan: RepoScan, k: { file: string; text: string }): string[] {
  let r = scan.refs.get(k.file);
  if (!r) scan.refs.set(k.file, (r = kustomizationRefs(k.file, k.text)));
  return r;
}

/** The kustomization of each directory (of several in one directory, the last in sorted order, as before). */
export function kustomizationsByDir(scan: RepoScan): Map<string, { file: string; text: string }> {
  return new Map(scan.kustomizations.map((k) => [path.dirname(k.file), k]));
}

/** What the discovery renders with: the renderer, which may be asked to leave some resource files out. */
export type DiscoveryRender = (
  dir: string,
  opts?: { skipResourceFile?: (file: string) => boolean },
) => { resources: { object: JsonObject; location: { file: string } }[]; files: string[] };

export function isApplication(v: JsonObject): boolean {
  return v.kind === 'Application' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/');
}
