import path from 'node:path';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import type { FileSystem } from './fs.ts';

/*
 * What the renderer may read. The input is untrusted (the action runs on pull requests from
 * forks), so, like kustomize's default load restrictor (LoadRestrictionsRootOnly) and stricter:
 *
 * - a file (resource, patch, generator source, configuration) must resolve, after `..` and
 *   after symlinks, inside its kustomization's directory (checked where the file is referenced,
 *   see Builder.resolveFile);
 * - a directory (base, component), and every file read at all, must resolve inside the
 *   repository root (the nearest directory holding `.git`), so nothing outside the checkout is
 *   ever read, whatever the symlinks say;
 * - absolute paths and remote references (URLs, git and go-getter forms) are refused outright.
 *
 * Reads are bounded (size of one file, total bytes of a build), and the errors of the file
 * system (permissions, loops of symlinks, devices) are the user's errors, with the file named.
 */

/** Bytes of one file the renderer reads (the YAML loader has its own bound on text it parses). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;
/** Bytes one build may read in total. */
export const MAX_TOTAL_BYTES = 64 * 1024 * 1024;
/**
 * Kustomizations one build may enter. Each reference is built anew (as kustomize does), so a
 * directory listing the next one three times, twenty levels deep, would ask for 3^20 builds.
 */
export const MAX_KUSTOMIZATIONS = 1000;

const REMOTE_FORMS: readonly RegExp[] = [
  // Any URL scheme: https://, http://, ssh://, git://, file://, s3://, ...
  /^[a-z][a-z0-9+.-]*:\/\//i,
  // go-getter forced getters: git::https://..., s3::..., hg::...
  /^[a-z][a-z0-9+.-]*::/i,
  // scp-like git: git@github.com:org/repo.git
  /^[\w.-]+@[\w.-]+:/,
  // kustomize's shorthands and well-known hosts: gh:org/repo, github.com/org/repo//path
  /^gh:/i,
  /^(www\.)?(github\.com|gitlab\.com|bitbucket\.org|dev\.azure\.com|ssh\.dev\.azure\.com|git-codecommit\.[\w.-]+\.amazonaws\.com)(\/|:|$)/i,
  // A repository URL's query (?ref=, ?version=, ?timeout=, ?submodules=) or its `//` subdirectory mark.
  /\?(ref|version|timeout|submodules)=/i,
  /^[^/]+\.[a-z]{2,}\/[^?]*\/\//i,
];

/**
 * Whether `ref` is a remote resource in one of the forms kustomize accepts (plain URLs, git
 * repository URLs with `?ref=`, `git::`/go-getter forms, scp-like `git@host:`, `gh:` and
 * well-known hosts without a scheme). The built-in renderer never uses the network.
 */
export function isRemoteReference(ref: string): boolean {
  return REMOTE_FORMS.some((re) => re.test(ref.trim()));
}

/** A FileSystem whose every read is checked against the root; see restrictFileSystem. */
export interface RestrictedFileSystem extends FileSystem {
  /** The real path of the repository root every read must stay under; undefined outside a repository. */
  readonly restrictedRoot: string | undefined;
  /** Counts a kustomization the build enters; fails past MAX_KUSTOMIZATIONS. */
  enterKustomization(from: SourceLocation | undefined): void;
}

function inside(root: string, real: string): boolean {
  return real === root || real.startsWith(root.endsWith(path.sep) ? root : root + path.sep);
}

