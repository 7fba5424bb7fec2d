import path from 'node:path';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { LOCS, isObject, setField, type Json, type JsonArray, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments, type TextOrigin } from '../yaml/load.ts';
import type { FileSystem } from './fs.ts';
import { loadKustomization, type LoadedKustomization, type PatchEntry, type Selector } from './kustomization.ts';
import { legacySort } from './order.ts';
import { applyJsonPatch, parseJsonPatch } from './patch/json6902.ts';
import { rootCursor } from './patch/merge-schema.ts';
import { DELETED, strategicMerge } from './patch/strategic-merge.ts';
import { describeId, idOf, makeResource, ResMap, sameId, type Resource } from './resource.ts';
import { selects } from './select.ts';
import {
  commonAnnotationSpecs,
  commonLabelSpecs,
  metadataLabelSpecs,
  replicaSpecs,
  selectorLabelSpecs,
  templateLabelSpecs,
} from './transformers/default-field-specs.ts';
import { mergeStringMap, specApplies, visitFieldSpec, type FieldSpec } from './transformers/field-specs.ts';
import { applyImageOverride } from './transformers/images.ts';
import { addNamePrefixSuffix, setNamespace } from './transformers/metadata.ts';

export interface RenderWarning {
  message: string;
  location: SourceLocation;
}

export interface RenderResult {
  resources: Resource[];
  /** Every kustomization directory the build read, overlay first. */
  kustomizationDirs: string[];
  /** Every file the build read. */
  files: string[];
  /** Things kustomize accepts silently but a reviewer should hear about (e.g. a patch target that selects nothing). */
  warnings: RenderWarning[];
}

const REMOTE = /^(https?:\/\/|git::|ssh:\/\/|git@|github\.com\/|gitlab\.com\/|bitbucket\.org\/)|\?ref=|\/\/.*\?/;

class Builder {
  readonly files = new Set<string>();
  readonly dirs: string[] = [];
  readonly warnings: RenderWarning[] = [];
  private readonly stack: string[] = [];

  constructor(private readonly fs: FileSystem) {}

  read(file: string): string {
    this.files.add(file);
    return this.fs.readFile(file);
  }

  /** Builds the kustomization in `dir`; a component is built into the caller's ResMap. */
  build(dir: string, from: SourceLocation | undefined, into?: ResMap): ResMap {
    const real = this.fs.realPath(dir);
    if (this.stack.includes(real)) {
      const cycle = [...this.stack.slice(this.stack.indexOf(real)), real].join(' -> ');
      throw new UserError(`kustomization cycle: ${cycle}`, from);
    }
    this.stack.push(real);
    try {
      const k = loadKustomization(this.fs, dir, from);
      this.files.add(k.file);
      if (!this.dirs.includes(dir)) this.dirs.push(dir);
      const isComponent = k.k.kind === 'Component';
      if (into && !isComponent) throw new UserError(`${dir} is listed under components but is not a kind: Component kustomization`, from);
      if (!into && isComponent) throw new UserError(`${dir} is a Component: list it under components, not resources`, from);
      const resmap = into ?? new ResMap();
      this.accumulateResources(k, resmap);
      (k.k.components ?? []).forEach((c, i) => {
        const at = k.at('components', i);
        const target = this.resolve(k, c, at);
        if (this.fs.kind(target) !== 'dir') throw new UserError(`component ${c} is not a directory`, at);
        this.build(target, at, resmap);
      });
      this.transform(k, resmap);
      return resmap;
    } finally {
      this.stack.pop();
    }
  }

  private resolve(k: LoadedKustomization, ref: string, at: SourceLocation): string {
    if (REMOTE.test(ref)) {
      throw new UserError(`remote reference "${ref}" needs the network: the built-in renderer never fetches (use --renderer kustomize)`, at);
    }
    if (path.isAbsolute(ref)) throw new UserError(`absolute path "${ref}" is not allowed: paths are relative to the kustomization`, at);
    const target = path.resolve(k.dir, ref);
    if (!this.fs.kind(target)) throw new UserError(`"${ref}" does not exist (resolved to ${target})`, at);
    return target;
  }

