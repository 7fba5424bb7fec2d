/**
 * `generators:` / `transformers:` entries: plugin configurations, read from a file or written
 * inline. Kustomize's own builtin plugins (apiVersion: builtin) are configuration, not
 * programs: the ones in BUILTIN_PLUGINS run here, in process, as data. Any other plugin would
 * run a program and fails the build, naming the cause (or, with `plugins: skip`, a generator is
 * left out with a warning).
 */
import path from 'node:path';
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { isObject, locate, setField, type Json, type JsonObject } from '../../model/provenance.ts';
import { loadYamlDocuments } from '../../yaml/load.ts';
import type { GeneratorArgs } from '../generators.ts';
import type { LoadedKustomization, PatchEntry, Selector } from '../kustomization.ts';
import { idOf, knownIds, makeResource, type ResMap } from '../resource.ts';
import { visitFieldSpec, type FieldSpec } from '../transformers/field-specs.ts';
import { applyImageOverride, imageMatches, updatedImage, type ImageOverride } from '../transformers/images.ts';
import { addNamePrefixSuffix, setNamespace } from '../transformers/metadata.ts';
import type { Replacement } from '../transformers/replacements.ts';
import { setScalarText } from '../untagged.ts';
import { KUSTOMIZE_VERSION } from '../version.ts';
import { recordTransformation } from './build-metadata.ts';
import type { BuildContext, Locator } from './context.ts';
import { isInlineResource } from './inline-text.ts';
import { applyPatch, applySmpById, nullLabelsAsText, patchDocs } from './patches.ts';
import { applyStringMap, checkUniqueIds, notScalar, replaceAndSync, writeReplicaCount } from './shared-transforms.ts';

/** One builtin plugin configuration, as its handler sees it. */
interface PluginCall {
  ctx: BuildContext;
  /** The kustomization whose `generators:` / `transformers:` names the configuration. */
  k: LoadedKustomization;
  resmap: ResMap;
  /** The configuration itself. */
  doc: JsonObject;
  kind: string;
  /** Its metadata (an empty map when it has none). */
  meta: JsonObject;
  /** A path inside the configuration (falls back to `loc`). */
  at: Locator;
  /** The `generators:` / `transformers:` entry. */
  loc: SourceLocation;
  /** The file the configuration was written in (buildMetadata records it). */
  configuredIn: string;
}

interface BuiltinPlugin {
  /** The kustomization field that runs it: a generator under `transformers:` (or the reverse) is refused. */
  field: 'generators' | 'transformers';
  /** The forms of the configuration the renderer implements (absent: every form); any other is refused, naming the kind. */
  implements?: (c: PluginCall) => boolean;
  run(c: PluginCall): void;
}

/**
 * The configuration's own name and namespace, for the records of buildMetadata (kustomize's
 * OriginFromCustomPlugin: an empty one is left out).
 */
const nameOf = (meta: JsonObject): { name?: string; namespace?: string } => ({
  ...(typeof meta.name === 'string' && meta.name ? { name: meta.name } : {}),
  ...(typeof meta.namespace === 'string' && meta.namespace ? { namespace: meta.namespace } : {}),
});

/** ConfigMapGenerator / SecretGenerator: the generator's own name and namespace, else the plugin configuration's. */
const generatorPlugin = (kind: 'ConfigMap' | 'Secret'): BuiltinPlugin => ({
  field: 'generators',
  run({ ctx, k, resmap, doc, meta, at, configuredIn }) {
    const { metadata: _m, apiVersion: _a, kind: _k, ...rest } = doc as Record<string, unknown>;
    const args = { ...rest, name: rest.name ?? meta.name, namespace: rest.namespace ?? meta.namespace } as GeneratorArgs;
    ctx.addGenerated(k, resmap, kind, args, at, 'generators', configuredIn, nameOf(meta));
  },
});

