/**
 * ArgoCD's `spec.source.kustomize`, applied as ArgoCD applies it.
 *
 * ArgoCD (reposerver, util/kustomize) does not layer the Application's settings on top of the
 * build: it edits a copy of the source directory's kustomization with `kustomize edit` before
 * running `kustomize build` there:
 *
 * - `namePrefix` / `nameSuffix`: `kustomize edit set nameprefix|namesuffix` (replaces the overlay's).
 * - `images`: `kustomize edit set image` per entry (`[name=]newName[:tag][@digest]`): an entry of
 *   the same name in the overlay is updated in place (a new tag drops its digest and vice versa),
 *   else a new entry is added.
 * - `replicas`: `kustomize edit set replicas name=count` (replaces the overlay's entry of that name).
 * - `commonLabels`: `kustomize edit add label` into `commonLabels`, or with `labelWithoutSelector`
 *   into a `labels` entry without selectors (`labelIncludeTemplates` includes templates); a key the
 *   overlay already has fails the build unless `forceCommonLabels`.
 * - `commonAnnotations`: `kustomize edit add annotation` (same rule, `forceCommonAnnotations`);
 *   with `commonAnnotationsEnvsubst` the values are expanded first from the Application's build
 *   environment (`${ARGOCD_APP_NAME}` and friends; unknown variables expand to nothing).
 * - `namespace`: `kustomize edit set namespace` (replaces the overlay's).
 * - `patches` / `components`: appended to the overlay's lists (`ignoreMissingComponents` skips a
 *   component directory that does not exist).
 *
 * So the values end up in the overlay's own kustomization and run in kustomize's order as if
 * written there; here they are merged into the loaded overlay (never written to disk), each with
 * the location of its line in the Application file. `version`, `kubeVersion` and `apiVersions`
 * choose tools or Helm inputs and change nothing here. The linter never checks out
 * `targetRevision`: the working tree is linted, and `${ARGOCD_APP_REVISION}` (and its `_SHORT`
 * forms) expand to `targetRevision` as a stand-in for the commit it resolves to.
 */
import path from 'node:path';
import type { ApplicationDoc } from '../model/kube.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import {
  cloneJson,
  getPath,
  isObject,
  locate,
  mapLocs,
  seqLocs,
  setField,
  type FieldPath,
  type Json,
  type JsonArray,
  type JsonObject,
  type PathSegment,
} from '../model/provenance.ts';
import type { FileSystem } from '../render/fs.ts';
import type { LoadedKustomization } from '../render/kustomization.ts';

/** The `spec.source.kustomize` settings that change what is rendered. */
const RENDER_FIELDS = [
  'namePrefix',
  'nameSuffix',
  'images',
  'replicas',
  'commonLabels',
  'commonAnnotations',
  'namespace',
  'patches',
  'components',
] as const;

/** Whether the source at `sourceAt` (e.g. `['spec', 'source']`) has kustomize settings that change the render. */
export function hasKustomizeOverrides(app: ApplicationDoc, sourceAt: FieldPath): boolean {
  const kz = getPath(app.object, [...sourceAt, 'kustomize']);
  return isObject(kz) && RENDER_FIELDS.some((f) => kz[f] !== undefined && kz[f] !== null);
}

/** The build environment ArgoCD gives `commonAnnotationsEnvsubst`, from the Application's own fields. */
export function buildEnvironment(app: ApplicationDoc, sourceAt: FieldPath): Record<string, string> {
  const str = (p: FieldPath) => {
    const v = getPath(app.object, p);
    return typeof v === 'string' ? v : '';
  };
  const revision = str([...sourceAt, 'targetRevision']);
  return {
    ARGOCD_APP_NAME: str(['metadata', 'name']),
    ARGOCD_APP_NAMESPACE: str(['spec', 'destination', 'namespace']),
    ARGOCD_APP_PROJECT_NAME: str(['spec', 'project']),
    ARGOCD_APP_REVISION: revision,
    ARGOCD_APP_REVISION_SHORT: revision.slice(0, 7),
    ARGOCD_APP_REVISION_SHORT_8: revision.slice(0, 8),
    ARGOCD_APP_SOURCE_PATH: str([...sourceAt, 'path']),
    ARGOCD_APP_SOURCE_REPO_URL: str([...sourceAt, 'repoURL']),
    ARGOCD_APP_SOURCE_TARGET_REVISION: revision,
  };
}

