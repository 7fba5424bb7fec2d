import type { SourceLocation } from '../../model/location.ts';
import { isObject, setField, type JsonObject } from '../../model/provenance.ts';
import { rememberId, type Resource } from '../resource.ts';
import { clusterScopedKinds, prefixSuffixSkipKinds } from './default-field-specs.ts';

function metadataOf(obj: JsonObject, loc: SourceLocation): JsonObject {
  if (!isObject(obj.metadata)) setField(obj, 'metadata', {}, loc);
  return obj.metadata as JsonObject;
}

/** `namespace:` sets metadata.namespace on every namespaced resource. */
export function setNamespace(resources: readonly Resource[], namespace: string, loc: SourceLocation): void {
  for (const res of resources) {
    const kind = String(res.object.kind);
    if (clusterScopedKinds.has(kind)) continue;
    rememberId(res);
    setField(metadataOf(res.object, loc), 'namespace', namespace, loc);
  }
}

/** `namePrefix:` / `nameSuffix:` rename every resource but those kustomize never renames. */
export function addNamePrefixSuffix(
  resources: readonly Resource[],
  prefix: { value: string; loc: SourceLocation } | undefined,
  suffix: { value: string; loc: SourceLocation } | undefined,
): void {
  for (const res of resources) {
    if (prefixSuffixSkipKinds.has(String(res.object.kind))) continue;
    rememberId(res);
    const meta = metadataOf(res.object, (prefix ?? suffix)!.loc);
    let name = String(meta.name);
    if (prefix) {
      name = prefix.value + name;
      setField(meta, 'name', name, prefix.loc);
    }
    if (suffix) setField(meta, 'name', name + suffix.value, suffix.loc);
  }
}
