import path from 'node:path';
import { nodeFileSystem, type DirEntry, type FileSystem } from './fs.ts';

/** Directories no walk enters. */
export const SKIPPED_DIRECTORIES: ReadonlySet<string> = new Set(['.git', 'node_modules']);

/**
 * Visits `root` and every directory below it, depth first in name order, with the entries each
 * holds. `.git` and `node_modules` are not entered, and neither is a symbolic link; an unreadable
 * directory is skipped. Reads through `fs` (default: the disk).
 */
export function walkDirectories(root: string, visit: (dir: string, entries: DirEntry[]) => void, fs: FileSystem = nodeFileSystem): void {
  let entries: DirEntry[];
  try {
    entries = fs.readDirEntries
      ? fs.readDirEntries(root)
      : fs.readDir(root).map((name) => ({ name, kind: fs.kind(path.join(root, name)) ?? 'other' }));
  } catch {
    return;
  }
  entries = [...entries].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  visit(root, entries);
  for (const e of entries) if (e.kind === 'dir' && !SKIPPED_DIRECTORIES.has(e.name)) walkDirectories(path.join(root, e.name), visit, fs);
}
