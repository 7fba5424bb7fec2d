import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { LOCS, SELF, isObject, type Json, type JsonArray, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { nodeFileSystem, type FileSystem } from './fs.ts';
import { loadKustomization } from './kustomization.ts';
import { findRoot, restrictFileSystem } from './load-restrictor.ts';
import { childProcess, os } from '../util/lazy-builtins.ts';
import { idOf, makeResource, type Resource } from './resource.ts';

/** Parses an already rendered stream (stdin, or a kustomize binary's output); locations are lines of that stream. */
export function parseRenderedStream(text: string, label: string): Resource[] {
  const out: Resource[] = [];
  for (const doc of loadYamlDocuments(text, { file: label })) {
    if (doc.value === null) continue;
    if (!isObject(doc.value)) throw new UserError('a rendered document must be a YAML mapping', doc.location);
    out.push(makeResource(doc.value, doc.location));
  }
  return out;
}

let cachedVersion: string | null | undefined;

/** The Kustomize version `kubectl` embeds (e.g. "v5.5.0"), or undefined when kubectl cannot say. */
export function kustomizeVersion(): string | undefined {
  if (cachedVersion === undefined) {
    const r = childProcess().spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
    cachedVersion = (!r.error && r.status === 0 && /Kustomize Version:\s*(\S+)/.exec(r.stdout)?.[1]) || null;
  }
  return cachedVersion ?? undefined;
}

/** kustomize flags that let a kustomization run programs: never passed unless the user asks for them. */
export const KUSTOMIZE_PROGRAM_FLAGS = ['--enable-alpha-plugins', '--enable-helm'] as const;
export type KustomizeProgramFlag = (typeof KUSTOMIZE_PROGRAM_FLAGS)[number];

/** The kubectl arguments of a build of `dir`: `kustomize`, the flags the user enabled explicitly, the directory. */
export function kustomizeArgs(dir: string, enable: readonly KustomizeProgramFlag[] = []): string[] {
  return ['kustomize', ...KUSTOMIZE_PROGRAM_FLAGS.filter((f) => enable.includes(f)), dir];
}

function runKustomize(dir: string, enable: readonly KustomizeProgramFlag[] = []): string {
  const r = childProcess().spawnSync('kubectl', kustomizeArgs(dir, enable), { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new UserError(`--renderer kustomize needs kubectl on PATH: ${r.error.message}`);
  if (r.status !== 0) throw new UserError(`kubectl kustomize ${dir} failed: ${(r.stderr || '').trim()}`);
  return r.stdout;
}

const ORIGIN = 'config.kubernetes.io/origin';

/**
 * `--renderer kustomize`: runs the real kustomize (as `kubectl kustomize`) without plugins,
 * exec or helm, so a pull request still cannot make the linter run its code.
 *
 * With `origins`, the overlay is built through a throw-away kustomization (in a temporary
 * directory, never beside the user's files) that lists it as its only resource and asks for
 * `buildMetadata: [originAnnotations]`: each object then says which file it came from, and its
 * location (and the location of every field that still has the file's value) points into that
 * file rather than into kustomize's output. The annotation is removed again unless the user's
 * own kustomization asks for it.
 */
export function renderWithKustomize(
  dir: string,
  opts: { origins?: boolean; fs?: FileSystem; enable?: readonly KustomizeProgramFlag[] } = {},
): { resources: Resource[]; stream: string; version: string | undefined } {
  const version = kustomizeVersion();
  const label = `<kustomize build ${dir}>`;
  if (!opts.origins) {
    const stream = runKustomize(dir, opts.enable);
    return { resources: parseRenderedStream(stream, label), stream, version };
  }
  // The origin annotations name the files to read: only those inside the repository are (a resource may carry its own, forged, annotation).
  const fs = restrictFileSystem(opts.fs ?? nodeFileSystem, findRoot(opts.fs ?? nodeFileSystem, dir));
  const own = loadKustomization(fs, dir);
  const keepOrigin = (own.k.buildMetadata ?? []).includes('originAnnotations');
  const tmp = mkdtempSync(path.join(os().tmpdir(), 'cilium-etcd-lint-kustomize-'));
  let stream: string;
  try {
    const lines = [
      `resources:`,
      `  - ${JSON.stringify(path.relative(tmp, path.resolve(dir)).split(path.sep).join('/'))}`,
      `buildMetadata: [originAnnotations]`,
    ];
    // Only the build root's sortOptions count: carry the user's over.
    if (own.k.sortOptions) lines.push(`sortOptions: ${JSON.stringify(own.k.sortOptions)}`);
    writeFileSync(path.join(tmp, 'kustomization.yaml'), lines.join('\n') + '\n');
    stream = runKustomize(tmp, opts.enable);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const resources = parseRenderedStream(stream, label);
  const sources = new Map<string, JsonObject[]>();
  for (const r of resources) {
    const meta = isObject(r.object.metadata) ? r.object.metadata : undefined;
    const ann = meta && isObject(meta.annotations) ? meta.annotations : undefined;
    const origin = ann?.[ORIGIN];
    if (typeof origin !== 'string') continue;
    if (!keepOrigin) {
      delete ann![ORIGIN];
      if (Object.keys(ann!).length === 0) delete meta!.annotations;
    }
    const m = /^path:\s*(.+)$/m.exec(origin);
    if (!m || /^(repo|ref):/m.test(origin)) continue;
    const file = path.resolve(tmp, m[1]!.trim());
    let docs = sources.get(file);
    if (!docs) {
      try {
        docs = loadYamlDocuments(fs.readFile(file), { file }, { scalars: 'kustomize' })
          .map((d) => d.value)
          .filter((v): v is JsonObject => isObject(v));
      } catch {
        docs = [];
      }
      sources.set(file, docs);
    }
    const source = matchSource(r.object, docs);
    if (!source) continue;
    if (source[SELF]) r.location = source[SELF];
    adoptLocations(r.object, source);
  }
  return { resources, stream, version };
}

/** The document of the source file the rendered object came from: same kind, and the name it ends with. */
function matchSource(obj: JsonObject, docs: JsonObject[]): JsonObject | undefined {
  const id = idOf(obj);
  const sameKind = docs.filter((d) => idOf(d).kind === id.kind);
  if (sameKind.length === 1) return sameKind[0];
  const byName = sameKind.filter((d) => idOf(d).name === id.name);
  if (byName.length === 1) return byName[0];
  const within = sameKind.filter((d) => idOf(d).name && id.name.includes(idOf(d).name));
  return within.length === 1 ? within[0] : undefined;
}

/** Every field whose value is still the source's takes the source's location. */
function adoptLocations(rendered: Json, source: Json): void {
  if (Array.isArray(rendered) && Array.isArray(source)) {
    const locs = (source as JsonArray)[LOCS];
    rendered.forEach((item, i) => {
      if (i >= source.length) return;
      if (same(item, source[i]!) && locs?.[i]) ((rendered as JsonArray)[LOCS] ??= [])[i] = locs[i];
      adoptLocations(item, source[i]!);
    });
    return;
  }
  if (isObject(rendered) && isObject(source)) {
    const locs = source[LOCS];
    for (const key of Object.keys(rendered)) {
      if (!Object.prototype.hasOwnProperty.call(source, key)) continue;
      const loc = locs?.[key];
      if (loc && same(rendered[key] as Json, source[key] as Json)) (rendered[LOCS] ??= {})[key] = loc;
      adoptLocations(rendered[key] as Json, source[key] as Json);
    }
  }
}

/** Equal as JSON values (key order and provenance symbols aside). */
function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => same(v, b[i]!));
  }
  const ka = Object.keys(a);
  return (
    ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && same(a[k] as Json, b[k] as Json))
  );
}

export type { SourceLocation };