/** LabelTransformer / AnnotationsTransformer: the map into the configuration's own fieldSpecs. */
const stringMapPlugin = (mapField: 'labels' | 'annotations'): BuiltinPlugin => ({
  field: 'transformers',
  run({ ctx, resmap, doc, kind, meta, at, configuredIn }) {
    const pairs = doc[mapField];
    if (pairs !== undefined && pairs !== null && !isObject(pairs)) throw new UserError(`${kind}: ${mapField} must be a map`, at(mapField));
    const specs = (Array.isArray(doc.fieldSpecs) ? doc.fieldSpecs : []).map((f, j) => pluginFieldSpec(f, at('fieldSpecs', j)));
    if (isObject(pairs) && Object.keys(pairs).length) applyStringMap(ctx, resmap, pairs, specs, (...p) => at(mapField, ...p));
    recordTransformation(ctx, resmap.items, { configuredIn, kind, ...nameOf(meta) });
  },
});

/**
 * The builtin plugins the renderer runs, one entry per kind. A kind missing here (or a form its
 * entry does not implement) stops the build naming it, never a silent skip.
 */
const BUILTIN_PLUGINS: Readonly<Record<string, BuiltinPlugin>> = {
  ConfigMapGenerator: generatorPlugin('ConfigMap'),
  SecretGenerator: generatorPlugin('Secret'),
  IAMPolicyGenerator: {
    field: 'generators',
    // Only the GKE form: a workload-identity ServiceAccount.
    implements: ({ doc }) => doc.cloud === 'gke',
    run({ resmap, doc, kind, meta, at, loc, configuredIn }) {
      const ksa = isObject(doc.kubernetesService) ? doc.kubernetesService : {};
      const gsa = isObject(doc.serviceAccount) ? doc.serviceAccount : {};
      const obj: JsonObject = {};
      setField(obj, 'apiVersion', 'v1', loc);
      setField(obj, 'kind', 'ServiceAccount', loc);
      const m: JsonObject = {};
      setField(obj, 'metadata', m, loc);
      const ann: JsonObject = {};
      setField(m, 'annotations', ann, at('serviceAccount'));
      setField(
        ann,
        'iam.gke.io/gcp-service-account',
        `${String(gsa.name ?? '')}@${String(gsa.projectId ?? '')}.iam.gserviceaccount.com`,
        at('serviceAccount'),
      );
      setField(m, 'name', String(ksa.name ?? ''), at('kubernetesService', 'name'));
      if (typeof ksa.namespace === 'string' && ksa.namespace) setField(m, 'namespace', ksa.namespace, at('kubernetesService', 'namespace'));
      const res = makeResource(obj, loc);
      res.origin = { configuredIn, kind, ...nameOf(meta) };
      resmap.add(res);
    },
  },
  ReplacementTransformer: {
    field: 'transformers',
    run({ ctx, resmap, doc, kind, meta, at, configuredIn }) {
      const reps = Array.isArray(doc.replacements) ? doc.replacements : [];
      reps.forEach((rep, j) => {
        if (!isObject(rep)) throw new UserError('a replacement must be a mapping', at('replacements', j));
        replaceAndSync(resmap, rep as Replacement, (...p) => at('replacements', j, ...p));
      });
      recordTransformation(ctx, resmap.items, { configuredIn, kind, ...nameOf(meta) });
    },
  },
  NamespaceTransformer: {
    field: 'transformers',
    // Only what `namespace:` does: metadata.namespace (kustomize's other namespace places are not modelled here).
    implements: ({ doc, meta }) => typeof meta.namespace === 'string' && namespaceSpecsOnly(doc.fieldSpecs),
    run({ ctx, resmap, doc, kind, meta, at, configuredIn }) {
      const namespace = meta.namespace as string;
      const subjects = doc.setRoleBindingSubjects ?? 'defaultOnly';
      if (subjects !== '' && subjects !== 'defaultOnly' && subjects !== 'none' && subjects !== 'allServiceAccounts')
        throw new UserError(
          `${kind}: setRoleBindingSubjects must be defaultOnly, none or allServiceAccounts (kustomize: "invalid value ${JSON.stringify(subjects)} for setRoleBindingSubjects")`,
          at('setRoleBindingSubjects'),
        );
      if (doc.unsetOnly !== undefined && doc.unsetOnly !== null && typeof doc.unsetOnly !== 'boolean')
        throw new UserError(`${kind}: unsetOnly must be true or false`, at('unsetOnly'));
      setNamespace(resmap.items, namespace, at('metadata', 'namespace'), {
        renameNamespaces: false,
        subjects: subjects === '' ? 'defaultOnly' : subjects,
        unsetOnly: doc.unsetOnly === true,
      });
      checkUniqueIds(resmap, at('metadata', 'namespace'), 'the NamespaceTransformer');
      recordTransformation(ctx, resmap.items, { configuredIn, kind, ...nameOf(meta) });
    },
  },
  PrefixSuffixTransformer: {
    field: 'transformers',
    // Only on metadata/name (fieldSpecs narrowed by group/version/kind).
    implements: ({ doc }) => nameSpecs(doc.fieldSpecs) !== undefined,
    run({ ctx, resmap, doc, kind, meta, at, loc, configuredIn }) {
      if (doc.fieldSpecs === undefined || doc.fieldSpecs === null)
        throw new UserError(`${kind}: fieldSpecs is required (kustomize: "fieldSpecs is not expected to be nil")`, loc);
      recordTransformation(ctx, resmap.items, { configuredIn, kind, ...nameOf(meta) });
      const prefix = typeof doc.prefix === 'string' && doc.prefix ? { value: doc.prefix, loc: at('prefix') } : undefined;
      const suffix = typeof doc.suffix === 'string' && doc.suffix ? { value: doc.suffix, loc: at('suffix') } : undefined;
      if (!prefix && !suffix) return;
      // Kustomize renames once per fieldSpec that selects the object (a fieldSpec written twice
      // prefixes twice), selecting by the group/version/kind the object was loaded with (its
      // OrgId) and, in the filter, by what it is now.
      for (const f of nameSpecs(doc.fieldSpecs)!) {
        const chosen = resmap.items.filter((r) =>
          [r.history?.[0] ?? idOf(r.object), idOf(r.object)].every(
            (id) => (!f.group || f.group === id.group) && (!f.version || f.version === id.version) && (!f.kind || f.kind === id.kind),
          ),
        );
        addNamePrefixSuffix(chosen, prefix, suffix);
      }
    },
  },
  LabelTransformer: stringMapPlugin('labels'),
  AnnotationsTransformer: stringMapPlugin('annotations'),
  ImageTagTransformer: {
    field: 'transformers',
    run(c) {
      recordTransformation(c.ctx, c.resmap.items, { configuredIn: c.configuredIn, kind: c.kind, ...nameOf(c.meta) });
      setImageTag(c);
    },
  },
  ReplicaCountTransformer: {
    field: 'transformers',
    run(c) {
      recordTransformation(c.ctx, c.resmap.items, { configuredIn: c.configuredIn, kind: c.kind, ...nameOf(c.meta) });
      setReplicaCount(c);
    },
  },
  PatchTransformer: {
    field: 'transformers',
    run({ ctx, k, resmap, doc, kind, meta, at, configuredIn }) {
      const entry: PatchEntry = {
        ...(typeof doc.path === 'string' ? { path: doc.path } : {}),
        ...(typeof doc.patch === 'string' ? { patch: doc.patch } : {}),
        ...(isObject(doc.target) ? { target: doc.target as Selector } : {}),
        ...(isObject(doc.options) ? { options: doc.options as PatchEntry['options'] } : {}),
      };
      applyPatch(ctx, k, resmap, entry, 'patches', at, { configuredIn, kind, ...nameOf(meta) });
    },
  },
  PatchJson6902Transformer: {
    field: 'transformers',
    run({ ctx, k, resmap, doc, kind, meta, at, configuredIn }) {
      const jsonOp = typeof doc.jsonOp === 'string' ? doc.jsonOp : undefined;
      const entry: PatchEntry = {
        ...(typeof doc.path === 'string' ? { path: doc.path } : {}),
        ...(jsonOp !== undefined ? { patch: jsonOp } : {}),
        ...(isObject(doc.target) ? { target: doc.target as Selector } : {}),
      };
      // The configuration calls the patch text `jsonOp`: locations inside it are found there.
      applyPatch(ctx, k, resmap, entry, 'patchesJson6902', (...p) => (p[0] === 'patch' ? at('jsonOp', ...p.slice(1)) : at(...p)), {
        configuredIn,
        kind,
        ...nameOf(meta),
      });
    },
  },
  PatchStrategicMergeTransformer: {
    field: 'transformers',
    run({ ctx, k, resmap, doc, kind, meta, at, loc, configuredIn }) {
      const by = { configuredIn, kind, ...nameOf(meta) };
      const docsOf: { docs: Json[]; loc: SourceLocation }[] = [];
      (Array.isArray(doc.paths) ? doc.paths : []).forEach((p, j) => {
        if (typeof p !== 'string') throw new UserError('PatchStrategicMergeTransformer: paths must be strings', at('paths', j));
        docsOf.push({ docs: patchDocs(ctx, k, { path: p }, () => at('paths', j)).docs, loc: at('paths', j) });
      });
      if (typeof doc.patches === 'string')
        docsOf.push({
          docs: patchDocs(ctx, k, { patch: doc.patches }, (...p) => (p[0] === 'patch' ? at('patches') : at())).docs,
          loc: at('patches'),
        });
      if (docsOf.length === 0 || docsOf.every((d) => d.docs.length === 0))
        throw new UserError(
          'PatchStrategicMergeTransformer: every patch is empty (kustomize: "empty file path and empty patch content")',
          loc,
        );
      ctx.unrecordable.clear();
      for (const { docs: pdocs, loc: ploc } of docsOf)
        for (const d of pdocs) applySmpById(ctx, resmap, nullLabelsAsText(d), ploc, undefined, by);
      recordTransformation(
        ctx,
        resmap.items.filter((r) => !ctx.unrecordable.has(r)),
        by,
      );
    },
  },
};

