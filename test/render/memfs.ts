import path from 'node:path';
import type { FileSystem } from '../../src/render/fs.ts';

/**
 * An in-memory tree for renderer tests: `{ 'overlay/kustomization.yaml': '...' }` under `root`.
 * Text is dedented (the common indentation of its non-blank lines removed) so that tests can
 * write YAML inline; lines keep their numbers.
 */
export function memFs(files: Record<string, string>, root = '/repo'): FileSystem & { root: string; path(rel: string): string } {
  const map = new Map<string, string>();
  for (const [rel, text] of Object.entries(files)) map.set(path.join(root, rel), dedent(text));
  const isDir = (p: string) => [...map.keys()].some((f) => f.startsWith(p.endsWith('/') ? p : `${p}/`));
  return {
    root,
    path: (rel) => path.join(root, rel),
    readFile(p) {
      const t = map.get(p);
      if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return t;
    },
    kind: (p) => (map.has(p) ? 'file' : isDir(p) ? 'dir' : undefined),
    readDir(p) {
      const prefix = `${p}/`;
      const names = new Set<string>();
      for (const f of map.keys()) if (f.startsWith(prefix)) names.add(f.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
    realPath: (p) => path.resolve(p),
  };
}

export function dedent(text: string): string {
  const lines = text.split('\n');
  if (lines[0]?.trim() === '') lines.shift();
  const indents = lines.filter((l) => l.trim()).map((l) => l.length - l.trimStart().length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut)).join('\n');
}
