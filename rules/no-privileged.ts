import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { SCOPE_DEFAULTS, SCOPE_OPTION, scopedContainers, type ScopeOptions } from './support/scope.ts';

const defaultOptions: ScopeOptions = SCOPE_DEFAULTS;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'No container of the etcd StatefulSet (with scope: workloads, of any workload) runs privileged.' },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    presetOptions: { baseline: { scope: 'workloads' } },
    schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
    defaultOptions,
    messages: {
      privileged: 'Container "{{container}}" must not run privileged (securityContext.privileged: true)',
      workloadPrivileged: '{{kind}} "{{name}}": container "{{container}}" must not run privileged',
    },
  },
  check(context) {
    for (const c of scopedContainers(context.input, context.options.scope)) {
      if (c.container.securityContext?.privileged !== true) continue;
      const path = [...c.path, 'securityContext', 'privileged'];
      if (c.component) {
        context.report({
          resource: c.resource,
          path,
          messageId: 'privileged',
          data: { container: c.containerName },
          fix: { kind: 'set', path, value: false, description: 'set securityContext.privileged: false' },
        });
      } else {
        context.report({
          resource: c.resource,
          path,
          messageId: 'workloadPrivileged',
          data: { kind: c.kind, name: c.name, container: c.containerName },
        });
      }
    }
  },
});

export default rule;
