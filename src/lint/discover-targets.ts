import path from 'node:path';
import { isObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { nodeFileSystem, type FileSystem } from '../util/fs.ts';
import { walkDirectories } from '../util/walk.ts';
import { localIncludes } from '../render/kustomization.ts';

const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * `--all <dir>`: every kustomization directory under `dir` that no other kustomization under it
 * includes (through `resources`, `bases` or `components`), sorted. `.git` and `node_modules` are
 * skipped and symbolic links are never followed (a symlinked directory is not entered).
 */
export function discoverTargets(dir: string, fs: FileSystem = nodeFileSystem): string[] {
  const root = path.resolve(dir);
  const found: { dir: string; file: string }[] = [];
  walkDirectories(
    root,
    (d, entries) => {
      const names = new Set(entries.filter((e) => e.kind === 'file').map((e) => e.name));
      const kfile = KUSTOMIZATION_NAMES.find((n) => names.has(n));
      if (kfile) found.push({ dir: d, file: path.join(d, kfile) });
    },
    fs,
  );
  const included = new Set<string>();
  for (const k of found) for (const r of includedBy(k.file, fs)) included.add(r);
  return found
    .map((k) => k.dir)
    .filter((d) => !included.has(d))
    .sort();
}

/** The directories a kustomization file includes (unparsable: none; remote references ignored). */
function includedBy(file: string, fs: FileSystem): string[] {
  let k;
  try {
    k = loadYamlDocuments(fs.readFile(file), { file })[0]?.value;
  } catch {
    return [];
  }
  if (!isObject(k)) return [];
  const dir = path.dirname(file);
  return localIncludes(k)
    .filter((r) => !path.isAbsolute(r))
    .map((r) => path.resolve(dir, r));
}
