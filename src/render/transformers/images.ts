import type { SourceLocation } from '../../model/location.ts';
import { isObject, type Json, type JsonObject } from '../../model/provenance.ts';
import { setScalarText } from '../untagged.ts';

export interface ImageOverride {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  tagSuffix?: string;
  location: SourceLocation;
}

/** Splits an image reference into name, tag and digest the way kustomize does. */
export function splitImage(image: string): { name: string; tag: string; digest: string } {
  // A registry host may carry a port (`host:5000/x`): look for ':' and '@' after the first '/'.
  const slash = image.indexOf('/');
  const offset = slash > 0 ? slash : 0;
  const search = image.slice(offset);
  const at = search.indexOf('@');
  const colon = search.indexOf(':');
  if (at < 0 && colon < 0) return { name: image, tag: '', digest: '' };
  if (at >= 0 && (colon < 0 || at < colon)) {
    return { name: image.slice(0, offset + at), tag: '', digest: image.slice(offset + at + 1) };
  }
  if (at >= 0 && colon >= 0) {
    return {
      name: image.slice(0, offset + colon),
      tag: image.slice(offset + colon + 1, offset + at),
      digest: image.slice(offset + at + 1),
    };
  }
  return { name: image.slice(0, offset + colon), tag: image.slice(offset + colon + 1), digest: '' };
}

const matchers = new Map<string, RegExp | null>();

/**
 * Kustomize matches `images[].name` as an (unescaped) regular expression anchored to the image
 * name, optionally followed by a `:tag`, an `@sha256:digest`, or both.
 */
export function imageMatches(image: string, name: string): boolean {
  let re = matchers.get(name);
  if (re === undefined) {
    try {
      re = new RegExp(`^${name}(:[a-zA-Z0-9_.{}-]*)?(@sha256:[a-zA-Z0-9_.{}-]*)?$`);
    } catch {
      re = null;
    }
    matchers.set(name, re);
  }
  return re ? re.test(image) : image === name;
}

export function updatedImage(image: string, o: ImageOverride): string {
  let { name, tag, digest } = splitImage(image);
  if (o.newName) name = o.newName;
  if (o.newTag && o.digest) {
    tag = o.newTag;
    digest = o.digest;
  } else if (o.newTag) {
    tag = o.newTag;
    digest = '';
  } else if (o.digest) {
    tag = '';
    digest = o.digest;
  }
  if (o.tagSuffix) tag += o.tagSuffix;
  return name + (tag ? `:${tag}` : '') + (digest ? `@${digest}` : '');
}

/** Rewrites every `containers[].image` / `initContainers[].image`, wherever they sit in the object. */
export function applyImageOverride(node: Json, o: ImageOverride, root = true): void {
  if (Array.isArray(node)) {
    for (const item of node) applyImageOverride(item, o, false);
    return;
  }
  if (!isObject(node)) return;
  // Kustomize's image transformer leaves every CustomResourceDefinition alone (any group;
  // measured with kubectl kustomize v5.5.0): its schemas may describe containers.
  if (root && node.kind === 'CustomResourceDefinition') return;
  for (const key of Object.keys(node)) {
    const value = node[key] as Json;
    if (key === 'containers' || key === 'initContainers') {
      // A list of containers, or (kustomize does not mind) a single one.
      if (Array.isArray(value)) for (const c of value) if (isObject(c)) updateContainer(c, o);
      if (isObject(value)) updateContainer(value, o);
    }
    applyImageOverride(value, o, false);
  }
}

function updateContainer(container: JsonObject, o: ImageOverride): void {
  const image = container.image;
  if (typeof image !== 'string' || !imageMatches(image, o.name)) return;
  const next = updatedImage(image, o);
  // The entry is responsible even when the result is unchanged: it is what pinned it.
  // Kustomize sets it as a new untagged node (see untagged.ts).
  setScalarText(container, 'image', next, o.location);
}
