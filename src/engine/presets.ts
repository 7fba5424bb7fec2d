import { builtinRules } from '../../rules/index.ts';
import type { SourceLocation } from '../model/location.ts';
import { PRESET_NAMES, type PresetName } from '../model/rule-file.ts';
import type { RuleSetting, RuleSettings } from './run.ts';
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
  /** Rule id → the extended presets a deprecated alias set `off` withdrew from it (see withdrawnPresets). */
  withdrawnPresets?: Readonly<Record<string, readonly PresetName[]>>;
}

/**
 * The extended presets that hold built-in rule `id` and still count for it: those of `extends` in
 * its `meta.presets`, less those withdrawn from it. A custom rule is in no preset.
 */
export function presetsFor(id: string, rule: Rule<any>, config: Omit<PresetConfig, 'rules' | 'settings'>): PresetName[] {
  if (Object.hasOwn(config.customRules, id)) return [];
  const withdrawn = config.withdrawnPresets?.[id] ?? [];
  return config.extends.filter((p) => rule.meta.presets?.includes(p) && !withdrawn.includes(p));
}

/**
 * What `<old id>: off` in `rules:` means, for each deprecated alias named so (`offAliases`): the
 * old id was a rule of its own that a preset turned on, and `off` turned it off; the preset now
 * turns on the rule that replaced it with the old id's options instead (`baseline` runs
 * `no-privileged` with `scope: workloads`, what `baseline-no-privileged` was). So `off` withdraws
 * from that rule each extended preset whose options for it include all of the old id's options:
 * that preset neither turns the rule on nor gives it options. The rule still runs, with the
 * options of what is left, when another extended preset holds it (`recommended`: the component
 * only) or `rules:` names it; a preset that sets none of those options (`recommended`) is never
 * withdrawn. Returns rule id → withdrawn presets, in PRESET_NAMES order.
 */
export function withdrawnPresets(
  rules: Readonly<Record<string, Rule<any>>>,
  presets: readonly PresetName[],
  offAliases: Iterable<string>,
): Record<string, PresetName[]> {
  const out: Record<string, PresetName[]> = {};
  for (const alias of offAliases) {
    const d = rules[alias]?.meta.deprecated;
    const target = d && d.replacedBy !== alias ? rules[d.replacedBy] : undefined;
    if (!d || !target || target.meta.deprecated) continue;
    for (const p of PRESET_NAMES) {
      if (!presets.includes(p) || !target.meta.presets?.includes(p)) continue;
      const given = (target.meta.presetOptions?.[p] ?? {}) as Record<string, unknown>;
      if (!Object.entries(d.options).every(([k, v]) => JSON.stringify(given[k]) === JSON.stringify(v))) continue;
      const list = (out[d.replacedBy] ??= []);
      if (!list.includes(p)) list.push(p);
    }
  }
  return out;
}

/**
 * `config.settings` with the extended presets' options of each built-in rule laid under the
 * configuration's own options for it (what the engine then lays over the rule's defaults), less
 * the presets withdrawn from it. A rule whose presets set no option keeps its setting as it is.
 * Idempotent: src/engine/config.ts applies it once, and the resolved configuration's settings are
 * the effective ones for every surface.
 */
export function withPresetOptions(config: PresetConfig): RuleSettings {
  const out: Record<string, RuleSetting | undefined> = { ...config.settings };
  for (const [id, rule] of Object.entries(config.rules)) {
    const fromPresets = presetOptions(rule, presetsFor(id, rule, config));
    const setting = config.settings[id];
    if (!fromPresets || !setting) continue;
    out[id] = { ...setting, options: { ...fromPresets, ...(setting.options ?? {}) } };
  }
  return out;
}

/** `id: severity`, or `id: [severity, { k: v, ... }]` with `options`: how a configuration writes a rule's setting. */
function spelling(id: string, severity: SeveritySetting, options: Record<string, unknown>): string {
  const entries = Object.entries(options).map(([k, v]) => `${k}: ${String(v)}`);
  return entries.length ? `${id}: [${severity}, { ${entries.join(', ')} }]` : `${id}: ${severity}`;
}

/** The configuration's spelling of a deprecated alias's replacement: `no-privileged: [error, { scope: workloads }]`. */
export function replacementSpelling(rule: Rule<any>, severity: SeveritySetting = rule.meta.defaultSeverity): string | undefined {
  const d = rule.meta.deprecated;
  return d ? spelling(d.replacedBy, severity, d.options) : undefined;
}

