/**
 * Kustomize's transformer configuration (`configurations:` files): extra fieldSpecs for the
 * built-in transformers. A kustomization's configuration is the defaults plus every
 * configuration of the kustomizations it includes (resources and components) plus its own, and
 * the top-level one drives the final name-reference pass.
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { isObject, locate, type Json, type JsonObject } from '../../model/provenance.ts';
import { commonAnnotationSpecs, commonLabelSpecs, templateLabelSpecs } from './default-field-specs.ts';
import type { FieldSpec } from './field-specs.ts';
import type { Reference } from './name-reference.ts';

export interface TransformerConfig {
  commonLabels: FieldSpec[];
  templateLabels: FieldSpec[];
  commonAnnotations: FieldSpec[];
  images: FieldSpec[];
  /** Extra fieldSpecs for `labels:` entries. */
  labels: FieldSpec[];
  varReference: FieldSpec[];
  nameReference: Reference[];
  /** Extra places for namePrefix / nameSuffix / namespace / replicas (beyond kustomize's defaults, which the transformers apply themselves). */
  namePrefix: FieldSpec[];
  nameSuffix: FieldSpec[];
  namespace: FieldSpec[];
  replicas: FieldSpec[];
}

const emptyConfig = (): TransformerConfig => ({
  commonLabels: [],
  templateLabels: [],
  commonAnnotations: [],
  images: [],
  labels: [],
  varReference: [],
  nameReference: [],
  namePrefix: [],
  nameSuffix: [],
  namespace: [],
  replicas: [],
});

export function defaultTransformerConfig(): TransformerConfig {
  return {
    ...emptyConfig(),
    commonLabels: [...commonLabelSpecs],
    templateLabels: [...templateLabelSpecs],
    commonAnnotations: [...commonAnnotationSpecs],
  };
}

const specKey = (s: FieldSpec) => `${s.group ?? ''}|${s.version ?? ''}|${s.kind ?? ''}|${s.path}`;

function addSpecs(into: FieldSpec[], specs: readonly FieldSpec[]): void {
  for (const s of specs) if (!into.some((e) => specKey(e) === specKey(s))) into.push(s);
}

export function mergeTransformerConfig(into: TransformerConfig, from: TransformerConfig): void {
  addSpecs(into.commonLabels, from.commonLabels);
  addSpecs(into.templateLabels, from.templateLabels);
  addSpecs(into.commonAnnotations, from.commonAnnotations);
  addSpecs(into.images, from.images);
  addSpecs(into.varReference, from.varReference);
  addSpecs(into.labels, from.labels);
  addSpecs(into.namePrefix, from.namePrefix);
  addSpecs(into.nameSuffix, from.nameSuffix);
  addSpecs(into.namespace, from.namespace);
  addSpecs(into.replicas, from.replicas);
  for (const r of from.nameReference) into.nameReference.push(r);
}

const SUPPORTED = new Set([
  'commonLabels',
  'templateLabels',
  'commonAnnotations',
  'images',
  'labels',
  'varReference',
  'nameReference',
  'namePrefix',
  'nameSuffix',
  'namespace',
  'replicas',
]);
/** Keys kustomize knows whose custom fieldSpecs this renderer does not apply: they fail loudly when non-empty. */
const KNOWN = new Set<string>();

function fieldSpec(v: Json, loc: SourceLocation): FieldSpec {
  if (!isObject(v) || typeof v.path !== 'string') throw new UserError('a fieldSpec needs a "path"', loc);
  const s: FieldSpec = { path: v.path };
  for (const k of ['group', 'version', 'kind'] as const) {
    if (v[k] !== undefined && v[k] !== null) {
      if (typeof v[k] !== 'string') throw new UserError(`fieldSpec ${k} must be a string`, loc);
      if (v[k] !== '') s[k] = v[k] as string;
    }
  }
  if (v.create !== undefined) s.create = v.create === true;
  return s;
}

