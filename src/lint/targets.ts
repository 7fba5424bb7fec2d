import * as nodeFs from 'node:fs';
import path from 'node:path';
import { UserError } from '../model/errors.ts';
import { displayPath } from '../util/display-path.ts';
import { discoverTargets } from './discover-targets.ts';

/**
 * `--all [dir...]`: every kustomization root under the directories (default: cwd), as paths
 * relative to cwd, in order, each once.
 */
export function allTargets(cwd: string, dirs: readonly string[]): string[] {
  const targets: string[] = [];
  for (const d of dirs.length ? dirs : ['.']) {
    const abs = path.resolve(cwd, d);
    if (!isDirectory(abs)) throw new UserError(`--all ${d}: not a directory`);
    for (const t of discoverTargets(abs)) {
      const shown = displayPath(t, cwd);
      if (!targets.includes(shown)) targets.push(shown);
    }
  }
  if (targets.length === 0) throw new UserError(`--all: no kustomization found under ${dirs.length ? dirs.join(', ') : '.'}`);
  return targets;
}

export function isDirectory(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}
