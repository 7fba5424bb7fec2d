import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { isDigestPinned } from './support/images.ts';
import { containerName, findComponentStatefulSets, podContainers } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'Every container image of the etcd StatefulSet is pinned by sha256 digest.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      notPinned: 'Image "{{image}}" of container "{{container}}" is not pinned by digest (@sha256:<64 hex digits>)',
      missingImage: 'Container "{{container}}" has no image',
    },
  },
  check(context) {
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      for (const { container: c, path } of podContainers(sts.podSpec)) {
        const imagePath = [...path, 'image'];
        if (typeof c.image !== 'string' || c.image.trim() === '') {
          context.report({ resource: sts.resource, path: imagePath, messageId: 'missingImage', data: { container: containerName(c) } });
        } else if (!isDigestPinned(c.image)) {
          context.report({
            resource: sts.resource,
            path: imagePath,
            messageId: 'notPinned',
            data: { container: containerName(c), image: c.image },
          });
        }
      }
    }
  },
});

export default rule;