/** Parses one configurations file (already loaded, with provenance). */
export function parseTransformerConfig(doc: Json, fileStart: SourceLocation): TransformerConfig {
  const out = emptyConfig();
  if (doc === null) return out;
  if (!isObject(doc)) throw new UserError('a transformer configuration must be a YAML mapping', fileStart);
  const at = (...p: (string | number)[]) => locate(doc, p) ?? fileStart;
  for (const key of Object.keys(doc)) {
    const list = doc[key];
    if (list === null) continue;
    if (!Array.isArray(list)) throw new UserError(`transformer configuration "${key}" must be a list`, at(key));
    if (!SUPPORTED.has(key)) {
      if (KNOWN.has(key) && list.length === 0) continue;
      throw new UserError(
        KNOWN.has(key)
          ? `transformer configuration "${key}" is not implemented by the built-in renderer yet; use --renderer kustomize`
          : `unknown transformer configuration "${key}"`,
        at(key),
      );
    }
    list.forEach((item, i) => {
      if (key === 'nameReference') {
        if (!isObject(item)) throw new UserError('a nameReference entry must be a mapping', at(key, i));
        const target: Reference['target'] = {};
        for (const k of ['group', 'version', 'kind'] as const)
          if (typeof item[k] === 'string' && item[k] !== '') target[k] = item[k] as string;
        const specs = Array.isArray(item.fieldSpecs) ? item.fieldSpecs : [];
        out.nameReference.push({ target, referrers: specs.map((f, j) => fieldSpec(f, at(key, i, 'fieldSpecs', j))) });
      } else {
        (out[key as 'commonLabels'] as FieldSpec[]).push(fieldSpec(item, at(key, i)));
      }
    });
  }
  return out;
}

export type { JsonObject };

interface CrdSchema {
  $ref?: string;
  properties?: Record<string, CrdSchema>;
  'x-kubernetes-object-ref-api-version'?: string;
  'x-kubernetes-object-ref-kind'?: string;
  'x-kubernetes-label-selector'?: unknown;
  'x-kubernetes-annotation'?: unknown;
}

/**
 * `crds:` files (OpenAPI definitions keyed by Go type name, each `{Schema, Dependencies}`): a
 * property marked x-kubernetes-object-ref-kind / -api-version is a name reference (its `name`),
 * x-kubernetes-label-selector a place for commonLabels, x-kubernetes-annotation one for
 * commonAnnotations, in the kind the definition's name ends with. $refs to other definitions of
 * the file are followed.
 */
export function configFromCrds(doc: Json, loc: SourceLocation): TransformerConfig {
  const out = emptyConfig();
  if (!isObject(doc)) throw new UserError('a crds file must be a JSON or YAML mapping of definitions', loc);
  const defs = doc as unknown as Record<string, { Schema?: CrdSchema }>;
  const walk = (schema: CrdSchema | undefined, kind: string, path: string, seen: Set<string>): void => {
    const props =
      schema && typeof schema === 'object' && schema.properties && typeof schema.properties === 'object' ? schema.properties : {};
    for (const [name, prop] of Object.entries(props)) {
      if (!prop || typeof prop !== 'object' || Array.isArray(prop)) continue;
      const p = path ? `${path}/${name}` : name;
      if (prop['x-kubernetes-object-ref-kind'] !== undefined) {
        out.nameReference.push({
          target: {
            kind: String(prop['x-kubernetes-object-ref-kind']),
            ...(prop['x-kubernetes-object-ref-api-version'] ? { version: String(prop['x-kubernetes-object-ref-api-version']) } : {}),
          },
          referrers: [{ kind, path: `${p}/name` }],
        });
      }
      if (prop['x-kubernetes-label-selector'] !== undefined) out.commonLabels.push({ kind, path: p, create: false });
      if (prop['x-kubernetes-annotation'] !== undefined) out.commonAnnotations.push({ kind, path: p, create: false });
      const ref = typeof prop.$ref === 'string' ? prop.$ref : undefined;
      const target = ref !== undefined && Object.prototype.hasOwnProperty.call(defs, ref) ? defs[ref] : undefined;
      if (ref && target && typeof target === 'object' && !seen.has(ref)) walk(target.Schema, kind, p, new Set([...seen, ref]));
      else if (prop.properties) walk(prop, kind, p, seen);
    }
  };
  for (const [typeName, def] of Object.entries(defs)) {
    if (!isObject(def as unknown as Json)) {
      if (def === null) continue;
      throw new UserError(
        `crds: "${typeName}" is not an OpenAPI definition (a mapping with a Schema): a crds file holds OpenAPI definitions, not CustomResourceDefinition manifests (kustomize: "cannot unmarshal ${typeof def === 'string' ? 'string' : typeof def} into Go value of type accumulator.OpenAPIDefinition")`,
        loc,
      );
    }
    if (def.Schema !== undefined && !isObject(def.Schema as unknown as Json)) continue;
    const kind = typeName.slice(typeName.lastIndexOf('.') + 1);
    walk(def.Schema, kind, '', new Set([typeName]));
  }
  return out;
}
