import path from 'node:path';
import * as nodeFs from 'node:fs';
import type { ApplicationDoc } from '../engine/types.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { SKIPPED_DIRECTORIES, walkDirectories } from '../util/walk.ts';
import { compileGlobSet, type PathGlobSet } from '../util/glob.ts';
import { findRepositoryRoot } from '../util/repo-root.ts';
import { localIncludes } from '../render/kustomization.ts';

/** The repository root holding `dir` (src/util/repo-root.ts). */
export const findRepoRoot = (dir: string): string | undefined => findRepositoryRoot(dir);

/** Repository-relative form of an Application source path, for comparison. */
export function normalizeSourcePath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

export function sourcePaths(app: JsonObject): string[] {
  const spec = isObject(app.spec) ? app.spec : {};
  const out: string[] = [];
  if (isObject(spec.source) && typeof spec.source.path === 'string') out.push(spec.source.path);
  if (Array.isArray(spec.sources)) {
    for (const s of spec.sources) if (isObject(s) && typeof s.path === 'string') out.push(s.path);
  }
  return out;
}

const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);
/** Up to this many bytes of YAML/JSON, a scan keeps the files in memory; above, they are read again when searched. */
const KEEP_BYTES = 64 * 1024 * 1024;

/** What one walk of a repository finds; built once per root. */
interface RepoScan {
  /** Every `*.yaml`, `*.yml`, `*.json` and kustomization file (what a kustomization can read), sorted. */
  files: string[];
  /**
   * Their bytes, one after the other, each file followed by a NUL byte (which no searched text
   * holds, so no match spans two files): file i is `bytes[starts[i], starts[i + 1] - 1)`.
   * Undefined when the repository is too big to keep (see KEEP_BYTES).
   */
  bytes: Buffer | undefined;
  starts: number[];
  /** The `*.yaml` / `*.yml` files that mention `argoproj.io`, decoded, sorted. */
  argo: { file: string; text: string }[];
  /** Kustomization files, sorted, with their text. */
  kustomizations: { file: string; text: string }[];
  /** `kustomizationRefs` of kustomization files, parsed on demand. */
  refs: Map<string, string[]>;
  /** findIndirectWrite's answer, once asked (null: none). */
  indirect?: string | null;
}

/** The search scope when none is configured: every file of the repository. */
export const WHOLE_REPOSITORY: PathGlobSet = compileGlobSet(['**']);

const scans = new Map<string, RepoScan>();

/** `rel` (a `/`-separated path below `repoRoot`) names a directory reached without a symbolic link or a skipped directory. */
function plainDirectory(repoRoot: string, rel: string): boolean {
  let dir = repoRoot;
  for (const name of rel.split('/')) {
    if (SKIPPED_DIRECTORIES.has(name)) return false;
    dir = path.join(dir, name);
    const st = nodeFs.lstatSync(dir, { throwIfNoEntry: false });
    if (!st?.isDirectory()) return false;
  }
  return true;
}

/**
 * One synchronous walk of the repository's files in `scope` (of the directories its patterns can
 * match only): `.git` and `node_modules` are skipped, and symbolic links are never followed
 * (neither a linked directory nor a linked file is read). Every file is read once, as bytes; only
 * the ArgoCD ones (and kustomizations) are decoded.
 */
