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
}

export function defaultTransformerConfig(): TransformerConfig {
  return { commonLabels: [...commonLabelSpecs], templateLabels: [...templateLabelSpecs], commonAnnotations: [...commonAnnotationSpecs], images: [], labels: [], varReference: [], nameReference: [] };
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
  for (const r of from.nameReference) into.nameReference.push(r);
}

const SUPPORTED = new Set(['commonLabels', 'templateLabels', 'commonAnnotations', 'images', 'labels', 'varReference', 'nameReference']);
/** Keys kustomize knows whose custom fieldSpecs this renderer does not apply: they fail loudly when non-empty. */
const KNOWN = new Set(['namePrefix', 'nameSuffix', 'namespace', 'replicas']);

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
  const out: TransformerConfig = { commonLabels: [], templateLabels: [], commonAnnotations: [], images: [], labels: [], varReference: [], nameReference: [] };
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
        for (const k of ['group', 'version', 'kind'] as const) if (typeof item[k] === 'string' && item[k] !== '') target[k] = item[k] as string;
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
