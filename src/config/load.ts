import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Ajv } from 'ajv';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import { PRESETS, PRESET_NAMES, type PresetName } from './presets.ts';
import { declarativeRule } from '../engine/declarative.ts';
import type { RuleSettings } from '../engine/run.ts';
import { todayUtc, type Exemption, type SuppressionPolicy } from '../engine/suppress.ts';
import type { Rule, SeveritySetting } from '../engine/types.ts';
import { UserError } from '../model/errors.ts';
import type { SourceLocation } from '../model/location.ts';
import type { ComponentSetting } from '../model/component.ts';
import { isObject, locate, type Json, type JsonObject } from '../model/provenance.ts';
import { explainErrors } from '../schema/ajv-errors.ts';
import { didYouMean } from '../schema/suggest.ts';
import { findRepositoryRoot } from '../util/repo-root.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { parseRuleFile } from './rule-files.ts';
import { assertValid, problemsError, toProblems } from './validate.ts';
import { CONFIG_AJV_OPTIONS, precompiledConfigValidator, precompiledOptionsValidator } from './precompiled-validators.ts';

/**
 * The configuration: `.cilium-etcd-lint.yaml`, `.cilium-etcd-lint.yml` or the `cilium-etcd-lint`
 * key of package.json, found by walking up from the working directory to the repository root
 * (the directory holding `.git`), or named by `--config`. Validated by schemas/config.schema.json
 * (shipped in the package) with ajv; any problem is a UserError (exit 2) on file:line:column.
 */

export const CONFIG_FILES = ['.cilium-etcd-lint.yaml', '.cilium-etcd-lint.yml'] as const;
export const PACKAGE_KEY = 'cilium-etcd-lint';
const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;

