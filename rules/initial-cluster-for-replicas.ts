import type { Rule } from '../src/engine/types.ts';
import { findFlag, parseFlags } from './support/flags.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { findEtcdStatefulSets } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'An etcd StatefulSet with more than one replica sets --initial-cluster.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      missingInitialCluster:
        'StatefulSet "{{name}}" runs {{replicas}} replicas but container "{{container}}" does not set --initial-cluster; each member would bootstrap its own single-node cluster',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      const replicas = sts.sts.spec?.replicas;
      if (typeof replicas !== 'number' || replicas <= 1) continue;
      const flag = findFlag(parseFlags(sts.container, sts.containerPath), '--initial-cluster');
      if (!flag || flag.value === undefined || flag.value.trim() === '') {
        context.report({
          resource: sts.resource,
          path: ['spec', 'replicas'],
          messageId: 'missingInitialCluster',
          data: { name: sts.name, replicas, container },
        });
      }
    }
  },
};

export default rule;
