/**
 * The steps that run a kustomization's own generators and transformers, as explicit ordered
 * lists in kustomize's order (api/internal/target/kusttarget.go and kusttarget_configplugin.go,
 * kustomize v5.5.0): the builtin generators (ConfigMapGenerator, SecretGenerator; kustomize's
 * third, the Helm chart inflator, is refused when the kustomization is loaded), then the
 * `generators:` plugin configurations; and the builtin transformers (PatchStrategicMerge, Patch,
 * Namespace, Prefix, Suffix, Label, Annotations, PatchJson6902, ReplicaCount, ImageTag,
 * Replacement), then the `transformers:` plugin configurations. The order decides the output
 * (a patch sees the names before the prefix; an image set by `images:` is what a replacement
 * reads), so it lives here and nowhere else; the builder runs the lists.
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { LOCS, isObject, locate, setField, type Json, type JsonObject } from '../../model/provenance.ts';
import { loadYamlDocuments } from '../../yaml/load.ts';
import type { LoadedKustomization } from '../kustomization.ts';
import { describeId, idOf, type ResMap, knownIds } from '../resource.ts';
import { metadataLabelSpecs, replicaSpecs } from '../transformers/default-field-specs.ts';
import { specApplies, visitFieldSpec, type FieldSpec } from '../transformers/field-specs.ts';
import { applyImageOverride, imageMatches, updatedImage } from '../transformers/images.ts';
import { addNamePrefixSuffix, setNamespace } from '../transformers/metadata.ts';
import type { Replacement } from '../transformers/replacements.ts';
import { KUSTOMIZE_VERSION } from '../version.ts';
import { recordTransformation } from './build-metadata.ts';
import { runPluginConfigs } from './builtin-plugins.ts';
import type { BuildContext } from './context.ts';
import { isInlineResource } from './inline-text.ts';
import { applyPatch, applySmpById, nullLabelsAsText, patchDocs } from './patches.ts';
import { applyStringMap, checkUniqueIds, notScalar, replaceAndSync, writeReplicaCount } from './shared-transforms.ts';
import { setScalarText } from '../untagged.ts';

export interface BuildStep {
  /** The kustomization fields the step reads (for a reader; kustomize's plugin kinds in the comment beside it). */
  fields: string;
  run(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void;
}

/** Run after the kustomization's resources, configurations and crds, before its components. */
export const GENERATOR_STEPS: readonly BuildStep[] = [
  // ConfigMapGenerator, then SecretGenerator, each entry in the order written.
  { fields: 'configMapGenerator', run: (ctx, k, resmap) => generateAll(ctx, k, resmap, 'configMapGenerator', 'ConfigMap') },
  { fields: 'secretGenerator', run: (ctx, k, resmap) => generateAll(ctx, k, resmap, 'secretGenerator', 'Secret') },
  { fields: 'generators', run: (ctx, k, resmap) => runPluginConfigs(ctx, k, resmap, 'generators') },
];

/** Run after the kustomization's components (whose transformers so also reach the generated objects). */
export const TRANSFORMER_STEPS: readonly BuildStep[] = [
  // PatchStrategicMergeTransformer
  { fields: 'patchesStrategicMerge', run: patchesStrategicMerge },
  // PatchTransformer, one per entry
  {
    fields: 'patches',
    run: (ctx, k, resmap) =>
      (k.k.patches ?? []).forEach((p, i) =>
        applyPatch(ctx, k, resmap, p, 'patches', (...r) => k.at('patches', i, ...r), { configuredIn: k.file, kind: 'PatchTransformer' }),
      ),
  },
  // NamespaceTransformer
  { fields: 'namespace', run: namespace },
  // PrefixTransformer, then SuffixTransformer
  { fields: 'namePrefix, nameSuffix', run: namePrefixSuffix },
  // LabelTransformer, one per labels entry and one for commonLabels
  { fields: 'labels, commonLabels', run: labels },
  // AnnotationsTransformer
  {
    fields: 'commonAnnotations',
    run: (ctx, k, resmap) => {
      if (k.k.commonAnnotations)
        applyStringMap(ctx, resmap, k.k.commonAnnotations, ctx.config(resmap).commonAnnotations, (...p) => k.at('commonAnnotations', ...p));
      if (nonEmpty(k.k.commonAnnotations))
        recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'AnnotationsTransformer' });
    },
  },
  // PatchJson6902Transformer, one per entry
  {
    fields: 'patchesJson6902',
    run: (ctx, k, resmap) =>
      (k.k.patchesJson6902 ?? []).forEach((p, i) =>
        applyPatch(ctx, k, resmap, p, 'patchesJson6902', (...r) => k.at('patchesJson6902', i, ...r), {
          configuredIn: k.file,
          kind: 'PatchJson6902Transformer',
        }),
      ),
  },
  // ReplicaCountTransformer, one per entry
  {
    fields: 'replicas',
    run: (ctx, k, resmap) =>
      (k.k.replicas ?? []).forEach((r, i) => {
        setReplicas(ctx, k, resmap, r, i);
        recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'ReplicaCountTransformer' });
      }),
  },
  // ImageTagTransformer, one per entry
  { fields: 'images', run: images },
  // ReplacementTransformer
  { fields: 'replacements', run: replacements },
  // The builtin plugin configurations of `transformers:`, after every builtin transformer.
  { fields: 'transformers', run: (ctx, k, resmap) => runPluginConfigs(ctx, k, resmap, 'transformers') },
];

