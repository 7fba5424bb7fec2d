import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/**
 * Declarative (preset `baseline`): the rule is rules/baseline-image-digest.yaml. The generic twin of
 * `image-digest`: where that rule reports the same field of the same resource, only its finding is kept.
 */
const base = builtinDeclarativeRule('baseline-image-digest');
const rule = { ...base, meta: { ...base.meta, twinOf: 'image-digest' } };

export default rule;
