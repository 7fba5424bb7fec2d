import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative (preset `baseline`): the rule is rules/baseline-image-digest.yaml. */
const rule = builtinDeclarativeRule('baseline-image-digest');

export default rule;
