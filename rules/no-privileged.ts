import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { containerName, findEtcdStatefulSets, podContainers } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'No container of the etcd StatefulSet runs privileged.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      privileged: 'Container "{{container}}" must not run privileged (securityContext.privileged: true)',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      for (const { container: c, path } of podContainers(sts.podSpec)) {
        if (c.securityContext?.privileged === true) {
          context.report({
            resource: sts.resource,
            path: [...path, 'securityContext', 'privileged'],
            messageId: 'privileged',
            data: { container: containerName(c) },
          });
        }
      }
    }
  },
};

export default rule;
