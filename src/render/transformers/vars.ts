/**
 * Legacy `vars:`: `$(NAME)` in the fields kustomize's varReference table lists (plus user
 * `configurations` varReference fieldSpecs) becomes the value of a field of a resource of the
 * build, resolved once, after the whole build, hashed names and name references included.
 *
 * Kustomize facts restated: a var names a resource by objref (kind, name, apiVersion, namespace),
 * matched against its current or earlier ids, exactly one; fieldref.fieldPath defaults to
 * metadata.name and reads `a.b[0].c`; expansion follows Kubernetes' `$(VAR)` syntax (`$$` is a
 * literal `$`, an unknown `$(X)` stays as written); a field that is exactly one `$(VAR)` takes the
 * value with its type (a number stays a number).
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { isObject, type Json, type JsonObject } from '../../model/provenance.ts';
import { idOf, type Resource, knownIds } from '../resource.ts';
import { visitFieldSpec, type FieldSpec } from './field-specs.ts';

export interface VarDecl {
  name: string;
  objref?: { kind?: string; name?: string; apiVersion?: string; group?: string; version?: string; namespace?: string };
  fieldref?: { fieldPath?: string };
}

export interface BoundVar {
  name: string;
  fieldPath: string;
  resource: Resource;
  loc: SourceLocation;
}

const workloads: [string, string][] = [
  ['CronJob', 'spec/jobTemplate/spec/template/spec'],
  ['DaemonSet', 'spec/template/spec'],
  ['Deployment', 'spec/template/spec'],
  ['Job', 'spec/template/spec'],
  ['ReplicaSet', 'spec/template/spec'],
  ['StatefulSet', 'spec/template/spec'],
  ['Pod', 'spec'],
];

/** Kustomize's default varReference fieldSpecs (as observed on Kustomize v5.5.0). */
export const defaultVarReferenceSpecs: FieldSpec[] = [
  { path: 'metadata/annotations' },
  { path: 'metadata/labels' },
  ...workloads.flatMap(([kind, spec]) => [
    ...['containers', 'initContainers'].flatMap((c) =>
      ['args', 'command', 'env/value', 'volumeMounts/mountPath'].map((f) => ({ kind, path: `${spec}/${c}/${f}` })),
    ),
    ...(kind === 'StatefulSet' || kind === 'CronJob' ? [] : [{ kind, path: `${spec}/volumes/nfs/server` }]),
  ]),
  { kind: 'Deployment', path: 'spec/template/metadata/annotations' },
  { kind: 'Service', path: 'spec/ports/port' },
  { kind: 'Service', path: 'spec/ports/targetPort' },
  { kind: 'Ingress', path: 'spec/rules/host' },
  { kind: 'Ingress', path: 'spec/tls/hosts' },
  { kind: 'Ingress', path: 'spec/tls/secretName' },
];

/** Binds each declared var to the one resource its objref names. */
export function bindVars(
  resources: readonly Resource[],
  vars: readonly VarDecl[],
  at: (...p: (string | number)[]) => SourceLocation,
  bound: BoundVar[],
): void {
  vars.forEach((v, i) => {
    // Kustomize v5.5.0 accepts a var without a name; nothing can reference it (measured).
    if (!v.name) return;
    // One kustomization may not declare a name twice (kustomize: "var 'V' already encountered").
    if (vars.findIndex((x) => x.name === v.name) !== i)
      throw new UserError(`var '${v.name}' already encountered (declared twice in this kustomization)`, at(i, 'name'));
    const ref = v.objref ?? {};
    const [group, version] =
      ref.apiVersion !== undefined
        ? ref.apiVersion.includes('/')
          ? ref.apiVersion.split('/')
          : ['', ref.apiVersion]
        : [ref.group, ref.version];
    const matches = resources.filter((r) =>
      knownIds(r).some(
        (id) =>
          (!ref.kind || id.kind === ref.kind) &&
          (!ref.name || id.name === ref.name) &&
          (ref.apiVersion === undefined || id.group === group) &&
          (group === undefined || id.group === group) &&
          (!version || id.version === version) &&
          (!ref.namespace || id.namespace === ref.namespace),
      ),
    );
    if (matches.length !== 1) {
      throw new UserError(
        matches.length
          ? `var "${v.name}": found ${matches.length} resources matching its objref (unable to disambiguate)`
          : `var "${v.name}" cannot be mapped to a field in the set of known resources`,
        at(i, 'objref'),
      );
    }
    const existing = bound.find((b) => b.name === v.name);
    // Declared again anywhere in the build (a base and its overlay too, even alike): refused.
    if (existing)
      throw new UserError(`var '${v.name}' already encountered (declared at ${existing.loc.file}:${existing.loc.line} too)`, at(i, 'name'));
    bound.push({ name: v.name, fieldPath: v.fieldref?.fieldPath || 'metadata.name', resource: matches[0]!, loc: at(i) });
  });
}

