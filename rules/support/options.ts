/**
 * The component's expected values, defined once. Rules expose them as options whose defaults
 * come from here, so no rule hard-codes a port, path, namespace or image.
 */
export const COMPONENT_DEFAULTS = {
  /** Name of the etcd container inside the StatefulSet's pod template. */
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

export const containerOption: Record<string, unknown> = stringOption(
  'Name of the etcd container; StatefulSets with a container of this name are the ones checked.',
);

/** JSON Schema of an options object with the given properties and no others. */
export function optionsSchema(properties: Record<string, Record<string, unknown>>): Record<string, unknown> {
  return { type: 'object', properties, additionalProperties: false };
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
