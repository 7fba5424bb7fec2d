import { builtinRules } from '../../rules/index.ts';
import type { SourceLocation } from '../model/location.ts';
import { PRESET_NAMES, type PresetName } from '../model/rule-file.ts';
import type { RuleSetting, RuleSettings } from './run.ts';
import type { Exemption } from './suppress.ts';
import type { Rule, SeveritySetting } from './types.ts';

/**
 * Which built-in rules each preset holds, and with which options: the rules say it themselves
 * (`meta.presets`, `meta.presetOptions`). A rule runs when an extended preset (or the
 * configuration's `rules`) turns it on, at its default severity; without a configuration,
 * `recommended` is extended.
 *
 * How presets merge:
 * - severity: a rule in any extended preset is on at its default severity (no preset sets another);
 * - options: each extended preset that holds the rule lays its `meta.presetOptions` over the
 *   rule's `defaultOptions`, in the order of PRESET_NAMES (`recommended`, then `baseline`: narrow
 *   to wide), whatever the order of `extends`. So with both, the wider preset's value wins: the
 *   container hardening rules run with `scope: workloads`;
 * - the configuration's `rules:` entry for the rule comes last: its severity replaces the
 *   presets', and its options are laid over the presets' option by option (a severity alone keeps
 *   the presets' options, as in ESLint).
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

/**
 * The options the extended `presets` give `rule` over its defaults (see above: PRESET_NAMES
 * order, the wider preset last), or undefined when none of them sets any.
 */
export function presetOptions(rule: Rule<any>, presets: readonly PresetName[]): Record<string, unknown> | undefined {
  let out: Record<string, unknown> | undefined;
  for (const p of PRESET_NAMES) {
    if (!presets.includes(p) || !rule.meta.presets?.includes(p)) continue;
    const given = rule.meta.presetOptions?.[p] as Record<string, unknown> | undefined;
    if (given) out = { ...out, ...given };
  }
  return out;
}

/** What a configuration resolved to (src/engine/config.ts, ResolvedConfig), as far as presets go. */
export interface PresetConfig {
  extends: readonly PresetName[];
  rules: Readonly<Record<string, Rule<any>>>;
  settings: RuleSettings;
  /** Ids of the custom rules: a custom rule is in no preset. */
  customRules: Readonly<Record<string, string>>;
}

/**
 * `config.settings` with the extended presets' options of each built-in rule laid under the
 * configuration's own options for it (what the engine then lays over the rule's defaults). A rule
 * whose presets set no option keeps its setting as it is.
 */
export function withPresetOptions(config: PresetConfig): RuleSettings {
  const out: Record<string, RuleSetting | undefined> = { ...config.settings };
  for (const [id, rule] of Object.entries(config.rules)) {
    if (Object.hasOwn(config.customRules, id)) continue;
    const fromPresets = presetOptions(rule, config.extends);
    const setting = config.settings[id];
    if (!fromPresets || !setting) continue;
    out[id] = { ...setting, options: { ...fromPresets, ...(setting.options ?? {}) } };
  }
  return out;
}

/** The configuration's spelling of a deprecated alias's replacement: `no-privileged: [error, { scope: workloads }]`. */
export function replacementSpelling(rule: Rule<any>, severity: SeveritySetting = rule.meta.defaultSeverity): string | undefined {
  const d = rule.meta.deprecated;
  if (!d) return undefined;
  const options = Object.entries(d.options).map(([k, v]) => `${k}: ${String(v)}`);
  return options.length ? `${d.replacedBy}: [${severity}, { ${options.join(', ')} }]` : `${d.replacedBy}: ${severity}`;
}

/** One deprecated rule id the configuration names, with where (as precisely as the resolved configuration knows). */
export interface DeprecationNotice {
  id: string;
  replacedBy: string;
  /** The exemption's entry, or the configuration file alone (the resolved configuration keeps no position of `rules:` and `lockedRules` entries). */
  location: Pick<SourceLocation, 'file'> & Partial<Pick<SourceLocation, 'line' | 'column'>>;
  /** One line: what to write instead. */
  message: string;
}

/**
 * The deprecated rule ids a resolved configuration names: in `rules:` (an alias is in no preset,
 * so one that is on was named), in `exemptions` and in `lockedRules`, each with the one-line
 * message saying what to write instead. An alias set `off` changes nothing and is not reported.
 */
export function deprecationNotices(config: {
  file?: string | undefined;
  rules: Readonly<Record<string, Rule<any>>>;
  settings: RuleSettings;
  policy: { exemptions: readonly Exemption[]; lockedRules: ReadonlySet<string> };
}): DeprecationNotice[] {
  const out: DeprecationNotice[] = [];
  // Named in a configuration, so there is a file (`?? ''` only for the type).
  const fileLocation = { file: config.file ?? '' };
  for (const [id, rule] of Object.entries(config.rules).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const d = rule.meta.deprecated;
    if (!d) continue;
    const severity = config.settings[id]?.severity;
    if (severity !== undefined && severity !== 'off') {
      out.push({
        id,
        replacedBy: d.replacedBy,
        location: fileLocation,
        message: `rules: "${id}" is deprecated: write ${replacementSpelling(rule, severity)} (one rule, reported once per field)`,
      });
    }
    for (const e of config.policy.exemptions) {
      if (e.rule !== id) continue;
      out.push({
        id,
        replacedBy: d.replacedBy,
        location: e.location,
        message: `exemptions: rule "${id}" is deprecated: write rule: ${d.replacedBy} (it exempts ${d.replacedBy}'s findings)`,
      });
    }
    if (config.policy.lockedRules.has(id)) {
      out.push({
        id,
        replacedBy: d.replacedBy,
        location: fileLocation,
        message: `lockedRules: "${id}" is deprecated: write ${d.replacedBy} (the lock holds for ${d.replacedBy})`,
      });
    }
  }
  return out;
}

export { PRESET_NAMES, type PresetName };
