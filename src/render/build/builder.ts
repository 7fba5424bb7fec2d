/**
 * The builder: one kustomization at a time, in kustomize's order. It loads the kustomization,
 * accumulates its resources (files, and bases built recursively), reads its `configurations`,
 * `crds` and `openapi`, runs its generators, builds its components into the same ResMap, runs
 * its transformers (the ordered lists of steps.ts) and binds its vars. It keeps what the whole
 * build shares (files read, warnings, the transformer configurations, buildMetadata
 * bookkeeping); see BuildContext.
 */
import path from 'node:path';
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { LOCS, isObject, stripProvenance, type JsonArray, type JsonObject } from '../../model/provenance.ts';
import { loadYamlDocuments } from '../../yaml/load.ts';
import type { FileSystem } from '../fs.ts';
import { generate, mergeGenerated, type GeneratorArgs } from '../generators.ts';
import { loadKustomization, type LoadedKustomization } from '../kustomization.ts';
import { checkDirectory, isRemoteReference, symlinkedDirectory } from '../load-restrictor.ts';
import { parseCustomSchema, type CustomSchema } from '../patch/merge-schema.ts';
import { describeId, idOf, makeResource, ResMap, sameId, type Resource, knownIds } from '../resource.ts';
import {
  configFromCrds,
  defaultTransformerConfig,
  mergeTransformerConfig,
  parseTransformerConfig,
  type TransformerConfig,
} from '../transformers/config.ts';
import { bindVars, type BoundVar } from '../transformers/vars.ts';
import type { BuildContext, Locator, RenderWarning } from './context.ts';
import { GENERATOR_STEPS, TRANSFORMER_STEPS } from './steps.ts';
import { checkUniqueIds } from './shared-transforms.ts';

export class Builder implements BuildContext {
  readonly files = new Set<string>();
  readonly dirs: string[] = [];
  readonly warnings: RenderWarning[] = [];
  private readonly stack: string[] = [];
  /** The transformer configuration (defaults + configurations) of each ResMap being built. */
  private readonly configs = new WeakMap<ResMap, TransformerConfig>();
  openapi: CustomSchema | undefined;
  private openapiDecided = false;
  readonly unrecordable = new Set<Resource>();
  rebuildsAnnotations = false;
  recordsTransformations = false;
  keepsBuildAnnotations = false;
  /** Legacy vars declared anywhere in the build, bound to their resources. */
  readonly vars: BoundVar[] = [];

  /**
   * Edits the top kustomization once loaded (ArgoCD's `kustomize edit` of the overlay; see
   * src/argocd/overrides.ts). `skipResourceFile`: see RenderOptions.
   */
  constructor(
    readonly fs: FileSystem,
    private readonly editTop?: (k: LoadedKustomization) => LoadedKustomization,
    readonly skipResourceFile?: (file: string) => boolean,
    readonly plugins: 'refuse' | 'skip' = 'refuse',
  ) {}

  config(resmap: ResMap): TransformerConfig {
    let c = this.configs.get(resmap);
    if (!c) this.configs.set(resmap, (c = defaultTransformerConfig()));
    return c;
  }

  read(file: string): string {
    this.files.add(file);
    return this.fs.readFile(file);
  }

  build(dir: string, from: SourceLocation | undefined, into?: ResMap): ResMap {
    const real = this.fs.realPath(dir);
    checkDirectory(this.fs, dir, from);
    // A base reached through a symlink resolves its own paths from where it really is, as kustomize does.
    if (from !== undefined) dir = symlinkedDirectory(this.fs, dir, real);
    if (this.stack.includes(real)) {
      const cycle = [...this.stack.slice(this.stack.indexOf(real)), real].join(' -> ');
      throw new UserError(`kustomization cycle: ${cycle}`, from);
    }
    this.stack.push(real);
    try {
      const loaded = loadKustomization(this.fs, dir, from);
      const k = from === undefined && this.editTop ? this.editTop(loaded) : loaded;
      this.files.add(k.file);
      if (!this.dirs.includes(dir)) this.dirs.push(dir);
      this.loadOpenapi(k);
      const isComponent = k.k.kind === 'Component';
      if (into && !isComponent) throw new UserError(`${dir} is listed under components but is not a kind: Component kustomization`, from);
      // A Component may be built on its own (as the build root), not listed under resources.
      if (!into && isComponent && from !== undefined)
        throw new UserError(`${dir} is a Component: list it under components, not resources`, from);
      const resmap = into ?? new ResMap();
      if (!this.configs.has(resmap)) this.configs.set(resmap, defaultTransformerConfig());
      this.accumulateResources(k, resmap);
      this.loadConfigurations(k, resmap);
      // A field that would run a program fails here, once the resources are read; a
      // `generators:` / `transformers:` entry is refused only if it is not a builtin plugin.
      const programs = k.deferred.find((e) => !/^kustomization field "(generators|transformers)"/.test(e.message));
      if (programs) throw programs;
      // Kustomize's order: resources, configurations and crds, the kustomization's own
      // generators, then its components (whose transformers so also reach the generated
      // objects), then its transformers.
      for (const step of GENERATOR_STEPS) step.run(this, k, resmap);
      (k.k.components ?? []).forEach((c, i) => {
        const at = k.at('components', i);
        const target = this.resolve(k, c, at);
        if (this.fs.kind(target) !== 'dir') throw new UserError(`component ${c} is not a directory`, at);
        this.build(target, at, resmap);
        // Kustomize merges a component's result back into the map object by object: two
        // objects with one id fail there, before hash suffixes could tell them apart.
        checkUniqueIds(resmap, at, `the component ${c}`, 'may not add resource with an already registered id');
      });
      for (const step of TRANSFORMER_STEPS) step.run(this, k, resmap);
      if (k.k.vars) bindVars(resmap.items, k.k.vars, (...p) => k.at('vars', ...p), this.vars);
      return resmap;
    } finally {
      this.stack.pop();
    }
  }

