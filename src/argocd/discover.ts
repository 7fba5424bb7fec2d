import path from 'node:path';
import * as nodeFs from 'node:fs';
import { globbySync } from 'globby';
import type { ApplicationDoc } from '../engine/types.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';

/** The nearest directory at or above `dir` holding `.git`, or undefined. */
export function findRepoRoot(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    if (nodeFs.existsSync(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/** Repository-relative form of an Application source path, for comparison. */
export function normalizeSourcePath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.?\/+/, '').replace(/\/+$/, '');
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

/** The repository's YAML files that mention ArgoCD, read once per root (never through a symlink). */
const argoTexts = new Map<string, { file: string; text: string }[]>();
function argoFiles(repoRoot: string): { file: string; text: string }[] {
  let out = argoTexts.get(repoRoot);
  if (out) return out;
  out = [];
  const files = globbySync(['**/*.yaml', '**/*.yml'], {
    cwd: repoRoot,
    ignore: ['**/.git/**', '**/node_modules/**'],
    followSymbolicLinks: false,
    absolute: true,
    onlyFiles: true,
  }).sort();
  for (const file of files) {
    try {
      if (nodeFs.lstatSync(file).isSymbolicLink()) continue;
      const text = nodeFs.readFileSync(file, 'utf8');
      // Cheap filter before parsing: most YAML in a monorepo is not about ArgoCD.
      if (text.includes('argoproj.io')) out.push({ file, text });
    } catch {
      continue;
    }
  }
  argoTexts.set(repoRoot, out);
  return out;
}

/** Parsed `argoproj.io` documents of one kind, with the file that holds each. */
function argoDocuments(repoRoot: string, kind: 'Application' | 'AppProject'): { object: JsonObject; file: string }[] {
  // Applications are top-level documents: a `kind:` line at column 0. This skips the CRDs and
  // charts that merely mention the kind (indented), which are most of the bytes.
  const mentions = new RegExp(`^kind:[ \\t]*["']?${kind}["']?[ \\t]*(#.*)?\\r?$`, 'm');
  const out: { object: JsonObject; file: string }[] = [];
  for (const { file, text } of argoFiles(repoRoot)) {
    if (!mentions.test(text)) continue;
    let docs;
    try {
      docs = loadYamlDocuments(text, { file });
    } catch {
      continue; // A broken unrelated file must not break the lint of this target.
    }
    for (const d of docs) {
      const v = d.value;
      if (isObject(v) && v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/')) out.push({ object: v, file });
    }
  }
  return out;
}

/** Every ArgoCD Application document in the repository (YAML files; never follows symlinks). */
export function findApplications(repoRoot: string): ApplicationDoc[] {
  return argoDocuments(repoRoot, 'Application');
}

/** Applications whose source path is `targetDir`. */
export function applicationsFor(apps: readonly ApplicationDoc[], repoRoot: string, targetDir: string): ApplicationDoc[] {
  const rel = normalizeSourcePath(path.relative(repoRoot, targetDir));
  return apps.filter((a) => sourcePaths(a.object).some((p) => normalizeSourcePath(p) === rel));
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** `resources:` / `bases:` entries of the kustomization in `dir`, as absolute paths (unparsable: none). */
function kustomizationRefs(file: string): string[] {
  try {
    const docs = loadYamlDocuments(nodeFs.readFileSync(file, 'utf8'), { file });
    const k = docs[0]?.value;
    if (!isObject(k)) return [];
    const dir = path.dirname(file);
    return [k.resources, k.bases].flatMap((l) => (Array.isArray(l) ? l : [])).filter((r): r is string => typeof r === 'string' && !r.includes('://')).map((r) => path.resolve(dir, r));
  } catch {
    return [];
  }
}

/**
 * The Applications as ArgoCD sees them. The kustomizations that hold Application manifests
 * (directly, or through bases that do) are rendered from the top-most ones (those no other such
 * kustomization includes), so the namespace, labels and patches they apply to the Applications
 * count; each rendered Application keeps its provenance in its own file. An Application file no
 * kustomization includes (or whose kustomization does not render) is taken as written.
 */
export function discoverApplications(repoRoot: string, render: (dir: string) => { resources: { object: JsonObject; location: { file: string } }[]; files: string[] }): ApplicationDoc[] {
  const plain = findApplications(repoRoot);
  const appFiles = new Set(plain.map((a) => a.file));
  if (appFiles.size === 0) return [];
  const kfiles = globbySync(['**/kustomization.yaml', '**/kustomization.yml', '**/Kustomization'], {
    cwd: repoRoot,
    ignore: ['**/.git/**', '**/node_modules/**'],
    followSymbolicLinks: false,
    absolute: true,
    onlyFiles: true,
  })
    .filter((f) => KUSTOMIZATION_NAMES.has(path.basename(f)))
    .sort();
  const refs = new Map(kfiles.map((f) => [path.dirname(f), kustomizationRefs(f)]));
  // Kustomization directories that include an Application, directly or through another one.
  const holding = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [dir, list] of refs) {
      if (holding.has(dir)) continue;
      if (list.some((r) => appFiles.has(r) || holding.has(r))) {
        holding.add(dir);
        changed = true;
      }
    }
  }
  const included = new Set([...holding].flatMap((d) => refs.get(d) ?? []));
  const roots = [...holding].filter((d) => !included.has(d)).sort();
  const out: ApplicationDoc[] = [];
  const covered = new Set<string>();
  for (const dir of roots) {
    let result;
    try {
      result = render(dir);
    } catch {
      continue; // Not renderable here: its Application files count as written.
    }
    for (const f of result.files) if (appFiles.has(f)) covered.add(f);
    for (const r of result.resources) {
      const v = r.object;
      if (v.kind === 'Application' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/') && appFiles.has(r.location.file)) {
        out.push({ object: v, file: r.location.file, via: dir });
      }
    }
  }
  for (const a of plain) if (!covered.has(a.file)) out.push(a);
  return out;
}

/** Names of the ArgoCD AppProjects defined in the repository's YAML files. */
export function findAppProjects(repoRoot: string): string[] {
  const names = new Set<string>();
  for (const { object } of argoDocuments(repoRoot, 'AppProject')) {
    if (isObject(object.metadata) && typeof object.metadata.name === 'string') names.add(object.metadata.name);
  }
  return [...names].sort();
}
