import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import metaSchema from '../../schemas/custom-rule.schema.json' with { type: 'json' };
import { declarativeRule, type DeclarativeRuleDefinition } from '../engine/declarative.ts';
import type { Rule } from '../engine/types.ts';
import { precompiledRuleValidator } from '../engine/precompiled-rules.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, locate } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { assertValid } from './validate.ts';

/**
 * Declarative rule files (schemas/custom-rule.schema.json): the simple built-in invariants
 * (rules/<id>.yaml) and a repository's own rules (config `customRules.directories`).
 */

// Compiled on first use: a run without custom rule files never pays for it.
let ajv: Ajv | undefined;
let validateMeta: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates one rule file; errors are located on the offending key or value. */
export function parseRuleFile(text: string, file: string): DeclarativeRuleDefinition & { location: SourceLocation } {
  const docs = loadYamlDocuments(text, { file }).filter((d) => d.value !== null);
  const start: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (docs.length !== 1) throw new UserError(`a rule file holds exactly one rule (found ${docs.length} documents)`, docs[1]?.location ?? start);
  const value = docs[0]!.value;
  if (!isObject(value)) throw new UserError('a rule file is a mapping (id, description, severity, match, target, schema)', docs[0]!.location);
  ajv ??= new Ajv({ allErrors: true, verbose: true, strict: false });
  validateMeta ??= ajv.compile(metaSchema as object);
  assertValid(validateMeta, value, 'invalid rule file', docs[0]!.location);
  // The rule's own schema must compile.
  try {
    ajv.compile(value.schema as object);
  } catch (e) {
    throw new UserError(`invalid rule file: schema does not compile: ${(e as Error).message}`, locate(value, ['schema']) ?? docs[0]!.location);
  }
  return { ...(value as unknown as DeclarativeRuleDefinition), location: docs[0]!.location };
}

/**
 * The bundles get every `rules/<id>.yaml` inlined at build time, already parsed
 * (scripts/build.mjs defines `__RULE_DEFS__`), so start-up neither parses YAML nor compiles the
 * meta-schema for them; run from source, they are read from `rules/`. Either way the files are
 * checked against the meta-schema by the test suite (test/config/rule-files.test.ts).
 */
declare const __RULE_DEFS__: Record<string, DeclarativeRuleDefinition> | undefined;

export function builtinRuleText(id: string): string {
  return readFileSync(new URL(`../../rules/${id}.yaml`, import.meta.url), 'utf8');
}

function builtinDefinition(id: string): DeclarativeRuleDefinition {
  if (typeof __RULE_DEFS__ === 'object') {
    const d = Object.hasOwn(__RULE_DEFS__, id) ? __RULE_DEFS__[id] : undefined;
    if (d === undefined) throw new Error(`no built-in rule file rules/${id}.yaml in the bundle`);
    return d;
  }
  const docs = loadYamlDocuments(builtinRuleText(id), { file: `rules/${id}.yaml` });
  return docs[0]!.value as unknown as DeclarativeRuleDefinition;
}

/** A built-in rule defined by `rules/<id>.yaml`. */
export function builtinDeclarativeRule(id: string): Rule<Record<string, unknown>> & { definition: DeclarativeRuleDefinition } {
  const def = builtinDefinition(id);
  if (def.id !== id) throw new Error(`rules/${id}.yaml declares id ${def.id}`);
  return Object.assign(declarativeRule(def, precompiledRuleValidator(id)), { definition: def });
}
