/**
 * The RuleTester: runs one rule through the real engine (src/engine/run.ts: message filling,
 * locations, suppressions) on an input built from YAML strings, and checks each report against
 * the expected line and message id. Published as `cilium-etcd-lint/testing` for custom-rule
 * authors (docs/custom-rules.md#testing-a-rule); the built-in rules' suites use it too.
 *
 *   import { describe, it } from 'vitest';            // or mocha's, jest's, node:test's
 *   import { RuleTester } from 'cilium-etcd-lint/testing';
 *   new RuleTester({ describe, it }).run('single-replica', rule, { valid: [...], invalid: [...] });
 */
import { Ajv } from 'ajv';
import { runRulesDetailed } from '../engine/run.ts';
import type { ApplicationDoc, Finding, KubeObject, LintInput, Report, Rule } from '../engine/types.ts';
import type { ComponentSetting } from '../model/component.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject, locate } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';

export const REPO_ROOT = '/repo';
export const TARGET_PATH = '/repo/cluster/manifests/cilium-etcd/overlays/dev';
export const BASE_PATH = '/repo/cluster/manifests/cilium-etcd/base';
/** The file the rendered resources of a test input are loaded as. */
export const RENDER_FILE = '/repo/rendered.yaml';
/** The file the Applications of a test input are loaded as. */
export const APPLICATION_FILE = '/repo/cluster/manifests/argocd-applications/base/cilium-etcd.yaml';

