import type { SeveritySetting } from '../engine/types.ts';
import { builtinRules } from '../../rules/index.ts';

/**
 * The built-in presets a configuration can `extends`. A rule runs when an extended preset (or
 * the configuration's `rules`) turns it on; without a configuration, `recommended` is extended.
 *
 * - `recommended`: the cilium-etcd invariants, its ArgoCD Application, and strict schema
 *   validation of every rendered object, each at its default severity.
 * - `baseline`: generic hardening for any workload (digest pins, security context), plus the
 *   schema validation.
 */
export const PRESET_NAMES = ['recommended', 'baseline'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

const SCHEMA_RULES = ['kubernetes-schema', 'kubernetes-schema-missing'];

function atDefault(ids: string[]): Record<string, SeveritySetting> {
  return Object.fromEntries(ids.map((id) => [id, builtinRules[id]!.meta.defaultSeverity]));
}

export const PRESETS: Readonly<Record<PresetName, Readonly<Record<string, SeveritySetting>>>> = {
  recommended: atDefault(Object.keys(builtinRules).filter((id) => !id.startsWith('baseline-'))),
  baseline: atDefault([...Object.keys(builtinRules).filter((id) => id.startsWith('baseline-')), ...SCHEMA_RULES]),
};

/** The presets a rule belongs to (for --list-rules and the docs). */
export function presetsOf(id: string): PresetName[] {
  return PRESET_NAMES.filter((p) => Object.hasOwn(PRESETS[p], id));
}
