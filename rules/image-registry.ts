import { defineRule } from '../src/engine/types.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, resolveOptions, stringOption } from './support/options.ts';
import { imageRepository } from './support/images.ts';
import { containerName, findComponentStatefulSets } from './support/statefulset.ts';

type Options = { mirror: string };
const defaultOptions: Options = { mirror: COMPONENT_DEFAULTS.mirror };

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: "The etcd container's image comes from the project's mirror repository." },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      mirror: stringOption('Image repository (no tag or digest) the etcd image must come from.'),
    }),
    defaultOptions,
    messages: {
      wrongRepository: 'Image "{{image}}" of container "{{container}}" must come from {{expected}} (found {{repository}})',
    },
  },
  check(context) {
    const { mirror } = resolveOptions(defaultOptions, context.options);
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const image = typeof sts.container.image === 'string' ? sts.container.image : '';
      const repository = imageRepository(image);
      if (repository !== mirror) {
        context.report({
          resource: sts.resource,
          path: [...sts.containerPath, 'image'],
          messageId: 'wrongRepository',
          data: { container: containerName(sts.container), image, expected: mirror, repository: repository || '(none)' },
        });
      }
    }
  },
});

export default rule;
