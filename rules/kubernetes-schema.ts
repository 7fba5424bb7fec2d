import { defineRule, type KubeObject } from '../src/engine/types.ts';
import { formatPath } from '../src/model/provenance.ts';
import { validateObject } from '../src/schema/kubernetes.ts';
import { optionsSchema } from './support/options.ts';

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: {
      description:
        'Every rendered object and the ArgoCD Application match the Kubernetes (or ArgoCD CRD) schema of their kind: no unknown field, no wrong type.',
    },
    defaultSeverity: 'error',
    presets: ['recommended', 'baseline'],
    schema: optionsSchema({}),
    defaultOptions: {},
    messages: {
      unknownField: '{{kind}} "{{name}}" {{field}}: {{message}}',
      invalid: '{{kind}} "{{name}}" {{field}}: {{message}}',
    },
  },
  check(context) {
    const check = (
      obj: KubeObject,
      report: (path: readonly (string | number)[], messageId: 'unknownField' | 'invalid', data: Record<string, string>) => void,
    ) => {
      const r = validateObject(obj);
      if (!r.known) return;
      const meta = (obj.metadata ?? {}) as Record<string, unknown>;
      for (const e of r.errors) {
        // An unknown or missing field is named in the message; the field shown is its parent.
        const shown = e.unknownField !== undefined || e.keyword === 'required' ? e.path.slice(0, -1) : e.path;
        const data = { kind: String(obj.kind), name: String(meta.name ?? ''), message: e.message, field: formatPath(shown) || '(root)' };
        report(e.path, e.unknownField !== undefined ? 'unknownField' : 'invalid', data);
      }
    };
    for (const resource of context.input.resources) {
      check(resource, (path, messageId, data) => context.report({ resource, path, messageId, data }));
    }
    for (const application of context.input.applications ?? []) {
      check(application.object, (path, messageId, data) => context.report({ application, path, messageId, data }));
    }
  },
});

export default rule;
