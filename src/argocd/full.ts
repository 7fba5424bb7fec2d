import type { ApplicationDoc } from '../model/kube.ts';
import { isObject } from '../model/provenance.ts';
import type { FileSystem } from '../util/fs.ts';
import type { PathGlobSet } from '../util/glob.ts';
import { argoDocuments, isApplication, kustomizationsByDir, refsOf, type DiscoveryRender } from './documents.ts';
import { scanRepository, WHOLE_REPOSITORY, type ScanCache } from './scan.ts';

/* The full discovery: every Application of the repository (in the search scope), as ArgoCD sees it. */

/**
 * Renders `roots` and collects the Applications of `appFiles` they hold (each attributed to its
 * root); then the Applications of `plain` that no render covered, as written. `strict`: a root
 * that does not render throws (else its Application files count as written).
 */
export function renderApplications(
  roots: readonly string[],
  appFiles: ReadonlySet<string>,
  plain: readonly ApplicationDoc[],
  render: (dir: string) => ReturnType<DiscoveryRender>,
  strict: boolean,
): ApplicationDoc[] {
  const out: ApplicationDoc[] = [];
  const covered = new Set<string>();
  for (const dir of roots) {
    let result;
    try {
      result = render(dir);
    } catch (e) {
      if (strict) throw e;
      continue; // Not renderable here: its Application files count as written.
    }
    for (const f of result.files) if (appFiles.has(f)) covered.add(f);
    for (const r of result.resources) {
      if (isApplication(r.object) && appFiles.has(r.location.file)) out.push({ object: r.object, file: r.location.file, via: dir });
    }
  }
  for (const a of plain) if (!covered.has(a.file)) out.push(a);
  return out;
}

/**
 * The Applications as ArgoCD sees them. The kustomizations that hold Application manifests
 * (directly, or through bases and components that do) are rendered from the top-most ones (those
 * no other such kustomization includes), so the namespace, labels and patches they apply to the
 * Applications count; each rendered Application keeps its provenance in its own file. An
 * Application file no kustomization includes (or whose kustomization does not render) is taken as
 * written. Only the files in `scope` are searched (Applications, AppProjects and the
 * kustomizations that hold them); a render reads whatever its kustomization names.
 */
export function discoverApplications(
  repoRoot: string,
  render: DiscoveryRender,
  scope: PathGlobSet = WHOLE_REPOSITORY,
  scans?: ScanCache,
  fs?: FileSystem,
): ApplicationDoc[] {
  const scan = scanRepository(repoRoot, scope, scans, fs);
  const plain = argoDocuments(scan, 'Application');
  const appFiles = new Set(plain.map((a) => a.file));
  if (appFiles.size === 0) return [];
  const refs = new Map([...kustomizationsByDir(scan)].map(([dir, k]) => [dir, refsOf(scan, k)]));
  return renderApplications(applicationRoots(refs, appFiles), appFiles, plain, (d) => render(d), false);
}

/**
 * The kustomization directories to render to see the Applications as ArgoCD does: of those that
 * include an Application file (directly, or through another such kustomization), the top-most,
 * sorted. `refs`: what each kustomization directory includes (absolute paths).
 */
export function applicationRoots(refs: ReadonlyMap<string, readonly string[]>, appFiles: ReadonlySet<string>): string[] {
  const holding = new Set<string>();
  for (let changed = true; changed;) {
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
  return [...holding].filter((d) => !included.has(d)).sort();
}

/** Names of the ArgoCD AppProjects defined in the repository's YAML files (those in `scope`). */
export function findAppProjects(repoRoot: string, scope: PathGlobSet = WHOLE_REPOSITORY, scans?: ScanCache, fs?: FileSystem): string[] {
  const names = new Set<string>();
  for (const { object } of argoDocuments(scanRepository(repoRoot, scope, scans, fs), 'AppProject')) {
    if (isObject(object.metadata) && typeof object.metadata.name === 'string') names.add(object.metadata.name);
  }
  return [...names].sort();
}
