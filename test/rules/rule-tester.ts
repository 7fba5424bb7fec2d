/**
 * A small RuleTester: runs one rule on an input built from YAML strings and resolves every report
 * to the line the user would be pointed at, the way the engine does (`locate()` for resource and
 * Application reports, `input.targetLocation` for target-level ones).
 */
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import type { ApplicationDoc, KubeObject, LintInput, Report, Rule } from '../../src/engine/types.ts';
import type { ComponentSetting } from '../../src/model/component.ts';
import type { SourceLocation } from '../../src/model/location.ts';
import { formatPath, isObject, locate } from '../../src/model/provenance.ts';
import { loadYamlDocuments } from '../../src/yaml/load.ts';

export const REPO_ROOT = '/repo';
export const TARGET_PATH = '/repo/cluster/manifests/cilium-etcd/overlays/dev';
export const BASE_PATH = '/repo/cluster/manifests/cilium-etcd/base';
/** The file the rendered resources of a test input are loaded as. */
export const RENDER_FILE = '/repo/rendered.yaml';
/** The file the Applications of a test input are loaded as. */
export const APPLICATION_FILE = '/repo/cluster/manifests/argocd-applications/base/cilium-etcd.yaml';

export interface InputSpec {
  /** Rendered resources, a multi-document YAML stream. */
  resources?: string;
  /** Applications, a multi-document YAML stream; omitted: the ArgoCD checks do not apply. */
  applications?: string;
  repoRoot?: string;
  targetPath?: string;
  dependencyDirs?: string[];
  /** `settings.component` of the configuration (omitted: the defaults). */
  component?: ComponentSetting;
  /** Several targets in one run: whether this one renders the component. */
  repoMode?: { component: boolean };
}

function objects(text: string, file: string): KubeObject[] {
  return loadYamlDocuments(text, { file })
    .map((d) => d.value)
    .filter(isObject);
}

export function buildInput(spec: InputSpec): LintInput {
  const targetPath = spec.targetPath ?? TARGET_PATH;
  const targetLocation: SourceLocation = {
    file: `${targetPath}/kustomization.yaml`,
    line: 1,
    column: 1,
    endLine: 1,
    endColumn: 1,
  };
  const applications: ApplicationDoc[] | undefined =
    spec.applications === undefined
      ? undefined
      : objects(spec.applications, APPLICATION_FILE).map((object) => ({ object, file: APPLICATION_FILE }));
  return {
    targetPath,
    targetLocation,
    resources: spec.resources === undefined ? [] : objects(spec.resources, RENDER_FILE),
    applications,
    repoRoot: spec.repoRoot ?? REPO_ROOT,
    dependencyDirs: spec.dependencyDirs ?? [targetPath, BASE_PATH],
    ...(spec.component ? { component: spec.component } : {}),
    ...(spec.repoMode ? { repoMode: spec.repoMode } : {}),
  };
}

export type Subject = 'resource' | 'application' | 'target';

export interface ResolvedReport {
  messageId: string;
  message: string;
  subject: Subject;
  /** `Kind/name` of the resource or Application reported on. */
  object: string | undefined;
  field: string | undefined;
  file: string;
  line: number;
  data: Record<string, string | number>;
}

const ajv = new Ajv({ strict: true, allErrors: true });

/** Validates options against the rule's schema, as the engine will; throws when they do not fit. */
export function validateOptions(rule: Rule<any>, options: Record<string, unknown>): void {
  const validate = ajv.compile(rule.meta.schema);
  if (!validate(options)) throw new Error(`invalid options ${JSON.stringify(options)}: ${ajv.errorsText(validate.errors)}`);
}

function objectName(o: KubeObject): string {
  const meta = o['metadata'];
  return `${String(o['kind'])}/${isObject(meta) ? String(meta['name']) : ''}`;
}

/** Fills `{{name}}` placeholders; throws when the report's data lacks one. */
export function formatMessage(template: string, data: Record<string, string | number>): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, key: string) => {
    if (!(key in data)) throw new Error(`message "${template}" needs data.${key}`);
    return String(data[key]);
  });
}

