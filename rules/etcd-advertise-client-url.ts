import type { Rule } from '../src/engine/types.ts';
import { parseFlags } from './support/flags.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, portOption, resolveOptions } from './support/options.ts';
import { findEtcdStatefulSets } from './support/statefulset.ts';
import { URL_FLAG_MESSAGES, checkUrlFlagPort } from './support/url-flags.ts';

type Options = { container: string; clientPort: number };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container, clientPort: COMPONENT_DEFAULTS.clientPort };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'etcd sets --advertise-client-urls and every advertised URL uses the client port.' },
    defaultSeverity: 'error',
    schema: optionsSchema({
      container: containerOption,
      clientPort: portOption('Port every --advertise-client-urls URL must use.'),
    }),
    defaultOptions,
    messages: { ...URL_FLAG_MESSAGES },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    for (const sts of findEtcdStatefulSets(context.input.resources, opts.container)) {
      const flags = parseFlags(sts.container, sts.containerPath);
      for (const p of checkUrlFlagPort(flags, '--advertise-client-urls', opts.clientPort, opts.container, sts.containerPath)) {
        context.report({ resource: sts.resource, path: p.path, messageId: p.messageId, data: p.data });
      }
    }
  },
};

export default rule;
