import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/**
 * Declarative (preset `baseline`): the rule is rules/baseline-no-privileged.yaml. The generic twin of
 * `no-privileged`: where that rule reports the same field of the same resource, only its finding is kept.
 */
const base = builtinDeclarativeRule('baseline-no-privileged');
const rule = { ...base, meta: { ...base.meta, twinOf: 'no-privileged' } };

export default rule;
