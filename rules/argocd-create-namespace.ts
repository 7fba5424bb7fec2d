import { defineRule } from '../src/engine/types.ts';
import { getPath } from '../src/model/provenance.ts';
import { optionsSchema } from './support/options.ts';
import { findComponentStatefulSets } from './support/statefulset.ts';

type Options = { namespaces: string[] };
const defaultOptions: Options = { namespaces: ['kube-system'] };

const SYNC_OPTIONS = ['spec', 'syncPolicy', 'syncOptions'] as const;

const rule = defineRule({
  meta: {
    type: 'problem',
    docs: { description: 'The Application does not sync with CreateNamespace=true into kube-system.' },
    defaultSeverity: 'error',
    presets: ['recommended'],
    schema: optionsSchema({
      namespaces: {
        type: 'array',
        items: { type: 'string', minLength: 1 },
        description: 'Namespaces the Application must never create (and so own): kube-system by default.',
      },
    }),
    defaultOptions,
    messages: {
      createNamespace:
        'Application "{{name}}" syncs with CreateNamespace=true into "{{namespace}}": ArgoCD would manage (and could prune or relabel) a namespace it does not own',
    },
  },
  check(context) {
    const apps = context.input.applications;
    if (apps === undefined) return;
    const namespaces = context.options.namespaces ?? defaultOptions.namespaces;
    // The namespaces the Application deploys into: its destination and where the component's StatefulSet is rendered.
    const rendered = findComponentStatefulSets(context.input.resources, context.input.component)
      .map((s) => s.namespace)
      .filter((n): n is string => n !== undefined);
    for (const application of apps) {
      const options = getPath(application.object, SYNC_OPTIONS);
      if (!Array.isArray(options)) continue;
      const destination = getPath(application.object, ['spec', 'destination', 'namespace']);
      const targets = new Set([...(typeof destination === 'string' ? [destination] : []), ...rendered]);
      const namespace = [...targets].find((n) => namespaces.includes(n));
      if (namespace === undefined) continue;
      options.forEach((o, i) => {
        if (typeof o !== 'string' || o.replace(/\s+/g, '') !== 'CreateNamespace=true') return;
        const name = String(getPath(application.object, ['metadata', 'name']) ?? '');
        context.report({ application, path: [...SYNC_OPTIONS, i], messageId: 'createNamespace', data: { name, namespace } });
      });
    }
  },
});

export default rule;