export interface InputSpec {
  /** Rendered resources, a multi-document YAML stream (loaded as RENDER_FILE: lines count from its first line). */
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

/** The rule's input: the resources and Applications of `spec`, with their source positions. */
export function buildInput(spec: InputSpec): LintInput {
  const targetPath = spec.targetPath ?? TARGET_PATH;
  const targetLocation: SourceLocation = { file: `${targetPath}/kustomization.yaml`, line: 1, column: 1, endLine: 1, endColumn: 1 };
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

/** One report, as the engine made it a finding. */
export interface ResolvedReport {
  messageId: string;
  /** The message, as the engine filled it. */
  message: string;
  subject: Subject;
  /** `Kind/name` of the resource or Application reported on. */
  object: string | undefined;
  field: string | undefined;
  file: string;
  line: number;
  /** The report's data, as the rule gave it. */
  data: Record<string, string | number>;
  /** The finding itself (severity, location, fix, suppression). */
  finding: Finding;
  suppressed: boolean;
}

let ajv: Ajv | undefined;

/** Validates options against the rule's schema (strict), as the configuration will; throws when they do not fit. */
export function validateOptions(rule: Rule<any, any>, options: Record<string, unknown>): void {
  ajv ??= new Ajv({ strict: true, allErrors: true });
  const validate = ajv.compile(rule.meta.schema);
  if (!validate(options)) throw new Error(`invalid options ${JSON.stringify(options)}: ${ajv.errorsText(validate.errors)}`);
}

function objectName(o: KubeObject): string {
  const meta = o['metadata'];
  return `${String(o['kind'])}/${isObject(meta) ? String(meta['name']) : ''}`;
}

/**
 * Runs `rule` (as `id`) through the engine on `input` with its default options overlaid by
 * `options`. Throws when a report names an object not in the input or a field that has no source
 * position, or when its message lacks data for a placeholder.
 */
export function runRule(
  rule: Rule<any, any>,
  input: LintInput,
  options: Record<string, unknown> = {},
  id = 'rule-under-test',
): ResolvedReport[] {
  const merged = { ...rule.meta.defaultOptions, ...options };
  validateOptions(rule, merged);
  const seen: { report: Report; finding: Finding }[] = [];
  const result = runRulesDetailed(
    input,
    { [id]: rule },
    { [id]: { severity: rule.meta.defaultSeverity, options: merged } },
    undefined,
    (ruleId, report, finding) => {
      if (ruleId === id) seen.push({ report, finding });
    },
  );
  const suppressedMessages = new Set(result.suppressed.map((f) => `${f.location.file}:${f.location.line}:${f.message}`));
  return seen.map(({ report: r, finding }) => {
    const template = (rule.meta.messages as Record<string, string>)[r.messageId]!;
    const missing = /\{\{\s*(\w+)\s*\}\}/.exec(finding.message);
    if (missing) throw new Error(`message "${template}" needs data.${missing[1]}`);
    let subject: Subject;
    let object: string | undefined;
    if ('target' in r) subject = 'target';
    else if ('application' in r) {
      subject = 'application';
      if (!input.applications?.includes(r.application)) throw new Error('report names an Application not in the input');
      if (!locate(r.application.object, r.path)) throw new Error(`report ${r.messageId} at ${finding.field} cannot be located`);
      object = objectName(r.application.object);
    } else {
      subject = 'resource';
      if (!input.resources.includes(r.resource)) throw new Error('report names a resource not in the input');
      if (!locate(r.resource, r.path)) throw new Error(`report ${r.messageId} at ${finding.field} cannot be located`);
      object = objectName(r.resource);
    }
    return {
      messageId: r.messageId,
      message: finding.message,
      subject,
      object,
      field: finding.field,
      file: finding.location.file,
      line: finding.location.line,
      data: r.data ?? {},
      finding,
      suppressed: suppressedMessages.has(`${finding.location.file}:${finding.location.line}:${finding.message}`),
    };
  });
}

export interface ExpectedReport {
  messageId: string;
  line: number;
  /** Defaults to the suite's `subject` (itself `resource` unless given). */
  subject?: Subject;
  /** `Kind/name` of the object reported on, when it matters. */
  object?: string;
  /** Checked as a subset of the report's data. */
  data?: Record<string, string | number>;
  /** The whole message, when it matters. */
  message?: string;
}

export interface ValidCase {
  name: string;
  input: InputSpec;
  options?: Record<string, unknown>;
}

export interface InvalidCase extends ValidCase {
  errors: ExpectedReport[];
}

export interface RuleTests {
  valid: ValidCase[];
  invalid: InvalidCase[];
  /** The subject of the expected reports that name none (default `resource`). */
  subject?: Subject;
}

type Describe = (name: string, body: () => void) => unknown;
type It = (name: string, body: () => void) => unknown;

const byPosition = <T extends { line: number; messageId: string }>(a: T, b: T) =>
  a.line - b.line || (a.messageId < b.messageId ? -1 : a.messageId > b.messageId ? 1 : 0);

function fail(message: string): never {
  throw new Error(message);
}

/** Checks one invalid case's reports against the expected ones; throws an Error saying what differs. */
export function checkReports(got: ResolvedReport[], expected: ExpectedReport[], defaultSubject: Subject = 'resource'): void {
  const g = [...got].sort(byPosition);
  const w = [...expected].sort(byPosition);
  const show = (r: { line: number; messageId: string; subject?: Subject }) => `${r.line}: ${r.messageId} (${r.subject ?? defaultSubject})`;
  const have = g.map((r) => show(r));
  const want = w.map((r) => show(r));
  if (JSON.stringify(have) !== JSON.stringify(want))
    fail(
      `reports differ:\n  expected: ${JSON.stringify(want)}\n  got:      ${JSON.stringify(have)}\n  messages: ${JSON.stringify(g.map((r) => `${r.line}: ${r.message}`))}`,
    );
  w.forEach((e, i) => {
    const r = g[i]!;
    if (e.object !== undefined && r.object !== e.object) fail(`report ${show(r)}: object ${r.object}, expected ${e.object}`);
    if (e.message !== undefined && r.message !== e.message) fail(`report ${show(r)}: message "${r.message}", expected "${e.message}"`);
    for (const [k, v] of Object.entries(e.data ?? {}))
      if (r.data[k] !== v) fail(`report ${show(r)}: data.${k} is ${JSON.stringify(r.data[k])}, expected ${JSON.stringify(v)}`);
  });
}

/**
 * Declares a suite (with the test framework's `describe` and `it`): every valid case must produce
 * no report; every invalid case exactly the expected reports (compared by line, then messageId),
 * each with the expected subject, object, message and data. A suite needs at least one of each.
 */
export class RuleTester {
  private readonly describe: Describe;
  private readonly it: It;

  constructor(framework: { describe?: Describe; it?: It } = {}) {
    const g = globalThis as { describe?: Describe; it?: It };
    const describe = framework.describe ?? g.describe;
    const it = framework.it ?? g.it;
    if (!describe || !it) throw new Error("RuleTester: pass your test framework's describe and it: new RuleTester({ describe, it })");
    this.describe = describe;
    this.it = it;
  }

  run(id: string, rule: Rule<any, any>, tests: RuleTests): void {
    const subject = tests.subject ?? 'resource';
    this.describe(id, () => {
      this.it('has valid and invalid cases', () => {
        if (tests.valid.length === 0) fail(`${id}: no valid case`);
        if (tests.invalid.length === 0) fail(`${id}: no invalid case`);
        for (const c of tests.invalid) if (c.errors.length === 0) fail(`${id}: invalid case "${c.name}" expects no report`);
      });
      for (const c of tests.valid) {
        this.it(`valid: ${c.name}`, () => {
          const got = runRule(rule, buildInput(c.input), c.options, id);
          if (got.length) fail(`expected no report, got ${JSON.stringify(got.map((r) => `${r.line}: ${r.messageId}: ${r.message}`))}`);
        });
      }
      for (const c of tests.invalid) {
        this.it(`invalid: ${c.name}`, () => checkReports(runRule(rule, buildInput(c.input), c.options, id), c.errors, subject));
      }
    });
  }
}