/** Runs `rule` on `input` with its default options overlaid by `options`. */
export function runRule(rule: Rule<any>, input: LintInput, options: Record<string, unknown> = {}): ResolvedReport[] {
  const merged = { ...rule.meta.defaultOptions, ...options };
  validateOptions(rule, merged);
  const reports: Report[] = [];
  rule.check({ options: merged, input, report: (r) => void reports.push(r) });
  return reports.map((r) => {
    const template = rule.meta.messages[r.messageId];
    if (template === undefined) throw new Error(`unknown messageId "${r.messageId}"`);
    const data = r.data ?? {};
    const message = formatMessage(template, data);
    let location: SourceLocation | undefined;
    let subject: Subject;
    let object: string | undefined;
    let field: string | undefined;
    if ('target' in r) {
      subject = 'target';
      location = input.targetLocation;
    } else if ('application' in r) {
      subject = 'application';
      if (!input.applications?.includes(r.application)) throw new Error('report names an Application not in the input');
      location = locate(r.application.object, r.path);
      object = objectName(r.application.object);
      field = formatPath(r.path);
    } else {
      subject = 'resource';
      if (!input.resources.includes(r.resource)) throw new Error('report names a resource not in the input');
      location = locate(r.resource, r.path);
      object = objectName(r.resource);
      field = formatPath(r.path);
    }
    if (!location) throw new Error(`report ${r.messageId} at ${field ?? '<target>'} cannot be located`);
    return { messageId: r.messageId, message, subject, object, field, file: location.file, line: location.line, data };
  });
}

export interface ExpectedReport {
  messageId: string;
  line: number;
  /** Defaults to the tester's `subject` (itself `resource` unless given). */
  subject?: Subject;
  /** `Kind/name` of the object reported on, when it matters. */
  object?: string;
  /** Checked as a subset of the report's data. */
  data?: Record<string, string | number>;
}

export interface ValidCase {
  name: string;
  input: InputSpec;
  options?: Record<string, unknown>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedReport[];
}

const byPosition = <T extends { line: number; messageId: string }>(a: T, b: T) =>
  a.line - b.line || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

/**
 * Declares a vitest suite: every valid case must produce no report; every invalid case exactly
 * the expected reports (compared by line, then messageId), each with the expected subject and data.
 */
export function ruleTester(
  id: string,
  rule: Rule<any>,
  cases: { valid: ValidCase[]; invalid: InvalidCase[]; subject?: Subject },
): void {
  const defaultSubject = cases.subject ?? 'resource';
  describe(id, () => {
    it('has valid and invalid cases', () => {
      expect(cases.valid.length).toBeGreaterThan(0);
      expect(cases.invalid.length).toBeGreaterThan(0);
      for (const c of cases.invalid) expect(c.errors.length, c.name).toBeGreaterThan(0);
    });
    for (const c of cases.valid) {
      it(`valid: ${c.name}`, () => {
        const got = runRule(rule, buildInput(c.input), c.options);
        expect(got.map((r) => `${r.line}: ${r.messageId}: ${r.message}`)).toEqual([]);
      });
    }
    for (const c of cases.invalid) {
      it(`invalid: ${c.name}`, () => {
        const got = [...runRule(rule, buildInput(c.input), c.options)].sort(byPosition);
        const want = [...c.errors].sort(byPosition);
        expect(got.map((r) => ({ line: r.line, messageId: r.messageId, subject: r.subject }))).toEqual(
          want.map((e) => ({ line: e.line, messageId: e.messageId, subject: e.subject ?? defaultSubject })),
        );
        want.forEach((e, i) => {
          if (e.data) expect(got[i]!.data).toMatchObject(e.data);
          if (e.object) expect(got[i]!.object).toBe(e.object);
        });
      });
    }
  });
}

/** 1-based line of the `nth` occurrence of `needle` in `text`; without `nth` it must occur once. */
export function lineOf(text: string, needle: string, nth?: number): number {
  const lines: number[] = [];
  let from = 0;
  for (;;) {
    const i = text.indexOf(needle, from);
    if (i < 0) break;
    lines.push(text.slice(0, i).split('\n').length);
    from = i + needle.length;
  }
  if (lines.length === 0) throw new Error(`lineOf: "${needle}" not found`);
  if (nth === undefined) {
    if (lines.length > 1) throw new Error(`lineOf: "${needle}" occurs ${lines.length} times; pass nth`);
    return lines[0]!;
  }
  const line = lines[nth - 1];
  if (line === undefined) throw new Error(`lineOf: "${needle}" occurs only ${lines.length} times`);
  return line;
}

/** `text` with the single occurrence of `from` replaced by `to` (throws unless exactly one). */
export function edit(text: string, from: string, to: string): string {
  const first = text.indexOf(from);
  if (first < 0) throw new Error(`edit: "${from}" not found`);
  if (text.indexOf(from, first + 1) >= 0) throw new Error(`edit: "${from}" occurs more than once`);
  return text.slice(0, first) + to + text.slice(first + from.length);
}
