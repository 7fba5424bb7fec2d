import type { FieldPath, JsonObject } from '../model/provenance.ts';
import type { ComponentSetting } from '../model/component.ts';
import type { SourceLocation } from '../model/location.ts';

export type Severity = 'error' | 'warning' | 'info';
export type SeveritySetting = Severity | 'off';

/** A rendered Kubernetes object: plain JSON (provenance rides on hidden symbols). */
export type KubeObject = JsonObject;

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

/** An ArgoCD Application manifest found in the repository, with its own provenance. */
export interface ApplicationDoc {
  object: KubeObject;
  /** Absolute path of the file that holds it. */
  file: string;
  /**
   * The kustomization directory ArgoCD renders it through (its namespace and patches then count,
   * and `object` is the rendered Application, its provenance still in `file`); absent for a plain file.
   */
  via?: string;
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

export interface RuleMeta {
  type: 'problem' | 'suggestion';
  docs: { description: string };
  defaultSeverity: Severity;
  /** JSON Schema of the rule's options object. */
  schema: Record<string, unknown>;
  /** Option values used when the configuration gives none. */
  defaultOptions: Record<string, unknown>;
  /** Message templates keyed by messageId; `{{name}}` is replaced from the report's data. */
  messages: Record<string, string>;
  /**
   * This rule is the generic twin of rule `twinOf` (a `baseline-*` rule of a `recommended` one):
   * where `twinOf` reports the same resource and field path in the same run, the engine keeps
   * that finding and drops this rule's (see runRulesDetailed), so one field is reported once.
   */
  twinOf?: string;
}

/** Where a finding is anchored: a field of a rendered object, of an Application, or the target. */
export type ReportSubject =
  | { resource: KubeObject; path: FieldPath }
  | { application: ApplicationDoc; path: FieldPath }
  | { target: true };

export type Report = ReportSubject & {
  messageId: string;
  data?: Record<string, string | number>;
};

export interface RuleContext<O = Record<string, unknown>> {
  readonly options: O;
  readonly input: LintInput;
  report(report: Report): void;
}

export interface Rule<O = Record<string, unknown>> {
  meta: RuleMeta;
  check(context: RuleContext<O>): void;
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
}
