/**
 * The component's expected values, defined once. Rules expose them as options whose defaults
 * come from here, so no rule hard-codes a port, path, namespace or image.
 */
export const COMPONENT_DEFAULTS = {
  /**
   * Which StatefulSet is the component (`settings.component`; rules/support/statefulset.ts,
   * findComponentStatefulSets): the pod template labels of the upstream cilium-etcd
   * (cluster/manifests/cilium-etcd/base/stateful_set.yaml; its third label,
   * app.kubernetes.io/instance, names one member and is not required) ...
   */
  matchLabels: { 'app.kubernetes.io/name': 'cilium', 'app.kubernetes.io/component': 'etcd' },
  /** ... and the name of the etcd container inside that pod template. */
  container: 'etcd',
  namespace: 'kube-system',
  mirror: 'ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd',
  clientPort: 12379,
  peerPort: 12380,
  metricsPort: 12381,
  dataDir: '/var/lib/cilium/etcd-0',
} as const;

export const stringOption = (description: string): Record<string, unknown> => ({
  type: 'string',
  minLength: 1,
  description,
});

export const portOption = (description: string): Record<string, unknown> => ({
  type: 'integer',
  minimum: 1,
  maximum: 65535,
  description,
});

/**
 * The `container` option the cilium-etcd rules used to take, now rejected: which StatefulSet is the
 * component (its labels and its container) is said once, in `settings.component`, for every rule.
 * A plain JSON Schema (so the options validators can be precompiled): a `pattern` nothing matches,
 * whose `title` is what the configuration error says (`"etcd-main" is not <title>`); a value that
 * is not a string fails `type` first.
 */
export const REMOVED_CONTAINER_OPTION: Record<string, unknown> = {
  type: 'string',
  pattern: '^(?!)',
  title: 'accepted: the rule option "container" was removed; name the etcd container once, for every rule, in settings.component.container',
  description: 'Removed: use settings.component.container (and settings.component.matchLabels) of the configuration.',
  deprecated: true,
};

/** JSON Schema of an options object with the given properties and no others. */
export function optionsSchema(properties: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { type: 'object', properties, additionalProperties: false };
}

/**
 * The options schema of a rule that judges the component's StatefulSet: `properties`, plus the
 * removed `container` option, rejected with a message that says where it went.
 */
export function componentOptionsSchema(properties: Record<string, Record<string, unknown>> = {}): Record<string, unknown> {
  return optionsSchema({ ...properties, container: REMOVED_CONTAINER_OPTION });
}

/**
 * The options a rule runs with: its defaults overlaid with whatever the context gives (the
 * engine normally merges already; this keeps a rule correct when handed a partial object).
 */
export function resolveOptions<O extends Record<string, unknown>>(defaults: O, given: Partial<O> | undefined): O {
  const out: Record<string, unknown> = { ...defaults };
  if (given) {
    for (const [k, v] of Object.entries(given)) if (v !== undefined) out[k] = v;
  }
  return out as O;
}
