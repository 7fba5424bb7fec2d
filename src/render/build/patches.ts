/**
 * Patches: reading a patch (a file or inline text), choosing its targets, and applying it as a
 * strategic merge or as JSON6902 operations, for `patches`, `patchesStrategicMerge`,
 * `patchesJson6902` and their builtin plugin configurations alike.
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import {
  BARE_NULLS,
  LOCS,
  RAW_TEXT,
  cloneJson,
  isObject,
  setField,
  type Json,
  type JsonArray,
  type JsonObject,
} from '../../model/provenance.ts';
import { loadYamlDocuments, type TextOrigin } from '../../yaml/load.ts';
import type { LoadedKustomization, PatchEntry, Selector } from '../kustomization.ts';
import { syncLinks } from '../links.ts';
import { applyJsonPatch, parseJsonPatch, type JsonPatchOp } from '../patch/json6902.ts';
import { rootCursor } from '../patch/merge-schema.ts';
import { DELETED, strategicMerge } from '../patch/strategic-merge.ts';
import { describeId, idOf, rememberId, sameId, type ResId, type ResMap, type Resource, knownIds } from '../resource.ts';
import { selects } from '../select.ts';
import { checkUndecodable } from '../transformers/replacements.ts';
import type { BuildContext, Locator } from './context.ts';
import { recordTransformation } from './build-metadata.ts';
import { embeddedOrigin } from './inline-text.ts';
import { checkUniqueIds } from './shared-transforms.ts';

/**
 * Reads a patch given by path or inline, returning its documents (with locations mapped into
 * the file). Kustomize reads a JSON6902 patch (a list) with sigs.k8s.io/yaml and a
 * strategic-merge patch with kyaml: their plain scalars resolve differently (`yes` is a
 * boolean only in the former).
 */
export function patchDocs(
  ctx: BuildContext,
  k: LoadedKustomization,
  entry: { path?: string; patch?: string },
  at: Locator,
): { docs: Json[]; location: SourceLocation; text: string } {
  if (entry.path !== undefined && entry.patch !== undefined) {
    throw new UserError('a patch takes either "path" or "patch", not both', at());
  }
  let text: string;
  let origin: TextOrigin;
  let location: SourceLocation;
  if (entry.path !== undefined) {
    location = at('path');
    const file = ctx.resolveFile(k, entry.path, location);
    text = ctx.read(file);
    origin = { file };
  } else if (entry.patch !== undefined) {
    location = at('patch');
    text = entry.patch;
    // An inline patch lives where its entry was written (the kustomization, or an ArgoCD Application).
    origin = embeddedOrigin(ctx.fs.readFile(location.file), location.file, location);
  } else {
    throw new UserError('a patch needs "path" or "patch"', at());
  }
  const load = (scalars: 'kustomize' | 'yaml11') =>
    loadYamlDocuments(text, origin, { scalars })
      .map((d) => d.value)
      .filter((v) => v !== null);
  const docs = load('kustomize');
  return { docs: docs.length === 1 && Array.isArray(docs[0]) ? load('yaml11') : docs, location, text };
}

/**
 * One `patches:` or `patchesJson6902` entry (or a PatchTransformer / PatchJson6902Transformer
 * configuration), recorded for buildMetadata as `by` on every object of the build but those
 * whose build annotations it replaced (it is their origin then).
 */
export function applyPatch(
  ctx: BuildContext,
  k: LoadedKustomization,
  resmap: ResMap,
  p: PatchEntry,
  field: 'patches' | 'patchesJson6902',
  at: Locator,
  by: Transformation,
): void {
  ctx.unrecordable.clear();
  patchResources(ctx, k, resmap, p, field, at, by);
  recordTransformation(
    ctx,
    resmap.items.filter((r) => !ctx.unrecordable.has(r)),
    by,
  );
}

