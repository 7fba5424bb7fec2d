/**
 * JSON Schema of the kustomization fields the built-in renderer implements. Fields kustomize knows
 * but this renderer does not implement are listed apart so they fail loudly, never silently.
 */
/** Kustomize's map[string]string: a null value reads as "", a number or boolean is an error. */
const stringMap = { type: 'object', additionalProperties: { type: ['string', 'null'] } };

const selector = {
  type: 'object',
  additionalProperties: false,
  properties: {
    group: { type: 'string' },
    version: { type: 'string' },
    kind: { type: 'string' },
    name: { type: 'string' },
    namespace: { type: 'string' },
    labelSelector: { type: 'string' },
    annotationSelector: { type: 'string' },
  },
};

const patch = {
  type: 'object',
  additionalProperties: false,
  properties: {
    path: { type: 'string' },
    patch: { type: 'string' },
    target: selector,
    options: {
      type: 'object',
      additionalProperties: false,
      properties: { allowNameChange: { type: 'boolean' }, allowKindChange: { type: 'boolean' } },
    },
  },
};

export const kustomizationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    kind: { enum: ['Kustomization', 'Component'] },
    metadata: { type: 'object' },
    resources: { type: 'array', items: { type: 'string' } },
    bases: { type: 'array', items: { type: 'string' } },
    components: { type: 'array', items: { type: 'string' } },
    namespace: { type: 'string' },
    namePrefix: { type: 'string' },
    nameSuffix: { type: 'string' },
    commonLabels: stringMap,
    commonAnnotations: stringMap,
    labels: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          pairs: stringMap,
          includeSelectors: { type: 'boolean' },
          includeTemplates: { type: 'boolean' },
          fields: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['path'],
              properties: {
                path: { type: 'string' },
                create: { type: 'boolean' },
                group: { type: 'string' },
                version: { type: 'string' },
                kind: { type: 'string' },
              },
            },
          },
        },
      },
    },
    patches: { type: 'array', items: patch },
    patchesStrategicMerge: { type: 'array', items: { type: 'string' } },
    patchesJson6902: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['target'],
        properties: { path: { type: 'string' }, patch: { type: 'string' }, target: selector },
      },
    },
    images: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          name: { type: 'string' },
          newName: { type: 'string' },
          newTag: { type: 'string' },
          digest: { type: 'string' },
          tagSuffix: { type: 'string' },
        },
      },
    },
    replicas: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'count'],
        properties: { name: { type: 'string' }, count: { type: 'integer', minimum: 0 } },
      },
    },
    sortOptions: {
      type: 'object',
      additionalProperties: false,
      properties: {
        order: { enum: ['legacy', 'fifo'] },
        legacySortOptions: {
          type: 'object',
          additionalProperties: false,
          properties: {
            orderFirst: { type: 'array', items: { type: 'string' } },
            orderLast: { type: 'array', items: { type: 'string' } },
          },
        },
      },
    },
  },
} as const;

/** Kustomization fields kustomize accepts that the built-in renderer does not implement (yet). */
export const unimplementedFields: Record<string, string> = {
  configMapGenerator: 'generators are not implemented by the built-in renderer yet',
  secretGenerator: 'generators are not implemented by the built-in renderer yet',
  generatorOptions: 'generators are not implemented by the built-in renderer yet',
  configurations: 'custom transformer configurations are not implemented by the built-in renderer yet',
  crds: 'crds are not implemented by the built-in renderer yet',
  replacements: 'replacements are not implemented by the built-in renderer yet',
  vars: 'vars are not implemented by the built-in renderer yet',
  openapi: 'custom openapi schemas are not implemented by the built-in renderer yet',
  buildMetadata: 'buildMetadata is not implemented by the built-in renderer yet',
  imageTags: 'imageTags is not implemented by the built-in renderer yet (use images)',
  helmCharts: 'helmCharts need helm: the built-in renderer never runs programs',
  helmGlobals: 'helmCharts need helm: the built-in renderer never runs programs',
  helmChartInflationGenerator: 'helmCharts need helm: the built-in renderer never runs programs',
  generators: 'generator plugins run code: the built-in renderer never runs programs',
  transformers: 'transformer plugins run code: the built-in renderer never runs programs',
  validators: 'validator plugins run code: the built-in renderer never runs programs',
};
