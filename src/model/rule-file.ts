import type { Severity } from './severity.ts';

/**
 * A declarative rule file (schemas/custom-rule.schema.json), as read and validated by
 * src/config/rule-files.ts; src/engine/declarative.ts turns it into a rule.
 */

export type Target = 'Resource' | 'PodSpec' | 'Container';

/**
 * The built-in presets a configuration can `extends` (schemas/config.schema.json names them too).
 * Which rules a preset holds is the rules' own business (`meta.presets`; src/engine/presets.ts).
 * Without a configuration, `recommended` is extended.
 *
 * - `recommended`: the cilium-etcd invariants, its ArgoCD Application, and strict schema
 *   validation of every rendered object, each at its default severity.
 * - `baseline`: generic hardening for any workload (digest pins, security context: the container
 *   hardening rules with `scope: workloads`), plus the schema validation.
 *
 * The order is narrow to wide, and it matters: where two extended presets set the same option of a
 * rule (`meta.presetOptions`), the later one's value is used, whatever the order of `extends`.
 */
export const PRESET_NAMES = ['recommended', 'baseline'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

export interface DeclarativeRuleDefinition {
  id: string;
  description: string;
  severity: Severity;
  type?: 'problem' | 'suggestion';
  match?: {
    apiVersion?: string | string[];
    kind?: string | string[];
    name?: string | string[];
    namespace?: string | string[];
    labels?: Record<string, string>;
    /** Only objects whose pod template has a container of this name. */
    container?: string;
  };
  target: Target;
  /** JSON Schema the target must satisfy. */
  schema: Record<string, unknown>;
  /** Dotted path under the target where a failure is reported (default: where the schema failed). */
  field?: string;
  messageId?: string;
  message?: string;
  /** Options: name → JSON Schema with a `default`; `{{options.name}}` in match/schema/field is replaced. */
  options?: Record<string, Record<string, unknown>>;
  /** `component`: only the cilium-etcd component's StatefulSets (`settings.component`) are judged. */
  scope?: 'component';
  /** A certain fix of every finding: the reported field takes `set`. */
  fix?: { set: string | number | boolean; description: string };
  /** The presets that hold the rule (built-in rules only). */
  presets?: PresetName[];
  /** The id of the rule this one is the generic twin of (see RuleMeta.twinOf). */
  twinOf?: string;
}
