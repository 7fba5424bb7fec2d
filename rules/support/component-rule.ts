import type { Rule } from '../../src/engine/types.ts';
import { REMOVED_CONTAINER_OPTION } from './options.ts';
import { findComponentStatefulSets } from './statefulset.ts';

/**
 * A rule (a declarative one: rules/<id>.yaml, which matches every apps StatefulSet) narrowed to
 * the cilium-etcd component: it sees only the StatefulSets findComponentStatefulSets picks with
 * `settings.component`, so another etcd of the render (mimir-etcd) is not judged by it. Its
 * options schema rejects the removed `container` option like the other component rules'.
 */
export function componentScoped<O>(rule: Rule<O>): Rule<O> {
  const schema = rule.meta.schema;
  const properties = (schema.properties ?? {}) as Record<string, unknown>;
  return {
    meta: { ...rule.meta, schema: { ...schema, properties: { ...properties, container: REMOVED_CONTAINER_OPTION } } },
    check(context) {
      const resources = findComponentStatefulSets(context.input.resources, context.input.component).map((s) => s.resource);
      if (resources.length === 0) return;
      rule.check({ options: context.options, input: { ...context.input, resources }, report: (r) => context.report(r) });
    },
  };
}
