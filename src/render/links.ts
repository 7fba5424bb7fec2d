/**
 * Kustomize's shared value nodes. When a label or annotation transformer (commonLabels,
 * labels, commonAnnotations) adds a key that a resource does not have yet, kyaml puts one and the
 * same scalar node into every field it writes for that resource (metadata.labels, the selector,
 * the template's labels, ...). Later writes that overwrite a scalar in place (another label
 * transformer, a strategic-merge patch, a replacement) change that node, and so every field
 * holding it: an overlay's `labels:` without includeSelectors still changes a selector its base's
 * commonLabels wrote. A JSON6902 patch rebuilds the resource from JSON, which ends the sharing.
 *
 * Modelled here as groups of (map, key) places per resource that hold one value: after an
 * in-place write, a place whose value changed carries the change to the others.
 */
import { LOCS, isObject, setField, type Json, type JsonObject } from '../model/provenance.ts';
import type { Resource } from './resource.ts';

export interface Link {
  places: { map: JsonObject; key: string }[];
  value: Json;
}

const isScalar = (v: Json | undefined): v is string | number | boolean => v !== undefined && v !== null && typeof v !== 'object';

/** Records that these places (just created by one transformer on one resource) share one node. */
export function linkPlaces(res: Resource, places: { map: JsonObject; key: string }[], value: Json): void {
  if (places.length < 2) return;
  (res.links ??= []).push({ places: [...places], value });
}

/** Carries in-place changes of a shared value to every place holding it. */
export function syncLinks(res: Resource): void {
  if (!res.links) return;
  for (const link of res.links) {
    link.places = link.places.filter((p) => isObject(p.map) && isScalar(p.map[p.key]));
    const changed = link.places.find((p) => p.map[p.key] !== link.value);
    if (!changed) continue;
    const value = changed.map[changed.key] as Json;
    // The others take the new value, and its provenance: the write that changed it.
    const loc = changed.map[LOCS]?.[changed.key];
    for (const p of link.places) if (p.map[p.key] === link.value) setField(p.map, p.key, value, loc);
    link.value = value;
  }
  res.links = res.links.filter((l) => l.places.length > 1);
}
