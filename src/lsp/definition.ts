import path from 'node:path';
import type { FileSystem } from '../render/fs.ts';
import { findKustomizationFile, KUSTOMIZATION_FILE_NAMES } from '../render/kustomization.ts';
import { cursorPath } from './yaml-position.ts';

/**
 * Go to definition from a kustomization entry to what it names: a `resources:`, `bases:` or
 * `components:` entry to its file or to the kustomization file of its directory; a patch's
 * `path:` (and `patchesStrategicMerge:`, `patchesJson6902:` entries) to the patch file; the other
 * file-naming fields (configurations, crds, generators, transformers, validators, replacements,
 * openapi, generator `files`/`envs`/`env`) likewise. A remote or missing target gives nothing.
 */

const LISTS = new Set([
  'resources',
  'bases',
  'components',
  'patchesStrategicMerge',
  'configurations',
  'crds',
  'generators',
  'transformers',
  'validators',
]);
const PATH_IN_ITEMS = new Set(['patches', 'patchesJson6902', 'replacements']);
const GENERATORS = new Set(['configMapGenerator', 'secretGenerator']);

export function isKustomizationFile(file: string): boolean {
  return KUSTOMIZATION_FILE_NAMES.includes(path.basename(file));
}

/** The file a kustomization entry at `offset` names, or undefined. */
export function definitionAt(file: string, text: string, offset: number, fs: FileSystem): string | undefined {
  if (!isKustomizationFile(file)) return undefined;
  const c = cursorPath(text, offset);
  if (!c || c.onKey || typeof c.scalar?.value !== 'string') return undefined;
  const seg = c.steps.map((s) => s.segment);
  let ref: string | undefined;
  const v = c.scalar.value;
  if (seg.length === 2 && LISTS.has(String(seg[0])) && typeof seg[1] === 'number') ref = v;
  else if (seg.length === 3 && PATH_IN_ITEMS.has(String(seg[0])) && typeof seg[1] === 'number' && seg[2] === 'path') ref = v;
  else if (seg.length === 2 && seg[0] === 'openapi' && seg[1] === 'path') ref = v;
  else if (seg.length >= 3 && GENERATORS.has(String(seg[0])) && typeof seg[1] === 'number') {
    if ((seg[2] === 'files' || seg[2] === 'envs') && seg.length === 4) ref = v.includes('=') ? v.slice(v.indexOf('=') + 1) : v;
    else if (seg[2] === 'env' && seg.length === 3) ref = v;
  }
  if (ref === undefined || ref === '' || /^[a-z][a-z0-9+.-]*:\/\//i.test(ref) || /^(git@|github\.com\/)/.test(ref)) return undefined;
  const abs = path.resolve(path.dirname(file), ref);
  const kind = fs.kind(abs);
  if (kind === 'file') return abs;
  if (kind === 'dir') return findKustomizationFile(fs, abs);
  return undefined;
}