const nonEmpty = (m: Record<string, string> | undefined) => !!m && Object.keys(m).length > 0;

function generateAll(
  ctx: BuildContext,
  k: LoadedKustomization,
  resmap: ResMap,
  field: 'configMapGenerator' | 'secretGenerator',
  kind: 'ConfigMap' | 'Secret',
): void {
  (k.k[field] ?? []).forEach((args, i) => ctx.addGenerated(k, resmap, kind, args, (...p) => k.at(field, i, ...p), field));
}

function patchesStrategicMerge(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  const smps = (k.k.patchesStrategicMerge ?? []).map((p, i) => {
    const loc = k.at('patchesStrategicMerge', i);
    // Kustomize first tries the entry as YAML resources, then as a path.
    const inline = p.includes('\n') || isInlineResource(p);
    const entry = inline ? { patch: p } : { path: p };
    return { docs: patchDocs(ctx, k, entry, () => loc).docs, loc };
  });
  if (smps.length && smps.every((p) => p.docs.length === 0)) {
    throw new UserError('patchesStrategicMerge: every patch is empty (kustomize refuses: "patch appears to be empty")', smps[0]!.loc);
  }
  const by = { configuredIn: k.file, kind: 'PatchStrategicMergeTransformer' };
  ctx.unrecordable.clear();
  for (const { docs, loc } of smps) for (const doc of docs) applySmpById(ctx, resmap, nullLabelsAsText(doc), loc, undefined, by);
  // buildMetadata transformerAnnotations: each builtin transformer kustomize configures for
  // this kustomization records itself on every object of the build so far, changed or not (but
  // where the patch took the annotations the records live in).
  if (smps.length)
    recordTransformation(
      ctx,
      resmap.items.filter((r) => !ctx.unrecordable.has(r)),
      by,
    );
}

function namespace(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  if (!k.k.namespace) return;
  setNamespace(resmap.items, k.k.namespace, k.at('namespace'));
  // configurations: namespace fieldSpecs beyond metadata/namespace.
  for (const spec of ctx.config(resmap).namespace) {
    if (spec.path === 'metadata/namespace') continue;
    for (const r of resmap.items) setStringAt('namespace', r.object, spec, () => k.k.namespace!, k.at('namespace'));
  }
  checkUniqueIds(resmap, k.at('namespace'), 'namespace');
  recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'NamespaceTransformer' });
}

