import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { isDigestPinned } from './support/images.ts';
import { containerName, findEtcdStatefulSets, podContainers } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'Every container image of the etcd StatefulSet is pinned by sha256 digest.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      notPinned: 'Image "{{image}}" of container "{{container}}" is not pinned by digest (@sha256:<64 hex digits>)',
      missingImage: 'Container "{{container}}" has no image',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
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
};

export default rule;