/** Go's os.Expand as ArgoCD uses it: `$VAR` and `${VAR}`; unknown variables expand to nothing. */
export function envsubst(value: string, env: Record<string, string>): string {
  return value.replace(
    /\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (_m, braced: string | undefined, bare: string | undefined) => env[braced ?? bare ?? ''] ?? '',
  );
}

/** `kustomize edit set image` syntax: `[name=]newName[:tag][@digest]`. */
export function parseImageOverride(spec: string): { name: string; newName?: string; newTag?: string; digest?: string } {
  let name: string | undefined;
  let rest = spec;
  const eq = spec.indexOf('=');
  if (eq >= 0) {
    name = spec.slice(0, eq);
    rest = spec.slice(eq + 1);
  }
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  const out: { name: string; newName?: string; newTag?: string; digest?: string } = { name: name ?? rest };
  if (name !== undefined && rest !== '') out.newName = rest;
  if (tag !== undefined) out.newTag = tag;
  if (digest !== undefined) out.digest = digest;
  return out;
}

/**
 * The edit ArgoCD makes to the overlay's kustomization for the source at `sourceAt` of `app`, as
 * a `RenderOptions.editTop` function.
 */
export function argocdKustomizeEdit(
  app: ApplicationDoc,
  sourceAt: FieldPath,
  fs: FileSystem,
): (k: LoadedKustomization) => LoadedKustomization {
  return (k) => {
    const base: PathSegment[] = [...sourceAt, 'kustomize'];
    const kz = getPath(app.object, base);
    if (!isObject(kz)) return k;
    const appAt = (...p: PathSegment[]): SourceLocation =>
      locate(app.object, [...base, ...p]) ?? { file: app.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    const raw = cloneJson(k.raw);
    const str = (v: Json | undefined) =>
      typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;

    for (const f of ['namePrefix', 'nameSuffix', 'namespace'] as const) {
      const v = str(kz[f]);
      if (v !== undefined && v !== '') setField(raw, f, v, appAt(f));
    }

    if (Array.isArray(kz.images)) {
      const images = ensureList(raw, 'images', appAt('images'));
      kz.images.forEach((spec, i) => {
        if (typeof spec !== 'string')
          throw new UserError('spec.source.kustomize.images entries must be strings ([name=]newName[:tag][@digest])', appAt('images', i));
        const loc = appAt('images', i);
        const o = parseImageOverride(spec);
        const j = images.findIndex((e) => isObject(e) && e.name === o.name);
        const entry: JsonObject = j >= 0 ? (images[j] as JsonObject) : {};
        if (j < 0) setField(entry, 'name', o.name, loc);
        if (o.newName !== undefined) setField(entry, 'newName', o.newName, loc);
        if (o.newTag !== undefined) {
          setField(entry, 'newTag', o.newTag, loc);
          if (o.digest === undefined) delete entry.digest;
        }
        if (o.digest !== undefined) {
          setField(entry, 'digest', o.digest, loc);
          if (o.newTag === undefined) delete entry.newTag;
        }
        if (j >= 0) seqLocs(images)[j] = loc;
        else {
          images.push(entry);
          seqLocs(images)[images.length - 1] = loc;
        }
      });
    }

    if (Array.isArray(kz.replicas)) {
      const replicas = ensureList(raw, 'replicas', appAt('replicas'));
      kz.replicas.forEach((r, i) => {
        if (!isObject(r) || typeof r.name !== 'string')
          throw new UserError('spec.source.kustomize.replicas entries need a name and a count', appAt('replicas', i));
        const count = typeof r.count === 'number' ? r.count : Number(r.count);
        if (!Number.isInteger(count))
          throw new UserError(`spec.source.kustomize.replicas count for "${r.name}" is not an integer`, appAt('replicas', i, 'count'));
        const entry: JsonObject = {};
        setField(entry, 'name', r.name, appAt('replicas', i, 'name'));
        setField(entry, 'count', count, appAt('replicas', i, 'count'));
        const j = replicas.findIndex((e) => isObject(e) && e.name === r.name);
        if (j >= 0) replicas[j] = entry;
        else replicas.push(entry);
        seqLocs(replicas)[j >= 0 ? j : replicas.length - 1] = appAt('replicas', i);
      });
    }

    if (isObject(kz.commonLabels)) {
      const force = kz.forceCommonLabels === true;
      const pairs: JsonObject = {};
      for (const key of Object.keys(kz.commonLabels)) setField(pairs, key, str(kz.commonLabels[key]) ?? '', appAt('commonLabels', key));
      if (kz.labelWithoutSelector === true) {
        const labels = ensureList(raw, 'labels', appAt('commonLabels'));
        const existing = new Set(labels.flatMap((l) => (isObject(l) && isObject(l.pairs) ? Object.keys(l.pairs) : [])));
        if (!force) refuseExisting(pairs, existing, 'label', 'forceCommonLabels', appAt);
        const entry: JsonObject = {};
        setField(entry, 'pairs', pairs, appAt('commonLabels'));
        if (kz.labelIncludeTemplates === true) setField(entry, 'includeTemplates', true, appAt('labelIncludeTemplates'));
        labels.push(entry);
        seqLocs(labels)[labels.length - 1] = appAt('commonLabels');
      } else {
        mergeMap(raw, 'commonLabels', pairs, force, 'label', 'forceCommonLabels', appAt);
      }
    }

    if (isObject(kz.commonAnnotations)) {
      const env = kz.commonAnnotationsEnvsubst === true ? buildEnvironment(app, sourceAt) : undefined;
      const pairs: JsonObject = {};
      for (const key of Object.keys(kz.commonAnnotations)) {
        const v = str(kz.commonAnnotations[key]) ?? '';
        setField(pairs, key, env ? envsubst(v, env) : v, appAt('commonAnnotations', key));
      }
      mergeMap(raw, 'commonAnnotations', pairs, kz.forceCommonAnnotations === true, 'annotation', 'forceCommonAnnotations', appAt);
    }

    if (Array.isArray(kz.patches)) {
      const patches = ensureList(raw, 'patches', appAt('patches'));
      kz.patches.forEach((p, i) => {
        if (!isObject(p)) throw new UserError('spec.source.kustomize.patches entries must be mappings', appAt('patches', i));
        patches.push(cloneJson(p));
        seqLocs(patches)[patches.length - 1] = appAt('patches', i);
      });
    }

    if (Array.isArray(kz.components)) {
      const components = ensureList(raw, 'components', appAt('components'));
      kz.components.forEach((c, i) => {
        if (typeof c !== 'string') throw new UserError('spec.source.kustomize.components entries must be strings', appAt('components', i));
        if (kz.ignoreMissingComponents === true && fs.kind(path.resolve(k.dir, c)) !== 'dir') return;
        components.push(c);
        seqLocs(components)[components.length - 1] = appAt('components', i);
      });
    }

    const fileStart: SourceLocation = { file: k.file, line: 1, column: 1, endLine: 1, endColumn: 1 };
    return { ...k, raw, k: raw as unknown as LoadedKustomization['k'], at: (...p: PathSegment[]) => locate(raw, p) ?? fileStart };
  };
}

function ensureList(raw: JsonObject, key: string, loc: SourceLocation): JsonArray {
  const v = raw[key];
  if (Array.isArray(v)) return v;
  const list: JsonArray = [];
  setField(raw, key, list, loc);
  return list;
}

/** `kustomize edit add label|annotation`: into the overlay's map; an existing key fails unless forced. */
function mergeMap(
  raw: JsonObject,
  key: string,
  pairs: JsonObject,
  force: boolean,
  what: string,
  forceField: string,
  appAt: (...p: PathSegment[]) => SourceLocation,
): void {
  let map = raw[key];
  if (!isObject(map)) {
    map = {};
    setField(raw, key, map, appAt(key));
  }
  if (!force) refuseExisting(pairs, new Set(Object.keys(map)), what, forceField, appAt, key);
  for (const k of Object.keys(pairs)) setField(map, k, pairs[k] as Json, mapLocs(pairs)[k]);
}

function refuseExisting(
  pairs: JsonObject,
  existing: Set<string>,
  what: string,
  forceField: string,
  appAt: (...p: PathSegment[]) => SourceLocation,
  key = 'commonLabels',
): void {
  for (const k of Object.keys(pairs)) {
    if (existing.has(k)) {
      throw new UserError(
        `the overlay already has the ${what} "${k}": ArgoCD's "kustomize edit add ${what}" fails on it (set ${forceField}: true to override)`,
        appAt(key, k),
      );
    }
  }
}