function namePrefixSuffix(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  const prefix = k.k.namePrefix ? { value: k.k.namePrefix, loc: k.at('namePrefix') } : undefined;
  const suffix = k.k.nameSuffix ? { value: k.k.nameSuffix, loc: k.at('nameSuffix') } : undefined;
  // `configurations:` namePrefix / nameSuffix fieldSpecs on metadata/name replace the default
  // (metadata/name of every object): then only the kinds they list are renamed. Their other
  // paths get the prefix or suffix too.
  const renamed = (specs: readonly FieldSpec[]) => {
    const names = specs.filter((f) => f.path === 'metadata/name');
    return names.length ? resmap.items.filter((r) => names.some((f) => specApplies(f, r.object))) : resmap.items;
  };
  if (prefix) addNamePrefixSuffix(renamed(ctx.config(resmap).namePrefix), prefix, undefined);
  if (suffix) addNamePrefixSuffix(renamed(ctx.config(resmap).nameSuffix), undefined, suffix);
  for (const [by, specs] of [
    [prefix, ctx.config(resmap).namePrefix],
    [suffix, ctx.config(resmap).nameSuffix],
  ] as const) {
    if (!by) continue;
    for (const spec of specs) {
      if (spec.path === 'metadata/name') continue;
      for (const r of resmap.items)
        setStringAt(
          by === prefix ? 'namePrefix' : 'nameSuffix',
          r.object,
          spec,
          (v) => (typeof v === 'string' ? (by === prefix ? by.value + v : v + by.value) : undefined),
          by.loc,
        );
    }
  }
  if (prefix) recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'PrefixTransformer' });
  if (suffix) recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'SuffixTransformer' });
}

function labels(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  (k.k.labels ?? []).forEach((l, i) => {
    const specs: FieldSpec[] = [...metadataLabelSpecs];
    if (l.includeSelectors) specs.push(...ctx.config(resmap).commonLabels);
    else if (l.includeTemplates) specs.push(...ctx.config(resmap).templateLabels);
    specs.push(...ctx.config(resmap).labels);
    for (const f of l.fields ?? []) if (isObject(f as Json)) specs.push(f as FieldSpec);
    applyStringMap(ctx, resmap, l.pairs ?? {}, specs, (...p) => k.at('labels', i, 'pairs', ...p));
  });
  if (k.k.commonLabels)
    applyStringMap(ctx, resmap, k.k.commonLabels, ctx.config(resmap).commonLabels, (...p) => k.at('commonLabels', ...p));
  // One LabelTransformer per labels entry, and one for commonLabels, which also runs (empty)
  // when there are labels entries.
  const rec = () => recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'LabelTransformer' });
  for (const _ of k.k.labels ?? []) rec();
  if ((k.k.labels ?? []).length || nonEmpty(k.k.commonLabels)) rec();
}

function images(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  (k.k.images ?? []).forEach((img, i) => {
    if (img.tagSuffix !== undefined) {
      // Kustomize applies an entry twice to most containers (once per image filter it runs),
      // which only shows with tagSuffix: the suffix doubles. Declined rather than guessed.
      throw new UserError(
        'images[].tagSuffix is not implemented by the built-in renderer yet; use --renderer kustomize',
        k.at('images', i, 'tagSuffix'),
      );
    }
    const o = {
      name: img.name ?? '',
      ...(img.newName !== undefined ? { newName: img.newName } : {}),
      ...(img.newTag !== undefined ? { newTag: String(img.newTag) } : {}),
      ...(img.digest !== undefined ? { digest: img.digest } : {}),
      location: k.at('images', i),
    };
    for (const r of resmap.items) {
      const volumeImage = imageVolumeMatching(r.object, o.name);
      if (volumeImage) {
        throw new UserError(
          `images: "${o.name}" matches the image volume ${volumeImage} in ${describeId(idOf(r.object))}: kustomize ${KUSTOMIZE_VERSION}, which the built-in renderer follows, leaves image volumes alone, while later versions (ArgoCD pins 5.8.1) set them; render with --renderer kustomize to see what your kustomize does`,
          o.location,
        );
      }
      applyImageOverride(r.object, o);
      for (const spec of ctx.config(resmap).images) {
        // The image filter never creates a field (nor a map on the way), whatever `create`
        // says, and fails on a map or a list where the image belongs.
        visitFieldSpec(r.object, { ...spec, create: false }, undefined, (parent, key) => {
          const v = parent[key];
          if (v !== undefined && v !== null && typeof v === 'object') throw notScalar('images', spec.path, r.object, v, o.location);
          if (typeof v === 'string' && imageMatches(v, o.name)) setScalarText(parent, key, updatedImage(v, o), o.location);
        });
      }
    }
    recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'ImageTagTransformer' });
  });
}

