import { defineRule } from '../src/engine/types.ts';
import { isDigestPinned } from './support/images.ts';
import { componentOptionsSchema } from './support/options.ts';
import { SCOPE_DEFAULTS, SCOPE_OPTION, scopedContainers, type ScopeOptions } from './support/scope.ts';

const defaultOptions: ScopeOptions = SCOPE_DEFAULTS;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description: 'Every container image of the etcd StatefulSet (with scope: workloads, of every workload) is pinned by sha256 digest.',
    },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    presetOptions: { baseline: { scope: 'workloads' } },
    schema: componentOptionsSchema({ scope: SCOPE_OPTION }),
    defaultOptions,
    messages: {
      notPinned: 'Image "{{image}}" of container "{{container}}" is not pinned by digest (@sha256:<64 hex digits>)',
      missingImage: 'Container "{{container}}" has no image',
      workloadNotPinned: '{{kind}} "{{name}}": image of container "{{container}}" is not pinned by digest (@sha256:<64 hex digits>)',
    },
  },
  check(context) {
    for (const c of scopedContainers(context.input, context.options.scope)) {
      const imagePath = [...c.path, 'image'];
      const image = c.container.image;
      const missing = typeof image !== 'string' || image.trim() === '';
      if (!missing && isDigestPinned(image)) continue;
      if (!c.component) {
        context.report({
          resource: c.resource,
          path: imagePath,
          messageId: 'workloadNotPinned',
          data: { kind: c.kind, name: c.name, container: c.containerName },
        });
      } else if (missing) {
        context.report({ resource: c.resource, path: imagePath, messageId: 'missingImage', data: { container: c.containerName } });
      } else {
        context.report({ resource: c.resource, path: imagePath, messageId: 'notPinned', data: { container: c.containerName, image } });
      }
    }
  },
});

export default rule;