/** Where a configuration names a deprecated rule id. */
export type DeprecatedIdPlace = 'rules' | 'lockedRules' | 'exemptions';

/** One deprecated rule id written in a configuration (src/engine/config.ts records them). */
export interface DeprecatedIdUse {
  id: string;
  where: DeprecatedIdPlace;
  /** The id as written: a key of `rules`, an item of `lockedRules`, the `rule` of an exemption (quotes included). */
  location: SourceLocation;
}

/** One deprecated rule id the configuration names, and what to write instead. */
export interface DeprecationNotice {
  id: string;
  replacedBy: string;
  where: DeprecatedIdPlace;
  /** The id as written in the configuration (file, line, column and the end of the id). */
  location: SourceLocation;
  /** One line: what to write instead. */
  message: string;
}

/**
 * The deprecated rule ids a resolved configuration names, in `rules:` (an alias set `off`
 * included: it withdraws presets, see withdrawnPresets), in `exemptions` and in `lockedRules`,
 * each with the one-line message saying what to write instead, in the order of the file. The
 * CLI prints them, the Action annotates them, the language server shows them on the id.
 */
export function deprecationNotices(config: {
  rules: Readonly<Record<string, Rule<any>>>;
  settings: RuleSettings;
  deprecatedIds: readonly DeprecatedIdUse[];
  withdrawnPresets?: Readonly<Record<string, readonly PresetName[]>>;
}): DeprecationNotice[] {
  const out: DeprecationNotice[] = [];
  for (const use of config.deprecatedIds) {
    const rule = config.rules[use.id];
    const d = rule?.meta.deprecated;
    if (!rule || !d) continue;
    const notice = { id: use.id, replacedBy: d.replacedBy, where: use.where, location: use.location };
    if (use.where === 'exemptions') {
      out.push({
        ...notice,
        message: `exemptions: rule "${use.id}" is deprecated: write rule: ${d.replacedBy} (it exempts ${d.replacedBy}'s findings)`,
      });
    } else if (use.where === 'lockedRules') {
      out.push({
        ...notice,
        message: `lockedRules: "${use.id}" is deprecated: write ${d.replacedBy} (the lock holds for ${d.replacedBy})`,
      });
    } else {
      const severity = config.settings[use.id]?.severity ?? rule.meta.defaultSeverity;
      out.push({ ...notice, message: severity === 'off' ? offMessage(use.id, rule, config) : onMessage(use.id, rule, severity) });
    }
  }
  return out.sort(
    (a, b) => a.location.line - b.location.line || a.location.column - b.location.column || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}

function onMessage(id: string, rule: Rule<any>, severity: SeveritySetting): string {
  return `rules: "${id}" is deprecated: write ${replacementSpelling(rule, severity)} (one rule, reported once per field)`;
}

/** `<old id>: off`: what it withdrew, and the replacement rule's setting it leaves, as the configuration would write it. */
function offMessage(
  id: string,
  rule: Rule<any>,
  config: {
    rules: Readonly<Record<string, Rule<any>>>;
    settings: RuleSettings;
    withdrawnPresets?: Readonly<Record<string, readonly PresetName[]>>;
  },
): string {
  const d = rule.meta.deprecated!;
  const target = config.rules[d.replacedBy];
  const asked = Object.entries(d.options)
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join(', ');
  const withdrawn = config.withdrawnPresets?.[d.replacedBy] ?? [];
  if (!target || withdrawn.length === 0) {
    return `rules: "${id}: off" is deprecated, and changes nothing here (no extended preset runs ${d.replacedBy}${asked ? ` with ${asked}` : ''}): remove it`;
  }
  const setting = config.settings[d.replacedBy];
  const severity = setting?.severity ?? target.meta.defaultSeverity;
  const effective = { ...target.meta.defaultOptions, ...(setting?.options ?? {}) } as Record<string, unknown>;
  const options = Object.fromEntries(Object.keys(d.options).map((k) => [k, effective[k]]));
  const presets = withdrawn.length === 1 ? `the ${withdrawn[0]} preset` : `the ${withdrawn.join(' and ')} presets`;
  return `rules: "${id}: off" is deprecated: write ${severity === 'off' ? `${d.replacedBy}: off` : spelling(d.replacedBy, severity, options)} (${id}: off withdraws ${presets} from ${d.replacedBy}${asked ? `, and its ${asked}` : ''})`;
}

export { PRESET_NAMES, type PresetName };
