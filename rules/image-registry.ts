import type { Rule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions, stringOption } from './support/options.ts';
import { imageRepository } from './support/images.ts';
import { findEtcdStatefulSets } from './support/statefulset.ts';

type Options = { container: string; mirror: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container, mirror: COMPONENT_DEFAULTS.mirror };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: "The etcd container's image comes from the project's mirror repository." },
    defaultSeverity: 'error',
    schema: optionsSchema({
      container: containerOption,
      mirror: stringOption('Image repository (no tag or digest) the etcd image must come from.'),
    }),
    defaultOptions,
    messages: {
      wrongRepository: 'Image "{{image}}" of container "{{container}}" must come from {{expected}} (found {{repository}})',
    },
  },
  check(context) {
    const { container, mirror } = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      const image = typeof sts.container.image === 'string' ? sts.container.image : '';
      const repository = imageRepository(image);
      if (repository !== mirror) {
        context.report({
          resource: sts.resource,
          path: [...sts.containerPath, 'image'],
          messageId: 'wrongRepository',
          data: { container, image, expected: mirror, repository: repository || '(none)' },
        });
      }
    }
  },
};

export default rule;
