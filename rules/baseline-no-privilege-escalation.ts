import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/**
 * Declarative (preset `baseline`): the rule is rules/baseline-no-privilege-escalation.yaml. The generic twin of
 * `no-privilege-escalation`: where that rule reports the same field of the same resource, only its finding is kept.
 */
const base = builtinDeclarativeRule('baseline-no-privilege-escalation');
const rule = { ...base, meta: { ...base.meta, twinOf: 'no-privilege-escalation' } };

export default rule;
