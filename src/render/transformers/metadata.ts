import type { SourceLocation } from '../../model/location.ts';
import { isObject, setField, type JsonObject } from '../../model/provenance.ts';
import { isClusterScoped } from '../builtin-types.ts';
import { idOf, rememberId, type Resource } from '../resource.ts';
import { scalarText, setScalarText } from '../untagged.ts';

function metadataOf(obj: JsonObject, loc: SourceLocation): JsonObject {
  if (!isObject(obj.metadata)) setField(obj, 'metadata', {}, loc);
  return obj.metadata as JsonObject;
}

function apiVersionOf(obj: JsonObject): string {
  return typeof obj.apiVersion === 'string' ? obj.apiVersion : '';
}

/** Sets `parent[key]` at the end of a path of maps, creating them only when `create` says so. */
function setAt(obj: JsonObject, path: readonly string[], value: string, loc: SourceLocation, create: boolean): void {
  let node = obj;
  for (const seg of path.slice(0, -1)) {
    let next = node[seg];
    if (next === undefined || next === null) {
      if (!create) return;
      next = {};
      setField(node, seg, next, loc);
    }
    if (!isObject(next)) return;
    node = next;
  }
  const last = path[path.length - 1]!;
  if (!create && !Object.prototype.hasOwnProperty.call(node, last)) return;
  setField(node, last, value, loc);
}

/** Which RoleBinding subjects get the namespace (a NamespaceTransformer's setRoleBindingSubjects). */
export type RoleBindingSubjects = 'defaultOnly' | 'none' | 'allServiceAccounts';

/**
 * `namespace:` as kustomize applies it: metadata.namespace on every resource its schema does not
 * know as cluster-scoped, the name of a v1 Namespace itself, the service namespace of an
 * APIService (created) and of a CRD conversion webhook (when present), and the namespace of
 * the (Cluster)RoleBinding subjects `subjects` names: those named "default" (the default), none,
 * or every ServiceAccount. With `unsetOnly`, only where no namespace is set (measured with
 * kubectl kustomize v5.5.0).
 */
export function setNamespace(
  resources: readonly Resource[],
  namespace: string,
  loc: SourceLocation,
  opts: { renameNamespaces?: boolean; subjects?: RoleBindingSubjects; unsetOnly?: boolean } = {},
): void {
  const isSet = (m: JsonObject, key: string) => opts.unsetOnly && typeof m[key] === 'string' && m[key] !== '';
  const subjects = opts.subjects ?? 'defaultOnly';
  for (const res of resources) {
    const obj = res.object;
    const apiVersion = apiVersionOf(obj);
    const { group, kind } = idOf(obj);
    rememberId(res);
    const meta = () => metadataOf(obj, loc);
    if (!isClusterScoped(apiVersion, kind) && !isSet(meta(), 'namespace')) setScalarText(meta(), 'namespace', namespace, loc);
    // The `namespace:` field renames Namespace objects; a NamespaceTransformer plugin does not.
    if (apiVersion === 'v1' && kind === 'Namespace' && opts.renameNamespaces !== false) setField(meta(), 'name', namespace, loc);
    if (group === 'apiregistration.k8s.io' && kind === 'APIService') setAt(obj, ['spec', 'service', 'namespace'], namespace, loc, true);
    if (group === 'apiextensions.k8s.io' && kind === 'CustomResourceDefinition') {
      setAt(obj, ['spec', 'conversion', 'webhook', 'clientConfig', 'service', 'namespace'], namespace, loc, false);
    }
    if ((kind === 'RoleBinding' || kind === 'ClusterRoleBinding') && Array.isArray(obj.subjects) && subjects !== 'none') {
      for (const s of obj.subjects) {
        if (!isObject(s) || isSet(s, 'namespace')) continue;
        if (subjects === 'allServiceAccounts' ? s.kind === 'ServiceAccount' : s.name === 'default')
          setField(s, 'namespace', namespace, loc);
      }
    }
  }
}

/** Kustomize never prefixes or suffixes these (any group for the first two). */
function keepsName(obj: JsonObject): boolean {
  const { group, kind } = idOf(obj);
  return kind === 'Namespace' || kind === 'CustomResourceDefinition' || (kind === 'APIService' && group === 'apiregistration.k8s.io');
}

/** `namePrefix:` / `nameSuffix:` rename every resource but those kustomize never renames. */
export function addNamePrefixSuffix(
  resources: readonly Resource[],
  prefix: { value: string; loc: SourceLocation } | undefined,
  suffix: { value: string; loc: SourceLocation } | undefined,
): void {
  // Kustomize runs a prefix and then a suffix transformer, each recording the id it changes.
  for (const res of resources) {
    if (keepsName(res.object)) continue;
    const meta = metadataOf(res.object, (prefix ?? suffix)!.loc);
    if (prefix) {
      rememberId(res);
      (res.prefixes ??= []).push(prefix.value);
      setScalarText(meta, 'name', prefix.value + scalarText(meta, 'name'), prefix.loc);
    }
    if (suffix) {
      rememberId(res);
      (res.suffixes ??= []).push(suffix.value);
      setScalarText(meta, 'name', scalarText(meta, 'name') + suffix.value, suffix.loc);
    }
  }
}
