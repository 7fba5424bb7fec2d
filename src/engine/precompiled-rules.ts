import type { ValidateFunction } from 'ajv';

/**
 * The schema validator of a built-in declarative rule (rules/<id>.yaml) with its default
 * options, precompiled. Run from source there are none (each is compiled with ajv on first use);
 * the bundles (scripts/build.mjs) replace this module with ajv standalone code for every built-in
 * rule, so a run with the default options never compiles a schema.
 */
export function precompiledRuleValidator(_id: string): ValidateFunction | undefined {
  return undefined;
}
