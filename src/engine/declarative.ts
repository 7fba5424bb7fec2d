import { Ajv, type ValidateFunction } from 'ajv';
import { formatPath, getPath, isObject, type FieldPath, type Json, type JsonObject, type PathSegment } from '../model/provenance.ts';
import { explainErrors } from '../schema/ajv-errors.ts';
import type { DeclarativeRuleDefinition, Target } from '../model/rule-file.ts';
import { componentScoped } from '../../rules/support/component-rule.ts';
import { podSpecPath } from '../../rules/support/k8s.ts';
import { setField, withFixes } from './fixes.ts';
import type { KubeObject, Rule, RuleContext } from './types.ts';

/**
 * Declarative rules: a YAML document (validated by schemas/custom-rule.schema.json) naming what
 * it applies to (`match`), which part of each object (`target`), and a JSON Schema that part
 * must satisfy. ajv evaluates the schema; each failure's instancePath is a field path, which the
 * engine locates on the source line like any other finding. The simple built-in invariants are
 * such files (rules/<id>.yaml), and so are a repository's own rules (config `customRules`).
 */

// The definition's type is data (the configuration layer reads and validates rule files).
export type { DeclarativeRuleDefinition, Target };

const CONTAINER_LISTS = ['containers', 'initContainers'] as const;

function asList(v: string | string[] | undefined): string[] | undefined {
  return v === undefined ? undefined : Array.isArray(v) ? v : [v];
}

/** `*` matches any run of characters; everything else literally. */
function globMatch(pattern: string, value: string): boolean {
  if (!pattern.includes('*')) return pattern === value;
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(value);
}

function substitute(value: unknown, options: Record<string, unknown>): unknown {
  if (typeof value === 'string') {
    const whole = value.match(/^\{\{\s*options\.(\w+)\s*\}\}$/);
    if (whole) return options[whole[1]!];
    return value.replace(/\{\{\s*options\.(\w+)\s*\}\}/g, (_, k: string) => String(options[k] ?? ''));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, options));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, options)]));
  return value;
}

function parseField(field: string): PathSegment[] {
  const out: PathSegment[] = [];
  for (const m of field.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) out.push(m[2] !== undefined ? Number(m[2]) : m[1]!);
  return out;
}

interface Unit {
  node: Json;
  path: FieldPath;
  container?: string;
}

function units(obj: KubeObject, target: Target): Unit[] {
  if (target === 'Resource') return [{ node: obj, path: [] }];
  const specPath = podSpecPath(obj);
  if (!specPath) return [];
  const spec = getPath(obj, specPath);
  if (!isObject(spec)) return [];
  if (target === 'PodSpec') return [{ node: spec, path: specPath }];
  const out: Unit[] = [];
  for (const list of CONTAINER_LISTS) {
    const items = spec[list];
    if (!Array.isArray(items)) continue;
    items.forEach((c, i) => {
      if (isObject(c)) out.push({ node: c, path: [...specPath, list, i], container: typeof c.name === 'string' ? c.name : '' });
    });
  }
  return out;
}

function hasContainer(obj: KubeObject, name: string): boolean {
  const specPath = podSpecPath(obj);
  const spec = specPath ? getPath(obj, specPath) : undefined;
  if (!isObject(spec)) return false;
  return CONTAINER_LISTS.some((l) => Array.isArray(spec[l]) && (spec[l] as Json[]).some((c) => isObject(c) && c.name === name));
}

function matches(obj: KubeObject, match: DeclarativeRuleDefinition['match']): boolean {
  if (!match) return true;
  const meta: JsonObject = isObject(obj.metadata) ? obj.metadata : {};
  const test = (patterns: string | string[] | undefined, v: unknown) => {
    const list = asList(patterns);
    return !list || list.some((p) => globMatch(p, typeof v === 'string' ? v : ''));
  };
  if (
    !test(match.apiVersion, obj.apiVersion) ||
    !test(match.kind, obj.kind) ||
    !test(match.name, meta.name) ||
    !test(match.namespace, meta.namespace)
  )
    return false;
  if (match.labels) {
    const labels = isObject(meta.labels) ? meta.labels : {};
    for (const [k, v] of Object.entries(match.labels)) if (labels[k] !== v) return false;
  }
  if (match.container !== undefined && !hasContainer(obj, match.container)) return false;
  return true;
}

/** The ajv options of every declarative rule (the build precompiles the built-in ones with them). */
export const DECLARATIVE_AJV_OPTIONS = { allErrors: true, verbose: true, strict: false } as const;

