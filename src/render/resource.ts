import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';

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
    name: typeof meta.name === 'string' ? meta.name : '',
    namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
  };
}

/** Kustomize treats an empty namespace and `default` as the same. */
export function sameNamespace(a: string, b: string): boolean {
  return (a || 'default') === (b || 'default');
}

export function sameId(a: ResId, b: ResId): boolean {
  return a.group === b.group && a.version === b.version && a.kind === b.kind && a.name === b.name && sameNamespace(a.namespace, b.namespace);
}

export function describeId(id: ResId): string {
  const gv = id.group ? `${id.group}/${id.version}` : id.version;
  return `${gv} ${id.kind} ${id.namespace ? `${id.namespace}/` : ''}${id.name}`;
}

export function makeResource(obj: JsonObject, location: SourceLocation): Resource {
  if (typeof obj.apiVersion !== 'string' || !obj.apiVersion) throw new UserError('resource has no apiVersion', location);
  if (typeof obj.kind !== 'string' || !obj.kind) throw new UserError('resource has no kind', location);
  const meta = obj.metadata;
  if (!isObject(meta) || typeof meta.name !== 'string' || !meta.name) {
    throw new UserError(`${obj.kind} has no metadata.name`, location);
  }
  return { object: obj, previousIds: [idOf(obj)], location };
}

/** Records the current id before a transformer renames or re-namespaces the resource. */
export function rememberId(res: Resource): void {
  const cur = idOf(res.object);
  const last = res.previousIds[res.previousIds.length - 1];
  if (!last || !sameId(last, cur) || last.namespace !== cur.namespace) res.previousIds.push(cur);
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
