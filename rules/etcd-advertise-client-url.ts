import { defineRule } from '../src/engine/types.ts';
import { parseFlags } from './support/flags.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, portOption, resolveOptions } from './support/options.ts';
import { containerName, findComponentStatefulSets } from './support/statefulset.ts';
import { URL_FLAG_MESSAGES, checkUrlFlagPort } from './support/url-flags.ts';

type Options = { clientPort: number };
const defaultOptions: Options = { clientPort: COMPONENT_DEFAULTS.clientPort };

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'etcd sets --advertise-client-urls and every advertised URL uses the client port.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      clientPort: portOption('Port every --advertise-client-urls URL must use.'),
    }),
    defaultOptions,
    messages: { ...URL_FLAG_MESSAGES },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const flags = parseFlags(sts.container, sts.containerPath);
      for (const p of checkUrlFlagPort(
        flags,
        '--advertise-client-urls',
        opts.clientPort,
        containerName(sts.container),
        sts.containerPath,
      )) {
        context.report({ resource: sts.resource, path: p.path, messageId: p.messageId, data: p.data });
      }
    }
  },
});

export default rule;
