import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative: the rule is rules/no-privileged.yaml (a JSON Schema over the target, evaluated by ajv). */
const rule = builtinDeclarativeRule('no-privileged');

export default rule;
