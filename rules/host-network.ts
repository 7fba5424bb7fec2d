import { builtinDeclarativeRule } from '../src/config/rule-files.ts';
import { componentScoped } from './support/component-rule.ts';

/**
 * Declarative: the check is rules/host-network.yaml (a JSON Schema over the target, evaluated by ajv),
 * applied only to the component's StatefulSet (`settings.component`).
 */
const rule = componentScoped(builtinDeclarativeRule('host-network'));

export default rule;
