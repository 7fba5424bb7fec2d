import { defineRule } from '../src/engine/types.ts';
import { numericPort } from './support/k8s.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, portOption, resolveOptions } from './support/options.ts';
import { TEMPLATE_METADATA_PATH, findComponentStatefulSets } from './support/statefulset.ts';

type Options = { metricsPort: number };
const defaultOptions: Options = { metricsPort: COMPONENT_DEFAULTS.metricsPort };

const SCRAPE = 'prometheus.io/scrape';
const PORT = 'prometheus.io/port';

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The etcd pod template is annotated for Prometheus scraping on the metrics port.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      metricsPort: portOption('Port the prometheus.io/port annotation must name.'),
    }),
    defaultOptions,
    messages: {
      missingAnnotation: 'Pod template of StatefulSet "{{name}}" lacks annotation {{annotation}}',
      scrapeDisabled: 'Annotation prometheus.io/scrape is "{{value}}"; it must be "true"',
      wrongPort: 'Annotation prometheus.io/port is "{{value}}"; it must be the metrics port {{expected}}',
    },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const at = (key: string) => [...TEMPLATE_METADATA_PATH, 'annotations', key];
      const fixScrape = { kind: 'set' as const, path: at(SCRAPE), value: 'true', description: `set annotation ${SCRAPE}: "true"` };
      const fixPort = {
        kind: 'set' as const,
        path: at(PORT),
        value: String(opts.metricsPort),
        description: `set annotation ${PORT}: "${opts.metricsPort}"`,
      };
      const scrape = sts.podAnnotations[SCRAPE];
      if (scrape === undefined) {
        context.report({
          resource: sts.resource,
          path: at(SCRAPE),
          messageId: 'missingAnnotation',
          data: { name: sts.name, annotation: SCRAPE },
          fix: fixScrape,
        });
      } else if (scrape !== 'true') {
        context.report({ resource: sts.resource, path: at(SCRAPE), messageId: 'scrapeDisabled', data: { value: scrape }, fix: fixScrape });
      }
      const port = sts.podAnnotations[PORT];
      if (port === undefined) {
        context.report({
          resource: sts.resource,
          path: at(PORT),
          messageId: 'missingAnnotation',
          data: { name: sts.name, annotation: PORT },
          fix: fixPort,
        });
      } else if (numericPort(port) !== opts.metricsPort) {
        context.report({
          resource: sts.resource,
          path: at(PORT),
          messageId: 'wrongPort',
          data: { value: port, expected: opts.metricsPort },
          fix: fixPort,
        });
      }
    }
  },
});

export default rule;
