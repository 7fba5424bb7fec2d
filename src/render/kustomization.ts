import path from 'node:path';
import { Ajv, type ErrorObject } from 'ajv';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, locate, type JsonObject, type PathSegment } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import type { FileSystem } from './fs.ts';
import { kustomizationSchema, unimplementedFields } from './kustomization-schema.ts';

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
  images?: { name: string; newName?: string; newTag?: string | number; digest?: string; tagSuffix?: string }[];
  replicas?: { name: string; count: number }[];
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
}

let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  validator ??= new Ajv({ allErrors: false, strict: false }).compile(kustomizationSchema);
  return validator(data) ? [] : (validator.errors ?? []);
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
    throw new UserError(
      `no kustomization file (${KUSTOMIZATION_FILE_NAMES.join(', ')}) in directory ${dir}`,
      referencedFrom,
    );
  }
  const docs = loadYamlDocuments(fs.readFile(file), { file });
  const fileStart: SourceLocation = { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
  if (docs.length !== 1) throw new UserError(`a kustomization file must hold exactly one YAML document, found ${docs.length}`, fileStart);
  const raw = docs[0]!.value;
  if (raw === null) throw new UserError('kustomization file is empty', fileStart);
  if (!isObject(raw)) throw new UserError('a kustomization must be a YAML mapping', docs[0]!.location);
  const at = (...p: PathSegment[]) => locate(raw, p) ?? fileStart;

  for (const key of Object.keys(raw)) {
    const why = unimplementedFields[key];
    if (why) throw new UserError(`kustomization field "${key}": ${why}; use --renderer kustomize`, at(key));
  }
  const errors = validate(raw);
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
      throw new UserError(`unknown kustomization field "${extra}"${where}`, at(...segs, extra));
    }
    const field = segs.join('.') || '(root)';
    throw new UserError(`invalid kustomization field ${field}: ${err.message ?? 'invalid'}`, at(...segs));
  }
  return { dir, file, k: raw as unknown as Kustomization, raw, at };
}
