// node:fs, not a FileSystem: run from source, the built-in rules' own files (rules/<id>.yaml) of the package, not the linted repository.
import { readFileSync } from 'node:fs';
import type { DeclarativeRuleDefinition } from '../model/rule-file.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { declarativeRule } from './declarative.ts';
import { precompiledRuleValidator } from './precompiled-rules.ts';
import type { Rule } from './types.ts';

/**
 * The built-in declarative rules (rules/<id>.yaml), registered by rules/index.ts from its sorted
 * list of ids, with no module of their own.
 *
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
