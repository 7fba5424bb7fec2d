import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative: the rule is rules/no-privilege-escalation.yaml (a JSON Schema over the target, evaluated by ajv). */
const rule = builtinDeclarativeRule('no-privilege-escalation');

export default rule;
