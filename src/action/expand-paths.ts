import { globby, isDynamicPattern } from 'globby';

/**
 * The `path` input, one entry per line, with glob patterns expanded: a workflow input gets no
 * shell, so `cluster/manifests/*\/overlays/dev` is expanded here, to the directories it matches
 * (sorted; symbolic links not followed; `.git` and `node_modules` never entered). A pattern that
 * matches no directory is an error, not a silent pass. Plain entries are kept as written.
 */
export async function expandPaths(entries: readonly string[], cwd: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of entries) {
    if (!isDynamicPattern(entry)) {
      out.push(entry);
      continue;
    }
    const dirs = (
      await globby(entry, { cwd, onlyDirectories: true, followSymbolicLinks: false, ignore: ['**/.git/**', '**/node_modules/**'] })
    ).sort();
    if (dirs.length === 0) throw new Error(`the "path" input ${entry} matches no directory (relative to working-directory)`);
    out.push(...dirs);
  }
  return out;
}

/** True when an entry is a glob pattern: the run is then a multi-target run (repo mode), however many directories it matched. */
export function hasPattern(entries: readonly string[]): boolean {
  return entries.some((e) => isDynamicPattern(e));
}
