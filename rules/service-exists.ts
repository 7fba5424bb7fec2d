import type { Service } from 'kubernetes-types/core/v1.js';
import { defineRule } from '../src/engine/types.ts';
import { componentOptionsSchema } from './support/options.ts';
import { mapSelectorMismatch } from './support/selectors.ts';
import { findServices } from './support/services.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'spec.serviceName names a Service in the same namespace that selects the etcd pods.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missingServiceName: 'StatefulSet "{{name}}" must set spec.serviceName',
      missingService: 'Service "{{service}}" named by spec.serviceName does not exist in namespace "{{namespace}}"',
      selectorMismatch: 'Service "{{service}}" does not select the pods of StatefulSet "{{name}}"',
    },
  },
  check(context) {
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const serviceName = sts.sts.spec?.serviceName;
      if (typeof serviceName !== 'string' || serviceName === '') {
        context.report({
          resource: sts.resource,
          path: ['spec', 'serviceName'],
          messageId: 'missingServiceName',
          data: { name: sts.name },
        });
        continue;
      }
      const services = findServices(context.input.resources, serviceName, sts.namespace);
      if (services.length === 0) {
        context.report({
          resource: sts.resource,
          path: ['spec', 'serviceName'],
          messageId: 'missingService',
          data: { service: serviceName, namespace: sts.namespace ?? '(none)' },
        });
        continue;
      }
      for (const svc of services) {
        const mismatch = mapSelectorMismatch((svc as unknown as Service).spec?.selector, sts.podLabels);
        if (mismatch !== undefined) {
          context.report({
            resource: svc,
            path: ['spec', 'selector', ...mismatch],
            messageId: 'selectorMismatch',
            data: { service: serviceName, name: sts.name },
          });
        }
      }
    }
  },
});

export default rule;
