import type { PodDisruptionBudget } from 'kubernetes-types/policy/v1.js';
import { defineRule } from '../src/engine/types.ts';
import { formatPath } from '../src/model/provenance.ts';
import { isKind, nameOf, sameNamespace } from './support/k8s.ts';
import { componentOptionsSchema } from './support/options.ts';
import { labelSelectorMismatch } from './support/selectors.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = Record<string, never>;
const defaultOptions: Options = {};

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'A PodDisruptionBudget in the same namespace selects the etcd pods.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: componentOptionsSchema(),
    defaultOptions,
    messages: {
      missing: 'No PodDisruptionBudget in namespace "{{namespace}}" selects the pods of StatefulSet "{{name}}"',
      selectorMismatch:
        'PodDisruptionBudget "{{pdb}}" does not select the pods of StatefulSet "{{name}}": {{field}} does not match the pod template labels',
    },
  },
  check(context) {
    const pdbs = context.input.resources.filter((r) => isKind(r, 'policy', 'PodDisruptionBudget'));
    for (const sts of findComponentStatefulSets(context.input.resources, context.input.component)) {
      const candidates = pdbs
        .filter((r) => sameNamespace(r, sts.resource))
        .map((pdb) => ({ pdb, mismatch: labelSelectorMismatch((pdb as unknown as PodDisruptionBudget).spec?.selector, sts.podLabels) }));
      if (candidates.some((c) => c.mismatch === undefined)) continue;
      if (candidates.length === 0) {
        context.report({
          resource: sts.resource,
          path: ['metadata', 'name'],
          messageId: 'missing',
          data: { namespace: sts.namespace ?? '(none)', name: sts.name },
        });
        continue;
      }
      // The render's PodDisruptionBudgets in this namespace are meant for these pods: blame the
      // selector term of each that fails.
      for (const { pdb, mismatch } of candidates) {
        const path = ['spec', 'selector', ...(mismatch ?? [])];
        context.report({
          resource: pdb,
          path,
          messageId: 'selectorMismatch',
          data: { pdb: nameOf(pdb), name: sts.name, field: formatPath(path) },
        });
      }
    }
  },
});

export default rule;
