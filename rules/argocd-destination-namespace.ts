import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import { componentOptionsSchema } from './support/options.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const DESTINATION_NAMESPACE = ['spec', 'destination', 'namespace'] as const;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: "The Application's destination namespace is the etcd StatefulSet's namespace." },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missingDestinationNamespace: 'Application "{{name}}" must set spec.destination.namespace to "{{expected}}"',
      wrongDestinationNamespace:
        'Application "{{name}}" deploys to namespace "{{actual}}" but StatefulSet "{{statefulSet}}" is rendered into "{{expected}}"',
    },
  },
  check(context) {
    const apps = context.input.applications;
    if (apps === undefined) return;
    // One expectation per distinct namespace the etcd StatefulSets are rendered into.
    const expected = new Map<string, string>();
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      if (sts.namespace !== undefined && !expected.has(sts.namespace)) expected.set(sts.namespace, sts.name);
    }
    for (const application of apps) {
      const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
      const actual = getPath(application.object, DESTINATION_NAMESPACE);
      for (const [namespace, statefulSet] of expected) {
        if (typeof actual !== 'string' || actual === '') {
          context.report({
            application,
            path: DESTINATION_NAMESPACE,
            messageId: 'missingDestinationNamespace',
            data: { name, expected: namespace },
          });
        } else if (actual !== namespace) {
          context.report({
            application,
            path: DESTINATION_NAMESPACE,
            messageId: 'wrongDestinationNamespace',
            data: { name, actual, expected: namespace, statefulSet },
          });
        }
      }
    }
  },
});

export default rule;
