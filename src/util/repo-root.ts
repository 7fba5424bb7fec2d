import path from 'node:path';

/**
 * The repository root: the nearest directory at or above `dir` holding `.git` (a directory, or the
 * file a worktree or submodule has), walking up the path as given. The one definition every part
 * uses (ArgoCD discovery, the configuration search, the renderer's load restrictor, report paths),
 * so they cannot disagree. `exists` is the probe of the file system the caller reads through (the
 * run's FileSystem; the disk only at the edge: the report paths of the CLI and the Action).
 */
export function findRepositoryRoot(dir: string, exists: (p: string) => boolean): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    if (exists(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}
