import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative (preset `baseline`): the rule is rules/baseline-drop-all-capabilities.yaml. */
const rule = builtinDeclarativeRule('baseline-drop-all-capabilities');

export default rule;
