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

const generatorOptions = {
  type: 'object',
  additionalProperties: false,
  properties: {
    labels: stringMap,
    annotations: stringMap,
    disableNameSuffixHash: { type: 'boolean' },
    immutable: { type: 'boolean' },
  },
};

const generator = {
  type: 'object',
  additionalProperties: false,
  properties: {
    name: { type: 'string' },
    namespace: { type: 'string' },
    behavior: { type: 'string' },
    files: { type: 'array', items: { type: 'string' } },
    literals: { type: 'array', items: { type: 'string' } },
    envs: { type: 'array', items: { type: 'string' } },
    env: { type: 'string' },
    options: generatorOptions,
  },
};

/** The ajv options the schema is compiled with (at run time from source, at build time for the bundles). */
export const KUSTOMIZATION_AJV_OPTIONS = { allErrors: false, strict: false } as const;

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
    configMapGenerator: { type: 'array', items: generator },
    secretGenerator: { type: 'array', items: { ...generator, properties: { ...generator.properties, type: { type: 'string' } } } },
    generatorOptions,
    configurations: { type: 'array', items: { type: 'string' } },
    crds: { type: 'array', items: { type: 'string' } },
    openapi: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' }, version: { type: 'string' } } },
    buildMetadata: { type: 'array', items: { enum: ['originAnnotations', 'transformerAnnotations', 'managedByLabel'] } },
    vars: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string' },
          objref: {
            type: 'object',
            additionalProperties: false,
            properties: {
              kind: { type: 'string' },
              name: { type: 'string' },
              apiVersion: { type: 'string' },
              group: { type: 'string' },
              version: { type: 'string' },
              namespace: { type: 'string' },
            },
          },
          fieldref: { type: 'object', additionalProperties: false, properties: { fieldPath: { type: 'string' } } },
        },
      },
    },
    replacements: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        properties: { path: { type: 'string' }, source: { type: 'object' }, targets: { type: 'array', items: { type: 'object' } } },
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
  imageTags: 'imageTags is not implemented by the built-in renderer yet (use images)',
  helmCharts:
    'helmCharts run helm, and the built-in renderer never runs programs (only `--renderer kustomize --enable-helm` would: trusted repositories only)',
  helmGlobals:
    'helmCharts run helm, and the built-in renderer never runs programs (only `--renderer kustomize --enable-helm` would: trusted repositories only)',
  helmChartInflationGenerator:
    'helmCharts run helm, and the built-in renderer never runs programs (only `--renderer kustomize --enable-helm` would: trusted repositories only)',
  generators:
    'generator plugins (exec, Go or container functions) run code, and the built-in renderer never runs programs (only `--renderer kustomize --enable-alpha-plugins` would: trusted repositories only)',
  transformers:
    'transformer plugins (exec, Go or container functions) run code, and the built-in renderer never runs programs (only `--renderer kustomize --enable-alpha-plugins` would: trusted repositories only)',
  validators:
    'validator plugins (exec, Go or container functions) run code, and the built-in renderer never runs programs (only `--renderer kustomize --enable-alpha-plugins` would: trusted repositories only)',
};