function scanRepository(repoRoot: string, scope: PathGlobSet): RepoScan {
  const key = `${repoRoot}\0${scope.key}`;
  let scan = scans.get(key);
  if (scan) return scan;
  const paths: string[] = [];
  /** Regular files of other names: searched only when a kustomization at or above names them (see namedByKustomizations). */
  const others: string[] = [];
  const wanted = (name: string) => KUSTOMIZATION_NAMES.has(name) || /\.(ya?ml|json)$/.test(name);
  const inScope = (file: string) => scope.everything || scope.includes(path.relative(repoRoot, file).split(path.sep).join('/'));
  for (const base of scope.bases) {
    const top = path.join(repoRoot, ...base.split('/'));
    if (base !== '') {
      // A base is a directory to walk, or a pattern naming one file; reached without a link.
      const parent = base.includes('/') ? base.slice(0, base.lastIndexOf('/')) : '';
      if (parent !== '' && !plainDirectory(repoRoot, parent)) continue;
      const st = nodeFs.lstatSync(top, { throwIfNoEntry: false });
      if (st?.isFile() && inScope(top)) (wanted(path.basename(top)) ? paths : others).push(top);
      if (!st?.isDirectory() || SKIPPED_DIRECTORIES.has(path.basename(top))) continue;
    }
    walkDirectories(top, (dir, entries) => {
      for (const e of entries) {
        if (e.isFile() && inScope(path.join(dir, e.name))) (wanted(e.name) ? paths : others).push(path.join(dir, e.name));
        // Symbolic links (and sockets, fifos, devices) are neither entered nor read.
      }
    });
  }
  const kustomizationTexts = new Map<string, string>();
  for (const file of paths) {
    if (!KUSTOMIZATION_NAMES.has(path.basename(file))) continue;
    try {
      kustomizationTexts.set(file, nodeFs.readFileSync(file, 'utf8'));
    } catch {
      // Unreadable: not searched, as any other file.
    }
  }
  paths.push(...namedByKustomizations(repoRoot, others, kustomizationTexts));
  paths.sort();
  const out: RepoScan = { files: [], bytes: undefined, starts: [], argo: [], kustomizations: [], refs: new Map() };
  const isYaml = (file: string) => /\.ya?ml$/.test(file);
  // Cheap filter before decoding (and parsing): most YAML in a monorepo is not about ArgoCD.
  const ARGO = 'argoproj.io';
  const classify = (file: string, text: () => string, mentionsArgo: boolean): void => {
    if (mentionsArgo && isYaml(file)) out.argo.push({ file, text: text() });
    if (KUSTOMIZATION_NAMES.has(path.basename(file))) out.kustomizations.push({ file, text: text() });
  };
  // The files are read into one growing buffer (no allocation per file), searched once all are in.
  let buf = Buffer.allocUnsafe(1 << 24);
  let len = 0;
  let keep = true;
  for (const file of paths) {
    if (!keep) len = 0;
    const start = len;
    const read = readInto(
      file,
      (need) => {
        if (len + need > buf.length) {
          const bigger = Buffer.allocUnsafe(Math.max(buf.length * 2, len + need));
          buf.copy(bigger, 0, 0, len);
          buf = bigger;
        }
        return { buf, at: len };
      },
      (n) => (len += n),
      kustomizationTexts.get(file),
    );
    if (!read) {
      len = start;
      continue;
    }
    out.files.push(file);
    out.starts.push(start);
    buf[len++] = 0;
    if (keep && len > KEEP_BYTES) {
      // Too much to keep: what was read so far is classified now, the rest file by file.
      keep = false;
      out.starts.push(len);
      out.bytes = buf.subarray(0, len);
      const argo = new Set(filesContaining(out, ARGO));
      out.files.forEach((f, i) => classify(f, () => textOf(out, i), argo.has(i)));
      out.bytes = undefined;
      out.starts.pop();
    } else if (!keep) {
      const b = buf.subarray(start, len - 1);
      classify(file, () => b.toString('utf8'), b.indexOf(ARGO) >= 0);
    }
  }
  out.starts.push(len);
  if (keep) {
    // Kept for the run: not much more than it holds.
    out.bytes = len <= buf.length / 2 ? Buffer.from(buf.subarray(0, len)) : buf.subarray(0, len);
    const argo = new Set(filesContaining(out, ARGO));
    out.files.forEach((f, i) => classify(f, () => textOf(out, i), argo.has(i)));
  }
  scans.set(key, (scan = out));
  return scan;
}

/**
 * Reads `file` whole through `space` (asked for room for at least `need` more bytes) and
 * `advance`; false if it cannot be read. `text`: its content, read already.
 */
function readInto(file: string, space: (need: number) => { buf: Buffer; at: number }, advance: (n: number) => void, text?: string): boolean {
  if (text !== undefined) {
    const n = Buffer.byteLength(text);
    const { buf, at } = space(n + 1);
    buf.write(text, at, 'utf8');
    advance(n);
    return true;
  }
  let fd: number;
  try {
    fd = nodeFs.openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    for (;;) {
      // One byte more than needed, for the separator.
      const { buf, at } = space(64 * 1024 + 1);
      const n = nodeFs.readSync(fd, buf, at, buf.length - at - 1, null);
      if (n === 0) return true;
      advance(n);
    }
  } catch {
    return false;
  } finally {
    nodeFs.closeSync(fd);
  }
}

