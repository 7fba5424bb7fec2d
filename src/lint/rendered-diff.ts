import path from 'node:path';
import { structuredPatch } from 'diff';
import { applicationsFor, findRepoRoot, normalizeSourcePath } from '../argocd/discover.ts';
import { argocdKustomizeEdit, hasKustomizeOverrides } from '../argocd/overrides.ts';
import type { ResolvedConfig } from '../engine/config.ts';
import type { ApplicationDoc } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import { getPath, isObject, stripProvenance, type FieldPath, type Json, type JsonObject } from '../model/provenance.ts';
import { renderKustomization } from '../render/build.ts';
import { cachingFileSystem, nodeFileSystem, type FileSystem } from '../render/fs.ts';
import { printKustomizeDocument } from '../yaml/print.ts';
import { displayPath } from '../util/display-path.ts';
import { affectedTargets } from './affected.ts';
import { baseRevision, preloadBaseApplications } from './base-revision.ts';
import { changedSinceBase, resolveBaseRef, type ResolvedBase } from './git-changes.ts';
import { newArgoCache, searchScope, type ArgoCache } from './lint-target.ts';
import { allTargets } from './targets.ts';

/**
 * `cilium-etcd-lint diff --base <ref>`: what a change does to what gets deployed. For each target
 * the change affects (as `--since` selects them), and for each ArgoCD Application's effective
 * render of it (its `spec.source.kustomize` applied), the rendered stream at the merge-base (read
 * from git objects) and in the working tree, compared object by object (kind/namespace/name): one
 * unified diff per added, removed or changed object, in a stable order. Secret `data` and
 * `stringData` values are never printed: each is shown as `<redacted>`, and a changed one as
 * `<redacted: changed>`.
 */

export interface ObjectDiff {
  /** `Kind/namespace/name` (`Kind/name` when cluster-scoped). */
  id: string;
  change: 'added' | 'removed' | 'changed';
  /** Unified diff hunks (`@@ ... @@` and their lines). */
  hunks: string;
}

export interface RenderDiff {
  target: string;
  /** The Application whose effective render this is (absent: the plain render). */
  application?: string;
  objects: ObjectDiff[];
  unchanged: number;
  /** A side that could not be rendered: its error (the other side's objects then count as added or removed). */
  baseError?: string;
  headError?: string;
}

export interface RenderedDiffOptions {
  cwd: string;
  base: string;
  config: ResolvedConfig;
  /** Directories to look for targets under (default: cwd). */
  dirs?: readonly string[];
  /** Changed paths (absolute); default: since the merge-base of `base`. */
  changed?: readonly string[];
  argocd: boolean;
}

export function renderedDiff(opts: RenderedDiffOptions): { diffs: RenderDiff[]; resolved: ResolvedBase; targets: string[] } {
  const resolved = resolveBaseRef(opts.base, opts.cwd, '--base');
  const changed = opts.changed ? [...opts.changed] : changedSinceBase(resolved);
  const headFs = cachingFileSystem(nodeFileSystem);
  const headCache = newArgoCache();
  const scope = searchScope(opts.config);
  const candidates = allTargets(opts.cwd, opts.dirs ?? []);
  const targets = affectedTargets(candidates, changed, {
    cwd: opts.cwd,
    fs: headFs,
    argocd: opts.argocd,
    scope,
    argoCache: headCache,
  }).targets;
  const tree = baseRevision(resolved);
  const baseFs = cachingFileSystem(tree);
  const baseCache = newArgoCache();
  if (opts.argocd) preloadBaseApplications(baseCache, tree, baseFs, scope);
  const diffs: RenderDiff[] = [];
  for (const target of targets) {
    const dir = path.resolve(opts.cwd, target);
    // The working tree's root; the base side's tree is the same repository at the merge-base.
    const root = findRepoRoot(dir, headFs);
    const plugins = opts.config.plugins ? { plugins: opts.config.plugins } : {};
    const side = (fs: FileSystem, cache: ArgoCache) => {
      const apps = opts.argocd && root ? applicationsFor(cache.apps.get(`${root}\0${scope.key}`) ?? [], root, dir) : [];
      const renders = new Map<string, { objects: JsonObject[] } | { error: string }>();
      renders.set(
        '',
        attempt(() => renderKustomization(dir, { fs, ...plugins }).resources.map((r) => r.object)),
      );
      for (const app of apps) {
        const at = sourceAt(app, root!, dir);
        if (!at || !hasKustomizeOverrides(app, at)) continue;
        const name = String(getPath(app.object, ['metadata', 'name']) ?? '');
        renders.set(
          name,
          attempt(() =>
            renderKustomization(dir, { fs, ...plugins, editTop: argocdKustomizeEdit(app, at, fs) }).resources.map((r) => r.object),
          ),
        );
      }
      return renders;
    };
    const head = side(headFs, headCache);
    const base = side(baseFs, baseCache);
    const names = [...new Set([...head.keys(), ...base.keys()])].sort();
    for (const name of names) {
      const h = head.get(name) ?? head.get('') ?? { objects: [] };
      const b = base.get(name) ?? base.get('') ?? { objects: [] };
      diffs.push({
        target,
        ...(name ? { application: name } : {}),
        ...compareRenders('objects' in b ? b.objects : [], 'objects' in h ? h.objects : []),
        ...('error' in b ? { baseError: b.error } : {}),
        ...('error' in h ? { headError: h.error } : {}),
      });
    }
  }
  return { diffs, resolved, targets };
}

