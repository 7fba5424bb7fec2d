import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { componentNearMisses, describeComponent, findComponentStatefulSets, resolveComponent } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

/** Near misses listed in the message; more are counted. */
const MAX_NEAR_MISSES = 5;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description: 'The render contains the component: a StatefulSet matching settings.component (pod template labels and etcd container).',
    },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missing: 'No StatefulSet in the rendered output is the component (settings.component): none has {{selector}}',
      missingNearMisses:
        'No StatefulSet in the rendered output is the component (settings.component): none has {{selector}}; near misses: {{nearMisses}}',
    },
  },
  check(context) {
    // Several targets in one run (repo mode): a target without the component is not this rule's subject.
    if (context.input.repoMode) return;
    const { resources, component } = context.input;
    if (findComponentStatefulSets(resources, component).length > 0) return;
    const { container } = resolveComponent(component);
    const data = { selector: describeComponent(component), container };
    const near = componentNearMisses(resources, component).map((m) => m.description);
    if (near.length === 0) {
      context.report({ target: true, messageId: 'missing', data });
      return;
    }
    const shown = near.slice(0, MAX_NEAR_MISSES).join('; ');
    const more = near.length > MAX_NEAR_MISSES ? `; and ${near.length - MAX_NEAR_MISSES} more` : '';
    context.report({ target: true, messageId: 'missingNearMisses', data: { ...data, nearMisses: shown + more } });
  },
});

export default rule;