/**
 * ImageTagTransformer (`imageTag: {name, newName, newTag, digest}`, `fieldSpecs`), as kustomize
 * runs it for an `images:` entry: every containers[].image / initContainers[].image wherever it
 * sits (kustomize's legacy filter), then the image at each of the configuration's own fieldSpecs
 * (no default ones: the `images:` field gets those from its transformer configuration).
 */
function setImageTag({ resmap, doc, kind, at }: PluginCall): void {
  if (doc.fieldSpecStrategy !== undefined)
    throw new UserError(
      `${kind}: fieldSpecStrategy came after kustomize ${KUSTOMIZE_VERSION}, the version the built-in renderer follows (which ignores it), while later versions (ArgoCD pins 5.8.1) merge the default fieldSpecs into its own or replace them; render with --renderer kustomize to see what your kustomize does`,
      at('fieldSpecStrategy'),
    );
  const tag = doc.imageTag;
  if (tag !== undefined && tag !== null && !isObject(tag)) throw new UserError(`${kind}: imageTag must be a map`, at('imageTag'));
  const image = isObject(tag) ? tag : {};
  if (image.tagSuffix !== undefined)
    // As for images[].tagSuffix: kustomize applies it once per filter that reaches the image.
    throw new UserError(
      `${kind}: imageTag.tagSuffix is not implemented by the built-in renderer yet; use --renderer kustomize`,
      at('imageTag', 'tagSuffix'),
    );
  const text = (key: string): string | undefined => {
    const v = image[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'object') throw new UserError(`${kind}: imageTag.${key} must be a string`, at('imageTag', key));
    // Kustomize reads the configuration into string fields: a number or boolean stands for its text (`newTag: 1.20` is "1.2").
    return String(v);
  };
  const [name, newName, newTag, digest] = [text('name'), text('newName'), text('newTag'), text('digest')];
  const o: ImageOverride = {
    name: name ?? '',
    ...(newName !== undefined ? { newName } : {}),
    ...(newTag !== undefined ? { newTag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    location: at('imageTag'),
  };
  const specs = fieldSpecsOf(doc, at);
  for (const r of resmap.items) applyImageOverride(r.object, o);
  specs.forEach((spec, j) => {
    for (const r of resmap.items) {
      // The image filter never creates a field, whatever `create` says.
      visitFieldSpec(r.object, { ...spec, create: false }, undefined, (parent, key) => {
        const v = parent[key];
        if (v === undefined) return;
        if (v !== null && typeof v === 'object') throw notScalar(kind, spec.path, r.object, v, at('fieldSpecs', j));
        // kustomize's image filter sets the text as its SetScalar does (see untagged.ts), as for `images:`.
        if (typeof v === 'string' && imageMatches(v, o.name)) setScalarText(parent, key, updatedImage(v, o), o.location);
      });
    }
  });
}

/**
 * ReplicaCountTransformer (`replica: {name, count}`, `fieldSpecs`), as kustomize runs it for a
 * `replicas:` entry but with the configuration's fieldSpecs only (no default ones): each
 * fieldSpec finds the objects with that name and its group/version/kind under any id kustomize
 * knows them by (knownIds), and sets the count at its path on those it applies to as they are
 * now. A name no fieldSpec finds fails, as in kustomize.
 */
function setReplicaCount({ resmap, doc, kind, at }: PluginCall): void {
  const replica = doc.replica;
  if (replica !== undefined && replica !== null && !isObject(replica)) throw new UserError(`${kind}: replica must be a map`, at('replica'));
  const r = isObject(replica) ? replica : {};
  const name = r.name === undefined || r.name === null ? '' : typeof r.name === 'object' ? undefined : String(r.name);
  if (name === undefined) throw new UserError(`${kind}: replica.name must be a string`, at('replica', 'name'));
  // An int64 in kustomize: absent (or null) is 0; a string or a fraction fails its configuration.
  const count = r.count === undefined || r.count === null ? 0 : r.count;
  if (typeof count !== 'number' || !Number.isSafeInteger(count))
    throw new UserError(
      `${kind}: replica.count must be an integer (kustomize: "cannot unmarshal ... into Go struct field Replica.replica.count of type int64")`,
      at('replica', 'count'),
    );
  const loc = at('replica', 'count');
  const specs = fieldSpecsOf(doc, at);
  let found = false;
  specs.forEach((spec, j) => {
    for (const res of resmap.items) {
      const ids = knownIds(res);
      if (!ids.some((id) => id.name === name && gvkSelects(spec, id))) continue;
      found = true;
      // Set where the field is, or where the fieldSpec may create it, and only on what the object is now.
      visitFieldSpec(res.object, spec, loc, (parent, key) => {
        if (!Object.hasOwn(parent, key) && !spec.create) return;
        writeReplicaCount(parent, key, count, loc, { transformer: kind, path: spec.path, res, at: at('fieldSpecs', j) });
      });
    }
  });
  if (!found) {
    const gvks = specs.map((s) => [s.kind ?? '', s.version ?? '', s.group ?? ''].filter(Boolean).join('.') || '(any kind)');
    throw new UserError(
      `${kind}: no object named "${name}" is of a kind its fieldSpecs name (${gvks.join(', ') || 'none'}) (kustomize: "resource with name ${name} does not match a config with the following GVK")`,
      at('replica', 'name'),
    );
  }
}

/** A configuration's fieldSpecs (none when absent). */
function fieldSpecsOf(doc: JsonObject, at: Locator): FieldSpec[] {
  if (doc.fieldSpecs === undefined || doc.fieldSpecs === null) return [];
  if (!Array.isArray(doc.fieldSpecs)) throw new UserError('fieldSpecs must be a list', at('fieldSpecs'));
  return doc.fieldSpecs.map((f, j) => pluginFieldSpec(f, at('fieldSpecs', j)));
}

/** kustomize's Gvk.IsSelected: each of group, version and kind the fieldSpec names must be the id's. */
function gvkSelects(spec: FieldSpec, id: { group: string; version: string; kind: string }): boolean {
  return (
    (spec.group === undefined || spec.group === id.group) &&
    (spec.version === undefined || spec.version === id.version) &&
    (spec.kind === undefined || spec.kind === id.kind)
  );
}

/** The table's entry for a kind (an own key only: a kind such as "constructor" is no plugin). */
function builtinPlugin(kind: string): BuiltinPlugin | undefined {
  return Object.hasOwn(BUILTIN_PLUGINS, kind) ? BUILTIN_PLUGINS[kind] : undefined;
}

/** Runs the `generators:` or `transformers:` plugin configurations of one kustomization. */
export function runPluginConfigs(ctx: BuildContext, k: LoadedKustomization, resmap: ResMap, field: 'generators' | 'transformers'): void {
  const entries = k.raw[field];
  if (entries === undefined || entries === null) return;
  const refuse = k.deferred.find((e) => e.message.startsWith(`kustomization field "${field}"`))!;
  if (!Array.isArray(entries)) throw new UserError(`${field} must be a list`, k.at(field));
  // With `plugins: skip`, a generator plugin is left out (and said so); a transformer never is.
  const skips = field === 'generators' && ctx.plugins === 'skip';
  const listed = entries.map((entry, i) => {
    if (typeof entry !== 'string') throw new UserError(`${field} entries must be strings`, k.at(field, i));
    return { entry, i, inline: entry.includes('\n') || isInlineResource(entry) };
  });
  // Kustomize collects the inline configurations first, then those named by a path (each in
  // the order written), and runs them in that order.
  for (const { entry, i, inline } of [...listed.filter((e) => e.inline), ...listed.filter((e) => !e.inline)]) {
    const loc = k.at(field, i);
    let docs: Json[];
    let fromDirectory = false;
    if (!inline && ctx.fs.kind(path.resolve(k.dir, entry)) === 'dir') {
      if (!skips) throw refuse;
      // A directory is a kustomization whose objects are the plugin configurations.
      docs = ctx.build(ctx.resolve(k, entry, loc), loc).items.map((r) => r.object);
      fromDirectory = true;
    } else {
      docs = patchDocs(ctx, k, inline ? { patch: entry } : { path: entry }, () => loc).docs;
    }
    const configuredIn = inline ? k.file : path.resolve(k.dir, entry);
    for (const doc of docs) {
      if (!isObject(doc)) throw new UserError(`a ${field} plugin configuration must be a YAML mapping`, loc);
      const at = (...p: (string | number)[]) => locate(doc, p) ?? loc;
      const kind = String(doc.kind ?? '');
      if (doc.apiVersion !== 'builtin') {
        if (!skips) throw refuse;
        ctx.warnings.push({
          message: `generator plugin ${describePlugin(doc)} was not run (plugins: skip): its output was not generated, so the objects it would add are missing from the render`,
          location: loc,
        });
        continue;
      }
      if (fromDirectory)
        throw new UserError(
          `${field}: the builtin plugin ${kind} configured through a directory is not implemented by the built-in renderer yet; use --renderer kustomize`,
          loc,
        );
      const meta = isObject(doc.metadata) ? doc.metadata : {};
      // Kustomize loads a configuration as a resource first: without a name it is none (and
      // inline text that is no resource is taken for a path, which then fails).
      if (meta.name === undefined || meta.name === null || meta.name === '')
        throw new UserError(
          `${field}: the ${kind || 'plugin'} configuration has no metadata.name (kustomize reads a plugin configuration as a resource: "missing metadata.name in object")`,
          at('metadata'),
        );
      const call: PluginCall = { ctx, k, resmap, doc, kind, meta, at, loc, configuredIn };
      const plugin = builtinPlugin(kind);
      if (!plugin || plugin.field !== field || (plugin.implements && !plugin.implements(call)))
        throw new UserError(
          `${field}: the builtin plugin ${kind} (in this form) is not implemented by the built-in renderer yet; use --renderer kustomize`,
          at('kind'),
        );
      plugin.run(call);
    }
  }
}

/**
 * A plugin configuration, named for a reader: apiVersion, kind and metadata.name, and how it
 * would run (a container image or an executable, from a KRM function annotation) when it says.
 */
function describePlugin(doc: JsonObject): string {
  const meta = isObject(doc.metadata) ? doc.metadata : {};
  const str = (v: Json | undefined) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));
  const apiVersion = str(doc.apiVersion) || '(no apiVersion)';
  const kind = str(doc.kind) || '(no kind)';
  const name = typeof meta.name === 'string' ? ` "${meta.name}"` : '';
  let how = '';
  const ann = isObject(meta.annotations) ? meta.annotations : {};
  const fn = ann['config.kubernetes.io/function'];
  if (typeof fn === 'string') {
    try {
      const spec = loadYamlDocuments(fn, { file: '<annotation>' })[0]?.value;
      const image = isObject(spec) && isObject(spec.container) ? spec.container.image : undefined;
      const exec = isObject(spec) && isObject(spec.exec) ? spec.exec.path : undefined;
      if (typeof image === 'string') how = ` (container function ${image})`;
      else if (typeof exec === 'string') how = ` (exec function ${exec})`;
    } catch {
      /* not YAML: named without it */
    }
  }
  return `${apiVersion} ${kind}${name}${how}`;
}

