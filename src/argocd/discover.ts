/*
 * The ArgoCD discovery: which Applications deploy a lint target, as ArgoCD sees them. In parts:
 * scan.ts (one walk over the repository's files), documents.ts (Application manifests, source
 * paths, kustomization includes), full.ts (every Application) and fast.ts (only those that may
 * deploy the targets, or why the full discovery must answer).
 */
export { applicationsFor, findRepoRoot, normalizeSourcePath, sourcePaths, type DiscoveryRender } from './documents.ts';
export { discoverApplicationsFast, discoverApplicationsFor, type FastDiscovery } from './fast.ts';
export { applicationRoots, discoverApplications, findAppProjects } from './full.ts';
export { WHOLE_REPOSITORY, type ScanCache } from './scan.ts';
