import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { SCOPE_DEFAULTS, SCOPE_OPTION, scopedContainers, type ScopeOptions } from './support/scope.ts';

const defaultOptions: ScopeOptions = SCOPE_DEFAULTS;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every container of the etcd StatefulSet (with scope: workloads, of every workload) runs with a read-only root filesystem.',
    },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    presetOptions: { baseline: { scope: 'workloads' } },
    schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
    defaultOptions,
    messages: {
      notReadOnly: 'Container "{{container}}" must run with a read-only root filesystem',
      workloadNotReadOnly: '{{kind}} "{{name}}": container "{{container}}" must set securityContext.readOnlyRootFilesystem: true',
    },
  },
  check(context) {
    for (const c of scopedContainers(context.input, context.options.scope)) {
      if (c.container.securityContext?.readOnlyRootFilesystem === true) continue;
      const path = [...c.path, 'securityContext', 'readOnlyRootFilesystem'];
      if (c.component) {
        context.report({
          resource: c.resource,
          path,
          messageId: 'notReadOnly',
          data: { container: c.containerName },
          fix: { kind: 'set', path, value: true, description: 'set securityContext.readOnlyRootFilesystem: true' },
        });
      } else {
        context.report({
          resource: c.resource,
          path,
          messageId: 'workloadNotReadOnly',
          data: { kind: c.kind, name: c.name, container: c.containerName },
        });
      }
    }
  },
});

export default rule;
