import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { containerName, findComponentStatefulSets, podContainers } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'Every container of the etcd StatefulSet drops ALL capabilities and adds none back.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missingDropAll: 'Container "{{container}}" must drop ALL capabilities (securityContext.capabilities.drop: [ALL])',
      addedCapability: 'Container "{{container}}" must not add capability {{capability}}',
    },
  },
  check(context) {
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      for (const { container: c, path } of podContainers(sts.podSpec)) {
        const capsPath = [...path, 'securityContext', 'capabilities'];
        const caps = c.securityContext?.capabilities;
        const drop = Array.isArray(caps?.drop) ? caps.drop : [];
        if (!drop.some((d) => typeof d === 'string' && d.toUpperCase() === 'ALL')) {
          context.report({
            resource: sts.resource,
            path: [...capsPath, 'drop'],
            messageId: 'missingDropAll',
            data: { container: containerName(c) },
            fix: { kind: 'append', path: [...capsPath, 'drop'], value: 'ALL', description: 'add ALL to securityContext.capabilities.drop' },
          });
        }
        const add = Array.isArray(caps?.add) ? caps.add : [];
        add.forEach((capability, i) => {
          context.report({
            resource: sts.resource,
            path: [...capsPath, 'add', i],
            messageId: 'addedCapability',
            data: { container: containerName(c), capability: String(capability) },
            fix: {
              kind: 'remove',
              path: [...capsPath, 'add', i],
              description: `remove ${String(capability)} from securityContext.capabilities.add`,
            },
          });
        });
      }
    }
  },
});

export default rule;
