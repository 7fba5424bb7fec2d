import path from 'node:path';
import type { SourceLocation } from '../model/location.ts';
import { isObject, type Json, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { isInlineResource } from './build.ts';
import type { FileSystem } from './fs.ts';
import { KUSTOMIZATION_FILE_NAMES, loadKustomization } from './kustomization.ts';
import { findRoot, isRemoteReference, symlinkedDirectory } from './load-restrictor.ts';

/*
 * What a kustomization build reads, found without building: only kustomization files (and the
 * plugin configurations of `generators:` / `transformers:` / `validators:`, which may name files)
 * are parsed, each once per cache. For an index of which targets a change selects.
 *
 * The listing, for the build of `dir`:
 *
 * - `files`: every file the build reads, as the renderer names it (path.resolve of the
 *   kustomization's directory and the entry): the kustomization files of the target, its bases
 *   and components (recursively), and the files they name (resources, patches, generator
 *   sources, configurations, crds, openapi, replacements, plugin configurations and the files
 *   those name). A named file that does not exist is listed too (and in `missing`): the change
 *   that deleted it must select the target.
 * - `dirs`: directories the build reads as a whole: anything under one counts (a generator
 *   `files:` entry naming a directory, a helm chart home), and a `resources`/`bases`/
 *   `components`/plugin entry that does not exist (a deleted base: its files were under it).
 * - `kustomizations`: every kustomization directory the build enters, the target first, each
 *   once, in the order the renderer first enters them. The build also depends on which of
 *   KUSTOMIZATION_FILE_NAMES exist there (a second one is an error).
 * - `programs`: the executables of exec plugins (KRM exec functions) the configurations name:
 *   kustomize with plugins enabled runs them, the built-in renderer never reads them. Also in
 *   `files`.
 * - `missing`: the named paths that do not exist (each is also in `files` or `dirs`).
 * - `remote`: remote references (URLs, git forms): not followed, never read.
 * - `error`: the first problem met (an unreadable or invalid kustomization, a path outside the
 *   repository root, an absolute path); the walk goes on past it wherever it can. Never thrown.
 *
 * A path p is covered by a listing when p is in `files`, or p is a directory of `dirs` or lies
 * under one.
 *
 * Where the built-in renderer and kustomize differ in what they would read, the listing follows
 * kustomize: it also lists what the renderer refuses (helm charts, plugin directories, a
 * generator reading a directory), so the index serves `--renderer kustomize` too. The openapi
 * schema read is only the top-most one, as in the build. The directory entries of `generators:`
 * (kustomizations whose objects are plugin configurations) are entered whatever the `plugins`
 * option.
 */

export interface DependencyProblem {
  message: string;
  location?: SourceLocation;
}

export interface KustomizationDependencies {
  files: string[];
  dirs: string[];
  kustomizations: string[];
  programs: string[];
  missing: string[];
  remote: string[];
  error?: DependencyProblem;
}

/** What one kustomization directory names by itself (not its bases'); see DependencyCache. */
export interface KustomizationNode {
  dir: string;
  files: string[];
  dirs: string[];
  programs: string[];
  missing: string[];
  remote: string[];
  /** Kustomization directories it builds, in build order (already as the build names them). */
  includes: { dir: string; real: string | undefined; from: SourceLocation | undefined }[];
  /** `openapi:` when set: the file it names, if any (only the top-most openapi of a build is read). */
  openapi?: { file?: string; missing?: boolean };
  problems: DependencyProblem[];
}

/**
 * Parsed kustomization directories, keyed by directory: share one across the targets of a run
 * (files must not change meanwhile) so that each kustomization file is parsed once.
 */
export type DependencyCache = Map<string, KustomizationNode>;

export interface DependencyOptions {
  /** Nothing outside this directory is entered (default: the repository root, as the renderer's). */
  root?: string;
  cache?: DependencyCache;
}

/** The files and directories the build of `dir` reads (see the comment above). Never throws. */
export function kustomizationDependencies(dir: string, fs: FileSystem, opts: DependencyOptions = {}): KustomizationDependencies {
  const cache = opts.cache ?? new Map<string, KustomizationNode>();
  const top = path.resolve(dir);
  const files = new Set<string>();
  const dirs = new Set<string>();
  const missing = new Set<string>();
  const remote = new Set<string>();
  const programs = new Set<string>();
  const kustomizations: string[] = [];
  let error: DependencyProblem | undefined;
  const problem = (p: DependencyProblem) => (error ??= p);

  let root: string | undefined;
  try {
    root = opts.root !== undefined ? (safeRealPath(fs, opts.root) ?? path.resolve(opts.root)) : findRoot(fs, top);
  } catch {
    root = undefined;
  }
  if (kind(fs, top) !== 'dir') {
    dirs.add(top);
    missing.add(top);
    problem({ message: `${dir} is not a directory` });
    return finish();
  }

  const seen = new Set<string>();
  let openapiDecided = false;
  const visit = (d: string, real: string | undefined, from: SourceLocation | undefined): void => {
    if (root !== undefined && real !== undefined && real !== root && !real.startsWith(root.endsWith(path.sep) ? root : root + path.sep)) {
      problem({ message: `directory ${d} is outside the repository root ${root}`, ...(from ? { location: from } : {}) });
      return;
    }
    if (seen.has(d)) return;
    seen.add(d);
    kustomizations.push(d);
    let node = cache.get(d);
    if (!node) cache.set(d, (node = readNode(fs, d)));
    for (const f of node.files) files.add(f);
    for (const x of node.dirs) dirs.add(x);
    for (const m of node.missing) missing.add(m);
    for (const r of node.remote) remote.add(r);
    for (const p of node.programs) programs.add(p);
    for (const p of node.problems) problem(p);
    if (node.openapi && !openapiDecided) {
      openapiDecided = true;
      if (node.openapi.file !== undefined) files.add(node.openapi.file);
      if (node.openapi.missing) missing.add(node.openapi.file!);
    }
    for (const inc of node.includes) visit(inc.dir, inc.real, inc.from);
  };
  visit(top, safeRealPath(fs, top), undefined);
  return finish();

  function finish(): KustomizationDependencies {
    const sorted = (s: Set<string>) => [...s].sort();
    return {
      files: sorted(files),
      dirs: sorted(dirs),
      kustomizations,
      programs: sorted(programs),
      missing: sorted(missing),
      remote: sorted(remote),
      ...(error ? { error } : {}),
    };
  }
}

function kind(fs: FileSystem, p: string): 'file' | 'dir' | undefined {
  try {
    return fs.kind(p);
  } catch {
    return undefined;
  }
}

function safeRealPath(fs: FileSystem, p: string): string | undefined {
  try {
    return fs.realPath(p);
  } catch {
    return undefined;
  }
}

const strings = (v: Json | undefined): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
const objects = (v: Json | undefined): JsonObject[] => (Array.isArray(v) ? v.filter((x): x is JsonObject => isObject(x)) : []);
const str = (v: Json | undefined): string | undefined => (typeof v === 'string' ? v : undefined);

/** A kustomization's fields by kustomize's (case-insensitive) names, from a file the loader rejected. */
function tolerantFields(raw: JsonObject): JsonObject {
  const out: JsonObject = {};
  // Of two spellings the one that sorts last wins, as in the loader.
  for (const key of Object.keys(raw).sort()) {
    const canonical = CANONICAL.get(key.toLowerCase());
    if (canonical) out[canonical] = raw[key]!;
  }
  return out;
}

const CANONICAL = new Map(
  [
    'resources',
    'bases',
    'components',
    'patches',
    'patchesStrategicMerge',
    'patchesJson6902',
    'configMapGenerator',
    'secretGenerator',
    'configurations',
    'crds',
    'openapi',
    'replacements',
    'generators',
    'transformers',
    'validators',
    'helmCharts',
    'helmGlobals',
    'helmChartInflationGenerator',
  ].map((n) => [n.toLowerCase(), n]),
);

/** Parses the kustomization in `dir` and lists what it names itself. Never throws. */
export function readNode(fs: FileSystem, dir: string): KustomizationNode {
  const node: KustomizationNode = { dir, files: [], dirs: [], programs: [], missing: [], remote: [], includes: [], problems: [] };
  const present = KUSTOMIZATION_FILE_NAMES.map((n) => path.join(dir, n)).filter((p) => kind(fs, p) === 'file');
  if (present.length === 0) {
    // The change that adds one selects the build.
    for (const n of KUSTOMIZATION_FILE_NAMES) {
      node.files.push(path.join(dir, n));
      node.missing.push(path.join(dir, n));
    }
    node.problems.push({ message: `no kustomization file (${KUSTOMIZATION_FILE_NAMES.join(', ')}) in directory ${dir}` });
    return node;
  }
  node.files.push(...present);
  let k: JsonObject | undefined;
  try {
    k = loadKustomization(fs, dir).raw;
  } catch (e) {
    node.problems.push(problemOf(e, present[0]!));
    // Still follow what it names, read leniently.
    try {
      const doc = loadYamlDocuments(fs.readFile(present[0]!), { file: present[0]! }, { scalars: 'yaml11' })[0]?.value;
      if (isObject(doc)) k = tolerantFields(doc);
    } catch {
      /* unreadable: nothing more to follow */
    }
  }
  if (!k) return node;
  const file = present[0]!;
  const at = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };

  const local = (ref: string): string | undefined => {
    if (isRemoteReference(ref)) {
      node.remote.push(ref);
      return undefined;
    }
    if (path.isAbsolute(ref)) {
      node.problems.push({ message: `absolute path "${ref}" is not allowed: paths are relative to the kustomization`, location: at });
      return undefined;
    }
    return path.resolve(dir, ref);
  };
  /** A path the build reads as a file. */
  const addFile = (ref: string | undefined): void => {
    if (ref === undefined) return;
    const p = local(ref);
    if (p === undefined) return;
    const kd = kind(fs, p);
    if (kd === 'dir') node.dirs.push(p);
    else {
      node.files.push(p);
      if (kd === undefined) node.missing.push(p);
    }
  };
  /** A path the build reads as a file, or builds as a kustomization when it is a directory. */
  const addFileOrKustomization = (ref: string, onFile?: (file: string) => void): void => {
    const p = local(ref);
    if (p === undefined) return;
    const kd = kind(fs, p);
    if (kd === 'dir') {
      const real = safeRealPath(fs, p);
      // A base reached through a symlink is built from where it really is, as the renderer does.
      node.includes.push({ dir: real === undefined ? p : symlinkedDirectory(fs, p, real), real, from: at });
    } else if (kd === 'file') {
      node.files.push(p);
      onFile?.(p);
    } else {
      // A deleted base or file: anything that was there (or under it) selects the build.
      node.dirs.push(p);
      node.missing.push(p);
    }
  };

  for (const ref of [...strings(k.resources), ...strings(k.bases), ...strings(k.components)]) addFileOrKustomization(ref);

  if (isObject(k.openapi)) {
    const file = typeof k.openapi.path === 'string' ? local(k.openapi.path) : undefined;
    node.openapi = file === undefined ? {} : { file, missing: kind(fs, file) !== 'file' };
  }

  for (const ref of [...strings(k.configurations), ...strings(k.crds)]) addFile(ref);
  for (const field of ['configMapGenerator', 'secretGenerator'] as const) for (const g of objects(k[field])) generatorSources(g, addFile);
  for (const ref of strings(k.patchesStrategicMerge)) if (!isInline(ref)) addFile(ref);
  for (const p of [...objects(k.patches), ...objects(k.patchesJson6902)]) addFile(str(p.path));
  for (const r of objects(k.replacements)) addFile(str(r.path));

  // Plugin configurations: inline, a file, or a kustomization of them; each may name files.
  for (const field of ['generators', 'transformers', 'validators'] as const) {
    for (const entry of strings(k[field])) {
      const named = (text: string, f: string) =>
        pluginSources(
          text,
          f,
          addFile,
          (d) => node.dirs.push(d),
          local,
          (program) => {
            const p = local(program);
            if (p === undefined) return;
            node.programs.push(p);
            addFile(program);
          },
        );
      if (isInline(entry)) named(entry, file);
      else
        addFileOrKustomization(entry, (f) => {
          try {
            named(fs.readFile(f), f);
          } catch {
            /* unreadable: the build fails on it, and the file is listed */
          }
        });
    }
  }
  helmSources(k, addFile, (d) => node.dirs.push(d), local);
  return node;
}