function patchResources(
  ctx: BuildContext,
  k: LoadedKustomization,
  resmap: ResMap,
  p: PatchEntry,
  field: 'patches' | 'patchesJson6902',
  at: Locator,
  by: Transformation,
): void {
  const { docs, location, text } = patchDocs(ctx, k, p, at);
  if (docs.length === 0) {
    // An empty text reads as a JSON6902 patch without operations; one with only comments or
    // blanks is neither kind of patch.
    if (text !== '')
      throw new UserError('the patch holds no YAML document (kustomize: "illegally qualifies as both an SM and JSON patch")', location);
    if (!p.target) throw new UserError('an empty patch is a JSON6902 patch, which needs a "target"', at());
    return;
  }
  const target = p.target;
  const jsonPatch = docs.length === 1 && Array.isArray(docs[0]) ? (docs[0] as JsonArray) : undefined;
  if (field === 'patchesJson6902' && !jsonPatch) throw new UserError('patchesJson6902 needs a list of JSON6902 operations', location);
  if (field === 'patchesJson6902' && !target?.name)
    throw new UserError(
      'a patchesJson6902 target must name its resource (kustomize: "must specify the target name")',
      p.target ? at('target') : at(),
    );
  if (jsonPatch) {
    if (!target) throw new UserError('a JSON6902 patch needs a "target"', at());
    const ops = parseJsonPatch(jsonPatch, location);
    const selected = selectTargets(ctx, resmap, target, at('target'));
    for (const res of selected) {
      // Kustomize's bookkeeping annotations mean every resource has an annotations map while
      // it is being patched (an empty one is dropped again from the output).
      // `patches:` records the id in an annotation first; a legacy patchesJson6902 entry finds
      // annotations only where kustomize keeps some of its own (after a rename or a namespace,
      // on a generated object, not one a generator replaced, with build annotations), else the
      // resource as it is.
      const meta = res.object.metadata;
      const bookkeeping =
        field === 'patches' ||
        !!res.history?.length ||
        (res.origin !== undefined && 'configuredIn' in res.origin && !res.replacedByGenerator) ||
        ctx.keepsBuildAnnotations;
      if (bookkeeping && isObject(meta) && (meta.annotations === undefined || meta.annotations === null)) meta.annotations = {};
      // `patches:` (not the legacy field) records the id first: a JSON6902 rename is followed by references.
      if (field === 'patches') rememberId(res);
      checkUndecodable(res, 'json-patch');
      const drops = dropsBuildAnnotations(ctx, ops);
      applyJsonPatch(res.object, ops);
      // Through JSON and back: no value node is shared any more.
      delete res.links;
      if (drops) {
        // Kustomize keeps an object's origin and its transformation records in annotations
        // while it builds (only its internal.config.kubernetes.io ones are put back after a
        // JSON6902 patch): an operation replacing or removing the whole annotations map (or
        // what holds it) loses them. Kustomize then takes the patch for the object's origin
        // (resmap AddTransformerAnnotation: no origin, so the transformer made it) and records
        // no transformation for it.
        res.origin = by;
        delete res.transformations;
        ctx.unrecordable.add(res);
      }
      // Kustomize applies it to the resource as JSON: scalars keep only their values.
      forgetSourceText(res.object);
    }
    return;
  }
  if (target && docs.filter((d) => d !== null).length > 1)
    throw new UserError(
      'a patches: entry with several strategic-merge documents cannot have a target (kustomize: "Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target` field")',
      at('target'),
    );
  let deleted = false;
  for (const doc of docs) {
    if (!isObject(doc)) throw new UserError('a strategic-merge patch must be a YAML mapping', location);
    if (!target) {
      // Kustomize (v5.5.0) leaves a deleted resource behind as a nil node until the entry is
      // done, and crashes looking up the next document's target.
      if (deleted)
        throw new UserError(
          'a patches: entry whose document deletes a resource ($patch: delete) cannot have further documents: kustomize crashes on it (nil pointer dereference)',
          location,
        );
      const before = resmap.items.length;
      // With allowNameChange/allowKindChange kustomize marks the patch with annotations first,
      // which rewrites its annotations as strings: a null there is its text, not a deletion.
      const marked = p.options?.allowNameChange || p.options?.allowKindChange;
      applySmpById(ctx, resmap, marked ? nullLabelsAsText(doc, ['annotations']) : doc, location, p.options, by);
      deleted = resmap.items.length < before;
      continue;
    }
    // Kustomize reads the patch as a resource first: without kind and metadata.name it is
    // neither a strategic-merge patch nor a JSON6902 one.
    const pid = idOf(doc);
    if (!pid.kind || !pid.name)
      throw new UserError(
        `a strategic-merge patch needs kind and metadata.name, even with a target (kustomize: "unable to parse SM or JSON patch": missing ${pid.kind ? 'metadata.name' : 'kind'})`,
        location,
      );
    // Kustomize patches every resource whose current id is that of a selected one
    // (resWrangler.ApplySmPatch: a set of ids): an earlier rename that gave two objects one id
    // patches (or deletes) both.
    const ids = selectTargets(ctx, resmap, target, at('target')).map((r) => idOf(r.object));
    for (const res of resmap.items.filter((r) => ids.some((id) => sameId(id, idOf(r.object)))))
      applySmp(ctx, resmap, res, nullLabelsAsText(doc) as JsonObject, location, p.options, by);
    // A targeted strategic-merge patch puts every resource back into the map one by one
    // (ResMap.ApplySmPatch): two objects with one id fail there, before any hash suffix, be
    // it this patch's rename or an earlier JSON6902 one (measured: an untargeted or legacy
    // strategic-merge patch does not rebuild the map, and hashes may still tell them apart).
    checkUniqueIds(resmap, location, 'the patch', 'may not add resource with an already registered id');
  }
}

