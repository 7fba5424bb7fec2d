import * as nodeFs from 'node:fs';

/**
 * The renderer reads through this interface only, so the same core serves the real disk, an
 * in-memory tree in tests, or a cache shared across targets.
 */
export interface FileSystem {
  readFile(path: string): string;
  /** 'file', 'dir', or undefined when nothing is there. Follows symlinks. */
  kind(path: string): 'file' | 'dir' | undefined;
  readDir(path: string): string[];
  realPath(path: string): string;
}

export const nodeFileSystem: FileSystem = {
  readFile: (p) => nodeFs.readFileSync(p, 'utf8'),
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
};
