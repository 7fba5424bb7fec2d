import * as nodeFs from 'node:fs';

/**
 * The renderer reads through this interface only, so the same core serves the real disk, an
 * in-memory tree in tests, or a cache shared across targets.
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
};
