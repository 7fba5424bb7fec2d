import path from 'node:path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { LOCS, getPath, isObject, locate, type JsonObject, type PathSegment } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import type { FileSystem } from './fs.ts';
import type { GeneratorArgs, GeneratorOptions } from './generators.ts';
import type { Replacement } from './transformers/replacements.ts';
import type { VarDecl } from './transformers/vars.ts';
import { kustomizationSchema, unimplementedFields } from './kustomization-schema.ts';
import { kustomizationValidator } from './kustomization-validator.ts';
import { KUSTOMIZE_VERSION } from './version.ts';

export const KUSTOMIZATION_FILE_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

export interface Selector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

export interface PatchEntry {
  path?: string;
  patch?: string;
  target?: Selector;
  options?: { allowNameChange?: boolean; allowKindChange?: boolean };
}

export interface Kustomization {
  apiVersion?: string;
  kind?: 'Kustomization' | 'Component';
  resources?: string[];
  bases?: string[];
  components?: string[];
  namespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonLabels?: Record<string, string>;
  commonAnnotations?: Record<string, string>;
  labels?: { pairs?: Record<string, string>; includeSelectors?: boolean; includeTemplates?: boolean; fields?: unknown[] }[];
  patches?: PatchEntry[];
  patchesStrategicMerge?: string[];
  patchesJson6902?: (PatchEntry & { target: Selector })[];
  images?: { name?: string; newName?: string; newTag?: string | number; digest?: string; tagSuffix?: string }[];
  replicas?: { name: string; count: number }[];
  configMapGenerator?: GeneratorArgs[];
  secretGenerator?: GeneratorArgs[];
  generatorOptions?: GeneratorOptions;
  configurations?: string[];
  crds?: string[];
  openapi?: { path?: string; version?: string };
  buildMetadata?: ('originAnnotations' | 'transformerAnnotations' | 'managedByLabel')[];
  vars?: VarDecl[];
  replacements?: (Replacement & { path?: string })[];
  sortOptions?: { order?: 'legacy' | 'fifo'; legacySortOptions?: { orderFirst?: string[]; orderLast?: string[] } };
}

export interface LoadedKustomization {
  dir: string;
  file: string;
  /** The typed view (same object as `raw`). */
  k: Kustomization;
  /** The parsed file with provenance, for pointing at fields. */
  raw: JsonObject;
  /** Location of `field` (or a path below it) in the kustomization file. */
  at(...path: PathSegment[]): SourceLocation;
  /** Fields that would run a program: the build fails on them once it gets there. */
  deferred: UserError[];
}

/** Kustomization fields added to kustomize after the version the renderer follows: refused, naming it, never ignored. */
const NEWER_FIELDS: Record<string, string> = {
  'replacements.*.sourceValue': '(a literal replacement source)',
  'labels.*.includeVolumeClaimTemplates': '(labels on StatefulSet volumeClaimTemplates)',
};

const RUNS_PROGRAMS = new Set(['generators', 'transformers', 'validators', 'helmCharts', 'helmGlobals', 'helmChartInflationGenerator']);

let validator: ValidateFunction | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= kustomizationValidator();
  return validator(data) ? [] : (validator.errors ?? []);
}

interface SchemaNode {
  type?: unknown;
  properties?: Record<string, SchemaNode>;
  additionalProperties?: SchemaNode | boolean;
  items?: SchemaNode;
}

/**
 * Kustomize decodes its kustomization with Go's encoding/json, which matches struct field names
 * without regard to case (`nameprefix` is namePrefix), after a YAML-to-JSON step that sorts the
 * keys: of two spellings, the one that sorts last wins. Renames such keys to their canonical
 * spelling, in place, keeping their locations; map keys (label names and the like) are left alone.
 */
function canonicalFieldNames(value: unknown, schema: SchemaNode, extra: readonly string[] = []): void {
  if (Array.isArray(value)) {
    if (schema.items) for (const item of value) canonicalFieldNames(item, schema.items);
    return;
  }
  if (!isObject(value as JsonObject)) return;
  const obj = value as JsonObject;
  if (schema.properties) {
    const names = [...Object.keys(schema.properties), ...extra];
    const byLower = new Map(names.map((n) => [n.toLowerCase(), n]));
    const keys = Object.keys(obj);
    if (keys.some((k) => !names.includes(k) && byLower.has(k.toLowerCase()))) {
      const locs = obj[LOCS];
      const entries = keys.map((k) => [k, obj[k], locs?.[k]] as const);
      for (const k of keys) {
        delete obj[k];
        if (locs) delete locs[k];
      }
      const winner = new Map<string, string>();
      for (const k of [...keys].sort()) winner.set(byLower.get(k.toLowerCase()) ?? k, k);
      for (const [k, v, loc] of entries) {
        const name = byLower.get(k.toLowerCase()) ?? k;
        if (winner.get(name) !== k) continue;
        obj[name] = v as JsonObject[string];
        if (loc && locs) locs[name] = loc;
      }
    }
    for (const [name, sub] of Object.entries(schema.properties)) if (name in obj) canonicalFieldNames(obj[name], sub);
  } else if (schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    for (const k of Object.keys(obj)) canonicalFieldNames(obj[k], schema.additionalProperties);
  }
}

/**
 * The paths a kustomization includes other kustomizations or files by (`resources`, `bases`,
 * `components`), as written; remote references (`://`) are left out. For the searches that need
 * the include graph without a render (--all, the ArgoCD discovery).
 */
export function localIncludes(k: JsonObject): string[] {
  return [k.resources, k.bases, k.components]
    .flatMap((l) => (Array.isArray(l) ? l : []))
    .filter((r): r is string => typeof r === 'string' && !r.includes('://'));
}

