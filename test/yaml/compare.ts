import { BARE_NULLS, LOCS, RAW_TEXT, SELF } from '../../src/model/provenance.ts';
import { fastLoadDocuments } from '../../src/yaml/fast-load.ts';
import { parseWithYamlPackage, type LoadedDocument } from '../../src/yaml/load.ts';
import type { FastScalarMode } from '../../src/yaml/fast-load.ts';

/** A loaded value with its provenance symbols spelled out, for deep equality. */
export function spelled(v: unknown): unknown {
  if (v === null || typeof v !== 'object') return v;
  const o = v as Record<string | symbol, unknown>;
  const out: Record<string, unknown> = Array.isArray(v)
    ? { items: v.map(spelled) }
    : Object.fromEntries(Object.entries(o).map(([k, x]) => [k, spelled(x)]));
  if (!Array.isArray(v)) out['#keys'] = Object.keys(o);
  for (const [name, sym] of [
    ['#locs', LOCS],
    ['#self', SELF],
    ['#raw', RAW_TEXT],
  ] as const)
    if (o[sym] !== undefined) out[name] = o[sym];
  if (o[BARE_NULLS] !== undefined) out['#bare'] = [...(o[BARE_NULLS] as Set<string>)].sort();
  return out;
}

export type Verdict =
  | { kind: 'fallback' }
  | { kind: 'equal' }
  | { kind: 'differs'; fast: unknown; general: unknown }
  | { kind: 'fast-on-error'; error: string };

/** The fast path against the general loader on one text: equal, or handed back. */
export function compareLoaders(text: string, file: string, scalars: FastScalarMode): Verdict {
  const origin = { file };
  const src = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const fast = fastLoadDocuments(src, origin, scalars);
  let general: LoadedDocument[];
  try {
    general = parseWithYamlPackage(src, origin, scalars === 'core' ? {} : { scalars });
  } catch (e) {
    return fast === undefined ? { kind: 'fallback' } : { kind: 'fast-on-error', error: (e as Error).message };
  }
  if (fast === undefined) return { kind: 'fallback' };
  const a = fast.map((d) => ({ value: spelled(d.value), location: d.location }));
  const b = general.map((d) => ({ value: spelled(d.value), location: d.location }));
  return JSON.stringify(a) === JSON.stringify(b) ? { kind: 'equal' } : { kind: 'differs', fast: a, general: b };
}
