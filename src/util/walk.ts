import * as nodeFs from 'node:fs';
import path from 'node:path';

/** Directories no walk enters. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/**
 * Visits `root` and every directory below it, depth first in name order, with the entries each
 * holds. `.git` and `node_modules` are not entered, and neither is a symbolic link (Dirents do not
 * follow them); an unreadable directory is skipped.
 */
export function walkDirectories(root: string, visit: (dir: string, entries: nodeFs.Dirent[]) => void): void {
  let entries: nodeFs.Dirent[];
  try {
    entries = nodeFs.readdirSync(root, { withFileTypes: true });
  } catch {
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  visit(root, entries);
  for (const e of entries) if (e.isDirectory() && !SKIPPED_DIRECTORIES.has(e.name)) walkDirectories(path.join(root, e.name), visit);
}
