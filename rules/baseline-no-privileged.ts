import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative (preset `baseline`): the rule is rules/baseline-no-privileged.yaml. */
const rule = builtinDeclarativeRule('baseline-no-privileged');

export default rule;
