import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { SCOPE_DEFAULTS, SCOPE_OPTION, scopedContainers, type ScopeOptions } from './support/scope.ts';

const defaultOptions: ScopeOptions = SCOPE_DEFAULTS;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every container of the etcd StatefulSet drops ALL capabilities and adds none back (with scope: workloads, every container of every workload drops ALL).',
    },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    presetOptions: { baseline: { scope: 'workloads' } },
    schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
    defaultOptions,
    messages: {
      missingDropAll: 'Container "{{container}}" must drop ALL capabilities (securityContext.capabilities.drop: [ALL])',
      addedCapability: 'Container "{{container}}" must not add capability {{capability}}',
      workloadNotDropped:
        '{{kind}} "{{name}}": container "{{container}}" must drop ALL capabilities (securityContext.capabilities.drop: [ALL])',
    },
  },
  check(context) {
    for (const c of scopedContainers(context.input, context.options.scope)) {
      const capsPath = [...c.path, 'securityContext', 'capabilities'];
      const caps = c.container.securityContext?.capabilities;
      const drop = Array.isArray(caps?.drop) ? caps.drop : [];
      if (!drop.some((d) => typeof d === 'string' && d.toUpperCase() === 'ALL')) {
        if (c.component) {
          context.report({
            resource: c.resource,
            path: [...capsPath, 'drop'],
            messageId: 'missingDropAll',
            data: { container: c.containerName },
            fix: { kind: 'append', path: [...capsPath, 'drop'], value: 'ALL', description: 'add ALL to securityContext.capabilities.drop' },
          });
        } else {
          context.report({
            resource: c.resource,
            path: [...capsPath, 'drop'],
            messageId: 'workloadNotDropped',
            data: { kind: c.kind, name: c.name, container: c.containerName },
          });
        }
      }
      // Capabilities added back: the component's only (what the generic check never asked of other workloads).
      if (!c.component) continue;
      const add = Array.isArray(caps?.add) ? caps.add : [];
      add.forEach((capability, i) => {
        context.report({
          resource: c.resource,
          path: [...capsPath, 'add', i],
          messageId: 'addedCapability',
          data: { container: c.containerName, capability: String(capability) },
          fix: {
            kind: 'remove',
            path: [...capsPath, 'add', i],
            description: `remove ${String(capability)} from securityContext.capabilities.add`,
          },
        });
      });
    }
  },
});

export default rule;