/** A fieldSpec of a builtin plugin configuration. */
function pluginFieldSpec(f: Json, loc: SourceLocation): FieldSpec {
  if (!isObject(f) || typeof f.path !== 'string') throw new UserError('a fieldSpec needs a "path"', loc);
  const spec: FieldSpec = { path: f.path };
  for (const key of ['group', 'version', 'kind'] as const) if (typeof f[key] === 'string' && f[key]) spec[key] = f[key] as string;
  if (f.create === true) spec.create = true;
  return spec;
}

/** A NamespaceTransformer's fieldSpecs when they ask for what `namespace:` does. */
function namespaceSpecsOnly(specs: Json | undefined): boolean {
  if (specs === undefined || specs === null) return true;
  return (
    Array.isArray(specs) &&
    specs.every(
      (f) =>
        isObject(f) &&
        f.path === 'metadata/namespace' &&
        (f.create === undefined || f.create === true) &&
        Object.keys(f).every((key) => key === 'path' || key === 'create'),
    )
  );
}

/**
 * A PrefixSuffixTransformer's fieldSpecs, when they all name metadata/name (else undefined).
 * Kustomize's fieldSpec has no name: a `name:` key in one is ignored.
 */
function nameSpecs(specs: Json | undefined): { group?: string; version?: string; kind?: string }[] | undefined {
  if (specs === undefined || specs === null) return [];
  if (!Array.isArray(specs)) return undefined;
  const out: { group?: string; version?: string; kind?: string }[] = [];
  for (const f of specs) {
    if (!isObject(f) || f.path !== 'metadata/name') return undefined;
    if (Object.keys(f).some((key) => !['path', 'group', 'version', 'kind', 'name', 'create'].includes(key))) return undefined;
    const str = (v: Json | undefined) => (typeof v === 'string' && v ? v : undefined);
    out.push({ group: str(f.group), version: str(f.version), kind: str(f.kind) });
  }
  return out;
}
