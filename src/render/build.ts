/**
 * The renderer's entry point, where the rest of the code imports it from. The renderer itself
 * is in src/render/build/: render.ts (one render, and the steps run once on the whole build),
 * builder.ts (one kustomization: load, resources, generators, components, transformers),
 * steps.ts (kustomize's order of generators and transformers), builtin-plugins.ts (the builtin
 * plugin configurations of `generators:` / `transformers:`, by kind), patches.ts (patch
 * application and target selection), shared-transforms.ts, build-metadata.ts,
 * finish-output.ts and inline-text.ts.
 */
export { renderKustomization, type RenderOptions, type RenderResult, type RenderWarning } from './build/render.ts';
export { embeddedOrigin, isInlineResource } from './build/inline-text.ts';
export { goFloatText } from './untagged.ts';
export { KUSTOMIZE_VERSION } from './version.ts';
