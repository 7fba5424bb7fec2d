import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative (preset `baseline`): the rule is rules/baseline-no-privilege-escalation.yaml. */
const rule = builtinDeclarativeRule('baseline-no-privilege-escalation');

export default rule;
