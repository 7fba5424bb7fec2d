import path from 'node:path';
import { UserError } from '../../src/model/errors.ts';
import { renderKustomization, type RenderResult } from '../../src/render/build.ts';
import { kustomizationDependencies, type DependencyCache, type KustomizationDependencies } from '../../src/render/dependencies.ts';
import type { FileSystem } from '../../src/render/fs.ts';

/*
 * The oracle for the static dependency listing (src/render/dependencies.ts): a real render
 * through a FileSystem that records every path it touches.
 *
 * Recorded: every path given to readFile or readBytes; every path given to kind() that is an
 * existing file (a probe of a file the render depends on, e.g. which kustomization file a
 * directory holds); every path given to readDir; RenderResult.files and
 * RenderResult.kustomizationDirs.
 *
 * The comparison, for a target the built-in renderer renders (with `plugins: skip`, so that the
 * plugin configurations are read too):
 *   1. files: the set of files the render read or probed (and RenderResult.files) equals the
 *      static `files`, exactly: a file listed but not read is an over-listing, a file read but not
 *      listed (a patch, a generator input) is a miss, whether or not it lies under a `dirs` entry.
 *      The one exception: the executables of exec plugins (`programs`, also in `files`), which
 *      kustomize runs and the built-in renderer never reads, may be listed and not read;
 *   2. kustomizations: the static `kustomizations` equals RenderResult.kustomizationDirs (the
 *      same directories in the same order);
 *   3. directories: every directory the render listed (readDir) is a static `dirs` entry or lies
 *      under one, and every static `dirs` entry has something the render touched under it;
 *   4. a target that renders has nothing `missing`, no `remote` reference and no `error`.
 * For a target the renderer fails on (a UserError), every file it read before failing must be
 * listed (a subset check: it stopped early).
 */

export interface OracleOutcome {
  /** The render failed (a UserError): only what it read before is compared (see above). */
  renderError?: string;
  mismatches: string[];
  render?: RenderResult;
  listing: KustomizationDependencies;
}

export function recordingFileSystem(fs: FileSystem): { fs: FileSystem; files: Set<string>; listedDirs: Set<string> } {
  const files = new Set<string>();
  const listedDirs = new Set<string>();
  const rec: FileSystem = {
    readFile(p) {
      files.add(p);
      return fs.readFile(p);
    },
    kind(p) {
      const k = fs.kind(p);
      if (k === 'file') files.add(p);
      return k;
    },
    readDir(p) {
      listedDirs.add(p);
      return fs.readDir(p);
    },
    realPath: (p) => fs.realPath(p),
  };
  if (fs.readBytes) {
    rec.readBytes = (p) => {
      files.add(p);
      return fs.readBytes!(p);
    };
  }
  if (fs.size) rec.size = (p) => fs.size!(p);
  return { fs: rec, files, listedDirs };
}

const under = (p: string, d: string) => p === d || p.startsWith(d.endsWith(path.sep) ? d : d + path.sep);

/** Renders `dir` recording what it reads, lists it statically, and compares (see above). */
export function checkDependencies(dir: string, fs: FileSystem, opts: { root?: string; cache?: DependencyCache } = {}): OracleOutcome {
  const listing = kustomizationDependencies(dir, fs, opts);
  const recorder = recordingFileSystem(fs);
  let render: RenderResult;
  try {
    render = renderKustomization(dir, { fs: recorder.fs, plugins: 'skip', ...(opts.root !== undefined ? { root: opts.root } : {}) });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // What it read before it failed must be listed all the same.
    const mismatches = [...recorder.files]
      .sort()
      .filter((f) => !listing.files.includes(f))
      .map((f) => `read (before the render failed) but not listed: ${f}`);
    return { renderError: e.message, mismatches, listing };
  }
  const touched = new Set([...recorder.files, ...render.files]);
  const mismatches: string[] = [];
  const listed = new Set(listing.files);
  for (const f of [...touched].sort()) if (!listed.has(f)) mismatches.push(`read but not listed: ${f}`);
  // An exec plugin's executable (`programs`) is listed for kustomize, which runs it; the built-in renderer never reads it.
  for (const f of listing.files) if (!touched.has(f) && !listing.programs.includes(f)) mismatches.push(`listed but not read: ${f}`);
  if (JSON.stringify(listing.kustomizations) !== JSON.stringify(render.kustomizationDirs)) {
    mismatches.push(
      `kustomizations: listed ${JSON.stringify(listing.kustomizations)}, the render entered ${JSON.stringify(render.kustomizationDirs)}`,
    );
  }
  for (const d of recorder.listedDirs)
    if (!listing.dirs.some((x) => under(d, x))) mismatches.push(`directory listed by the render but not covered: ${d}`);
  for (const d of listing.dirs)
    if (![...touched, ...recorder.listedDirs].some((p) => under(p, d))) mismatches.push(`directory listed but nothing under it read: ${d}`);
  if (listing.missing.length) mismatches.push(`missing for a target that renders: ${listing.missing.join(', ')}`);
  if (listing.remote.length) mismatches.push(`remote for a target that renders: ${listing.remote.join(', ')}`);
  if (listing.error) mismatches.push(`error for a target that renders: ${listing.error.message}`);
  return { mismatches, render, listing };
}
