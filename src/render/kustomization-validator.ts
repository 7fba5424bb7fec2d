import { Ajv, type ValidateFunction } from 'ajv';
import { KUSTOMIZATION_AJV_OPTIONS, kustomizationSchema } from './kustomization-schema.ts';

/**
 * The validator of kustomization files, compiled with ajv on first use when run from source.
 * The bundles (scripts/build.mjs) replace this module with the same validator precompiled at
 * build time (ajv standalone code), so a run does not pay for compiling it.
 */
export function kustomizationValidator(): ValidateFunction {
  return new Ajv(KUSTOMIZATION_AJV_OPTIONS).compile(kustomizationSchema);
}