  /** Files (not bases) must stay inside their kustomization's directory, as kustomize's load restrictor demands. */
  private resolveFile(k: LoadedKustomization, ref: string, at: SourceLocation): string {
    const target = this.resolve(k, ref, at);
    if (this.fs.kind(target) !== 'file') throw new UserError(`"${ref}" is not a file`, at);
    const root = this.fs.realPath(k.dir);
    const real = this.fs.realPath(target);
    if (real !== root && !real.startsWith(root + path.sep)) {
      throw new UserError(`file "${ref}" is outside the kustomization directory ${k.dir} (kustomize's load restrictor forbids it)`, at);
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
          resmap.appendAll(this.build(target, at));
        } else {
          for (const r of this.loadResourceFile(this.resolveFile(k, ref, at))) resmap.add(r);
        }
      });
    }
  }

  private loadResourceFile(file: string): Resource[] {
    const out: Resource[] = [];
    for (const doc of loadYamlDocuments(this.read(file), { file })) {
      if (doc.value === null) continue;
      if (!isObject(doc.value)) throw new UserError('a resource document must be a YAML mapping', doc.location);
      const obj = doc.value;
      if (obj.kind === 'List' && Array.isArray(obj.items)) {
        const items = obj.items as JsonArray;
        items.forEach((item, i) => {
          const loc = items[LOCS]?.[i] ?? doc.location;
          if (!isObject(item)) throw new UserError('List items must be mappings', loc);
          out.push(makeResource(item, loc));
        });
        continue;
      }
      out.push(makeResource(obj, doc.location));
    }
    return out;
  }

  /** Reads a patch given by path or inline, returning its documents (with locations mapped into the file). */
  private patchDocs(k: LoadedKustomization, entry: { path?: string; patch?: string }, at: (...p: (string | number)[]) => SourceLocation): { docs: Json[]; location: SourceLocation } {
    if (entry.path !== undefined && entry.patch !== undefined) {
      throw new UserError('a patch takes either "path" or "patch", not both', at());
    }
    if (entry.path !== undefined) {
      const loc = at('path');
      const file = this.resolveFile(k, entry.path, loc);
      const docs = loadYamlDocuments(this.read(file), { file }).map((d) => d.value).filter((v) => v !== null);
      return { docs, location: loc };
    }
    if (entry.patch !== undefined) {
      const loc = at('patch');
      const origin = embeddedOrigin(this.fs.readFile(k.file), k.file, loc);
      const docs = loadYamlDocuments(entry.patch, origin).map((d) => d.value).filter((v) => v !== null);
      return { docs, location: loc };
    }
    throw new UserError('a patch needs "path" or "patch"', at());
  }

  private transform(k: LoadedKustomization, resmap: ResMap): void {
    // Order of kustomize's built-in transformers.
    (k.k.patchesStrategicMerge ?? []).forEach((p, i) => {
      const loc = k.at('patchesStrategicMerge', i);
      const inline = p.includes('\n') || /^\s*(apiVersion|kind)\s*:/.test(p);
      const entry = inline ? { patch: p } : { path: p };
      const { docs } = this.patchDocs(k, entry, () => loc);
      for (const doc of docs) this.applySmpById(resmap, doc, loc);
    });
    (k.k.patches ?? []).forEach((p, i) => this.applyPatch(k, resmap, p, 'patches', i));

    if (k.k.namespace) setNamespace(resmap.items, k.k.namespace, k.at('namespace'));
    const prefix = k.k.namePrefix ? { value: k.k.namePrefix, loc: k.at('namePrefix') } : undefined;
    const suffix = k.k.nameSuffix ? { value: k.k.nameSuffix, loc: k.at('nameSuffix') } : undefined;
    if (prefix || suffix) addNamePrefixSuffix(resmap.items, prefix, suffix);

    (k.k.labels ?? []).forEach((l, i) => {
      const specs: FieldSpec[] = [...metadataLabelSpecs];
      if (l.includeSelectors) specs.push(...selectorLabelSpecs, ...templateLabelSpecs);
      else if (l.includeTemplates) specs.push(...templateLabelSpecs);
      for (const f of l.fields ?? []) if (isObject(f as Json)) specs.push(f as FieldSpec);
      this.addStringMap(k, resmap, ['labels', i, 'pairs'], l.pairs ?? {}, specs);
    });
    if (k.k.commonLabels) this.addStringMap(k, resmap, ['commonLabels'], k.k.commonLabels, commonLabelSpecs);
    if (k.k.commonAnnotations) this.addStringMap(k, resmap, ['commonAnnotations'], k.k.commonAnnotations, commonAnnotationSpecs);

    (k.k.patchesJson6902 ?? []).forEach((p, i) => this.applyPatch(k, resmap, p, 'patchesJson6902', i));

    (k.k.replicas ?? []).forEach((r, i) => this.setReplicas(k, resmap, r, i));

    (k.k.images ?? []).forEach((img, i) => {
      const o = {
        name: img.name,
        ...(img.newName !== undefined ? { newName: img.newName } : {}),
        ...(img.newTag !== undefined ? { newTag: String(img.newTag) } : {}),
        ...(img.digest !== undefined ? { digest: img.digest } : {}),
        ...(img.tagSuffix !== undefined ? { tagSuffix: img.tagSuffix } : {}),
        location: k.at('images', i),
      };
      for (const r of resmap.items) applyImageOverride(r.object, o);
    });
  }

  private addStringMap(k: LoadedKustomization, resmap: ResMap, at: (string | number)[], pairs: Record<string, string>, specs: FieldSpec[]): void {
    const entries = Object.keys(pairs).map((key) => ({ key, value: String(pairs[key] ?? ''), loc: k.at(...at, key) }));
    for (const r of resmap.items) mergeStringMap(r.object, specs, entries, k.at(...at));
  }

  private setReplicas(k: LoadedKustomization, resmap: ResMap, r: { name: string; count: number }, i: number): void {
    const loc = k.at('replicas', i, 'count');
    let hit = false;
    for (const res of resmap.items) {
      const names = [idOf(res.object).name, ...res.previousIds.map((id) => id.name)];
      if (!names.includes(r.name)) continue;
      const specs = replicaSpecs.filter((s) => specApplies(s, res.object));
      if (!specs.length) continue;
      hit = true;
      for (const s of specs) visitFieldSpec(res.object, s, loc, (parent, key) => setField(parent, key, r.count, loc));
    }
    if (!hit) this.warnings.push({ message: `replicas: no Deployment, ReplicaSet, ReplicationController or StatefulSet is named "${r.name}"`, location: k.at('replicas', i) });
  }

  private applyPatch(k: LoadedKustomization, resmap: ResMap, p: PatchEntry, field: 'patches' | 'patchesJson6902', i: number): void {
    const at = (...rest: (string | number)[]) => k.at(field, i, ...rest);
    const { docs, location } = this.patchDocs(k, p, at);
    const target = p.target;
    const jsonPatch = docs.length === 1 && Array.isArray(docs[0]) ? (docs[0] as JsonArray) : undefined;
    if (field === 'patchesJson6902' && !jsonPatch) throw new UserError('patchesJson6902 needs a list of JSON6902 operations', location);
    if (jsonPatch) {
      if (!target) throw new UserError('a JSON6902 patch needs a "target"', at());
      const ops = parseJsonPatch(jsonPatch, location);
      const selected = this.select(resmap, target, at('target'));
      for (const res of selected) applyJsonPatch(res.object, ops);
      return;
    }
    for (const doc of docs) {
      if (!isObject(doc)) throw new UserError('a strategic-merge patch must be a YAML mapping', location);
      if (!target) {
        this.applySmpById(resmap, doc, location);
        continue;
      }
      for (const res of this.select(resmap, target, at('target'))) this.applySmp(resmap, res, doc);
    }
  }

  private select(resmap: ResMap, target: Selector, loc: SourceLocation): Resource[] {
    const selected = resmap.items.filter((r) => selects(target, r, loc));
    if (!selected.length) this.warnings.push({ message: `patch target ${JSON.stringify(target)} selects no resource`, location: loc });
    return selected;
  }

  private applySmpById(resmap: ResMap, patch: Json, location: SourceLocation): void {
    if (!isObject(patch)) throw new UserError('a strategic-merge patch must be a YAML mapping', location);
    const pid = idOf(patch);
    if (!pid.kind || !pid.name) throw new UserError('a strategic-merge patch without a target needs kind and metadata.name', location);
    const matches = resmap.items.filter((r) => [idOf(r.object), ...r.previousIds].some((id) => sameId(id, pid) || (pid.namespace === '' && sameId(id, { ...pid, namespace: id.namespace }))));
    if (matches.length !== 1) {
      throw new UserError(
        matches.length
          ? `strategic-merge patch for ${describeId(pid)} matches ${matches.length} resources; give it a namespace or a target`
          : `no resource matches strategic-merge patch ${describeId(pid)}`,
        location,
      );
    }
    this.applySmp(resmap, matches[0]!, patch);
  }

  private applySmp(resmap: ResMap, res: Resource, patch: JsonObject): void {
    const id = idOf(res.object);
    // Identity fields of the patch address the target; they never rename it.
    const result = strategicMerge(res.object, withoutIdentity(patch), rootCursor(id.group, id.kind));
    if (result === DELETED) {
      resmap.items.splice(resmap.items.indexOf(res), 1);
    } else {
      res.object = result;
    }
  }
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

