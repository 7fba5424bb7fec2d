import { builtinDeclarativeRule } from '../src/config/rule-files.ts';
import { componentScoped } from './support/component-rule.ts';
import { setField, withFixes } from '../src/engine/fixes.ts';

/**
 * Declarative: the check is rules/read-only-root-filesystem.yaml (a JSON Schema over the target, evaluated by ajv),
 * applied only to the component's StatefulSet (`settings.component`). Fix (certain): set securityContext.readOnlyRootFilesystem: true, on the
 * line that sets it, or added where the nearest present parent is written.
 */
const rule = withFixes(componentScoped(builtinDeclarativeRule('read-only-root-filesystem')), (r) => setField(r, true, 'set securityContext.readOnlyRootFilesystem: true'));

export default rule;