// Created on first use: a run whose rules are all code, or whose declarative rules are
// precompiled, pays nothing for ajv. Schemas are not checked against the draft meta-schema here
// (compiling it costs ~30 ms cold): built-in ones are checked by the tests, and a repository's own
// by the rule-file loader before they get here.
let ajv: Ajv | undefined;
function compile(schema: Record<string, unknown>): ValidateFunction {
  ajv ??= new Ajv({ ...DECLARATIVE_AJV_OPTIONS, validateSchema: false });
  return ajv.compile(schema);
}

/** The options a rule runs with when the configuration sets none. */
export function defaultOptionsOf(def: DeclarativeRuleDefinition): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, s] of Object.entries(def.options ?? {})) if (s.default !== undefined) out[k] = s.default;
  return out;
}

/** The rule's JSON Schema with `{{options.name}}` replaced. */
export function schemaWithOptions(def: DeclarativeRuleDefinition, options: Record<string, unknown>): Record<string, unknown> {
  return substitute(def.schema, options) as Record<string, unknown>;
}

/**
 * Builds an engine rule from a declarative definition (already validated by the meta-schema).
 * `precompiled` is the validator of the schema with the default options, compiled at build time.
 */
export function declarativeRule(def: DeclarativeRuleDefinition, precompiled?: ValidateFunction): Rule<Record<string, unknown>> {
  let rule = schemaRule(def, precompiled);
  // `scope: component`: only the component's StatefulSets (settings.component) are judged.
  if (def.scope === 'component') rule = componentScoped(rule);
  // `fix`: every finding's field takes the value (certain: the schema asks for exactly it).
  const fix = def.fix;
  if (fix) rule = withFixes(rule, (r) => setField(r, fix.set, fix.description));
  const meta = { ...rule.meta, ...(def.presets ? { presets: def.presets } : {}), ...(def.twinOf ? { twinOf: def.twinOf } : {}) };
  return { meta, check: rule.check };
}

function schemaRule(def: DeclarativeRuleDefinition, precompiled?: ValidateFunction): Rule<Record<string, unknown>> {
  const messageId = def.messageId ?? 'violation';
  const message = def.message ?? '{{kind}} "{{name}}" {{field}}: {{error}}';
  const optionProps: Record<string, Record<string, unknown>> = {};
  for (const [k, s] of Object.entries(def.options ?? {})) {
    const { default: _default, ...rest } = s;
    optionProps[k] = rest;
  }
  const defaultOptions = defaultOptionsOf(def);
  const defaultKey = JSON.stringify(defaultOptions);
  const cache = new Map<
    string,
    { match: DeclarativeRuleDefinition['match']; validate: ValidateFunction; field: PathSegment[] | undefined }
  >();
  const prepare = (options: Record<string, unknown>) => {
    const key = JSON.stringify(options);
    let c = cache.get(key);
    if (!c) {
      c = {
        match: substitute(def.match, options) as DeclarativeRuleDefinition['match'],
        validate: precompiled && key === defaultKey ? precompiled : compile(schemaWithOptions(def, options)),
        field: def.field === undefined ? undefined : parseField(String(substitute(def.field, options))),
      };
      cache.set(key, c);
    }
    return c;
  };
  return {
    meta: {
      type: def.type ?? 'problem',
      docs: { description: def.description },
      defaultSeverity: def.severity,
      schema: { type: 'object', properties: optionProps, additionalProperties: false },
      defaultOptions,
      messages: { [messageId]: message },
    },
    check(context: RuleContext<Record<string, unknown>>) {
      const { match, validate, field } = prepare({ ...defaultOptions, ...context.options });
      for (const resource of context.input.resources) {
        if (!matches(resource, match)) continue;
        const meta: JsonObject = isObject(resource.metadata) ? resource.metadata : {};
        for (const u of units(resource, def.target)) {
          if (validate(u.node)) continue;
          const errors = explainErrors(validate.errors, u.node);
          const data = (path: FieldPath, error: string) => ({
            kind: String(resource.kind ?? ''),
            name: typeof meta.name === 'string' ? meta.name : '',
            namespace: typeof meta.namespace === 'string' ? meta.namespace : '',
            container: u.container ?? '',
            field: formatPath(path),
            error,
          });
          if (field) {
            const path = [...u.path, ...field];
            context.report({ resource, path, messageId, data: data(path, errors.map((e) => e.message).join('; ')) });
            continue;
          }
          for (const e of errors) {
            const path = [...u.path, ...e.path];
            context.report({ resource, path, messageId, data: data(path, e.message) });
          }
        }
      }
    },
  };
}
