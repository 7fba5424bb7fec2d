import type { SourceLocation } from '../model/location.ts';
import {
  formatPath,
  getPath,
  isObject,
  LOCS,
  locate,
  type FieldPath,
  type Json,
  type JsonObject,
  type PathSegment,
} from '../model/provenance.ts';
import { renderKustomization } from '../render/build.ts';
import type { FileSystem } from '../render/fs.ts';
import { displayPath } from '../util/display-path.ts';
import { withParseCache } from '../yaml/load.ts';
import { cursorPath, type CursorPath, type PathStep } from './yaml-position.ts';

/**
 * "Where does this value come from": for the field under the cursor in a base, a patch, a
 * kustomization's inline patch or `images:` entry, or an Application rendered through a
 * kustomization, the value each target that reads the file finally renders and the layer that
 * set it. The targets are rendered by the built-in renderer (the lint's), whose provenance says
 * which file and line set every rendered field.
 *
 * How the cursor is matched to rendered fields: every rendered field whose provenance span (the
 * `key: value` that set it) contains the cursor is a hit; the deepest hit of each object is the
 * field this line sets. When this line lost to a later layer (a base overridden by a patch), the
 * deepest hit is an ancestor (the mapping the line sits in); the rest of the path comes from the
 * file's own YAML structure (sequence items matched by `name`, as strategic merge matches
 * containers), and provenance then names the layer that set the final value.
 */

export interface HoverTarget {
  /** As shown: relative to the workspace. */
  name: string;
  dir: string;
}

export interface FieldOrigin {
  target: string;
  object: string;
  path: string;
  value: Json | undefined;
  present: boolean;
  setBy: SourceLocation | undefined;
  /** The setter is the cursor's own line. */
  here: boolean;
}

const MAX_TARGETS = 12;

export function hoverAt(
  file: string,
  text: string,
  offset: number,
  line: number,
  column: number,
  targets: readonly HoverTarget[],
  fs: FileSystem,
  plugins: 'refuse' | 'skip',
): { origins: FieldOrigin[]; failed: { target: string; message: string }[]; more: number } {
  let cursor: CursorPath | undefined;
  try {
    cursor = cursorPath(text, offset);
  } catch {
    cursor = undefined;
  }
  const origins: FieldOrigin[] = [];
  const failed: { target: string; message: string }[] = [];
  withParseCache(() => {
    for (const t of targets.slice(0, MAX_TARGETS)) {
      let objects: JsonObject[];
      try {
        objects = renderKustomization(t.dir, { fs, plugins }).resources.map((r) => r.object);
      } catch (e) {
        failed.push({ target: t.name, message: e instanceof Error ? e.message : String(e) });
        continue;
      }
      for (const o of originsIn(objects, file, line, column, cursor)) origins.push({ ...o, target: t.name });
    }
  });
  return { origins, failed, more: Math.max(0, targets.length - MAX_TARGETS) };
}

function contains(l: SourceLocation, file: string, line: number, column: number): boolean {
  if (l.file !== file) return false;
  if (line < l.line || line > l.endLine) return false;
  if (line === l.line && column < l.column) return false;
  if (line === l.endLine && column > l.endColumn) return false;
  return true;
}

interface Hit {
  path: PathSegment[];
  loc: SourceLocation;
}

/** The deepest rendered fields of `root` set by a span containing the cursor. */
function deepestHits(root: JsonObject, file: string, line: number, column: number): Hit[] {
  let best: Hit[] = [];
  const visit = (node: Json, at: PathSegment[]) => {
    if (Array.isArray(node)) {
      const locs = node[LOCS] ?? [];
      node.forEach((v, i) => {
        const l = locs[i];
        const p = [...at, i];
        if (l && contains(l, file, line, column)) record(p, l);
        visit(v, p);
      });
    } else if (isObject(node)) {
      const locs = node[LOCS] ?? {};
      for (const k of Object.keys(node)) {
        const l = locs[k];
        const p = [...at, k];
        if (l && contains(l, file, line, column)) record(p, l);
        visit(node[k] as Json, p);
      }
    }
  };
  const record = (p: PathSegment[], loc: SourceLocation) => {
    if (best.length === 0 || p.length > best[0]!.path.length) best = [{ path: p, loc }];
    else if (p.length === best[0]!.path.length) best.push({ path: p, loc });
  };
  visit(root, []);
  return best;
}

function describeObject(o: JsonObject): string {
  const md = isObject(o.metadata) ? o.metadata : {};
  const ns = typeof md.namespace === 'string' ? `${md.namespace}/` : '';
  return `${typeof o.kind === 'string' ? o.kind : 'object'} ${ns}${typeof md.name === 'string' ? md.name : '?'}`;
}