function attempt(render: () => JsonObject[]): { objects: JsonObject[] } | { error: string } {
  try {
    return { objects: render() };
  } catch (e) {
    if (e instanceof UserError)
      return { error: e.location ? `${e.location.file}:${e.location.line}:${e.location.column}: ${e.message}` : e.message };
    throw e;
  }
}

function sourceAt(app: ApplicationDoc, root: string, dir: string): FieldPath | undefined {
  const rel = normalizeSourcePath(path.relative(root, dir));
  const spec = isObject(app.object.spec) ? app.object.spec : {};
  if (isObject(spec.source) && typeof spec.source.path === 'string' && normalizeSourcePath(spec.source.path) === rel)
    return ['spec', 'source'];
  if (Array.isArray(spec.sources)) {
    const i = spec.sources.findIndex((s) => isObject(s) && typeof s.path === 'string' && normalizeSourcePath(s.path) === rel);
    if (i >= 0) return ['spec', 'sources', i];
  }
  return undefined;
}

function objectId(o: JsonObject): string {
  const meta = isObject(o.metadata) ? o.metadata : {};
  const ns = typeof meta.namespace === 'string' && meta.namespace !== '' ? `${meta.namespace}/` : '';
  return `${String(o.kind ?? '')}/${ns}${String(meta.name ?? '')}`;
}

/** The two renders compared object by object (by kind/namespace/name, sorted). */
export function compareRenders(
  baseObjects: readonly JsonObject[],
  headObjects: readonly JsonObject[],
): Pick<RenderDiff, 'objects' | 'unchanged'> {
  const byId = (list: readonly JsonObject[]) => {
    const m = new Map<string, JsonObject>();
    for (const o of list) {
      let id = objectId(o);
      // Two objects of one identity (different API groups): keep both, apart.
      if (m.has(id)) id = `${id} (${String(o.apiVersion ?? '')})`;
      m.set(id, stripProvenance(o));
    }
    return m;
  };
  const b = byId(baseObjects);
  const h = byId(headObjects);
  const ids = [...new Set([...b.keys(), ...h.keys()])].sort();
  const objects: ObjectDiff[] = [];
  let unchanged = 0;
  for (const id of ids) {
    const [bo, ho] = redactSecrets(b.get(id), h.get(id));
    const before = bo ? printKustomizeDocument(bo) : '';
    const after = ho ? printKustomizeDocument(ho) : '';
    if (before === after) {
      unchanged++;
      continue;
    }
    const patch = structuredPatch(`base/${id}`, `head/${id}`, before, after, '', '', { context: 3 });
    const hunks = patch.hunks
      .map((hk) => `@@ -${hk.oldStart},${hk.oldLines} +${hk.newStart},${hk.newLines} @@\n${hk.lines.join('\n')}\n`)
      .join('');
    objects.push({ id, change: !bo ? 'added' : !ho ? 'removed' : 'changed', hunks });
  }
  return { objects, unchanged };
}

