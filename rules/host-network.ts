import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative: the rule is rules/host-network.yaml (a JSON Schema over the target, evaluated by ajv). */
const rule = builtinDeclarativeRule('host-network');

export default rule;
