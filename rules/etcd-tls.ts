import { defineRule } from '../src/engine/types.ts';
import { findFlag, parseFlags } from './support/flags.ts';
import { componentOptionsSchema, resolveOptions } from './support/options.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';
import { parseEtcdUrl, splitUrlList } from './support/urls.ts';

type Options = { flags: string[] };
const defaultOptions: Options = {
  flags: [
    '--listen-client-urls',
    '--listen-peer-urls',
    '--listen-metrics-urls',
    '--advertise-client-urls',
    '--initial-advertise-peer-urls',
  ],
};

const rule = defineRule({
  meta: {
    type: 'suggestion',
    docs: { description: 'etcd listen and advertise URLs use TLS (https://) rather than plaintext http://.' },
    defaultSeverity: 'warning',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      flags: {
        type: 'array',
        items: { type: 'string', pattern: '^--[a-z0-9-]+$' },
        uniqueItems: true,
        description: 'URL flags to inspect for plaintext http:// URLs.',
      },
    }),
    defaultOptions,
    messages: {
      plaintext: '{{flag}} uses plaintext {{url}}; serve etcd over TLS (https://) in production',
    },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const flags = parseFlags(sts.container, sts.containerPath);
      for (const name of opts.flags) {
        const flag = findFlag(flags, name);
        if (!flag) continue;
        const plain = splitUrlList(flag.value).find((u) => parseEtcdUrl(u)?.scheme === 'http');
        if (plain !== undefined) {
          context.report({ resource: sts.resource, path: flag.path, messageId: 'plaintext', data: { flag: name, url: plain } });
        }
      }
    }
  },
});

export default rule;
