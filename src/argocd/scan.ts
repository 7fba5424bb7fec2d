import path from 'node:path';
import { compileGlobSet, type PathGlobSet } from '../util/glob.ts';
import { nodeFileSystem, type DirEntry, type FileSystem } from '../util/fs.ts';
import { SKIPPED_DIRECTORIES, walkDirectories } from '../util/walk.ts';

/*
 * The repository scan behind the ArgoCD discovery: one walk over the files a kustomization can
 * read (in the search scope), their bytes kept for searching; the ArgoCD documents and the
 * kustomizations decoded. A scan is kept in the run's cache (ScanCache), never in module state:
 * the next run (a language server's next edit) scans again.
 */

export const KUSTOMIZATION_NAMES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization']);

/** Up to this many bytes of YAML/JSON, a scan keeps the files in memory; above, they are read again when searched. */
const KEEP_BYTES = 64 * 1024 * 1024;

/** What one walk of a repository finds; built once per root. */
export interface RepoScan {
  /** What the scan read through (files not kept are read again through it). */
  fs: FileSystem;
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

/** The scans of one run, by repository root and search scope. */
export type ScanCache = Map<string, RepoScan>;

/** What is at `p` itself (a symbolic link is a link), as its directory lists it; undefined: nothing. */
function entryKind(fs: FileSystem, p: string): DirEntry['kind'] | undefined {
  if (!fs.readDirEntries) return fs.kind(p);
  try {
    return fs.readDirEntries(path.dirname(p)).find((e) => e.name === path.basename(p))?.kind;
  } catch {
    return undefined;
  }
}

/** `rel` (a `/`-separated path below `repoRoot`) names a directory reached without a symbolic link or a skipped directory. */
function plainDirectory(fs: FileSystem, repoRoot: string, rel: string): boolean {
  let dir = repoRoot;
  for (const name of rel.split('/')) {
    if (SKIPPED_DIRECTORIES.has(name)) return false;
    dir = path.join(dir, name);
    if (entryKind(fs, dir) !== 'dir') return false;
  }
  return true;
}

/**
 * One synchronous walk of the repository's files in `scope` (of the directories its patterns can
 * match only): `.git` and `node_modules` are skipped, and symbolic links are never followed
 * (neither a linked directory nor a linked file is read). Every file is read once, as bytes; only
 * the ArgoCD ones (and kustomizations) are decoded.
 */
export function scanRepository(
  repoRoot: string,
  scope: PathGlobSet,
  scans: ScanCache = new Map(),
  fs: FileSystem = nodeFileSystem,
): RepoScan {
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
      if (parent !== '' && !plainDirectory(fs, repoRoot, parent)) continue;
      const kind = entryKind(fs, top);
      if (kind === 'file' && inScope(top)) (wanted(path.basename(top)) ? paths : others).push(top);
      if (kind !== 'dir' || SKIPPED_DIRECTORIES.has(path.basename(top))) continue;
    }
    walkDirectories(
      top,
      (dir, entries) => {
        for (const e of entries) {
          if (e.kind === 'file' && inScope(path.join(dir, e.name))) (wanted(e.name) ? paths : others).push(path.join(dir, e.name));
          // Symbolic links (and sockets, fifos, devices) are neither entered nor read.
        }
      },
      fs,
    );
  }
  const kustomizationTexts = new Map<string, string>();
  for (const file of paths) {
    if (!KUSTOMIZATION_NAMES.has(path.basename(file))) continue;
    try {
      kustomizationTexts.set(file, fs.readFile(file));
    } catch {
      // Unreadable: not searched, as any other file.
    }
  }
  paths.push(...namedByKustomizations(repoRoot, others, kustomizationTexts));
  paths.sort();
  const out: RepoScan = { fs, files: [], bytes: undefined, starts: [], argo: [], kustomizations: [], refs: new Map() };
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
      fs,
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
 * Reads `file` whole (through `fs`) into `space` (asked for room for at least `need` more bytes)
 * and `advance`; false if it cannot be read. `text`: its content, read already.
 */
function readInto(
  fs: FileSystem,
  file: string,
  space: (need: number) => { buf: Buffer; at: number },
  advance: (n: number) => void,
  text?: string,
): boolean {
  let bytes: Uint8Array;
  try {
    bytes = text !== undefined ? Buffer.from(text, 'utf8') : fs.readBytes ? fs.readBytes(file) : Buffer.from(fs.readFile(file), 'utf8');
  } catch {
    return false;
  }
  // One byte more than needed, for the separator.
  const { buf, at } = space(bytes.length + 1);
  buf.set(bytes, at);
  advance(bytes.length);
  return true;
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
export function filesContaining(scan: RepoScan, needle: string, first = 0, end = scan.files.length): number[] {
  const out: number[] = [];
  if (first >= end) return out;
  if (scan.bytes) {
    // Searched up to the end of file `end` - 1 only.
    const bytes = scan.bytes.subarray(0, scan.starts[end]);
    const n = Buffer.from(needle);
    for (let from = scan.starts[first]!; ;) {
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
      const raw = scan.fs.readBytes ? scan.fs.readBytes(scan.files[i]!) : Buffer.from(scan.fs.readFile(scan.files[i]!), 'utf8');
      b = Buffer.isBuffer(raw) ? raw : Buffer.from(raw);
    } catch {
      continue; // Gone since the scan.
    }
    if (b.indexOf(needle) >= 0) out.push(i);
  }
  return out;
}

export function textOf(scan: RepoScan, i: number): string {
  const file = scan.files[i]!;
  if (scan.bytes) return scan.bytes.toString('utf8', scan.starts[i], scan.starts[i + 1]! - 1);
  try {
    return scan.fs.readFile(file);
  } catch {
    return '';
  }
}

export function inside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

/** The first index in the sorted `list` whose entry is not below `value`. */
export function lowerBound(list: readonly string[], value: string): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