function isInline(entry: string): boolean {
  return entry.includes('\n') || isInlineResource(entry);
}

/** configMapGenerator / secretGenerator arguments: `files` (`key=path` or a path), `envs`, `env`. */
function generatorSources(g: JsonObject, addFile: (ref: string | undefined) => void): void {
  for (const f of strings(g.files)) {
    const eq = f.indexOf('=');
    addFile(eq >= 0 ? f.slice(eq + 1) : f);
  }
  for (const e of strings(g.envs)) addFile(e);
  addFile(str(g.env));
}

/** The files a plugin configuration names (kustomize resolves them from the kustomization's directory). */
function pluginSources(
  text: string,
  file: string,
  addFile: (ref: string | undefined) => void,
  addDir: (dir: string) => void,
  local: (ref: string) => string | undefined,
  addProgram: (ref: string) => void,
): void {
  let docs: Json[];
  try {
    docs = loadYamlDocuments(text, { file }, { scalars: 'yaml11' }).map((d) => d.value);
  } catch {
    return;
  }
  for (const doc of docs) {
    if (!isObject(doc)) continue;
    if (doc.apiVersion === 'builtin') {
      if (doc.kind === 'ConfigMapGenerator' || doc.kind === 'SecretGenerator') generatorSources(doc, addFile);
      addFile(str(doc.path));
      for (const p of strings(doc.paths)) addFile(p);
      for (const r of objects(doc.replacements)) addFile(str(r.path));
      if (doc.kind === 'HelmChartInflationGenerator') helmChart(doc, str(doc.chartHome), addFile, addDir, local);
    }
    const meta = isObject(doc.metadata) ? doc.metadata : {};
    const fn = isObject(meta.annotations) ? meta.annotations['config.kubernetes.io/function'] : undefined;
    if (typeof fn === 'string') {
      try {
        const spec = loadYamlDocuments(fn, { file }, { scalars: 'yaml11' })[0]?.value;
        const exec = isObject(spec) && isObject(spec.exec) ? str(spec.exec.path) : undefined;
        if (exec !== undefined) addProgram(exec);
      } catch {
        /* not YAML */
      }
    }
  }
}

/** helmCharts (and the older helmChartInflationGenerator): the chart home and the values files. */
function helmSources(
  k: JsonObject,
  addFile: (ref: string | undefined) => void,
  addDir: (dir: string) => void,
  local: (ref: string) => string | undefined,
): void {
  const globals = isObject(k.helmGlobals) ? k.helmGlobals : {};
  for (const c of objects(k.helmCharts)) helmChart(c, str(globals.chartHome), addFile, addDir, local);
  for (const c of objects(k.helmChartInflationGenerator)) helmChart(c, str(c.chartHome), addFile, addDir, local);
}

function helmChart(
  c: JsonObject,
  chartHome: string | undefined,
  addFile: (ref: string | undefined) => void,
  addDir: (dir: string) => void,
  local: (ref: string) => string | undefined,
): void {
  const home = local(chartHome ?? 'charts');
  if (home !== undefined) addDir(home);
  addFile(str(c.valuesFile) ?? str(c.values));
  for (const f of strings(c.additionalValuesFiles)) addFile(f);
}

function problemOf(e: unknown, file: string): DependencyProblem {
  const err = e as { message?: string; location?: SourceLocation };
  return { message: String(err?.message ?? e), location: err?.location ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1 } };
}