function fieldValue(obj: JsonObject, fieldPath: string, loc: SourceLocation): Json {
  let node: Json | undefined = obj;
  for (const part of fieldPath.split('.')) {
    const m = /^([^[]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) throw new UserError(`var fieldPath "${fieldPath}" is not understood`, loc);
    if (m[1]) node = isObject(node) ? (node[m[1]] as Json | undefined) : undefined;
    for (const idx of m[2]!.match(/\d+/g) ?? []) node = Array.isArray(node) ? node[Number(idx)] : undefined;
    if (node === undefined) throw new UserError(`var fieldPath "${fieldPath}" is not found in ${idOf(obj).kind} ${idOf(obj).name}`, loc);
  }
  return node ?? null;
}

function expand(input: string, lookupAny: (name: string) => Json | undefined): Json {
  // A var whose field holds a map or a list is not substituted: `$(NAME)` stays (measured).
  const lookup = (name: string) => {
    const v = lookupAny(name);
    return v !== null && typeof v === 'object' ? undefined : v;
  };
  const whole = /^\$\(([^)]*)\)$/.exec(input);
  if (whole) {
    const v = lookup(whole[1]!);
    if (v !== undefined && v !== null && typeof v !== 'object') return v;
  }
  let out = '';
  let i = 0;
  while (i < input.length) {
    const c = input[i]!;
    if (c === '$' && i + 1 < input.length) {
      const next = input[i + 1]!;
      if (next === '$') {
        out += '$';
        i += 2;
        continue;
      }
      if (next === '(') {
        const close = input.indexOf(')', i + 2);
        if (close < 0) {
          out += '$(';
          i += 2;
          continue;
        }
        const name = input.slice(i + 2, close);
        const v = lookup(name);
        out += v === undefined ? `$(${name})` : typeof v === 'string' ? v : JSON.stringify(v);
        i = close + 1;
        continue;
      }
      out += '$' + next;
      i += 2;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

/** Substitutes every bound var in the varReference fields of every resource. */
export function resolveVars(resources: readonly Resource[], bound: readonly BoundVar[], specs: readonly FieldSpec[]): void {
  if (!bound.length) return;
  const values = new Map<string, { value: Json; loc: SourceLocation }>();
  for (const b of bound) values.set(b.name, { value: fieldValue(b.resource.object, b.fieldPath, b.loc), loc: b.loc });
  const lookup = (name: string) => values.get(name)?.value;
  const has = (s: string) => s.includes('$');
  for (const r of resources) {
    for (const spec of specs) {
      visitFieldSpec(r.object, spec, undefined, (parent, key) => {
        const v = parent[key];
        if (typeof v === 'string') {
          // The field keeps its location: the line that asked for the var.
          if (has(v)) parent[key] = expand(v, lookup);
        } else if (Array.isArray(v)) {
          v.forEach((item, i) => {
            if (typeof item === 'string' && has(item)) v[i] = expand(item, lookup);
          });
        } else if (isObject(v)) {
          for (const k of Object.keys(v)) {
            const item = v[k];
            if (typeof item === 'string' && has(item)) v[k] = expand(item, lookup);
          }
        }
      });
    }
  }
}
