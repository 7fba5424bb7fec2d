import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { findEtcdStatefulSets } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'The render contains a StatefulSet with the etcd container.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      missing: 'No StatefulSet with a container named "{{container}}" is in the rendered output',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    // Several targets in one run (repo mode): a target without the component is not this rule's subject.
    if (context.input.repoMode) return;
    if (findEtcdStatefulSets(context.input.resources, container).length === 0) {
      context.report({ target: true, messageId: 'missing', data: { container } });
    }
  },
};

export default rule;
