import { Ajv } from 'ajv';
import metaSchema from '../../schemas/custom-rule.schema.json' with { type: 'json' };
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, locate } from '../model/provenance.ts';
import type { DeclarativeRuleDefinition } from '../model/rule-file.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { assertValid } from './validate.ts';

/**
 * Declarative rule files (schemas/custom-rule.schema.json): the simple built-in invariants
 * (rules/<id>.yaml) and a repository's own rules (config `customRules.directories`). This module
 * reads and validates a file; src/engine/declarative.ts makes the rule of it.
 */

// Compiled on first use: a run without custom rule files never pays for it.
let ajv: Ajv | undefined;
let validateMeta: ReturnType<Ajv['compile']> | undefined;

/** Parses and validates one rule file; errors are located on the offending key or value. */
export function parseRuleFile(text: string, file: string): DeclarativeRuleDefinition & { location: SourceLocation } {
  const docs = loadYamlDocuments(text, { file }).filter((d) => d.value !== null);
  const start: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (docs.length !== 1)
    throw new UserError(`a rule file holds exactly one rule (found ${docs.length} documents)`, docs[1]?.location ?? start);
  const value = docs[0]!.value;
  if (!isObject(value))
    throw new UserError('a rule file is a mapping (id, description, severity, match, target, schema)', docs[0]!.location);
  // `tests:` was accepted once and never run: say so rather than "unknown field".
  if (Object.hasOwn(value, 'tests')) {
    throw new UserError(
      'invalid rule file: tests: a rule file carries no tests (they were never run); test the rule with the RuleTester of cilium-etcd-lint/testing (docs/custom-rules.md#testing-a-rule)',
      locate(value, ['tests']) ?? docs[0]!.location,
    );
  }
  ajv ??= new Ajv({ allErrors: true, verbose: true, strict: false });
  validateMeta ??= ajv.compile(metaSchema as object);
  assertValid(validateMeta, value, 'invalid rule file', docs[0]!.location);
  // The rule's own schema must compile.
  try {
    ajv.compile(value.schema as object);
  } catch (e) {
    throw new UserError(
      `invalid rule file: schema does not compile: ${(e as Error).message}`,
      locate(value, ['schema']) ?? docs[0]!.location,
    );
  }
  return { ...(value as unknown as DeclarativeRuleDefinition), location: docs[0]!.location };
}
