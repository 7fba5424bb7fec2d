/**
 * The kustomize release whose behaviour the built-in renderer follows (the one `kubectl
 * kustomize` embeds in kubectl 1.32, and the conformance corpora's oracle). Features kustomize
 * added after it are refused with a message naming this version, never ignored.
 */
export const KUSTOMIZE_VERSION = 'v5.5.0';
