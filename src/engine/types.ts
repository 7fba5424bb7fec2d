import type { ApplicationDoc, KubeObject } from '../model/kube.ts';
import type { FieldPath, Json } from '../model/provenance.ts';
import type { ComponentSetting } from '../model/component.ts';
import type { SourceLocation } from '../model/location.ts';
import type { PresetName } from '../model/rule-file.ts';
import type { Severity, SeveritySetting } from '../model/severity.ts';

export type { PresetName, Severity, SeveritySetting };

// The object types every layer shares live in src/model (the ArgoCD discovery needs them too).
export type { ApplicationDoc, KubeObject };

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** What the rules are run against: one rendered target plus its deployment context. */
export interface LintInput {
  /** Absolute path of the overlay directory (or `<stdin>`). */
  targetPath: string;
  /** Location a target-level finding points at (the overlay's kustomization file, line 1). */
  targetLocation: SourceLocation;
  resources: readonly KubeObject[];
  /**
   * Applications whose source path is this target; `undefined` when the ArgoCD checks do not
   * apply (stdin input, or not inside a git repository).
   */
  applications: readonly ApplicationDoc[] | undefined;
  /** Absolute repository root, when known (Application paths are relative to it). */
  repoRoot: string | undefined;
  /** Absolute directories the target's kustomize build reads (overlay, bases, components, patches). */
  dependencyDirs: readonly string[];
  /** Names of the ArgoCD AppProjects found in the repository (`undefined`: not looked for). */
  appProjects?: readonly string[];
  /**
   * Set when the target is one of several linted in one run (several targets, or `--all`).
   * `component`: the render holds the cilium-etcd StatefulSet (the container of the
   * `etcd-statefulset-present` rule's options). Rules about the component's presence report
   * only where it is; in single-target mode a missing component is always an error.
   */
  repoMode?: { component: boolean };
  /** `settings.component` of the configuration (which StatefulSet is the component); undefined: the defaults. */
  component?: ComponentSetting;
}

/**
 * What a rule is (typescript-eslint style, typed by its options `O` and its message ids `M`:
 * `context.report({ messageId })` accepts only an id of the rule's own `messages`).
 */
export interface RuleMeta<M extends string = string, O = Record<string, unknown>> {
  type: 'problem' | 'suggestion';
  docs: { description: string };
  defaultSeverity: Severity;
  /** JSON Schema of the rule's options object. */
  schema: Record<string, unknown>;
  /** Option values used when the configuration gives none. */
  defaultOptions: O;
  /** Message templates keyed by messageId; `{{name}}` is replaced from the report's data. */
  messages: Record<M, string>;
  /**
   * This rule is the generic twin of rule `twinOf`: where `twinOf` reports the same resource and
   * field path in the same run, the engine keeps that finding and drops this rule's (see
   * runRulesDetailed), so one field is reported once. For custom rules (documented in
   * docs/custom-rules.md); no built-in rule has a twin: a built-in rule that judges the component
   * or every workload has a `scope` option instead.
   */
  twinOf?: string;
  /**
   * The presets that hold this built-in rule (src/engine/presets.ts): a configuration that
   * `extends` one of them runs the rule at its default severity. Omitted: in no preset. A custom
   * rule's is not consulted: a custom rule the configuration loads is on at its own severity.
   */
  presets?: readonly PresetName[];
  /**
   * Options a preset of `presets` runs the rule with, over `defaultOptions` (the preset
   * `baseline` sets `{ scope: 'workloads' }` on the container hardening rules). With several
   * extended presets they are merged in the order of PRESET_NAMES (narrow to wide), whatever the
   * order of `extends`, so the wider preset's value wins; the configuration's own options for the
   * rule override them (src/engine/presets.ts, presetOptions).
   */
  presetOptions?: Partial<Record<PresetName, Partial<O>>>;
  /**
   * This id is an old name of rule `replacedBy` (ESLint's meta.deprecated and replacedBy): a
   * configuration, an exemption, a lock or an ignore annotation naming it keeps working. When
   * both are in a run, this rule never runs by itself: a setting of it (other than `off`) runs
   * `replacedBy` with `options` over that rule's own options, at the more severe of the two
   * severities, and a suppression naming it suppresses `replacedBy`'s findings
   * (src/engine/run.ts). Alone, it runs `replacedBy`'s check with `options`.
   */
  deprecated?: { replacedBy: string; options: Record<string, unknown> };
}