/** The record a transformer leaves for buildMetadata (see build-metadata.ts). */
export type Transformation = NonNullable<Resource['transformations']>[number];

/** Where kustomize keeps an object's buildMetadata records while it builds, as JSON pointers. */
const BUILD_ANNOTATIONS = [
  '/metadata/annotations/config.kubernetes.io~1origin',
  '/metadata/annotations/alpha.config.kubernetes.io~1transformations',
];

/**
 * Whether JSON6902 operations lose the annotations kustomize keeps an object's origin and
 * transformation records in while it builds (with any buildMetadata): an add, replace,
 * remove, copy or move to `""`, `/metadata` or `/metadata/annotations`. What else could read
 * or write those annotations is not modelled (an operation on one of them, a copy or move from
 * what holds them, a test of it, a value bringing one along): with buildMetadata the build is
 * declined there rather than guessed.
 */
function dropsBuildAnnotations(ctx: BuildContext, ops: readonly JsonPatchOp[]): boolean {
  const holders = ['', '/metadata', '/metadata/annotations'];
  const inBuildAnnotation = (pth: string) => BUILD_ANNOTATIONS.some((b) => pth === b || pth.startsWith(`${b}/`));
  let drops = false;
  for (const o of ops) {
    if (o.op !== 'test' && holders.includes(o.path)) drops = true;
    const touched = [o.path, ...(o.from !== undefined ? [o.from] : [])];
    if (
      ctx.keepsBuildAnnotations &&
      ((o.op === 'test' && holders.includes(o.path)) ||
        (o.from !== undefined && holders.includes(o.from)) ||
        touched.some(inBuildAnnotation) ||
        (o.hasValue && mentionsBuildAnnotation(o.value as Json)))
    )
      throw new UserError(
        `JSON6902 ${o.op}: with buildMetadata, kustomize keeps its origin and transformation records in annotations while it builds, and this operation reads or writes them (an operation on one of them, a copy or move from metadata or its annotations, a test of them, or a value holding one); what kustomize makes of that is not implemented by the built-in renderer; use --renderer kustomize`,
        o.location,
      );
  }
  return drops;
}

/** A JSON value holding a key kustomize keeps buildMetadata records under. */
function mentionsBuildAnnotation(v: Json): boolean {
  if (Array.isArray(v)) return v.some(mentionsBuildAnnotation);
  if (!isObject(v)) return false;
  return Object.keys(v).some(
    (key) =>
      key === 'config.kubernetes.io/origin' ||
      key === 'alpha.config.kubernetes.io/transformations' ||
      mentionsBuildAnnotation(v[key] as Json),
  );
}