function fileStart(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function ioMessage(e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (err?.code === 'EACCES' || err?.code === 'EPERM') return 'permission denied';
  if (err?.code === 'ELOOP') return 'too many levels of symbolic links';
  if (err?.code === 'EISDIR') return 'is a directory';
  if (err?.code === 'ENOENT') return 'no such file or directory';
  return err?.code ?? String(err?.message ?? e);
}

/**
 * The repository root for a build of `dir`: the real path of the nearest directory at or above
 * it that holds `.git` (a directory, or a file in a worktree), or undefined.
 */
export function findRoot(fs: FileSystem, dir: string): string | undefined {
  let cur: string;
  try {
    cur = fs.realPath(path.resolve(dir));
  } catch {
    return undefined;
  }
  for (;;) {
    if (fs.kind(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/**
 * Wraps `fs` so that every read resolves inside `root` (after symlinks), is a regular file of
 * bounded size, and fails as a UserError naming the file instead of a Node.js error. The
 * Builder's own checks name the kustomization line responsible first; this is the backstop for
 * any read they do not cover (a kustomization file that is itself a symlink out of the tree,
 * a read added later).
 */
export function restrictFileSystem(fs: FileSystem, root: string | undefined): RestrictedFileSystem {
  if (root !== undefined) {
    try {
      root = fs.realPath(root);
    } catch {
      /* compared as given */
    }
  }
  let total = 0;
  let kustomizations = 0;
  const realPath = (p: string, at?: SourceLocation): string => {
    try {
      return fs.realPath(p);
    } catch (e) {
      throw new UserError(`cannot resolve ${p}: ${ioMessage(e)}`, at ?? fileStart(p));
    }
  };
  const checkRead = (p: string): void => {
    if (root !== undefined) {
      const real = realPath(p);
      if (!inside(root, real)) {
        throw new UserError(`refusing to read ${p}: it resolves to ${real}, outside the repository root ${root}`, fileStart(p));
      }
    }
    if (fs.kind(p) !== 'file') throw new UserError(`${p} is not a regular file`, fileStart(p));
  };
  const account = (p: string, bytes: number): void => {
    if (bytes > MAX_FILE_BYTES)
      throw new UserError(`file too large: ${bytes} bytes, more than the limit of ${MAX_FILE_BYTES}`, fileStart(p));
    total += bytes;
    if (total > MAX_TOTAL_BYTES)
      throw new UserError(`the build reads more than ${MAX_TOTAL_BYTES} bytes in total (this file passes the limit)`, fileStart(p));
  };
  const guarded: RestrictedFileSystem = {
    restrictedRoot: root,
    enterKustomization(from) {
      if (++kustomizations > MAX_KUSTOMIZATIONS) {
        throw new UserError(
          `the build enters more than ${MAX_KUSTOMIZATIONS} kustomizations (bases listed over and over, a reference bomb?)`,
          from,
        );
      }
    },
    readFile(p) {
      checkRead(p);
      const size = fs.size?.(p);
      if (size !== undefined && size > MAX_FILE_BYTES) account(p, size);
      let text: string;
      try {
        text = fs.readFile(p);
      } catch (e) {
        throw new UserError(`cannot read ${p}: ${ioMessage(e)}`, fileStart(p));
      }
      account(p, text.length);
      return text;
    },
    kind: (p) => fs.kind(p),
    readDir(p) {
      if (root !== undefined && !inside(root, realPath(p))) {
        throw new UserError(`refusing to list ${p}: it resolves outside the repository root ${root}`, fileStart(p));
      }
      try {
        return fs.readDir(p);
      } catch (e) {
        throw new UserError(`cannot list ${p}: ${ioMessage(e)}`, fileStart(p));
      }
    },
    realPath: (p) => realPath(p),
  };
  if (fs.readBytes) {
    const readBytes = fs.readBytes.bind(fs);
    guarded.readBytes = (p) => {
      checkRead(p);
      const size = fs.size?.(p);
      if (size !== undefined && size > MAX_FILE_BYTES)
        throw new UserError(`file too large: ${size} bytes, more than the limit of ${MAX_FILE_BYTES}`, fileStart(p));
      try {
        return readBytes(p);
      } catch (e) {
        throw new UserError(`cannot read ${p}: ${ioMessage(e)}`, fileStart(p));
      }
    };
  }
  if (fs.size) guarded.size = fs.size.bind(fs);
  return guarded;
}

/**
 * A base or component directory (already resolved to `real`) must lie inside the repository
 * root. `from` is the kustomization entry naming it (undefined for the build's own target).
 */
export function checkDirectory(fs: FileSystem, dir: string, from: SourceLocation | undefined): void {
  (fs as Partial<RestrictedFileSystem>).enterKustomization?.(from);
  const root = (fs as Partial<RestrictedFileSystem>).restrictedRoot;
  if (root === undefined) return;
  const real = fs.realPath(dir);
  if (!inside(root, real)) {
    const how = real === path.resolve(dir) ? '' : ` (it resolves through a symlink to ${real})`;
    throw new UserError(
      `directory ${dir} is outside the repository root ${root}${how}: the linter reads nothing outside the repository`,
      from,
    );
  }
}

/**
 * The directory a build of `dir` works in: `dir` itself, unless its last component is a
 * symlink, in which case its real path (`real`), from which kustomize resolves the base's own
 * relative paths (it builds from the EvalSymlinks of the root). Paths through no symlink keep
 * the form the user gave, so reported file names stay relative to the working directory.
 */
export function symlinkedDirectory(fs: FileSystem, dir: string, real: string): string {
  let parent: string;
  try {
    parent = fs.realPath(path.dirname(dir));
  } catch {
    return dir;
  }
  return path.join(parent, path.basename(dir)) === real ? dir : real;
}