export interface ResolvedConfig {
  /** Absolute path of the configuration file, or undefined when none was found (defaults). */
  file: string | undefined;
  extends: PresetName[];
  /** Built-in and custom rules. */
  rules: Record<string, Rule<any>>;
  /** A setting for every rule id: off unless a preset or `rules` turns it on. */
  settings: RuleSettings;
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

export interface ExcludeEntry {
  /** The glob as written. */
  pattern: string;
  /** The directory the glob is relative to (the configuration file's). */
  base: string;
  reason: string;
  location: SourceLocation;
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
}


/** The configuration file that applies in `cwd`: walk up to the repository root (cwd only outside a repository). */
export function findConfigFile(cwd: string): { file: string; packageJson: boolean } | undefined {
  const start = path.resolve(cwd);
  const stop = findRepositoryRoot(start) ?? start;
  for (let d = start; ; d = path.dirname(d)) {
    for (const name of CONFIG_FILES) {
      const f = path.join(d, name);
      if (existsSync(f)) return { file: f, packageJson: false };
    }
    const pkg = path.join(d, 'package.json');
    if (existsSync(pkg)) {
      try {
        const parsed = JSON.parse(readFileSync(pkg, 'utf8')) as Record<string, unknown>;
        if (parsed && typeof parsed === 'object' && Object.hasOwn(parsed, PACKAGE_KEY)) return { file: pkg, packageJson: true };
      } catch {
        // Not our business: a broken package.json without our key is ignored.
      }
    }
    if (d === stop || path.dirname(d) === d) return undefined;
  }
}

// Precompiled in the bundles; from source, compiled on first use (a run without a configuration file never pays for it).
let ajvInstance: Ajv | undefined;
const ajv = (): Ajv => (ajvInstance ??= new Ajv(CONFIG_AJV_OPTIONS));
let configValidator: ReturnType<Ajv['compile']> | undefined;
const optionValidators = new WeakMap<object, ReturnType<Ajv['compile']>>();

function startOf(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function readDocument(file: string, packageJson: boolean): { root: JsonObject; config: JsonObject; prefix: string[] } {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UserError(`cannot read the configuration ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const docs = loadYamlDocuments(text, { file }).filter((d) => d.value !== null);
  if (docs.length === 0) return { root: {}, config: {}, prefix: [] };
  if (docs.length > 1) throw new UserError('the configuration holds more than one YAML document', docs[1]!.location);
  const root = docs[0]!.value;
  if (!isObject(root)) throw new UserError('the configuration must be a mapping (extends, rules, exemptions, lockedRules, customRules)', docs[0]!.location);
  if (!packageJson) return { root, config: root, prefix: [] };
  const config = root[PACKAGE_KEY];
  if (!isObject(config)) throw new UserError(`"${PACKAGE_KEY}" in package.json must be an object`, locate(root, [PACKAGE_KEY]) ?? docs[0]!.location);
  return { root, config, prefix: [PACKAGE_KEY] };
}

/** Loads, validates and resolves the configuration (or the defaults when there is none). */
export function loadConfig(opts: LoadConfigOptions): ResolvedConfig {
  let found: { file: string; packageJson: boolean } | undefined;
  if (opts.explicit !== undefined) {
    const file = path.resolve(opts.cwd, opts.explicit);
    if (!existsSync(file) || !statSync(file).isFile()) throw new UserError(`configuration file ${opts.explicit}: no such file`);
    found = { file, packageJson: path.basename(file) === 'package.json' };
  } else found = findConfigFile(opts.cwd);

  const rules: Record<string, Rule<any>> = { ...opts.builtinRules };
  const customRules: Record<string, string> = {};
  const today = opts.today ?? todayUtc();
  if (!found) return { ...resolve(undefined, undefined, [], rules, customRules, [], new Set(), today, undefined), component: {}, exclude: [], plugins: 'refuse' };

  const { root, config, prefix } = readDocument(found.file, found.packageJson);
  const at = (p: (string | number)[]) => locate(root, [...prefix, ...p]) ?? startOf(found!.file);
  preCheckRuleSeverities(config, root, prefix, found.file);
  configValidator ??= precompiledConfigValidator() ?? ajv().compile(configSchema as object);
  assertValid(configValidator, root, `invalid configuration`, startOf(found.file), prefix, config);
  const dir = path.dirname(found.file);

  // Custom rules: declarative files from the named directories, code modules named one by one.
  const custom = (isObject(config.customRules) ? config.customRules : {}) as JsonObject;
  ((custom.directories ?? []) as string[]).forEach((d, i) => {
    const abs = path.resolve(dir, d);
    if (!existsSync(abs) || !statSync(abs).isDirectory()) throw new UserError(`customRules.directories: ${d} is not a directory`, at(['customRules', 'directories', i]));
    for (const f of readdirSync(abs).filter((n) => /\.ya?ml$/.test(n)).sort()) {
      const file = path.join(abs, f);
      const def = parseRuleFile(readFileSync(file, 'utf8'), file);
      if (rules[def.id]) throw new UserError(`rule id "${def.id}" is already taken by ${customRules[def.id] ?? 'a built-in rule'}`, locate(def as unknown as JsonObject, ['id']) ?? def.location);
      rules[def.id] = declarativeRule(def);
      customRules[def.id] = file;
    }
  });
  ((custom.modules ?? []) as string[]).forEach((m, i) => {
    const where = at(['customRules', 'modules', i]);
    if (opts.allowCodeRules === false) {
      throw new UserError(`customRules.modules: code rules are not loaded here (${m}); set the action's allow-code-rules input to load them from a trusted configuration`, where);
    }
    const abs = path.resolve(dir, m);
    if (!existsSync(abs)) throw new UserError(`customRules.modules: ${m}: no such file`, where);
    const id = path.basename(abs).replace(/\.(c|m)?js$/, '');
    let mod: unknown;
    try {
      mod = (opts.loadModule ?? createRequire(import.meta.url))(abs);
    } catch (e) {
      throw new UserError(`customRules.modules: ${m} cannot be loaded: ${(e as Error).message}`, where);
    }
    const rule = ((mod as { default?: unknown })?.default ?? mod) as Rule<any>;
    if (!rule || typeof rule.check !== 'function' || !rule.meta || typeof rule.meta.docs?.description !== 'string' || !['error', 'warning', 'info'].includes(rule.meta.defaultSeverity) || !rule.meta.messages) {
      throw new UserError(`customRules.modules: ${m} must export (as default) a rule object { meta: { type, docs: { description }, defaultSeverity, schema, defaultOptions, messages }, check }`, where);
    }
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new UserError(`customRules.modules: ${m}: the file name is the rule id and must be kebab-case`, where);
    if (rules[id]) throw new UserError(`rule id "${id}" (from ${m}) is already taken by ${customRules[id] ?? 'a built-in rule'}`, where);
    rules[id] = { ...rule, meta: { ...rule.meta, schema: rule.meta.schema ?? { type: 'object' }, defaultOptions: rule.meta.defaultOptions ?? {} } };
    customRules[id] = abs;
  });

  const presets: PresetName[] = config.extends === undefined ? ['recommended'] : ((Array.isArray(config.extends) ? config.extends : [config.extends]) as PresetName[]);

  // Per-rule settings: known ids, options valid against the rule's own schema.
  const explicit: Record<string, { severity?: SeveritySetting; options?: Record<string, unknown> }> = {};
  const problems: { location: SourceLocation; message: string }[] = [];
  const ruleMap = (isObject(config.rules) ? config.rules : {}) as JsonObject;
  for (const [id, value] of Object.entries(ruleMap)) {
    if (!rules[id]) {
      problems.push({ location: at(['rules', id]), message: `rules: unknown rule "${id}"${didYouMean(id, Object.keys(rules))}` });
      continue;
    }
    let severity: SeveritySetting | undefined;
    let options: Json | undefined;
    let optionsPath: (string | number)[];
    if (typeof value === 'string') severity = value as SeveritySetting;
    if (Array.isArray(value)) {
      severity = value[0] as SeveritySetting;
      options = value[1];
      optionsPath = ['rules', id, 1];
    } else if (isObject(value)) {
      severity = value.severity as SeveritySetting | undefined;
      options = value.options;
      optionsPath = ['rules', id, 'options'];
    } else optionsPath = ['rules', id];
    if (options !== undefined) {
      const rule = rules[id]!;
      let validate = optionValidators.get(rule.meta.schema);
      if (!validate) optionValidators.set(rule.meta.schema, (validate = precompiledOptionsValidator(id, rule.meta.schema) ?? ajv().compile(rule.meta.schema)));
      if (!validate({ ...rule.meta.defaultOptions, ...(options as object) })) {
        problems.push(...toProblems(explainErrors(validate.errors, options), root, [...prefix, ...optionsPath], at(optionsPath)));
      }
    }
    explicit[id] = { ...(severity !== undefined ? { severity } : {}), ...(isObject(options) ? { options: options as Record<string, unknown> } : {}) };
  }