/** The resources a patch's `target` selects; selecting none is no error for kustomize, but worth a warning. */
function selectTargets(ctx: BuildContext, resmap: ResMap, target: Selector, loc: SourceLocation): Resource[] {
  const selected = resmap.items.filter((r) => selects(target, r, loc));
  if (!selected.length) ctx.warnings.push({ message: `patch target ${JSON.stringify(target)} selects no resource`, location: loc });
  return selected;
}

/** A strategic-merge patch without a target patches the one resource whose (any) id is the patch's own. */
export function applySmpById(
  ctx: BuildContext,
  resmap: ResMap,
  patch: Json,
  location: SourceLocation,
  options?: PatchEntry['options'],
  by?: Transformation,
): void {
  if (!isObject(patch)) throw new UserError('a strategic-merge patch must be a YAML mapping', location);
  const pid = idOf(patch);
  if (!pid.kind || !pid.name) throw new UserError('a strategic-merge patch without a target needs kind and metadata.name', location);
  const matches = resmap.items.filter((r) => knownIds(r).some((id) => sameId(id, pid)));
  // With resource files left out, the patch's resource may be one of them.
  if (matches.length === 0 && ctx.skipResourceFile) return;
  if (matches.length !== 1) {
    const hint = matches.length ? '' : closeMatchHint(resmap, pid);
    throw new UserError(
      matches.length
        ? `strategic-merge patch for ${describeId(pid)} matches ${matches.length} resources; give it a namespace or a target`
        : `no resource matches strategic-merge patch ${describeId(pid)}${hint}`,
      location,
    );
  }
  applySmp(ctx, resmap, matches[0]!, patch, location, options, by);
}

function applySmp(
  ctx: BuildContext,
  resmap: ResMap,
  res: Resource,
  patch: JsonObject,
  location: SourceLocation,
  options?: PatchEntry['options'],
  by?: Transformation,
): void {
  const id = idOf(res.object);
  const drops = smpDropsBuildAnnotations(ctx, patch, location);
  const apiVersion = typeof res.object.apiVersion === 'string' ? res.object.apiVersion : '';
  // Identity fields of the patch address the target; they never rename it, unless the entry's
  // options allow a new name or kind (the apiVersion and namespace stay the resource's). A copy
  // per target: the merge consumes its patch.
  const result = strategicMerge(res.object, withoutIdentity(cloneJson(patch)), rootCursor(apiVersion, id.kind, ctx.openapi), location);
  if (result === DELETED) {
    resmap.items.splice(resmap.items.indexOf(res), 1);
    return;
  }
  res.object = result;
  syncLinks(res);
  if (drops && by) {
    // As for a JSON6902 patch (dropsBuildAnnotations): the patch is the origin now.
    res.origin = by;
    delete res.transformations;
    ctx.unrecordable.add(res);
  }
  const newName = isObject(patch.metadata) ? patch.metadata.name : undefined;
  const renames = options?.allowNameChange && typeof newName === 'string' && newName !== id.name;
  const rekinds = options?.allowKindChange && typeof patch.kind === 'string' && patch.kind !== id.kind;
  if (options?.allowNameChange || options?.allowKindChange) rememberId(res);
  if (renames && isObject(result.metadata))
    setField(result.metadata, 'name', newName, (patch.metadata as JsonObject)[LOCS]?.name ?? location);
  if (rekinds) setField(result, 'kind', patch.kind as string, patch[LOCS]?.kind ?? location);
  // Kustomize puts the name, namespace and kind back after the merge (Resource.ApplySmPatch),
  // which a `$patch: replace` of metadata would otherwise have dropped.
  if (!isObject(result.metadata)) setField(result, 'metadata', {}, location);
  const m = result.metadata as JsonObject;
  // Compared as text (idOf reads an untagged name's text): a name that reads as a number stays one.
  const after = idOf(result);
  if (!renames && after.name !== id.name) setField(m, 'name', id.name, location);
  if (id.namespace && after.namespace !== id.namespace) setField(m, 'namespace', id.namespace, location);
  if (!rekinds && result.kind !== id.kind) setField(result, 'kind', id.kind, location);
}

