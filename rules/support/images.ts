/** The repository part of an image reference: without `@digest` and without `:tag`. */
export function imageRepository(image: string): string {
  let s = image.trim();
  const at = s.indexOf('@');
  if (at >= 0) s = s.slice(0, at);
  const colon = s.lastIndexOf(':');
  if (colon > s.lastIndexOf('/')) s = s.slice(0, colon);
  return s;
}

/** Whether an image reference is pinned by a sha256 digest. */
export function isDigestPinned(image: string): boolean {
  return /@sha256:[0-9a-f]{64}$/.test(image.trim());
}