  const known = Object.keys(rules);
  const exemptions: Exemption[] = ((config.exemptions ?? []) as JsonObject[]).map((e, i) => {
    const rule = String(e.rule);
    if (!rules[rule]) problems.push({ location: at(['exemptions', i, 'rule']), message: `exemptions[${i}].rule: unknown rule "${rule}"${didYouMean(rule, known)}` });
    const r = e.resource as JsonObject;
    return {
      rule,
      resource: { kind: String(r.kind), name: String(r.name), ...(typeof r.namespace === 'string' ? { namespace: r.namespace } : {}) },
      ...(typeof e.container === 'string' ? { container: e.container } : {}),
      reason: String(e.reason).trim(),
      ...(typeof e.expires === 'string' ? { expires: e.expires } : {}),
      location: at(['exemptions', i]),
    };
  });
  const locked = ((config.lockedRules ?? []) as string[]).filter((id, i) => {
    if (rules[id]) return true;
    problems.push({ location: at(['lockedRules', i]), message: `lockedRules: unknown rule "${id}"${didYouMean(id, known)}` });
    return false;
  });
  if (problems.length) throw problemsError(problems, 'invalid configuration');
  const settingsBlock = isObject(config.settings) ? config.settings : {};
  const component = (isObject(settingsBlock.component) ? settingsBlock.component : {}) as ComponentSetting;
  const exclude: ExcludeEntry[] = ((config.exclude ?? []) as JsonObject[]).map((e, i) => ({ pattern: String(e.path), base: dir, reason: String(e.reason).trim(), location: at(['exclude', i]) }));
  const plugins = config.plugins === 'skip' ? 'skip' : 'refuse';
  return {
    ...resolve(found.file, presets, explicit, rules, customRules, exemptions, new Set(locked), today, path.relative(opts.cwd, found.file).split(path.sep).join('/') || found.file),
    component,
    exclude,
    plugins,
  };
}

/** A severity string that is not one is reported on its own, with the nearest severity. */
function preCheckRuleSeverities(config: JsonObject, root: JsonObject, prefix: string[], file: string): void {
  const map = config.rules;
  if (!isObject(map)) return;
  const problems: { location: SourceLocation; message: string }[] = [];
  for (const [id, value] of Object.entries(map)) {
    const sev = typeof value === 'string' ? value : Array.isArray(value) && typeof value[0] === 'string' ? value[0] : isObject(value) && typeof value.severity === 'string' ? value.severity : undefined;
    const p = typeof value === 'string' ? ['rules', id] : Array.isArray(value) ? ['rules', id, 0] : ['rules', id, 'severity'];
    if (sev !== undefined && !(SEVERITIES as readonly string[]).includes(sev)) {
      problems.push({ location: locate(root, [...prefix, ...p]) ?? startOf(file), message: `rules.${id}: "${sev}" is not a severity (off, info, warning or error)${didYouMean(sev, SEVERITIES)}` });
    }
  }
  if (problems.length) throw problemsError(problems, 'invalid configuration');
}

function resolve(
  file: string | undefined,
  presets: PresetName[] | undefined,
  explicit: Record<string, { severity?: SeveritySetting; options?: Record<string, unknown> }> | [],
  rules: Record<string, Rule<any>>,
  customRules: Record<string, string>,
  exemptions: Exemption[],
  locked: Set<string>,
  today: string,
  lockedBy: string | undefined,
): Omit<ResolvedConfig, 'component' | 'exclude' | 'plugins'> {
  const ext = presets ?? ['recommended'];
  const settings: Record<string, { severity: SeveritySetting; options?: Record<string, unknown> }> = {};
  const given = Array.isArray(explicit) ? {} : explicit;
  for (const id of Object.keys(rules)) {
    let severity: SeveritySetting = 'off';
    for (const p of ext) if (Object.hasOwn(PRESETS[p], id)) severity = PRESETS[p][id]!;
    // A custom rule is on at its own severity: naming it in the configuration is opting in.
    if (customRules[id]) severity = rules[id]!.meta.defaultSeverity;
    const g = given[id];
    if (g?.severity !== undefined) severity = g.severity;
    else if (g && severity === 'off') severity = rules[id]!.meta.defaultSeverity;
    settings[id] = { severity, ...(g?.options ? { options: g.options } : {}) };
  }
  return {
    file,
    extends: ext,
    rules,
    settings,
    customRules,
    policy: { exemptions, lockedRules: locked, ...(lockedBy ? { lockedBy } : {}), today, knownRules: new Set(Object.keys(rules)) },
  };
}

export { PRESET_NAMES };
