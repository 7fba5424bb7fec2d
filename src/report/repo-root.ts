import path from 'node:path';
import { findRepoRoot } from '../argocd/discover.ts';
import { nodeFileSystem } from '../util/fs.ts';

/**
 * The directory that paths in GitHub annotations and SARIF are relative to: `GITHUB_WORKSPACE`
 * when set (on a runner, the checkout), else the git repository holding `cwd`, else `cwd`.
 */
export function repositoryRoot(cwd: string, env: Readonly<Record<string, string | undefined>>): string {
  const workspace = env.GITHUB_WORKSPACE;
  if (workspace) return path.resolve(cwd, workspace);
  // The edge: the surfaces' own working directory, on the disk.
  return findRepoRoot(cwd, nodeFileSystem) ?? path.resolve(cwd);
}

/** True for a display path (see `displayPath`) that names a file inside the root it is relative to. */
export function isInsideRoot(displayed: string): boolean {
  return !displayed.startsWith('<') && displayed !== '..' && !displayed.startsWith('../') && !path.isAbsolute(displayed);
}
