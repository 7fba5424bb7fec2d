import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import type { Rule } from '../src/engine/types.ts';
import { isKind, sameNamespace } from './support/k8s.ts';
import { COMPONENT_DEFAULTS, containerOption, optionsSchema, resolveOptions } from './support/options.ts';
import { labelSelectorMatches } from './support/selectors.ts';
import { findEtcdStatefulSets } from './support/statefulset.ts';

type Options = { container: string };
const defaultOptions: Options = { container: COMPONENT_DEFAULTS.container };

const rule: Rule<Options> = {
  meta: {
    type: 'problem',
    docs: { description: 'A PodDisruptionBudget in the same namespace selects the etcd pods.' },
    defaultSeverity: 'error',
    schema: optionsSchema({ container: containerOption }),
    defaultOptions,
    messages: {
      missing: 'No PodDisruptionBudget in namespace "{{namespace}}" selects the pods of StatefulSet "{{name}}"',
    },
  },
  check(context) {
    const { container } = resolveOptions(defaultOptions, context.options);
    const pdbs = context.input.resources.filter((r) => isKind(r, 'policy', 'PodDisruptionBudget'));
    for (const sts of findEtcdStatefulSets(context.input.resources, container)) {
      const covered = pdbs.some(
        (r) => sameNamespace(r, sts.resource) && labelSelectorMatches((r as unknown as PodDisruptionBudget).spec?.selector, sts.podLabels),
      );
      if (!covered) {
        context.report({
          resource: sts.resource,
          path: ['metadata', 'name'],
          messageId: 'missing',
          data: { namespace: sts.namespace ?? '(none)', name: sts.name },
        });
      }
    }
  },
};

export default rule;
