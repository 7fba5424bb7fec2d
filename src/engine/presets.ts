import { builtinRules } from '../../rules/index.ts';
import { PRESET_NAMES, type PresetName } from '../model/rule-file.ts';
import type { Rule, SeveritySetting } from './types.ts';

/**
 * Which built-in rules each preset holds: the rules say it themselves (`meta.presets`). A rule
 * runs when an extended preset (or the configuration's `rules`) turns it on, at its default
 * severity; without a configuration, `recommended` is extended.
 */

/** The presets of `rules` (by default the built-in rules): id → default severity, per preset. */
export function presetTable(
  rules: Readonly<Record<string, Rule<any>>> = builtinRules,
): Record<PresetName, Record<string, SeveritySetting>> {
  const out = Object.fromEntries(PRESET_NAMES.map((p) => [p, {} as Record<string, SeveritySetting>])) as Record<
    PresetName,
    Record<string, SeveritySetting>
  >;
  for (const [id, rule] of Object.entries(rules)) for (const p of rule.meta.presets ?? []) out[p][id] = rule.meta.defaultSeverity;
  return out;
}

export const PRESETS: Readonly<Record<PresetName, Readonly<Record<string, SeveritySetting>>>> = presetTable();

/** The presets a built-in rule belongs to (for --list-rules and the docs). */
export function presetsOf(id: string): PresetName[] {
  return PRESET_NAMES.filter((p) => Object.hasOwn(PRESETS[p], id));
}

export { PRESET_NAMES, type PresetName };