  /** `openapi:`: a builtin version or a custom schema; the first kustomization that names one (the top-most) decides for the build. */
  private loadOpenapi(k: LoadedKustomization): void {
    if (k.k.openapi && (k.k.openapi.path !== undefined) === (k.k.openapi.version !== undefined)) {
      throw new UserError(
        k.k.openapi.path !== undefined
          ? 'openapi: builtin version and custom schema provided, cannot use both'
          : 'openapi needs a path or a version',
        k.at('openapi'),
      );
    }
    if (k.k.openapi?.version !== undefined && k.k.openapi.version !== 'v1.21.2') {
      throw new UserError(
        `openapi: the specified OpenAPI version ${k.k.openapi.version} is not built in (kustomize v5.5.0 has v1.21.2)`,
        k.at('openapi', 'version'),
      );
    }
    if (k.k.openapi && this.openapiDecided) {
      /* a base's choice yields to the overlay's */
    } else if (k.k.openapi?.version !== undefined) {
      this.openapiDecided = true;
    } else if (k.k.openapi?.path !== undefined) {
      this.openapiDecided = true;
      const file = this.resolveFile(k, k.k.openapi.path, k.at('openapi', 'path'));
      const docs = loadYamlDocuments(this.read(file), { file }, { scalars: 'yaml11' });
      this.openapi = parseCustomSchema(docs[0] ? stripProvenance(docs[0].value) : null);
    }
  }

  private loadConfigurations(k: LoadedKustomization, resmap: ResMap): void {
    (k.k.configurations ?? []).forEach((ref, i) => {
      const at = k.at('configurations', i);
      const file = this.resolveFile(k, ref, at);
      const docs = loadYamlDocuments(this.read(file), { file }, { scalars: 'yaml11' });
      const start = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
      for (const d of docs) mergeTransformerConfig(this.config(resmap), parseTransformerConfig(d.value, d.location ?? start));
    });
    (k.k.crds ?? []).forEach((ref, i) => {
      const at = k.at('crds', i);
      const file = this.resolveFile(k, ref, at);
      for (const d of loadYamlDocuments(this.read(file), { file }, { scalars: 'yaml11' })) {
        if (d.value !== null) mergeTransformerConfig(this.config(resmap), configFromCrds(stripProvenance(d.value), d.location ?? at));
      }
    });
  }

  resolve(k: LoadedKustomization, ref: string, at: SourceLocation): string {
    if (isRemoteReference(ref)) {
      throw new UserError(
        `remote reference "${ref}" needs the network: the built-in renderer never fetches (use --renderer kustomize)`,
        at,
      );
    }
    if (path.isAbsolute(ref)) throw new UserError(`absolute path "${ref}" is not allowed: paths are relative to the kustomization`, at);
    const target = path.resolve(k.dir, ref);
    if (!this.fs.kind(target)) throw new UserError(`"${ref}" does not exist (resolved to ${target})`, at);
    return target;
  }

  resolveFile(k: LoadedKustomization, ref: string, at: SourceLocation): string {
    const target = this.resolve(k, ref, at);
    if (this.fs.kind(target) !== 'file') throw new UserError(`"${ref}" is not a file`, at);
    const root = this.fs.realPath(k.dir);
    const real = this.fs.realPath(target);
    if (real !== root && !real.startsWith(root + path.sep)) {
      const how = real === path.resolve(target) ? '' : `, through a symlink to ${real}`;
      throw new UserError(
        `file "${ref}" is outside the kustomization directory ${k.dir}${how} (kustomize's load restrictor forbids it)`,
        at,
      );
    }
    return target;
  }