function replacements(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap): void {
  (k.k.replacements ?? []).forEach((entry, i) => {
    if (entry.path !== undefined) {
      if (entry.source !== undefined || entry.targets !== undefined)
        throw new UserError('a replacement takes either "path" or source and targets, not both', k.at('replacements', i));
      const file = ctx.resolveFile(k, entry.path, k.at('replacements', i, 'path'));
      const start = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
      const docs = loadYamlDocuments(ctx.read(file), { file }, { scalars: 'yaml11' });
      if (docs.every((d) => d.value === null))
        throw new UserError(
          `replacements: ${entry.path} holds no replacement (kustomize: "unsupported replacement type encountered within replacement path: invalid")`,
          k.at('replacements', i, 'path'),
        );
      for (const d of docs) {
        if (d.value === null) continue;
        const list = Array.isArray(d.value) ? d.value : [d.value];
        list.forEach((rep, j) => {
          if (!isObject(rep)) throw new UserError('a replacement must be a mapping', d.location ?? start);
          const root = d.value as Json;
          const at = (...p: (string | number)[]) => locate(root as JsonObject, Array.isArray(root) ? [j, ...p] : p) ?? d.location ?? start;
          replaceAndSync(resmap, rep as Replacement, at);
        });
      }
      return;
    }
    replaceAndSync(resmap, entry, (...p) => k.at('replacements', i, ...p));
  });
  if ((k.k.replacements ?? []).length) recordTransformation(ctx, resmap.items, { configuredIn: k.file, kind: 'ReplacementTransformer' });
}

function setReplicas(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap, r: { name: string; count: number }, i: number): void {
  const loc = k.at('replicas', i, 'count');
  let hit = false;
  for (const res of resmap.items) {
    // Kustomize finds the resource by any of its ids (a kind changed by a JSON6902 patch
    // still counts as found), then sets the fields that apply to what it is now.
    const ids = knownIds(res).filter((id) => id.name === r.name);
    if (!ids.length) continue;
    const all = [...replicaSpecs, ...ctx.config(resmap).replicas];
    if (
      all.some((s) =>
        ids.some(
          (id) =>
            (s.kind === undefined || s.kind === id.kind) &&
            (s.group === undefined || s.group === id.group) &&
            (s.version === undefined || s.version === id.version),
        ),
      )
    )
      hit = true;
    const specs = all.filter((s) => specApplies(s, res.object));
    for (const s of specs)
      visitFieldSpec(res.object, s, loc, (parent, key) => {
        // A missing field is made only where the fieldSpec says create.
        if (!Object.hasOwn(parent, key) && !s.create) return;
        writeReplicaCount(parent, key, r.count, loc, { transformer: 'replicas', path: s.path, res, at: loc });
      });
  }
  if (!hit) {
    throw new UserError(
      `replicas: no Deployment, ReplicationController, ReplicaSet or StatefulSet is named "${r.name}"`,
      k.at('replicas', i, 'name'),
    );
  }
}

/** An image volume (`volumes[].image.reference`, Kubernetes 1.31) whose image an `images:` entry names, if any. */
function imageVolumeMatching(v: Json, name: string, inVolumes = false): string | undefined {
  if (Array.isArray(v)) {
    for (const item of v) {
      const ref = inVolumes && isObject(item) && isObject(item.image) ? item.image.reference : undefined;
      if (typeof ref === 'string' && imageMatches(ref, name)) return `"${isObject(item) ? String(item.name) : ''}" (${ref})`;
      const hit = imageVolumeMatching(item, name);
      if (hit) return hit;
    }
  } else if (isObject(v)) {
    for (const key of Object.keys(v)) {
      const hit = imageVolumeMatching(v[key]!, name, key === 'volumes');
      if (hit) return hit;
    }
  }
  return undefined;
}

/**
 * Sets a string at every place a custom fieldSpec reaches: `value` is given the current value
 * (undefined: leave it); a missing field is made only when the spec says create.
 */
function setStringAt(
  transformer: string,
  obj: JsonObject,
  spec: FieldSpec,
  value: (current: Json | undefined) => string | undefined,
  loc: SourceLocation,
): void {
  visitFieldSpec(obj, spec, loc, (parent, key) => {
    const has = Object.prototype.hasOwnProperty.call(parent, key) && parent[key] !== null;
    if (!has && !spec.create) return;
    const cur = parent[key];
    if (cur !== null && typeof cur === 'object') throw notScalar(transformer, spec.path, obj, cur, parent[LOCS]?.[key] ?? loc);
    const v = value(cur);
    if (v !== undefined) setField(parent, key, v, loc);
  });
}
