// node:fs is only the default probe: a caller holding a FileSystem passes its own `exists` (the configuration search does).
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The repository root: the nearest directory at or above `dir` holding `.git` (a directory, or the
 * file a worktree or submodule has), walking up the path as given. The one definition every part
 * uses (ArgoCD discovery, the configuration search, the renderer's load restrictor, report paths),
 * so they cannot disagree. `exists` is the file system's probe (default: the disk).
 */
export function findRepositoryRoot(dir: string, exists: (p: string) => boolean = existsSync): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    if (exists(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}