  private accumulateResources(k: LoadedKustomization, resmap: ResMap): void {
    const lists: ['resources' | 'bases', string[]][] = [
      ['resources', k.k.resources ?? []],
      ['bases', k.k.bases ?? []],
    ];
    for (const [field, refs] of lists) {
      refs.forEach((ref, i) => {
        const at = k.at(field, i);
        const target = this.resolve(k, ref, at);
        if (this.fs.kind(target) === 'dir') {
          const sub = this.build(target, at);
          resmap.appendAll(sub);
          mergeTransformerConfig(this.config(resmap), this.config(sub));
        } else {
          const file = this.resolveFile(k, ref, at);
          if (this.skipResourceFile?.(file)) return;
          for (const r of this.loadResourceFile(file)) {
            r.origin = { path: file };
            resmap.add(r);
          }
        }
      });
    }
  }

  private loadResourceFile(file: string): Resource[] {
    const out: Resource[] = [];
    for (const doc of loadYamlDocuments(this.read(file), { file }, { scalars: 'kustomize' })) {
      if (doc.value === null) continue;
      if (!isObject(doc.value)) throw new UserError('a resource document must be a YAML mapping', doc.location);
      // An empty mapping (`{}`) is no object: kustomize skips it.
      if (Object.keys(doc.value).length === 0) continue;
      // A kind: List (any kind ending in "List" with items) stands for its items, nested lists too.
      const add = (obj: JsonObject, loc: SourceLocation): void => {
        if (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) {
          const items = obj.items as JsonArray;
          items.forEach((item, i) => {
            const itemLoc = items[LOCS]?.[i] ?? loc;
            if (!isObject(item)) throw new UserError('List items must be mappings', itemLoc);
            add(item, itemLoc);
          });
          return;
        }
        const res = makeResource(obj, loc);
        if (obj.apiVersion === undefined)
          this.warnings.push({
            message: `${obj.kind} "${idOf(obj).name}" has no apiVersion: kustomize renders it, but the API server (kubectl apply, ArgoCD) rejects it`,
            location: loc,
          });
        out.push(res);
      };
      add(doc.value, doc.location);
    }
    return out;
  }

  addGenerated(
    k: LoadedKustomization,
    resmap: ResMap,
    kind: 'ConfigMap' | 'Secret',
    args: GeneratorArgs,
    at: Locator,
    field: string,
    configuredIn = k.file,
    plugin: { name?: string; namespace?: string } = {},
  ): void {
    const origin = { configuredIn, kind: `${kind}Generator`, ...plugin };
    const g = generate(kind, args, {
      at,
      readFile: (ref, loc) => {
        const file = this.resolveFile(k, ref, loc);
        const text = this.read(file);
        return { file, text, ...(this.fs.readBytes ? { bytes: this.fs.readBytes(file) } : {}) };
      },
      // generatorOptions apply to the kustomization's own configMapGenerator / secretGenerator, not to plugin configurations.
      ...(field.endsWith('Generator')
        ? { generatorOptions: k.k.generatorOptions, generatorOptionsAt: (...p: (string | number)[]) => k.at('generatorOptions', ...p) }
        : {}),
    });
    const id = idOf(g.object);
    // Kustomize matches a generated object against every id each object has had (original,
    // renamed, re-namespaced), namespaces compared as effective ones.
    const byAnyId = resmap.items.filter((r) => knownIds(r).some((p) => sameId(p, id)));
    if (g.behavior === 'create' && byAnyId.length) {
      throw new UserError(
        `${field} ${describeId(id)}: an object with this id already exists (${describeId(idOf(byAnyId[0]!.object))}); give the generator behavior: merge or replace (kustomize: "exists; behavior must be merge or replace")`,
        at('name'),
      );
    }
    if (g.behavior === 'create') {
      const res = makeResource(g.object, g.location);
      res.needsHash = g.needsHash;
      res.origin = origin;
      resmap.add(res);
      return;
    }
    const matches = byAnyId;
    if (matches.length !== 1) {
      throw new UserError(
        matches.length
          ? `${field} ${id.name} (behavior ${g.behavior}) matches ${matches.length} resources`
          : `${field} ${id.name} has behavior ${g.behavior} but no ${kind} of that name in that namespace exists in the build (kustomize: "id ... does not exist; cannot merge or replace")`,
        at('behavior'),
      );
    }
    mergeGenerated(matches[0]!, g.object, g.behavior, g.needsHash);
    // A merge keeps the object's origin; a replace makes the generator its origin.
    if (g.behavior === 'replace') {
      matches[0]!.origin = origin;
      matches[0]!.replacedByGenerator = true;
    }
  }
}
