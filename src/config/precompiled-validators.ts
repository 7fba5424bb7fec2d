import type { ValidateFunction } from 'ajv';

/** How the configuration and rule options are validated (ajv); the build precompiles with the same. */
export const CONFIG_AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

/**
 * The validator of schemas/config.schema.json, precompiled. Run from source there is none (it is
 * compiled with ajv on first use); the bundles (scripts/build.mjs) replace this module with ajv
 * standalone code, so loading a configuration compiles no schema.
 */
export function precompiledConfigValidator(): ValidateFunction | undefined {
  return undefined;
}

/**
 * The options validator of the built-in rule `id`, precompiled, when `schema` is the one it was
 * built from (a rule of the same id given another schema gets none); see precompiledConfigValidator.
 */
export function precompiledOptionsValidator(_id: string, _schema: object): ValidateFunction | undefined {
  return undefined;
}
