import path from 'node:path';
import type { FileSystem } from '../render/fs.ts';
import { UserError } from '../model/errors.ts';
import { gitOutput as runGit } from './git-changes.ts';

/**
 * A FileSystem over one commit's tree, read from git objects: `git ls-tree` lists the tree once,
 * `git cat-file --batch` reads the blobs (the small ones in one call, on first use). Nothing is
 * checked out: the working tree, the index and HEAD are untouched, and no filter, hook or
 * attribute of the repository runs (blobs are read raw, as stored). Paths are the working tree's
 * absolute paths (`top` + the path in the tree), so the base revision's findings name the same
 * files as the working tree's.
 *
 * Symbolic links of the tree (mode 120000) are followed within the tree, as the disk's file system
 * follows them; one that leaves the tree reads as nothing. A submodule is an empty directory.
 */

interface Entry {
  mode: string;
  oid: string;
  size: number;
}

/** Blobs up to this size are read in the first batch; larger ones one by one when asked for. */
const PREFETCH_MAX_BLOB = 1024 * 1024;
/** The first batch stops at this many bytes (a huge monorepo reads the rest on demand). */
const PREFETCH_MAX_TOTAL = 256 * 1024 * 1024;

export interface GitTreeFileSystem extends FileSystem {
  /** The repository's top directory (absolute). */
  readonly top: string;
  /** The commit whose tree this is. */
  readonly commit: string;
  /** Every regular file of the tree (absolute paths, sorted). */
  files(): string[];
}

export function gitTreeFileSystem(top: string, commit: string): GitTreeFileSystem {
  if (!/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(commit)) throw new UserError(`not a commit id: ${commit}`);
  const entries = new Map<string, Entry>();
  const dirs = new Map<string, Set<string>>([['', new Set()]]);
  const listing = runGit(['ls-tree', '-r', '-l', '-z', '--full-tree', commit], top, 'utf8') as string;
  for (const rec of listing.split('\0')) {
    if (!rec) continue;
    const tab = rec.indexOf('\t');
    const [mode, type, oid, size] = rec.slice(0, tab).split(/ +/);
    const rel = rec.slice(tab + 1);
    if (type === 'commit') {
      addDir(dirs, rel);
      continue;
    }
    if (type !== 'blob') continue;
    entries.set(rel, { mode: mode!, oid: oid!, size: Number(size) || 0 });
    addDir(dirs, path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel));
    dirs.get(path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel))!.add(path.posix.basename(rel));
  }
  const blobs = new Map<string, Buffer>();
  let prefetched = false;
  const prefetch = () => {
    if (prefetched) return;
    prefetched = true;
    const want: string[] = [];
    let total = 0;
    for (const e of entries.values()) {
      if (e.mode === '120000' || e.size > PREFETCH_MAX_BLOB || blobs.has(e.oid)) continue;
      if (total + e.size > PREFETCH_MAX_TOTAL) break;
      total += e.size;
      want.push(e.oid);
    }
    for (const [oid, data] of catFileBatch(top, [...new Set(want)])) blobs.set(oid, data);
  };
  const blob = (e: Entry): Buffer => {
    prefetch();
    let b = blobs.get(e.oid);
    if (!b) blobs.set(e.oid, (b = catFileBatch(top, [e.oid]).get(e.oid) ?? Buffer.alloc(0)));
    return b;
  };

  const gitMarker = path.join(top, '.git');

  /** The path in the tree (`a/b`, '' for the top) of an absolute path, symbolic links resolved; undefined when it leaves the tree or does not exist. */
  const resolve = (abs: string, depth = 0): string | undefined => {
    if (depth > 40) return undefined;
    const rel = path.relative(top, path.resolve(abs));
    if (rel === '') return '';
    if (rel.startsWith('..') || path.isAbsolute(rel)) return undefined;
    const parts = rel.split(path.sep);
    let cur = '';
    for (let i = 0; i < parts.length; i++) {
      const next = cur === '' ? parts[i]! : `${cur}/${parts[i]}`;
      const e = entries.get(next);
      if (e && e.mode === '120000') {
        const target = blob(e).toString('utf8');
        const linked = path.resolve(top, cur, target);
        const rest = parts.slice(i + 1);
        return resolve(path.join(linked, ...rest), depth + 1);
      }
      if (!e && !dirs.has(next)) return undefined;
      if (e && i < parts.length - 1) return undefined; // a file is not a directory
      cur = next;
    }
    return cur;
  };
  const enoent = (p: string) =>
    Object.assign(new Error(`ENOENT: no such file or directory, open '${p}' (at ${commit.slice(0, 12)})`), { code: 'ENOENT' });
  const fileEntry = (p: string): Entry => {
    const rel = resolve(p);
    const e = rel === undefined ? undefined : entries.get(rel);
    if (!e) throw enoent(p);
    return e;
  };

  return {
    top,
    commit,
    files: () =>
      [...entries.entries()]
        .filter(([, e]) => e.mode !== '120000')
        .map(([rel]) => path.join(top, ...rel.split('/')))
        .sort(),
    readFile: (p) => blob(fileEntry(p)).toString('utf8'),
    readBytes: (p) => new Uint8Array(blob(fileEntry(p))),
    kind(p) {
      // The tree is the repository at `top`: its `.git` is there (the root marker the run's
      // FileSystem is probed for, src/util/repo-root.ts), though nothing under it is in the tree.
      if (path.resolve(p) === gitMarker) return 'dir';
      const rel = resolve(p);
      if (rel === undefined) return undefined;
      if (entries.has(rel)) return 'file';
      return dirs.has(rel) ? 'dir' : undefined;
    },
    readDir(p) {
      const rel = resolve(p);
      const d = rel === undefined ? undefined : dirs.get(rel);
      if (!d) throw Object.assign(new Error(`ENOENT: no such directory, scandir '${p}'`), { code: 'ENOENT' });
      return [...d].sort();
    },
    realPath(p) {
      const rel = resolve(p);
      if (rel === undefined) throw enoent(p);
      return rel === '' ? top : path.join(top, ...rel.split('/'));
    },
    size(p) {
      const rel = resolve(p);
      const e = rel === undefined ? undefined : entries.get(rel);
      return e?.size;
    },
  };
}

function addDir(dirs: Map<string, Set<string>>, rel: string): void {
  if (dirs.has(rel)) return;
  dirs.set(rel, new Set());
  const parent = path.posix.dirname(rel) === '.' ? '' : path.posix.dirname(rel);
  addDir(dirs, parent);
  dirs.get(parent)!.add(path.posix.basename(rel));
}

/** `git cat-file --batch` over object ids: their raw contents (no filter, no textconv). */
function catFileBatch(top: string, oids: readonly string[]): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  if (oids.length === 0) return out;
  const buf = runGit(['cat-file', '--batch'], top, 'buffer', `${oids.join('\n')}\n`) as Buffer;
  let at = 0;
  while (at < buf.length) {
    const nl = buf.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = buf.toString('utf8', at, nl).split(' ');
    at = nl + 1;
    if (header[1] === 'missing') continue;
    const size = Number(header[2]);
    out.set(header[0]!, buf.subarray(at, at + size));
    at += size + 1;
  }
  return out;
}