/**
 * Of `others` (files that are not YAML, JSON or kustomizations by name), those a kustomization in
 * their directory or above names: kustomize reads no file its kustomization does not name (patch
 * files, generator sources, resources of any name), and a kustomization reads only below its own
 * directory, so these are the only ones a render could read. Named means: the file's name occurs
 * in the kustomization's text.
 */
function namedByKustomizations(repoRoot: string, others: readonly string[], kustomizations: ReadonlyMap<string, string>): string[] {
  if (others.length === 0 || kustomizations.size === 0) return [];
  const byDir = new Map<string, string[]>();
  for (const [file, text] of kustomizations) {
    const dir = path.dirname(file);
    byDir.set(dir, [...(byDir.get(dir) ?? []), text]);
  }
  return others.filter((file) => {
    const name = path.basename(file);
    for (let dir = path.dirname(file); ; dir = path.dirname(dir)) {
      if (byDir.get(dir)?.some((text) => text.includes(name))) return true;
      if (dir === repoRoot || !inside(dir, repoRoot)) return false;
    }
  });
}

/** Indexes (into scan.files) of the files whose bytes hold `needle`, in order; of files `first` to `end` - 1 only, if given. */
function filesContaining(scan: RepoScan, needle: string, first = 0, end = scan.files.length): number[] {
  const out: number[] = [];
  if (first >= end) return out;
  if (scan.bytes) {
    // Searched up to the end of file `end` - 1 only.
    const bytes = scan.bytes.subarray(0, scan.starts[end]);
    const n = Buffer.from(needle);
    for (let from = scan.starts[first]!; ; ) {
      const at = bytes.indexOf(n, from);
      if (at < 0) break;
      // The file holding `at`: the last start at or before it.
      let lo = first;
      let hi = end - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (scan.starts[mid]! <= at) lo = mid;
        else hi = mid - 1;
      }
      out.push(lo);
      from = scan.starts[lo + 1]!;
    }
    return out;
  }
  for (let i = first; i < end; i++) {
    let b: Buffer;
    try {
      b = nodeFs.readFileSync(scan.files[i]!);
    } catch {
      continue; // Gone since the scan.
    }
    if (b.indexOf(needle) >= 0) out.push(i);
  }
  return out;
}

