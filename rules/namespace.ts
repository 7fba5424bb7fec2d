import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { defineRule, type KubeObject } from '../src/engine/types.ts';
import { isKind, nameOf, namespaceOf } from './support/k8s.ts';
import { COMPONENT_DEFAULTS, componentOptionsSchema, resolveOptions, stringOption } from './support/options.ts';
import { labelSelectorMatches } from './support/selectors.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = { namespace: string };
const defaultOptions: Options = { namespace: COMPONENT_DEFAULTS.namespace };

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The etcd StatefulSet, its PodDisruptionBudget and its Service are in the expected namespace.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema({
      namespace: stringOption('Namespace the component must be rendered into.'),
    }),
    defaultOptions,
    messages: {
      missingNamespace: '{{kind}} "{{name}}" has no namespace; it must be in "{{expected}}"',
      wrongNamespace: '{{kind}} "{{name}}" is in namespace "{{actual}}"; it must be in "{{expected}}"',
    },
  },
  check(context) {
    const opts = resolveOptions(defaultOptions, context.options);
    const { resources } = context.input;
    const seen = new Set<KubeObject>();
    const check = (obj: KubeObject) => {
      if (seen.has(obj)) return;
      seen.add(obj);
      const actual = namespaceOf(obj);
      if (actual === opts.namespace) return;
      const data = { kind: String(obj['kind']), name: nameOf(obj), expected: opts.namespace };
      const path = ['metadata', 'namespace'];
      const fix = { kind: 'set' as const, path, value: opts.namespace, description: `set the namespace to ${opts.namespace}` };
      if (actual === undefined) context.report({ resource: obj, path, messageId: 'missingNamespace', data, fix });
      else context.report({ resource: obj, path, messageId: 'wrongNamespace', data: { ...data, actual }, fix });
    };
    for (const sts of findComponentStatefulSets(resources, context.input.component)) {
      check(sts.resource);
      // Its PodDisruptionBudgets: those selecting its pods, wherever they were rendered.
      for (const r of resources) {
        if (
          isKind(r, 'policy', 'PodDisruptionBudget') &&
          labelSelectorMatches((r as unknown as PodDisruptionBudget).spec?.selector, sts.podLabels)
        ) {
          check(r);
        }
      }
      // Its Service: the one named by spec.serviceName, wherever it was rendered.
      const serviceName = sts.sts.spec?.serviceName;
      if (typeof serviceName === 'string' && serviceName !== '') {
        for (const r of resources) if (isKind(r, '', 'Service') && nameOf(r) === serviceName) check(r);
      }
    }
  },
});

export default rule;
