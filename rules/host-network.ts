import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { POD_SPEC_PATH, findEtcdStatefulSets } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'The etcd pods run on the host network (spec.template.spec.hostNetwork: true).' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      notHostNetwork: 'StatefulSet "{{name}}" must set spec.template.spec.hostNetwork: true',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      if (sts.podSpec.hostNetwork !== true) {
        context.report({
          resource: sts.resource,
          path: [...POD_SPEC_PATH, 'hostNetwork'],
          messageId: 'notHostNetwork',
          data: { name: sts.name },
        });
      }
    }
  },
};

export default rule;