function textOf(scan: RepoScan, i: number): string {
  const file = scan.files[i]!;
  if (scan.bytes) return scan.bytes.toString('utf8', scan.starts[i], scan.starts[i + 1]! - 1);
  try {
    return nodeFs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** A `kind:` line at column 0 (a top-level document's kind), as opposed to an indented mention. */
function topLevelKind(kind: string): RegExp {
  return new RegExp(`^kind:[ \\t]*["']?${kind}["']?[ \\t]*(#.*)?\\r?$`, 'm');
}
const TOP_LEVEL_KIND = { Application: topLevelKind('Application'), AppProject: topLevelKind('AppProject') };

/**
 * The `argoproj.io` documents of one kind in one file (a file that does not parse: none), read as
 * the renderer reads a resource: an Application taken as written and one rendered through its
 * kustomization hold the same values (and the render reuses this parse).
 */
function argoDocumentsIn(file: string, text: string, kind: 'Application' | 'AppProject'): { object: JsonObject; file: string }[] {
  let docs;
  try {
    docs = loadYamlDocuments(text, { file }, { scalars: 'kustomize' });
  } catch {
    return []; // A broken unrelated file must not break the lint of this target.
  }
  const out: { object: JsonObject; file: string }[] = [];
  for (const d of docs) {
    const v = d.value;
    if (isObject(v) && v.kind === kind && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/')) out.push({ object: v, file });
  }
  return out;
}

/** Files that may hold documents of `kind`: Applications are top-level documents, a `kind:` line at column 0. This skips the CRDs and charts that merely mention the kind (indented), which are most of the bytes. */
function argoCandidates(scan: RepoScan, kind: 'Application' | 'AppProject'): { file: string; text: string }[] {
  return scan.argo.filter((f) => TOP_LEVEL_KIND[kind].test(f.text));
}

/** Parsed `argoproj.io` documents of one kind, with the file that holds each. */
function argoDocuments(scan: RepoScan, kind: 'Application' | 'AppProject'): { object: JsonObject; file: string }[] {
  return argoCandidates(scan, kind).flatMap(({ file, text }) => argoDocumentsIn(file, text, kind));
}

/** Applications whose source path is `targetDir`. */
export function applicationsFor(apps: readonly ApplicationDoc[], repoRoot: string, targetDir: string): ApplicationDoc[] {
  const rel = normalizeSourcePath(path.relative(repoRoot, targetDir));
  return apps.filter((a) => sourcePaths(a.object).some((p) => normalizeSourcePath(p) === rel));
}

/**
 * `resources:` / `bases:` / `components:` entries of a kustomization, as absolute paths
 * (unparsable: none). Read as the renderer reads a kustomization (which then shares the parse).
 */
function kustomizationRefs(file: string, text: string): string[] {
  try {
    const docs = loadYamlDocuments(text, { file }, { scalars: 'yaml11' });
    const k = docs[0]?.value;
    if (!isObject(k)) return [];
    const dir = path.dirname(file);
    return localIncludes(k).map((r) => path.resolve(dir, r));
  } catch {
    return [];
  }
}

/** kustomizationRefs, parsed once per scan. */
function refsOf(scan: RepoScan, k: { file: string; text: string }): string[] {
  let r = scan.refs.get(k.file);
  if (!r) scan.refs.set(k.file, (r = kustomizationRefs(k.file, k.text)));
  return r;
}

/** The kustomization of each directory (of several in one directory, the last in sorted order, as before). */
function kustomizationsByDir(scan: RepoScan): Map<string, { file: string; text: string }> {
  return new Map(scan.kustomizations.map((k) => [path.dirname(k.file), k]));
}

/** What the discovery renders with: the renderer, which may be asked to leave some resource files out. */
export type DiscoveryRender = (
  dir: string,
  opts?: { skipResourceFile?: (file: string) => boolean },
) => { resources: { object: JsonObject; location: { file: string } }[]; files: string[] };

function isApplication(v: JsonObject): boolean {
  return v.kind === 'Application' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/');
}

/**
 * Renders `roots` and collects the Applications of `appFiles` they hold (each attributed to its
 * root); then the Applications of `plain` that no render covered, as written. `strict`: a root
 * that does not render throws (else its Application files count as written).
 */
function renderApplications(roots: readonly string[], appFiles: ReadonlySet<string>, plain: readonly ApplicationDoc[], render: (dir: string) => ReturnType<DiscoveryRender>, strict: boolean): ApplicationDoc[] {
  const out: ApplicationDoc[] = [];
  const covered = new Set<string>();
  for (const dir of roots) {
    let result;
    try {
      result = render(dir);
    } catch (e) {
      if (strict) throw e;
      continue; // Not renderable here: its Application files count as written.
    }
    for (const f of result.files) if (appFiles.has(f)) covered.add(f);
    for (const r of result.resources) {
      if (isApplication(r.object) && appFiles.has(r.location.file)) out.push({ object: r.object, file: r.location.file, via: dir });
    }
  }
  for (const a of plain) if (!covered.has(a.file)) out.push(a);
  return out;
}

/**
 * The Applications as ArgoCD sees them. The kustomizations that hold Application manifests
 * (directly, or through bases and components that do) are rendered from the top-most ones (those
 * no other such kustomization includes), so the namespace, labels and patches they apply to the
 * Applications count; each rendered Application keeps its provenance in its own file. An
 * Application file no kustomization includes (or whose kustomization does not render) is taken as
 * written. Only the files in `scope` are searched (Applications, AppProjects and the
 * kustomizations that hold them); a render reads whatever its kustomization names.
 */
export function discoverApplications(repoRoot: string, render: DiscoveryRender, scope: PathGlobSet = WHOLE_REPOSITORY): ApplicationDoc[] {
  const scan = scanRepository(repoRoot, scope);
  const plain = argoDocuments(scan, 'Application');
  const appFiles = new Set(plain.map((a) => a.file));
  if (appFiles.size === 0) return [];
  const refs = new Map([...kustomizationsByDir(scan)].map(([dir, k]) => [dir, refsOf(scan, k)]));
  // Kustomization directories that include an Application, directly or through another one.
  const holding = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const [dir, list] of refs) {
      if (holding.has(dir)) continue;
      if (list.some((r) => appFiles.has(r) || holding.has(r))) {
        holding.add(dir);
        changed = true;
      }
    }
  }
  const included = new Set([...holding].flatMap((d) => refs.get(d) ?? []));
  const roots = [...holding].filter((d) => !included.has(d)).sort();
  return renderApplications(roots, appFiles, plain, (d) => render(d), false);
}

function inside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

/**
 * Could the kustomization in `dir` name `target` (a file or directory) in its text? Its entry,
 * once normalized, is `path.relative(dir, target)`; normalizing only drops `.`, empty and
 * `x/..` segments, so every segment of that path after its leading `..`s is written in the entry.
 * Nothing after them (`target` is an ancestor of `dir`): any kustomization there could.
 */
function mayName(kustomizationText: string, dir: string, target: string, targetName = path.basename(target)): boolean {
  // Quick answer first: unless `target` is an ancestor of `dir`, its own name is the last segment.
  if (!kustomizationText.includes(targetName) && !(dir + path.sep).startsWith(target + path.sep)) return false;
  const segments = path.relative(dir, target).split(path.sep);
  while (segments[0] === '..') segments.shift();
  return segments.every((s) => s === '' || kustomizationText.includes(s));
}

/**
 * A transformer that could write an Application's fields from elsewhere than the Application's
 * own file or a literal patch: a replacement, var reference, name reference or CRD schema that
 * names the Application kind or its source path. Such a configuration is written in a
 * kustomization, or in a file one names under `replacements`, `transformers`, `configurations` or
 * `crds`, which is inside that kustomization's directory (kustomize's load restrictor; the
 * built-in renderer refuses a directory there). Looked for once per repository.
 */
const INDIRECT_NEEDLES = ['fieldPaths', 'varReference', 'nameReference', 'x-kubernetes-object-ref'];
/** Could this text configure a write into an Application (see findIndirectWrite)? */
function mayWriteIntoApplications(text: string): boolean {
  return INDIRECT_NEEDLES.some((n) => text.includes(n)) && (/kind["']?[ \t]*:[ \t]*["']?Application\b/.test(text) || /spec[./]sources?\b/.test(text));
}
function findIndirectWrite(scan: RepoScan): string | undefined {
  if (scan.indirect !== undefined) return scan.indirect ?? undefined;
  const needles = INDIRECT_NEEDLES;
  const writes = mayWriteIntoApplications;
  let found = scan.kustomizations.find((k) => writes(k.text))?.file;
  if (!found) {
    // The files of the directories whose kustomization may name a configuration file.
    const dirs = scan.kustomizations.filter((k) => /replacements|transformers|configurations|crds/.test(k.text)).map((k) => path.dirname(k.file) + path.sep);
    const ranges = dirs
      .map((dir): [number, number] => {
        const first = lowerBound(scan.files, dir);
        let end = first;
        while (end < scan.files.length && scan.files[end]!.startsWith(dir)) end++;
        return [first, end];
      })
      .sort((a, b) => a[0] - b[0]);
    const merged: [number, number][] = [];
    for (const [first, end] of ranges) {
      const last = merged[merged.length - 1];
      if (last && first <= last[1]) last[1] = Math.max(last[1], end);
      else merged.push([first, end]);
    }
    const hits = [...new Set(merged.flatMap(([first, end]) => needles.flatMap((n) => filesContaining(scan, n, first, end))))].sort((a, b) => a - b);
    found = hits.map((i) => ({ i, file: scan.files[i]! })).find(({ i }) => writes(textOf(scan, i)))?.file;
  }
  scan.indirect = found ?? null;
  return found;
}

/** The first index in the sorted `list` whose entry is not below `value`. */
function lowerBound(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * A path with these segments, however written in one YAML scalar: `./a//b/`, `a/x/../b`,
 * `a\\b`, `a\/b`, each segment whole (not part of a longer name) and in order, with no white
 * space between (see joinContinuedLines).
 */
function spelledPath(segments: readonly string[]): RegExp {
  const name = '[A-Za-z0-9_.-]';
  const whole = (s: string) => `(?<!${name})${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!${name})`;
  return new RegExp(segments.map(whole).join('\\S*?'));
}

/** The text with YAML's escaped line breaks (`\` at the end of a line in a double-quoted scalar) joined. */
function joinContinuedLines(text: string): string {
  return text.includes('\\\n') || text.includes('\\\r\n') ? text.replace(/\\\r?\n[ \t]*/g, '') : text;
}

export type FastDiscovery = { applications: ApplicationDoc[] } | { fallback: string };

/**
 * The Applications that may deploy `targetDirs`, found without parsing or rendering the rest of
 * the repository; or why the full discovery must answer instead. For each target (its path `rel`
 * in the repository):
 *
 * - the relevant Application files are those with a top-level `kind: Application` whose text
 *   spells `rel` (see spelledPath); the other Application files are never parsed;
 * - if any other file could give an Application that path (a patch or generator that writes
 *   `rel`, a relevant file used as a patch, a replacement or reference into Applications), the
 *   full discovery answers;
 * - the kustomizations that include the relevant files are found upwards, parsing only those whose
 *   text could name them, and the top-most are rendered with the other Application files left
 *   out (a render that fails then means: ask the full discovery);
 * - a file those renders read that the search did not (outside `scope`) is read then: if it
 *   spells a target's path or could write into Applications, the full discovery answers; so it
 *   does when, with a scope, no Application file spells a target's path at all.
 *
 * For every target, `applicationsFor(result, repoRoot, target)` is then what it is for the full
 * discovery of the same scope.
 */
export function discoverApplicationsFast(repoRoot: string, targetDirs: readonly string[], render: DiscoveryRender, scope: PathGlobSet = WHOLE_REPOSITORY): FastDiscovery {
  const scan = scanRepository(repoRoot, scope);
  const targets = targetDirs.map((d) => {
    const dir = path.resolve(d);
    return { dir, rel: normalizeSourcePath(path.relative(repoRoot, dir)) };
  });
  for (const t of targets) {
    if (t.rel === '' || t.rel === '..' || t.rel.startsWith('../') || path.isAbsolute(t.rel)) return { fallback: `${t.dir} is not a directory inside ${repoRoot}` };
  }
  const candidates = argoCandidates(scan, 'Application');
  const candidateFiles = new Set(candidates.map((c) => c.file));
  // Every file that may write a target's path, however spelled: its Application files are the
  // relevant ones; any other could be a patch, generator or replacement source that sets it.
  const relevantFiles = new Set<string>();
  const mentionedInTarget: string[] = [];
  const spellings: { rel: string; spelled: RegExp }[] = [];
  for (const t of targets) {
    const segments = t.rel.split('/');
    if (segments.some((s) => /\s/.test(s))) return { fallback: `the path ${t.rel} holds white space` };
    const spelled = spelledPath(segments);
    spellings.push({ rel: t.rel, spelled });
    const longest = segments.reduce((a, b) => (b.length >= a.length ? b : a));
    for (const i of filesContaining(scan, longest)) {
      const file = scan.files[i]!;
      if (!spelled.test(joinContinuedLines(textOf(scan, i)))) continue;
      if (candidateFiles.has(file)) relevantFiles.add(file);
      // The target's own files may well name it (annotations, tooling); they matter only if a
      // kustomization that holds Applications could read them (below).
      else if (inside(file, t.dir)) mentionedInTarget.push(file);
      else return { fallback: `${file} mentions ${t.rel}` };
    }
  }
  const relevant = candidates.filter((c) => relevantFiles.has(c.file));
  const indirect = findIndirectWrite(scan);
  if (indirect) return { fallback: `${indirect} may write into Applications (replacement, var or name reference)` };

  const byDir = kustomizationsByDir(scan);
  const refsIn = (dir: string): string[] => {
    const k = byDir.get(dir);
    return k ? refsOf(scan, k) : [];
  };
  // A file in a target that names the target can be read by the kustomizations at or above it
  // only (a file must be inside its kustomization's directory): none of them may hold an Application.
  const holdsAnyApplication = (dir: string, seen: Set<string>): boolean => {
    if (seen.has(dir)) return false;
    seen.add(dir);
    return refsIn(dir).some((r) => candidateFiles.has(r) || (byDir.has(r) && holdsAnyApplication(r, seen)));
  };
  for (const file of mentionedInTarget) {
    for (let dir = path.dirname(file); dir === repoRoot || inside(dir, repoRoot); dir = path.dirname(dir)) {
      if (byDir.has(dir) && holdsAnyApplication(dir, new Set())) return { fallback: `${file} mentions its target and ${dir} holds Applications` };
      if (dir === repoRoot) break;
    }
  }

  // A relevant file named by a kustomization that may read it (at or above it), other than as a
  // resource, may be a patch (an Application-shaped strategic-merge patch, say) that sets the
  // path of another Application.
  for (const file of relevantFiles) {
    const name = path.basename(file);
    for (let dir = path.dirname(file); dir === repoRoot || inside(dir, repoRoot); dir = path.dirname(dir)) {
      const k = byDir.get(dir);
      // (A line that is all comment names nothing: `#- app.yaml` is a resource left out.)
      if (k && mayName(k.text.replace(/^[ \t]*#.*$/gm, ''), dir, file, name) && !refsIn(dir).includes(file)) return { fallback: `${k.file} names ${file} other than as a resource` };
      if (dir === repoRoot) break;
    }
  }

  // Every file a kustomization can read was searched, unless a scope left some out: those could set the path.
  if (relevant.length === 0) return scope.everything ? { applications: [] } : { fallback: 'no Application file in the search scope spells the path; a file outside it could set it' };
  const plain = relevant.flatMap(({ file, text }) => argoDocumentsIn(file, text, 'Application'));
  const appFiles = new Set(plain.map((a) => a.file));
  if (appFiles.size === 0) return { applications: [] };

  // The kustomizations that include a relevant Application file, directly or through others.
  const holding = new Set<string>();
  const included = new Set<string>();
  const queue = [...appFiles];
  const queued = new Set(queue);
  while (queue.length) {
    const x = queue.shift()!;
    const name = path.basename(x);
    for (const [dir, k] of byDir) {
      if (!mayName(k.text, dir, x, name) || !refsIn(dir).includes(x)) continue;
      included.add(x);
      holding.add(dir);
      if (!queued.has(dir)) {
        queued.add(dir);
        queue.push(dir);
      }
    }
  }
  const roots = [...holding].filter((d) => !included.has(d)).sort();
  const skip = (file: string): boolean => candidateFiles.has(file) && !relevantFiles.has(file);
  // What the searched files said of the target holds only if the files the renders read beyond them say nothing either.
  const unsearched = (files: readonly string[]): FastDiscovery | undefined => {
    for (const file of files) {
      const at = lowerBound(scan.files, file);
      if (scan.files[at] === file) continue;
      let text: string;
      try {
        text = nodeFs.readFileSync(file, 'utf8');
      } catch {
        continue; // The render read it through its own file system; unreadable here is no mention.
      }
      const joined = joinContinuedLines(text);
      const named = spellings.find((t) => t.spelled.test(joined));
      if (named) return { fallback: `${file} (read by the Applications' render, not searched) mentions ${named.rel}` };
      if (mayWriteIntoApplications(text)) return { fallback: `${file} (read by the Applications' render, not searched) may write into Applications` };
    }
    return undefined;
  };
  let refusal: FastDiscovery | undefined;
  let applications: ApplicationDoc[];
  try {
    applications = renderApplications(roots, appFiles, plain, (d) => {
      const r = render(d, { skipResourceFile: skip });
      refusal ??= unsearched(r.files);
      return r;
    }, true);
  } catch (e) {
    return { fallback: `rendering without the other Application files failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return refusal ?? { applications };
}

/**
 * The Applications that deploy `targetDirs` (see discoverApplicationsFast), else the full
 * discovery (`full`, by default discoverApplications). Either way, for each target,
 * `applicationsFor(result, repoRoot, target)` is the same.
 */
export function discoverApplicationsFor(
  repoRoot: string,
  targetDirs: readonly string[],
  render: DiscoveryRender,
  { scope = WHOLE_REPOSITORY, full = () => discoverApplications(repoRoot, render, scope) }: { scope?: PathGlobSet; full?: () => ApplicationDoc[] } = {},
): ApplicationDoc[] {
  let fast: FastDiscovery;
  try {
    fast = discoverApplicationsFast(repoRoot, targetDirs, render, scope);
  } catch {
    return full();
  }
  return 'applications' in fast ? fast.applications : full();
}

/** Names of the ArgoCD AppProjects defined in the repository's YAML files (those in `scope`). */
export function findAppProjects(repoRoot: string, scope: PathGlobSet = WHOLE_REPOSITORY): string[] {
  const names = new Set<string>();
  for (const { object } of argoDocuments(scanRepository(repoRoot, scope), 'AppProject')) {
    if (isObject(object.metadata) && typeof object.metadata.name === 'string') names.add(object.metadata.name);
  }
  return [...names].sort();
}
