import path from 'node:path';
import { Ajv } from 'ajv';
import { CONFIG_FILES, PACKAGE_KEY, findConfigFile, readConfigDocument, type ConfigDocument, type ExcludeEntry } from '../config/load.ts';
import { PRESET_NAMES, type PresetName } from '../model/rule-file.ts';
import { CONFIG_AJV_OPTIONS, precompiledOptionsValidator } from '../config/precompiled-validators.ts';
import { problemsError, toProblems } from '../config/validate.ts';
import type { ComponentSetting } from '../model/component.ts';
import type { SourceLocation } from '../model/location.ts';
import { isObject } from '../model/provenance.ts';
import { explainErrors } from '../schema/ajv-errors.ts';
import { didYouMean } from '../schema/suggest.ts';
import { nodeFileSystem, type FileSystem } from '../util/fs.ts';
import { loadCustomRules } from './custom-rules.ts';
import { presetsFor, withPresetOptions, withdrawnPresets, type DeprecatedIdUse } from './presets.ts';
import type { RuleSettings } from './run.ts';
import { todayUtc, type Exemption, type SuppressionPolicy } from './suppress.ts';
import type { Rule, SeveritySetting } from './types.ts';

/**
 * The configuration in effect: src/config finds, reads and validates the document
 * (readConfigDocument); this builds the rules from it (the built-in rules, the custom rules it
 * loads), each rule's severity and options (presets from the rules' `meta.presets`, then `rules:`),
 * and the suppression policy (exemptions, lockedRules). Every problem is a UserError (exit 2) on
 * the file:line:column of the entry.
 *
 * The settings are the effective ones, the same for every surface (the CLI, the Action, the
 * language server, diff): the extended presets' options of each rule are laid under the
 * configuration's own (src/engine/presets.ts, withPresetOptions), and a deprecated alias set `off`
 * withdraws from the rule that replaced it the presets that stood for it (withdrawnPresets).
 */

export interface ResolvedConfig {
  /** Absolute path of the configuration file, or undefined when none was found (defaults). */
  file: string | undefined;
  extends: PresetName[];
  /** Built-in and custom rules. */
  rules: Record<string, Rule<any>>;
  /**
   * A setting for every rule id: off unless a preset or `rules` turns it on; its options are the
   * extended presets' (`meta.presetOptions`, e.g. `baseline`'s `scope: workloads`) with the
   * configuration's own over them. What the engine runs each rule with, for every surface.
   */
  settings: RuleSettings;
  /** Rule id → the extended presets a deprecated alias set `off` in `rules:` withdrew from it (they neither turn it on nor set its options). */
  withdrawnPresets: Record<string, PresetName[]>;
  /** The deprecated rule ids the configuration names (in `rules:`, `lockedRules`, `exemptions`), each where its id is written. */
  deprecatedIds: DeprecatedIdUse[];
  policy: SuppressionPolicy;
  /** Ids of the custom rules and where they come from. */
  customRules: Record<string, string>;
  /** `settings.component`: which StatefulSet is the cilium-etcd component (defaults filled in by the rules' support code). */
  component: ComponentSetting;
  /** `exclude`: targets a multi-target run leaves out (globs resolved against the configuration's directory). */
  exclude: ExcludeEntry[];
  /** `plugins`: what the built-in renderer does with a generator plugin it cannot run. */
  plugins: 'refuse' | 'skip';
}

export interface LoadConfigOptions {
  cwd: string;
  /** `--config` (relative to cwd). */
  explicit?: string;
  builtinRules: Readonly<Record<string, Rule<any>>>;
  /** Loads a code rule module (sync); default: Node's require (CommonJS, or ESM on Node ≥ 20.19). */
  loadModule?: (absPath: string) => unknown;
  /** Refuse `customRules.modules` (the action unless `allow-code-rules` is set). */
  allowCodeRules?: boolean;
  today?: string;
  /** What the configuration and the custom rule files are read through (default: the disk); code modules are loaded by loadModule. */
  fs?: FileSystem;
}

// Precompiled in the bundles (the built-in rules' options); compiled on first use otherwise.
let ajvInstance: Ajv | undefined;
const ajv = (): Ajv => (ajvInstance ??= new Ajv(CONFIG_AJV_OPTIONS));
const optionValidators = new WeakMap<object, ReturnType<Ajv['compile']>>();