/** Secret values replaced on both sides: `<redacted>`, and on the head side `<redacted: changed>` where the value differs. */
function redactSecrets(base: JsonObject | undefined, head: JsonObject | undefined): [JsonObject | undefined, JsonObject | undefined] {
  const isSecret = (o: JsonObject | undefined) =>
    o !== undefined && o.kind === 'Secret' && (o.apiVersion === 'v1' || o.apiVersion === undefined);
  if (!isSecret(base) && !isSecret(head)) return [base, head];
  const b = base ? (JSON.parse(JSON.stringify(base)) as JsonObject) : undefined;
  const h = head ? (JSON.parse(JSON.stringify(head)) as JsonObject) : undefined;
  for (const field of ['data', 'stringData']) {
    const bv = b && isObject(b[field]) ? (b[field] as JsonObject) : undefined;
    const hv = h && isObject(h[field]) ? (h[field] as JsonObject) : undefined;
    const mask = (v: JsonObject | undefined, other: JsonObject | undefined, isHead: boolean): void => {
      if (!v) return;
      for (const k of Object.keys(v)) {
        const changed = isHead && other !== undefined && Object.hasOwn(other, k) && JSON.stringify(other[k]) !== JSON.stringify(v[k]);
        (v as Record<string, Json>)[k] = changed ? '<redacted: changed>' : '<redacted>';
      }
    };
    const original = bv ? { ...bv } : undefined;
    mask(hv, original, true);
    mask(bv, undefined, false);
  }
  return [b, h];
}

/** The diffs as text: a section per target (and Application), a unified diff per object. */
export function formatDiffText(diffs: readonly RenderDiff[], cwd: string, ref: string): string {
  let out = '';
  for (const d of diffs) {
    out += `# ${displayPath(path.resolve(cwd, d.target), cwd)}${d.application ? ` (Application ${d.application})` : ''}\n`;
    if (d.baseError) out += `base (${ref}) could not be rendered: ${d.baseError}\n`;
    if (d.headError) out += `working tree could not be rendered: ${d.headError}\n`;
    for (const o of d.objects)
      out += `--- a/${o.id}${o.change === 'added' ? ' (added)' : ''}\n+++ b/${o.id}${o.change === 'removed' ? ' (removed)' : ''}\n${o.hunks}`;
    out += `${summaryLine(d)}\n\n`;
  }
  if (diffs.length === 0) out += `no target is affected by the changes since ${ref}\n`;
  return out;
}

function summaryLine(d: RenderDiff): string {
  const n = (c: ObjectDiff['change']) => d.objects.filter((o) => o.change === c).length;
  return `${n('added')} added, ${n('removed')} removed, ${n('changed')} changed, ${d.unchanged} unchanged`;
}

/**
 * The diffs as Markdown for a GitHub job summary: one collapsible block per target (and
 * Application). The whole stays within `maxBytes` (GitHub's step summary limit is 1 MiB): a block
 * that does not fit is cut, with a note saying so, and the rest are listed by name only.
 */
export function formatDiffMarkdown(diffs: readonly RenderDiff[], cwd: string, ref: string, maxBytes = 1000 * 1024): string {
  const head = `### Rendered changes since \`${ref}\`\n\n`;
  if (diffs.length === 0) return `${head}No target is affected.\n`;
  let out = head;
  const note = (s: string) => `\n_${s}_\n`;
  const fence = (body: string) => `\`\`\`diff\n${body.replace(/```/g, '`\u200b``')}\`\`\`\n`;
  for (const [i, d] of diffs.entries()) {
    const title = `${displayPath(path.resolve(cwd, d.target), cwd)}${d.application ? ` (Application ${d.application})` : ''}: ${summaryLine(d)}`;
    let body = '';
    if (d.baseError) body += `# base could not be rendered: ${d.baseError}\n`;
    if (d.headError) body += `# working tree could not be rendered: ${d.headError}\n`;
    for (const o of d.objects) body += `--- a/${o.id}\n+++ b/${o.id}\n${o.hunks}`;
    const open = `<details><summary>${escapeHtml(title)}</summary>\n\n`;
    const close = '\n</details>\n\n';
    const room = maxBytes - Buffer.byteLength(out) - Buffer.byteLength(open + close) - 200;
    if (room <= 0) {
      const rest = diffs.slice(i).map((x) => `${x.target}${x.application ? ` (${x.application})` : ''}`);
      out += note(
        `Truncated: the summary limit was reached; not shown: ${rest.join(', ')}. Run \`cilium-etcd-lint diff --base ${ref}\` to see them.`,
      );
      break;
    }
    let block = fence(body || '# no change in the rendered objects\n');
    if (Buffer.byteLength(block) > room) {
      const cut = Buffer.from(body)
        .subarray(0, Math.max(0, room - 300))
        .toString('utf8')
        .replace(/\n[^\n]*$/, '\n');
      block = fence(cut) + note('Truncated to fit the job summary.');
    }
    out += open + block + close;
  }
  return out;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
