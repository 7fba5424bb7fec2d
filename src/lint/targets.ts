import path from 'node:path';
import { UserError } from '../model/errors.ts';
import { displayPath } from '../util/display-path.ts';
import { nodeFileSystem, type FileSystem } from '../util/fs.ts';
import { discoverTargets } from './discover-targets.ts';

/**
 * `--all [dir...]`: every kustomization root under the directories (default: cwd), as paths
 * relative to cwd, in order, each once.
 */
export function allTargets(cwd: string, dirs: readonly string[], fs: FileSystem = nodeFileSystem): string[] {
  const targets: string[] = [];
  for (const d of dirs.length ? dirs : ['.']) {
    const abs = path.resolve(cwd, d);
    if (fs.kind(abs) !== 'dir') throw new UserError(`--all ${d}: not a directory`);
    for (const t of discoverTargets(abs, fs)) {
      const shown = displayPath(t, cwd);
      if (!targets.includes(shown)) targets.push(shown);
    }
  }
  if (targets.length === 0) throw new UserError(`--all: no kustomization found under ${dirs.length ? dirs.join(', ') : '.'}`);
  return targets;
}
