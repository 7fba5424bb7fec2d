import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/** Declarative (preset `baseline`): the rule is rules/baseline-read-only-root-filesystem.yaml. */
const rule = builtinDeclarativeRule('baseline-read-only-root-filesystem');

export default rule;
