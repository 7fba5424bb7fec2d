import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, type Json, type JsonObject } from '../model/provenance.ts';
import { isClusterScoped } from './builtin-types.ts';
import { untaggedText } from './untagged.ts';

/** Kustomize's identity of a resource: group/version/kind plus name and namespace. */
export interface ResId {
  group: string;
  version: string;
  kind: string;
  name: string;
  namespace: string;
}

/** A resource being built: the object (with provenance) and the ids it has had, oldest first. */
export interface Resource {
  object: JsonObject;
  /** Every id the resource has had (original first); patches may match any of them. */
  previousIds: ResId[];
  location: SourceLocation;
  /**
   * Kustomize's own record of earlier ids: one entry each time a namespace, prefix or suffix
   * transformer (or a renaming patch) touched the resource, changed or not. Name references
   * are fixed only towards resources with such a record.
   */
  history?: ResId[];
  /** Name prefixes and suffixes applied, innermost first (kustomize compares them to break ties). */
  prefixes?: string[];
  suffixes?: string[];
  /** A generated ConfigMap or Secret whose name gets kustomize's content-hash suffix at the end of the build. */
  needsHash?: boolean;
  /** Where kustomize says the object came from (buildMetadata: [originAnnotations]). */
  origin?: { path: string } | { configuredIn: string; kind: string; name?: string };
  /**
   * A generator with behavior replace made it: its origin is the generator, but it carries none
   * of a generated object's bookkeeping annotations (kustomize's CopyMergeMetaDataFieldsFrom
   * keeps the replaced object's; see patches.ts).
   */
  replacedByGenerator?: boolean;
  /** Values a replacement wrote under a type they do not read as: an error if still there when decoded (replacements.ts). */
  undecodable?: { map: JsonObject; key: string; text: string; error: Error; was: string | number | boolean }[];
  /** Places that share one value node in kustomize (see links.ts). */
  links?: import('./links.ts').Link[];
  /** The builtin transformers that ran over the object (buildMetadata: [transformerAnnotations]). */
  transformations?: { configuredIn: string; kind: string; name?: string; namespace?: string }[];
}

export function splitApiVersion(apiVersion: string): { group: string; version: string } {
  const i = apiVersion.indexOf('/');
  return i < 0 ? { group: '', version: apiVersion } : { group: apiVersion.slice(0, i), version: apiVersion.slice(i + 1) };
}

export function idOf(obj: JsonObject): ResId {
  const meta = isObject(obj.metadata) ? obj.metadata : {};
  const { group, version } = splitApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  return {
    group,
    version,
    kind: typeof obj.kind === 'string' ? obj.kind : '',
    // kyaml reads a name as its node's text: an untagged node's, whatever its value reads as.
    name: untaggedText(meta, 'name') ?? scalarName(meta.name),
    namespace: untaggedText(meta, 'namespace') ?? (typeof meta.namespace === 'string' ? meta.namespace : ''),
  };
}

/** kyaml's GetName: a scalar's text (`name: 12` is named "12"). */
function scalarName(v: Json | undefined): string {
  return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '';
}

export function apiVersionOf(id: Pick<ResId, 'group' | 'version'>): string {
  return id.group ? `${id.group}/${id.version}` : id.version;
}

/**
 * Kustomize's effective namespace: none at all for cluster-scoped kinds, and `default` for a
 * namespaced resource that names none.
 */
export function effectiveNamespace(id: ResId): string {
  if (isClusterScoped(apiVersionOf(id), id.kind)) return '';
  return id.namespace || 'default';
}

export function sameId(a: ResId, b: ResId): boolean {
  return (
    a.group === b.group &&
    a.version === b.version &&
    a.kind === b.kind &&
    a.name === b.name &&
    effectiveNamespace(a) === effectiveNamespace(b)
  );
}

export function describeId(id: ResId): string {
  return `${apiVersionOf(id)} ${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

export function makeResource(obj: JsonObject, location: SourceLocation): Resource {
  // Kustomize requires a kind and a name; an apiVersion it does not (the group and version are then empty).
  if (obj.apiVersion !== undefined && typeof obj.apiVersion !== 'string') throw new UserError('apiVersion must be a string', location);
  if (typeof obj.kind !== 'string' || !obj.kind) throw new UserError('resource has no kind', location);
  const meta = obj.metadata;
  if (!isObject(meta) || scalarName(meta.name) === '') {
    throw new UserError(`${obj.kind} has no metadata.name`, location);
  }
  return { object: obj, previousIds: [idOf(obj)], location };
}

/**
 * The ids kustomize can find a resource by (GetMatchingResourcesByAnyId): its current one and
 * those a transformer recorded. Not the id as loaded: a rename nothing records (a legacy
 * patchesJson6902 entry, a replacement into metadata.name) leaves it behind for good.
 */
export function knownIds(res: Resource): ResId[] {
  return [idOf(res.object), ...(res.history ?? [])];
}

/** Records the current id before a transformer renames or re-namespaces the resource. */
export function rememberId(res: Resource): void {
  const cur = idOf(res.object);
  const last = res.previousIds[res.previousIds.length - 1];
  if (!last || !sameId(last, cur) || last.namespace !== cur.namespace) res.previousIds.push(cur);
  (res.history ??= []).push(cur);
}

/** An ordered set of resources with unique ids, as kustomize's ResMap. */
export class ResMap {
  readonly items: Resource[] = [];

  add(res: Resource): void {
    const id = idOf(res.object);
    const clash = this.items.find((r) => sameId(idOf(r.object), id));
    if (clash) {
      throw new UserError(
        `may not add resource with an already registered id: ${describeId(id)} (first defined at ${clash.location.file}:${clash.location.line})`,
        res.location,
      );
    }
    this.items.push(res);
  }

  appendAll(other: ResMap): void {
    for (const r of other.items) this.add(r);
  }
}