/** `steps` (the cursor's path in its own file) continued below the rendered path `base`, items matched by name. */
function continuePath(root: JsonObject, base: readonly PathSegment[], steps: readonly PathStep[]): PathSegment[] {
  const out = [...base];
  for (const s of steps) {
    const node = getPath(root, out);
    if (typeof s.segment === 'number' && Array.isArray(node)) {
      const byName = s.name !== undefined ? node.findIndex((v) => isObject(v) && v.name === s.name) : -1;
      out.push(byName >= 0 ? byName : s.segment);
    } else out.push(s.segment);
  }
  return out;
}

function originsIn(
  objects: readonly JsonObject[],
  file: string,
  line: number,
  column: number,
  cursor: CursorPath | undefined,
): Omit<FieldOrigin, 'target'>[] {
  const out: Omit<FieldOrigin, 'target'>[] = [];
  const steps = cursor?.steps ?? [];
  const last = steps.at(-1);
  /** `direct`: the path is a hit itself (a field this span set), not continued below one. */
  const at = (fieldPath: FieldPath, o: JsonObject, direct: boolean): Omit<FieldOrigin, 'target'> => {
    const value = getPath(o, fieldPath);
    const setBy = locate(o, fieldPath);
    const here =
      !!setBy &&
      setBy.file === file &&
      (direct ? contains(setBy, file, line, column) : !!last && setBy.line === last.line && setBy.column === last.column);
    return { object: describeObject(o), path: formatPath(fieldPath), value, present: value !== undefined, setBy, here };
  };
  for (const o of objects) {
    const hits = deepestHits(o, file, line, column);
    if (hits.length === 0) continue;
    for (const hit of hits) {
      // Which step of the cursor's own path the hit is (same start), so the path can go on below it.
      const k = steps.findIndex((s) => s.line === hit.loc.line && s.column === hit.loc.column);
      // (Only below a mapping or a sequence: an `images:` entry sets the whole image string.)
      const node = getPath(o, hit.path);
      const continued = k >= 0 && k < steps.length - 1 && node !== null && typeof node === 'object';
      out.push(at(continued ? continuePath(o, hit.path, steps.slice(k + 1)) : hit.path, o, !continued));
    }
  }
  if (out.length || !cursor?.kind || steps.length === 0) return out;
  // Nothing rendered comes from this line: an object of the same kind and name (a patch that lost everywhere, a base the build replaced).
  for (const o of objects) {
    const md = isObject(o.metadata) ? o.metadata : {};
    if (o.kind !== cursor.kind || typeof md.name !== 'string' || (cursor.name !== undefined && !md.name.includes(cursor.name))) continue;
    out.push(at(continuePath(o, [], steps), o, false));
  }
  return out;
}

function inline(v: Json | undefined): string {
  const s = v === undefined ? 'absent' : JSON.stringify(v);
  const short = s.length > 160 ? `${s.slice(0, 157)}...` : s;
  return `\`${short.replace(/`/g, "'")}\``;
}

/** The hover's Markdown. */
export function hoverMarkdown(result: ReturnType<typeof hoverAt>, root: string, file: string): string | undefined {
  if (result.origins.length === 0 && result.failed.length === 0) return undefined;
  const lines: string[] = [];
  const byPath = new Map<string, FieldOrigin[]>();
  for (const o of result.origins) {
    const k = `${o.object}\0${o.path}`;
    (byPath.get(k) ?? byPath.set(k, []).get(k)!).push(o);
  }
  for (const list of byPath.values()) {
    lines.push(`**${list[0]!.object}** \`${list[0]!.path}\``);
    lines.push('');
    for (const o of list) {
      const where = o.setBy ? `${displayPath(o.setBy.file, root)}:${o.setBy.line}` : 'unknown';
      let what: string;
      if (o.here) what = `set here → ${inline(o.value)}`;
      else if (!o.present) what = o.setBy && o.setBy.file !== file ? `removed in ${where}` : 'not rendered';
      else if (o.setBy?.file === file) what = `set in ${where} → ${inline(o.value)}`;
      else what = `overridden in ${where} → ${inline(o.value)}`;
      lines.push(`- \`${o.target}\`: ${what}`);
    }
    lines.push('');
  }
  for (const f of result.failed) lines.push(`- \`${f.target}\`: cannot be rendered: ${f.message}`);
  if (result.more) lines.push(`- and ${result.more} more targets read this file`);
  return lines.join('\n').trim();
}