export function findKustomizationFile(fs: FileSystem, dir: string): string | undefined {
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const p = path.join(dir, name);
    if (fs.kind(p) === 'file') return p;
  }
  return undefined;
}

export function loadKustomization(fs: FileSystem, dir: string, referencedFrom?: SourceLocation): LoadedKustomization {
  const file = findKustomizationFile(fs, dir);
  if (!file) {
    throw new UserError(`no kustomization file (${KUSTOMIZATION_FILE_NAMES.join(', ')}) in directory ${dir}`, referencedFrom);
  }
  const all = KUSTOMIZATION_FILE_NAMES.filter((n) => fs.kind(path.join(dir, n)) === 'file');
  if (all.length > 1) {
    throw new UserError(
      `found multiple kustomization files (${all.join(', ')}) in directory ${dir}: kustomize refuses to choose`,
      referencedFrom ?? { file, line: 1, column: 1, endLine: 1, endColumn: 1 },
    );
  }
  const docs = loadYamlDocuments(fs.readFile(file), { file }, { scalars: 'yaml11' });
  const fileStart: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  // Kustomize decodes the first YAML document of the file and never reads the others (a trailing
  // `---` is harmless; a first document that is empty makes the kustomization empty).
  const raw = docs.length > 0 ? docs[0]!.value : null;
  if (raw === null) throw new UserError('kustomization file is empty (kustomize: "kustomization.yaml is empty")', fileStart);
  if (!isObject(raw)) throw new UserError('a kustomization must be a YAML mapping', docs[0]!.location);
  const at = (...p: PathSegment[]) => locate(raw, p) ?? fileStart;

  canonicalFieldNames(raw, kustomizationSchema as SchemaNode, Object.keys(unimplementedFields));
  // A field left empty (`namespace:`, `resources:`, `patches:` with every entry commented out)
  // is unset, as in kustomize (Go's zero value).
  for (const key of Object.keys(raw)) if (raw[key] === null) delete raw[key];
  // Kustomize refuses a kustomization (or Component) that sets nothing beyond apiVersion and
  // kind: an empty string is unset too, an empty list or map is not.
  // kustomize's EnforceFields: each kind has its apiVersion (or none).
  if (typeof raw.kind === 'string' && raw.kind !== '' && raw.kind !== 'Kustomization' && raw.kind !== 'Component') {
    throw new UserError(`kind should be Kustomization or Component (kustomize refuses ${raw.kind})`, at('kind'));
  }
  const kindOf = raw.kind === 'Component' ? 'Component' : 'Kustomization';
  const wantApi = kindOf === 'Component' ? 'kustomize.config.k8s.io/v1alpha1' : 'kustomize.config.k8s.io/v1beta1';
  if (typeof raw.apiVersion === 'string' && raw.apiVersion !== '' && raw.apiVersion !== wantApi) {
    throw new UserError(`apiVersion for ${kindOf} should be ${wantApi} (kustomize refuses ${raw.apiVersion})`, at('apiVersion'));
  }
  if (Object.keys(raw).every((key) => key === 'apiVersion' || key === 'kind' || raw[key] === '')) {
    throw new UserError(`the kustomization sets nothing (kustomize: "kustomization.yaml is empty")`, fileStart);
  }
  // A field that would run a program fails where kustomize would run it (after the resources,
  // which may fail first, e.g. on a remote base); any other unimplemented field fails here.
  const deferred: UserError[] = [];
  const checked: JsonObject = { ...raw };
  for (const key of Object.keys(raw)) {
    const why = unimplementedFields[key];
    if (!why) continue;
    const err = new UserError(`kustomization field "${key}": ${why}; use --renderer kustomize`, at(key));
    if (!RUNS_PROGRAMS.has(key)) throw err;
    deferred.push(err);
    delete checked[key];
  }
  const errors = validate(checked);
  const err = errors[0];
  if (err) {
    const segs = err.instancePath
      .split('/')
      .slice(1)
      .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    if (err.keyword === 'additionalProperties') {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      const where = segs.length ? ` in ${segs.join('.')}` : '';
      const newer = NEWER_FIELDS[[...segs.map((x) => (typeof x === 'number' ? '*' : x)), extra].join('.')];
      if (newer) {
        throw new UserError(
          `kustomization field "${extra}"${where} ${newer} came after kustomize ${KUSTOMIZE_VERSION}, the version the built-in renderer follows (whose kubectl refuses it: "json: unknown field"); ArgoCD's kustomize 5.8.1 has it: render with --renderer kustomize and a kustomize that knows it, or leave it out`,
          at(...segs, extra),
        );
      }
      throw new UserError(`unknown kustomization field "${extra}"${where}`, at(...segs, extra));
    }
    const field = segs.join('.') || '(root)';
    let message = (err.message ?? 'invalid').replace('must be string,null', 'must be a string');
    const allowed = (err.params as { allowedValues?: unknown[] }).allowedValues;
    if (err.keyword === 'enum' && allowed) message = `must be one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`;
    if (err.keyword === 'type') {
      const value = getPath(raw, segs);
      if (typeof value === 'number' || typeof value === 'boolean') {
        message += ` (found the ${typeof value} ${JSON.stringify(value)}: kustomize reads its kustomization as YAML 1.1, so quote values like yes, on, 1.10 or 012)`;
      }
    }
    throw new UserError(`invalid kustomization field ${field}: ${message}`, at(...segs));
  }
  return { dir, file, k: raw as unknown as Kustomization, raw, at, deferred };
}
