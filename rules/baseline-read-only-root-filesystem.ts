import { builtinDeclarativeRule } from '../src/config/rule-files.ts';

/**
 * Declarative (preset `baseline`): the rule is rules/baseline-read-only-root-filesystem.yaml. The generic twin of
 * `read-only-root-filesystem`: where that rule reports the same field of the same resource, only its finding is kept.
 */
const base = builtinDeclarativeRule('baseline-read-only-root-filesystem');
const rule = { ...base, meta: { ...base.meta, twinOf: 'read-only-root-filesystem' } };

export default rule;