/** Loads, validates and resolves the configuration (or the defaults when there is none). */
export function loadConfig(opts: LoadConfigOptions): ResolvedConfig {
  const doc = readConfigDocument({
    cwd: opts.cwd,
    ...(opts.explicit !== undefined ? { explicit: opts.explicit } : {}),
    ...(opts.fs ? { fs: opts.fs } : {}),
  });
  const rules: Record<string, Rule<any>> = { ...opts.builtinRules };
  const customRules: Record<string, string> = {};
  const today = opts.today ?? todayUtc();
  if (!doc)
    return {
      ...resolve(undefined, undefined, {}, rules, customRules, [], new Set(), today, undefined),
      deprecatedIds: [],
      component: {},
      exclude: [],
      plugins: 'refuse',
    };

  // Custom rules: declarative files from the named directories, code modules named one by one.
  loadCustomRules(doc, rules, customRules, opts);

  // Per-rule settings: known ids, options valid against the rule's own schema.
  const explicit: Record<string, { severity?: SeveritySetting; options?: Record<string, unknown> }> = {};
  const problems: { location: SourceLocation; message: string }[] = [];
  for (const { id, severity, options, optionsPath } of doc.rules) {
    if (!rules[id]) {
      problems.push({ location: doc.at(['rules', id]), message: `rules: unknown rule "${id}"${didYouMean(id, Object.keys(rules))}` });
      continue;
    }
    if (options !== undefined) {
      const rule = rules[id]!;
      let validate = optionValidators.get(rule.meta.schema);
      if (!validate)
        optionValidators.set(
          rule.meta.schema,
          (validate = precompiledOptionsValidator(id, rule.meta.schema) ?? ajv().compile(rule.meta.schema)),
        );
      if (!validate({ ...rule.meta.defaultOptions, ...(options as object) })) {
        problems.push(
          ...toProblems(explainErrors(validate.errors, options), doc.root, [...doc.prefix, ...optionsPath], doc.at(optionsPath)),
        );
      }
    }
    explicit[id] = {
      ...(severity !== undefined ? { severity } : {}),
      ...(isObject(options) ? { options: options as Record<string, unknown> } : {}),
    };
  }

  const known = Object.keys(rules);
  doc.exemptions.forEach((e, i) => {
    if (!rules[e.rule])
      problems.push({
        location: doc.at(['exemptions', i, 'rule']),
        message: `exemptions[${i}].rule: unknown rule "${e.rule}"${didYouMean(e.rule, known)}`,
      });
  });
  const locked = doc.lockedRules.filter((id, i) => {
    if (rules[id]) return true;
    problems.push({ location: doc.at(['lockedRules', i]), message: `lockedRules: unknown rule "${id}"${didYouMean(id, known)}` });
    return false;
  });
  if (problems.length) throw problemsError(problems, 'invalid configuration');
  return {
    ...resolve(
      doc,
      doc.extends,
      explicit,
      rules,
      customRules,
      doc.exemptions,
      new Set(locked),
      today,
      path.relative(opts.cwd, doc.file).split(path.sep).join('/') || doc.file,
    ),
    deprecatedIds: deprecatedIdsOf(doc, rules, opts.fs ?? nodeFileSystem),
    component: doc.component,
    exclude: doc.exclude,
    plugins: doc.plugins,
  };
}

/**
 * Where the configuration writes a deprecated rule id (meta.deprecated): each key of `rules`, item
 * of `lockedRules` and `rule` of an exemption naming one, located on the id itself. The document
 * keeps the span of each `key: value` entry and item; the id's own span inside it is found in the
 * file's text (read again only when there is a deprecated id).
 */
function deprecatedIdsOf(doc: ConfigDocument, rules: Readonly<Record<string, Rule<any>>>, fs: FileSystem): DeprecatedIdUse[] {
  const deprecated = (id: string) => Object.hasOwn(rules, id) && rules[id]!.meta.deprecated !== undefined;
  const found: { id: string; where: DeprecatedIdUse['where']; entry: SourceLocation }[] = [];
  for (const { id } of doc.rules) if (deprecated(id)) found.push({ id, where: 'rules', entry: doc.at(['rules', id]) });
  doc.lockedRules.forEach((id, i) => {
    if (deprecated(id)) found.push({ id, where: 'lockedRules', entry: doc.at(['lockedRules', i]) });
  });
  doc.exemptions.forEach((e, i) => {
    if (deprecated(e.rule)) found.push({ id: e.rule, where: 'exemptions', entry: doc.at(['exemptions', i, 'rule']) });
  });
  if (found.length === 0) return [];
  let lines: string[] | undefined;
  try {
    lines = fs.readFile(doc.file).split('\n');
  } catch {
    // Read a moment ago: without it, each id is located at the start of its entry.
  }
  return found.map(({ id, where, entry }) => ({ id, where, location: idSpan(lines, entry, id) }));
}