/** Where a finding is anchored: a field of a rendered object, of an Application, or the target. */
export type ReportSubject = { resource: KubeObject; path: FieldPath } | { application: ApplicationDoc; path: FieldPath } | { target: true };

export type Report<M extends string = string> = ReportSubject & {
  /** One of the rule's `meta.messages` ids. */
  messageId: M;
  data?: Record<string, string | number>;
  /**
   * A certain fix, in terms of the rendered object (the engine and src/fix turn it into an edit of
   * the source line responsible): declared only when applying it always makes the finding go away.
   */
  fix?: FixIntent;
};

/**
 * What a fix does to the reported object (a rendered resource or the Application), by field path:
 * - `set`: the field at `path` takes `value` (edited where it is set; added where the nearest
 *   present parent mapping is written when the field is missing);
 * - `replace`: in the string at `path`, the text `from` becomes `to` (an argument's port);
 * - `append`: `value` is added at the end of the sequence at `path` (created when missing);
 * - `remove`: the sequence item or mapping entry at `path` is deleted.
 */
export type FixIntent =
  | { kind: 'set'; path: FieldPath; value: Json; description: string }
  | { kind: 'replace'; path: FieldPath; from: string; to: string; description: string }
  | { kind: 'append'; path: FieldPath; value: Json; description: string }
  | { kind: 'remove'; path: FieldPath; description: string };

/** Where a finding's fix intent applies: the rendered object, with its provenance (never printed: a symbol key). */
export const FIX_SUBJECT: unique symbol = Symbol('cilium-etcd-lint.fix-subject');

/** A planned fix: text edits of source files (src/fix computes them from the intent). */
export interface FindingFix {
  description: string;
  edits: TextEdit[];
  /** Other targets of the run that read an edited file (a shared base): the fix changes them too. */
  alsoAffects?: string[];
}

/** Replace the text between two positions of a file (1-based lines; columns in UTF-16 code units, end exclusive). */
export interface TextEdit {
  file: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
  text: string;
}

/** How a finding compares with the base revision's (`--base`): the SARIF baselineState words. */
export type BaselineState = 'new' | 'unchanged' | 'absent';

export interface RuleContext<O = Record<string, unknown>, M extends string = string> {
  readonly options: O;
  readonly input: LintInput;
  report(report: Report<M>): void;
}

export interface Rule<O = Record<string, unknown>, M extends string = string> {
  meta: RuleMeta<M, O>;
  check(context: RuleContext<O, M>): void;
}

/**
 * A rule, its options type taken from `meta.defaultOptions` and its message ids from the keys
 * of `meta.messages`: tsc then rejects a `context.report({ messageId })` naming an id the rule
 * does not define. Returns the rule unchanged.
 */
export function defineRule<O, M extends string>(rule: Rule<O, M>): Rule<O, M> {
  return rule;
}

export interface Finding {
  ruleId: string;
  severity: Severity;
  message: string;
  resource?: ResourceRef;
  field?: string;
  location: SourceLocation;
  /** The ArgoCD Application whose effective render (its `spec.source.kustomize` applied) this finding is about. */
  application?: string;
  /** In repo mode (several targets in one run), the target the finding was reported for, as given. */
  target?: string;
  /** The target could not be rendered or read: this finding is its cause (ruleId `fatal`), and it was not linted. */
  fatal?: true;
  /** The rule's message id and the data its message was filled from (fingerprints and fixes work from meaning, not text). */
  messageId?: string;
  data?: Record<string, string | number>;
  /** With `--base`: new since the base revision, unchanged, or absent (fixed: reported at the base only). */
  baseline?: BaselineState;
  /** A certain fix at the responsible line (see src/fix), when planned. */
  fix?: FindingFix;
  /** The declared fix and the object it applies to (a symbol key: never printed, kept by spreads). */
  [FIX_SUBJECT]?: { intent: FixIntent; object: KubeObject; file?: string };
}
