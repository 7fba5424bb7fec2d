import path from 'node:path';
import type { ApplicationDoc } from '../model/kube.ts';
import type { FileSystem } from '../util/fs.ts';
import type { PathGlobSet } from '../util/glob.ts';
import { argoCandidates, argoDocumentsIn, kustomizationsByDir, normalizeSourcePath, refsOf, type DiscoveryRender } from './documents.ts';
import { discoverApplications, renderApplications } from './full.ts';
import { filesContaining, inside, lowerBound, scanRepository, textOf, WHOLE_REPOSITORY, type RepoScan, type ScanCache } from './scan.ts';

/*
 * The fast discovery: the Applications that may deploy given targets, found without parsing or
 * rendering the rest of the repository, or the reason the full discovery must answer instead.
 */

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
  return (
    INDIRECT_NEEDLES.some((n) => text.includes(n)) &&
    (/kind["']?[ \t]*:[ \t]*["']?Application\b/.test(text) || /spec[./]sources?\b/.test(text))
  );
}

function findIndirectWrite(scan: RepoScan): string | undefined {
  if (scan.indirect !== undefined) return scan.indirect ?? undefined;
  const needles = INDIRECT_NEEDLES;
  const writes = mayWriteIntoApplications;
  let found = scan.kustomizations.find((k) => writes(k.text))?.file;
  if (!found) {
    // The files of the directories whose kustomization may name a configuration file.
    const dirs = scan.kustomizations
      .filter((k) => /replacements|transformers|configurations|crds/.test(k.text))
      .map((k) => path.dirname(k.file) + path.sep);
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
    const hits = [...new Set(merged.flatMap(([first, end]) => needles.flatMap((n) => filesContaining(scan, n, first, end))))].sort(
      (a, b) => a - b,
    );
    found = hits.map((i) => ({ i, file: scan.files[i]! })).find(({ i }) => writes(textOf(scan, i)))?.file;
  }
  scan.indirect = found ?? null;
  return found;
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
export function discoverApplicationsFast(
  repoRoot: string,
  targetDirs: readonly string[],
  render: DiscoveryRender,
  scope: PathGlobSet = WHOLE_REPOSITORY,
  scans?: ScanCache,
  fs?: FileSystem,
): FastDiscovery {
  const scan = scanRepository(repoRoot, scope, scans, fs);
  const targets = targetDirs.map((d) => {
    const dir = path.resolve(d);
    return { dir, rel: normalizeSourcePath(path.relative(repoRoot, dir)) };
  });
  for (const t of targets) {
    if (t.rel === '' || t.rel === '..' || t.rel.startsWith('../') || path.isAbsolute(t.rel))
      return { fallback: `${t.dir} is not a directory inside ${repoRoot}` };
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
      if (byDir.has(dir) && holdsAnyApplication(dir, new Set()))
        return { fallback: `${file} mentions its target and ${dir} holds Applications` };
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
      if (k && mayName(k.text.replace(/^[ \t]*#.*$/gm, ''), dir, file, name) && !refsIn(dir).includes(file))
        return { fallback: `${k.file} names ${file} other than as a resource` };
      if (dir === repoRoot) break;
    }
  }

  // Every file a kustomization can read was searched, unless a scope left some out: those could set the path.
  if (relevant.length === 0)
    return scope.everything
      ? { applications: [] }
      : { fallback: 'no Application file in the search scope spells the path; a file outside it could set it' };
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
        text = scan.fs.readFile(file);
      } catch {
        continue; // The render read it through its own file system; unreadable here is no mention.
      }
      const joined = joinContinuedLines(text);
      const named = spellings.find((t) => t.spelled.test(joined));
      if (named) return { fallback: `${file} (read by the Applications' render, not searched) mentions ${named.rel}` };
      if (mayWriteIntoApplications(text))
        return { fallback: `${file} (read by the Applications' render, not searched) may write into Applications` };
    }
    return undefined;
  };
  let refusal: FastDiscovery | undefined;
  let applications: ApplicationDoc[];
  try {
    applications = renderApplications(
      roots,
      appFiles,
      plain,
      (d) => {
        const r = render(d, { skipResourceFile: skip });
        refusal ??= unsearched(r.files);
        return r;
      },
      true,
    );
  } catch (e) {
    return { fallback: `rendering without the other Application files failed: ${e instanceof Error ? e.message : String(e)}` };
  }
  return refusal ?? { applications };
}

/**
 * The Applications that deploy `targetDirs` (see discoverApplicationsFast), else the full
 * discovery (`full`, by default discoverApplications). Either way, for each target,
 * `applicationsFor(result, repoRoot, target)` is the same. Why the fast path handed over is told
 * to `onFallback` (the CLI's --debug prints it); an exception is a bug and is not swallowed.
 */
export function discoverApplicationsFor(
  repoRoot: string,
  targetDirs: readonly string[],
  render: DiscoveryRender,
  {
    scope = WHOLE_REPOSITORY,
    scans,
    fs,
    full = () => discoverApplications(repoRoot, render, scope, scans, fs),
    onFallback,
  }: { scope?: PathGlobSet; scans?: ScanCache; fs?: FileSystem; full?: () => ApplicationDoc[]; onFallback?: (reason: string) => void } = {},
): ApplicationDoc[] {
  const fast = discoverApplicationsFast(repoRoot, targetDirs, render, scope, scans, fs);
  if ('applications' in fast) return fast.applications;
  onFallback?.(fast.fallback);
  return full();
}
