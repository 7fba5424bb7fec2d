import { defineRule } from '../src/engine/types.ts';
import { findFlag, parseFlags } from './support/flags.ts';
import { componentOptionsSchema } from './support/options.ts';
import { containerName, findComponentStatefulSets } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The etcd StatefulSet, when it runs more than one replica, sets --initial-cluster.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missingInitialCluster:
        'StatefulSet "{{name}}" runs {{replicas}} replicas but container "{{container}}" does not set --initial-cluster; each member would bootstrap its own single-node cluster',
    },
  },
  check(context) {
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const replicas = sts.sts.spec?.replicas;
      if (typeof replicas !== 'number' || replicas <= 1) continue;
      const flag = findFlag(parseFlags(sts.container, sts.containerPath), '--initial-cluster');
      if (!flag || flag.value === undefined || flag.value.trim() === '') {
        context.report({
          resource: sts.resource,
          path: ['spec', 'replicas'],
          messageId: 'missingInitialCluster',
          data: { name: sts.name, replicas, container: containerName(sts.container) },
        });
      }
    }
  },
});

export default rule;
