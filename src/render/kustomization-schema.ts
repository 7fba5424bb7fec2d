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
    // kustomize's map[string]bool: any key, read or not, with a boolean value.
    options: { type: 'object', additionalProperties: { type: 'boolean' } },
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

/*
 * An inline replacement, as kustomize decodes it (unknown fields refused; the value types are
 * checked with the replacement itself, which a replacement file shares). A source has no label
 * or annotation selector; `options.encoding` is known to kustomize v5.5.0, which ignores it.
 */
const resId = { group: {}, version: {}, kind: {}, name: {}, namespace: {} };
const replacementOptions = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { delimiter: {}, index: {}, encoding: {}, create: {} },
};
const replacementSource = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { ...resId, fieldPath: {}, options: replacementOptions },
};
const replacementSelector = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: { ...resId, labelSelector: {}, annotationSelector: {} },
};
const replacementTarget = {
  type: ['object', 'null'],
  additionalProperties: false,
  properties: {
    select: replacementSelector,
    reject: { type: ['array', 'null'], items: replacementSelector },
    fieldPaths: {},
    options: replacementOptions,
  },
};

/** The ajv options the schema is compiled with (at run time from source, at build time for the bundles). */
export const KUSTOMIZATION_AJV_OPTIONS = { allErrors: false, strict: false } as const;

export const kustomizationSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string' },
    // Checked when the kustomization is loaded: an empty kind reads as Kustomization.
    kind: { type: 'string' },
    // kustomize's ObjectMeta: these four fields only, each of its type.
    metadata: {
      type: 'object',
      additionalProperties: false,
      properties: { name: { type: 'string' }, namespace: { type: 'string' }, labels: stringMap, annotations: stringMap },
    },
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
        properties: { name: { type: 'string' }, count: { type: 'integer' } },
      },
    },
    configMapGenerator: { type: 'array', items: generator },
    secretGenerator: { type: 'array', items: { ...generator, properties: { ...generator.properties, type: { type: 'string' } } } },
    generatorOptions,
    configurations: { type: 'array', items: { type: 'string' } },
    crds: { type: 'array', items: { type: 'string' } },
    openapi: { type: 'object', additionalProperties: false, properties: { path: { type: 'string' }, version: { type: 'string' } } },
    // kustomize v5.5.0 acts on originAnnotations, transformerAnnotations and managedByLabel and
    // ignores any other string.
    buildMetadata: { type: 'array', items: { type: 'string' } },
    vars: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        // No required name: kustomize v5.5.0 accepts a var without one (nothing references it).
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
        properties: { path: { type: 'string' }, source: replacementSource, targets: { type: 'array', items: replacementTarget } },
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
