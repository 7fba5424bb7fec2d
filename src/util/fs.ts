import * as nodeFs from 'node:fs';

/**
 * Every file the linter reads goes through this interface (the renderer, the walks of `--all`
 * and of the ArgoCD discovery), so the same core serves the real disk, an in-memory tree in tests,
 * a cache shared across targets, an editor's unsaved buffers or a git revision.
 */
export interface FileSystem {
  readFile(path: string): string;
  /** The raw bytes (generators keep a file that is not UTF-8 as binaryData); optional. */
  readBytes?(path: string): Uint8Array;
  /** 'file', 'dir', or undefined when nothing is there. Follows symlinks. */
  kind(path: string): 'file' | 'dir' | undefined;
  readDir(path: string): string[];
  realPath(path: string): string;
  /** Size in bytes, when known without reading (lets a huge file be refused before it is read); optional. */
  size?(path: string): number | undefined;
  /**
   * The entries of a directory with their own kind, symbolic links not followed (a walk never
   * enters a link); optional: without it, walks use readDir and kind (which follow links).
   */
  readDirEntries?(path: string): DirEntry[];
}

/** A directory entry as a walk sees it: a link is a link, whatever it points to. */
export interface DirEntry {
  name: string;
  kind: 'file' | 'dir' | 'symlink' | 'other';
}

export const nodeFileSystem: FileSystem = {
  readFile: (p) => nodeFs.readFileSync(p, 'utf8'),
  readBytes: (p) => nodeFs.readFileSync(p),
  kind(p) {
    try {
      const st = nodeFs.statSync(p);
      return st.isDirectory() ? 'dir' : st.isFile() ? 'file' : undefined;
    } catch {
      return undefined;
    }
  },
  readDir: (p) => nodeFs.readdirSync(p).sort(),
  realPath: (p) => nodeFs.realpathSync(p),
  size(p) {
    try {
      return nodeFs.statSync(p).size;
    } catch {
      return undefined;
    }
  },
  readDirEntries: (p) =>
    nodeFs
      .readdirSync(p, { withFileTypes: true })
      .map((e) => ({ name: e.name, kind: e.isFile() ? 'file' : e.isDirectory() ? 'dir' : e.isSymbolicLink() ? 'symlink' : 'other' })),
};

/**
 * `fs` with every answer remembered: for one run, whose targets read the same bases (files do not
 * change during a run). Errors are not remembered (they are thrown again).
 */
export function cachingFileSystem(fs: FileSystem): FileSystem {
  const memo = <A, R>(f: (a: A) => R): ((a: A) => R) => {
    const m = new Map<A, R>();
    return (a) => {
      if (m.has(a)) return m.get(a)!;
      const r = f(a);
      m.set(a, r);
      return r;
    };
  };
  const readDir = memo((p: string) => fs.readDir(p));
  return {
    readFile: memo((p: string) => fs.readFile(p)),
    ...(fs.readBytes ? { readBytes: (p: string) => fs.readBytes!(p) } : {}),
    kind: memo((p: string) => fs.kind(p)),
    readDir: (p) => [...readDir(p)],
    realPath: memo((p: string) => fs.realPath(p)),
    ...(fs.size ? { size: memo((p: string) => fs.size!(p)) } : {}),
    ...(fs.readDirEntries ? { readDirEntries: (p: string) => fs.readDirEntries!(p) } : {}),
  };
}