/**
 * The span of `id` written as a plain or quoted scalar inside `entry` (a `key: value` span or an
 * item's), quotes included: its first occurrence from the entry's start (a key of `rules`, the
 * item itself, or the value after `rule:`). Columns count UTF-16 code units, as the loader's do.
 * Without the text, or when the id is not found there, the entry's start and the id's length.
 */
export function idSpan(lines: readonly string[] | undefined, entry: SourceLocation, id: string): SourceLocation {
  const fallback = { file: entry.file, line: entry.line, column: entry.column, endLine: entry.line, endColumn: entry.column + id.length };
  for (let n = entry.line; lines && n <= Math.min(entry.endLine, lines.length); n++) {
    const text = lines[n - 1]!;
    const from = n === entry.line ? entry.column - 1 : 0;
    const to = n === entry.endLine ? entry.endColumn - 1 : text.length;
    const at = text.indexOf(id, from);
    if (at < 0 || at + id.length > to) continue;
    const before = text[at - 1];
    const quoted = (before === '"' || before === "'") && text[at + id.length] === before && at - 1 >= from;
    const start = quoted ? at - 1 : at;
    const end = at + id.length + (quoted ? 1 : 0);
    return { file: entry.file, line: n, column: start + 1, endLine: n, endColumn: end + 1 };
  }
  return fallback;
}

function resolve(
  doc: ConfigDocument | undefined,
  presets: PresetName[] | undefined,
  given: Record<string, { severity?: SeveritySetting; options?: Record<string, unknown> }>,
  rules: Record<string, Rule<any>>,
  customRules: Record<string, string>,
  exemptions: Exemption[],
  locked: Set<string>,
  today: string,
  lockedBy: string | undefined,
): Omit<ResolvedConfig, 'component' | 'exclude' | 'plugins' | 'deprecatedIds'> {
  const ext = presets ?? ['recommended'];
  // `<old id>: off` (named, not merely absent): the presets that stood for the old id no longer count for its rule.
  const withdrawn = withdrawnPresets(
    rules,
    ext,
    Object.keys(given).filter((id) => given[id]!.severity === 'off' && rules[id]?.meta.deprecated),
  );
  const settings: Record<string, { severity: SeveritySetting; options?: Record<string, unknown> }> = {};
  for (const id of Object.keys(rules)) {
    const rule = rules[id]!;
    let severity: SeveritySetting = 'off';
    // A built-in rule is on at its default severity in the presets it names (meta.presets).
    if (presetsFor(id, rule, { extends: ext, customRules, withdrawnPresets: withdrawn }).length) severity = rule.meta.defaultSeverity;
    // A custom rule is on at its own severity: naming it in the configuration is opting in.
    if (customRules[id]) severity = rule.meta.defaultSeverity;
    const g = given[id];
    if (g?.severity !== undefined) severity = g.severity;
    else if (g && severity === 'off') severity = rule.meta.defaultSeverity;
    settings[id] = { severity, ...(g?.options ? { options: g.options } : {}) };
  }
  return {
    file: doc?.file,
    extends: ext,
    rules,
    // Each rule's options: its extended presets' (the baseline preset's scope: workloads), then the configuration's.
    settings: withPresetOptions({ extends: ext, rules, settings, customRules, withdrawnPresets: withdrawn }),
    withdrawnPresets: withdrawn,
    customRules,
    policy: { exemptions, lockedRules: locked, ...(lockedBy ? { lockedBy } : {}), today, knownRules: new Set(Object.keys(rules)) },
  };
}

// One entry point for the surfaces: the configuration's file names and finder come with loadConfig.
export { CONFIG_FILES, PACKAGE_KEY, PRESET_NAMES, findConfigFile, type ExcludeEntry };
