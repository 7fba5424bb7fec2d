import path from 'node:path';
import type { FileSystem } from '../render/fs.ts';

/**
 * The editor's unsaved buffers over the disk: every read of a file the editor has open returns
 * the buffer's text, so a lint or a render sees what the user sees. Read-only, like every
 * FileSystem: nothing is ever written.
 */
export interface OpenDocument {
  uri: string;
  text: string;
  version: number;
}

export function documentsFileSystem(docs: ReadonlyMap<string, OpenDocument>, disk: FileSystem): FileSystem {
  const bytes = (p: string): Uint8Array | undefined => {
    const d = docs.get(p);
    return d ? Buffer.from(d.text, 'utf8') : undefined;
  };
  return {
    readFile: (p) => docs.get(p)?.text ?? disk.readFile(p),
    readBytes: (p) => bytes(p) ?? (disk.readBytes ? disk.readBytes(p) : Buffer.from(disk.readFile(p), 'utf8')),
    kind: (p) => (docs.has(p) ? 'file' : disk.kind(p)),
    readDir(p) {
      const names = disk.kind(p) === 'dir' ? disk.readDir(p) : [];
      const extra = [...docs.keys()].filter((f) => path.dirname(f) === p).map((f) => path.basename(f));
      return extra.length ? [...new Set([...names, ...extra])].sort() : names;
    },
    realPath: (p) => (docs.has(p) && disk.kind(p) === undefined ? p : disk.realPath(p)),
    size: (p) => {
      const d = docs.get(p);
      return d ? Buffer.byteLength(d.text, 'utf8') : disk.size?.(p);
    },
  };
}
