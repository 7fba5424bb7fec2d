import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { containerName, findEtcdStatefulSets, podContainers } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'Every container of the etcd StatefulSet runs with a read-only root filesystem.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      notReadOnly: 'Container "{{container}}" must run with a read-only root filesystem',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      for (const { container: c, path } of podContainers(sts.podSpec)) {
        if (c.securityContext?.readOnlyRootFilesystem !== true) {
          context.report({
            resource: sts.resource,
            path: [...path, 'securityContext', 'readOnlyRootFilesystem'],
            messageId: 'notReadOnly',
            data: { container: containerName(c) },
          });
        }
      }
    }
  },
};

export default rule;
