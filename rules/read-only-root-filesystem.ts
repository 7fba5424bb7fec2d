import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative: the rule is rules/read-only-root-filesystem.yaml (a JSON Schema over the target, evaluated by ajv). */
const rule = builtinDeclarativeRule('read-only-root-filesystem');

export default rule;
