import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/**
 * Declarative (preset `baseline`): the rule is rules/baseline-drop-all-capabilities.yaml. The generic twin of
 * `drop-all-capabilities`: where that rule reports the same field of the same resource, only its finding is kept.
 */
const base = builtinDeclarativeRule('baseline-drop-all-capabilities');
const rule = { ...base, meta: { ...base.meta, twinOf: 'drop-all-capabilities' } };

export default rule;
