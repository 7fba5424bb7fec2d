import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { SCOPE_DEFAULTS, SCOPE_OPTION, scopedContainers, type ScopeOptions } from './support/scope.ts';

const defaultOptions: ScopeOptions = SCOPE_DEFAULTS;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every container of the etcd StatefulSet (with scope: workloads, of every workload) sets allowPrivilegeEscalation: false explicitly.',
    },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    presetOptions: { baseline: { scope: 'workloads' } },
    schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
    defaultOptions,
    messages: {
      notDisabled: 'Container "{{container}}" must set securityContext.allowPrivilegeEscalation: false',
      workloadNotDisabled: '{{kind}} "{{name}}": container "{{container}}" must set securityContext.allowPrivilegeEscalation: false',
    },
  },
  check(context) {
    for (const c of scopedContainers(context.input, context.options.scope)) {
      if (c.container.securityContext?.allowPrivilegeEscalation === false) continue;
      const path = [...c.path, 'securityContext', 'allowPrivilegeEscalation'];
      if (c.component) {
        context.report({
          resource: c.resource,
          path,
          messageId: 'notDisabled',
          data: { container: c.containerName },
          fix: { kind: 'set', path, value: false, description: 'set securityContext.allowPrivilegeEscalation: false' },
        });
      } else {
        context.report({
          resource: c.resource,
          path,
          messageId: 'workloadNotDisabled',
          data: { kind: c.kind, name: c.name, container: c.containerName },
        });
      }
    }
  },
});

export default rule;