/**
 * Maps positions inside an inline patch back to the kustomization file. A literal block scalar
 * (`patch: |`) keeps its lines one-to-one, shifted by the indentation; anything else collapses
 * to the `patch:` entry itself.
 */
export function embeddedOrigin(fileText: string, file: string, pairLoc: SourceLocation): TextOrigin {
  const lines = fileText.split(/\r?\n/);
  const header = lines[pairLoc.line - 1] ?? '';
  if (!/(:|-)\s*\|[-+0-9]*\s*(#.*)?$/.test(header)) return { file, collapseTo: pairLoc };
  for (let l = pairLoc.line; l < lines.length && l < pairLoc.endLine; l++) {
    const text = lines[l] ?? '';
    if (!text.trim()) continue;
    const indent = text.length - text.trimStart().length;
    return { file, lineOffset: pairLoc.line, columnOffset: indent };
  }
  return { file, collapseTo: pairLoc };
}

export interface RenderOptions {
  fs: FileSystem;
}

/** Renders the kustomization in `dir` in-process, keeping provenance on every field. */
export function renderKustomization(dir: string, opts: RenderOptions): RenderResult {
  const b = new Builder(opts.fs);
  const abs = path.resolve(dir);
  if (opts.fs.kind(abs) !== 'dir') throw new UserError(`${dir} is not a directory`);
  const resmap = b.build(abs, undefined);
  const top = loadKustomization(opts.fs, abs);
  const sort = top.k.sortOptions;
  const resources =
    sort?.order === 'fifo'
      ? resmap.items
      : legacySort(resmap.items, sort?.legacySortOptions?.orderFirst, sort?.legacySortOptions?.orderLast);
  return { resources, kustomizationDirs: b.dirs, files: [...b.files], warnings: b.warnings };
}