/**
 * Whether a strategic-merge patch drops the annotations kustomize keeps an object's origin and
 * transformation records in while it builds: `$patch: replace` of the object, of its metadata
 * or of its annotations, a `$patch: delete` of either, or a null for either (a targeted or
 * legacy patch is read as a resource first, which makes a null annotations map nothing: see
 * nullLabelsAsText). A patch setting one of those annotations itself is not modelled: with
 * buildMetadata, declined.
 */
function smpDropsBuildAnnotations(ctx: BuildContext, patch: JsonObject, location: SourceLocation): boolean {
  const drops = (v: Json | undefined) => v === null || (isObject(v) && (v.$patch === 'replace' || v.$patch === 'delete'));
  const meta = patch.metadata;
  if (ctx.keepsBuildAnnotations && isObject(meta) && isObject(meta.annotations) && mentionsBuildAnnotation(meta.annotations))
    throw new UserError(
      'a strategic-merge patch sets an annotation kustomize keeps its buildMetadata records in while it builds (config.kubernetes.io/origin, alpha.config.kubernetes.io/transformations); what kustomize makes of that is not implemented by the built-in renderer; use --renderer kustomize',
      location,
    );
  return patch.$patch === 'replace' || drops(meta) || (isObject(meta) && drops(meta.annotations));
}

/**
 * A patch given through patchesStrategicMerge or with a target is read by kustomize as a
 * resource first, whose labels and annotations are string maps: there a null (`null`, `~`, or
 * nothing) is no deletion but the text written ("null", "~", ""), and a null map is none (the
 * object's is left alone). A plain `patches:` entry without a target deletes.
 */
export function nullLabelsAsText(doc: Json, fields: readonly string[] = ['labels', 'annotations']): Json {
  if (!isObject(doc) || !isObject(doc.metadata)) return doc;
  for (const field of fields) {
    const map = doc.metadata[field];
    // A null map is no map: the patch leaves the object's alone.
    if (map === null) delete doc.metadata[field];
    if (!isObject(map)) continue;
    for (const key of Object.keys(map)) if (map[key] === null) map[key] = map[RAW_TEXT]?.[key] ?? (map[BARE_NULLS]?.has(key) ? '' : 'null');
    delete map[BARE_NULLS];
  }
  return doc;
}

/** Why a patch by id found nothing, when the reason is the classic one: the namespace. */
function closeMatchHint(resmap: ResMap, pid: ResId): string {
  const near = resmap.items.find((r) => knownIds(r).some((id) => sameId({ ...id, namespace: pid.namespace }, pid)));
  if (!near) return '';
  const ns = idOf(near.object).namespace;
  return ` (${describeId(idOf(near.object))} differs only in namespace: a patch without a target must name the resource's namespace${ns ? ` "${ns}"` : ''})`;
}

/** The patch without apiVersion/kind/metadata.name/namespace (they select, they do not set). */
function withoutIdentity(patch: JsonObject): JsonObject {
  const out: JsonObject = { ...patch };
  if (patch[LOCS]) out[LOCS] = patch[LOCS];
  delete out.apiVersion;
  delete out.kind;
  if (isObject(patch.metadata)) {
    const meta: JsonObject = { ...patch.metadata };
    if (patch.metadata[LOCS]) meta[LOCS] = patch.metadata[LOCS];
    delete meta.name;
    delete meta.namespace;
    out.metadata = meta;
  }
  return out;
}

/** What a round trip through JSON loses: how scalars were written (see BARE_NULLS, RAW_TEXT). */
function forgetSourceText(v: Json): void {
  if (Array.isArray(v)) v.forEach(forgetSourceText);
  else if (isObject(v)) {
    delete v[RAW_TEXT];
    delete v[BARE_NULLS];
    for (const k of Object.keys(v)) forgetSourceText(v[k] as Json);
  }
}
