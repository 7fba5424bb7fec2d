import path from 'node:path';
import { Ajv } from 'ajv';
import configSchema from '../../schemas/config.schema.json' with { type: 'json' };
import { PRESET_NAMES, type PresetName } from '../model/rule-file.ts';
import { UserError } from '../model/errors.ts';
import type { Exemption } from '../model/exemption.ts';
import type { SourceLocation } from '../model/location.ts';
import type { ComponentSetting } from '../model/component.ts';
import { isObject, locate, type Json, type JsonObject } from '../model/provenance.ts';
import type { SeveritySetting } from '../model/severity.ts';
import { didYouMean } from '../schema/suggest.ts';
import { nodeFileSystem, type FileSystem } from '../util/fs.ts';
import { findRepositoryRoot } from '../util/repo-root.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { assertValid, problemsError } from './validate.ts';
import { CONFIG_AJV_OPTIONS, precompiledConfigValidator } from './precompiled-validators.ts';

/**
 * The configuration: `.cilium-etcd-lint.yaml`, `.cilium-etcd-lint.yml` or the `cilium-etcd-lint`
 * key of package.json, found by walking up from the working directory to the repository root
 * (the directory holding `.git`), or named by `--config`. Validated by schemas/config.schema.json
 * (shipped in the package) with ajv; any problem is a UserError (exit 2) on file:line:column.
 * This module finds, reads and validates the document; the engine (src/engine/config.ts,
 * loadConfig) builds the rules, their settings and the suppression policy from it. Every read
 * goes through the FileSystem it is given (default: the disk).
 */

export const CONFIG_FILES = ['.cilium-etcd-lint.yaml', '.cilium-etcd-lint.yml'] as const;
export const PACKAGE_KEY = 'cilium-etcd-lint';
const SEVERITIES = ['off', 'info', 'warning', 'error'] as const;

export interface ExcludeEntry {
  /** The glob as written. */
  pattern: string;
  /** The directory the glob is relative to (the configuration file's). */
  base: string;
  reason: string;
  location: SourceLocation;
}

/** Whether a file or a directory is at `p` (links followed; a FIFO or a socket counts as nothing, as it cannot be a configuration or `.git`). */
const exists = (fs: FileSystem, p: string): boolean => fs.kind(p) !== undefined;

/** The configuration file that applies in `cwd`: walk up to the repository root (cwd only outside a repository). */
export function findConfigFile(cwd: string, fs: FileSystem = nodeFileSystem): { file: string; packageJson: boolean } | undefined {
  const start = path.resolve(cwd);
  const stop = findRepositoryRoot(start, (p) => exists(fs, p)) ?? start;
  for (let d = start; ; d = path.dirname(d)) {
    for (const name of CONFIG_FILES) {
      const f = path.join(d, name);
      if (exists(fs, f)) return { file: f, packageJson: false };
    }
    const pkg = path.join(d, 'package.json');
    if (exists(fs, pkg)) {
      try {
        const parsed = JSON.parse(fs.readFile(pkg)) as Record<string, unknown>;
        if (parsed && typeof parsed === 'object' && Object.hasOwn(parsed, PACKAGE_KEY)) return { file: pkg, packageJson: true };
      } catch {
        // Not our business: a broken package.json without our key is ignored.
      }
    }
    if (d === stop || path.dirname(d) === d) return undefined;
  }
}

// Precompiled in the bundles; from source, compiled on first use (a run without a configuration file never pays for it).
let configValidator: ReturnType<Ajv['compile']> | undefined;

function startOf(file: string): SourceLocation {
  return { file, line: 1, column: 1, endLine: 1, endColumn: 1 };
}

function readDocument(fs: FileSystem, file: string, packageJson: boolean): { root: JsonObject; config: JsonObject; prefix: string[] } {
  let text: string;
  try {
    text = fs.readFile(file);
  } catch (e) {
    throw new UserError(`cannot read the configuration ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const docs = loadYamlDocuments(text, { file }).filter((d) => d.value !== null);
  if (docs.length === 0) return { root: {}, config: {}, prefix: [] };
  if (docs.length > 1) throw new UserError('the configuration holds more than one YAML document', docs[1]!.location);
  const root = docs[0]!.value;
  if (!isObject(root))
    throw new UserError('the configuration must be a mapping (extends, rules, exemptions, lockedRules, customRules)', docs[0]!.location);
  if (!packageJson) return { root, config: root, prefix: [] };
  const config = root[PACKAGE_KEY];
  if (!isObject(config))
    throw new UserError(`"${PACKAGE_KEY}" in package.json must be an object`, locate(root, [PACKAGE_KEY]) ?? docs[0]!.location);
  return { root, config, prefix: [PACKAGE_KEY] };
}

/** A rule's entry under `rules:` as written: its severity and options, and where the options are. */
export interface RuleEntry {
  id: string;
  severity?: SeveritySetting;
  options?: Json;
  /** Path of the options (or of the entry when it has none) under the configuration. */
  optionsPath: (string | number)[];
}

/**
 * The configuration document: found, read and validated by its JSON Schema (schemas/config.schema.json).
 * What names a rule is checked against the rules by the engine (src/engine/config.ts, loadConfig).
 */
export interface ConfigDocument {
  /** Absolute path of the configuration file. */
  file: string;
  /** Its directory: what the paths it holds are relative to. */
  dir: string;
  /** The loaded file (with positions) and the path of the configuration inside it (`cilium-etcd-lint` in package.json). */
  root: JsonObject;
  prefix: string[];
  /** Where a path of the configuration is written (the file's start when nowhere). */
  at(p: (string | number)[]): SourceLocation;
  /** `extends` as written (undefined: not given). */
  extends: PresetName[] | undefined;
  rules: RuleEntry[];
  exemptions: Exemption[];
  lockedRules: string[];
  customRules: { directories: string[]; modules: string[] };
  component: ComponentSetting;
  exclude: ExcludeEntry[];
  plugins: 'refuse' | 'skip';
}

/** The configuration file that applies (`explicit`, else the one found from `cwd`), read and validated; undefined when there is none. */
export function readConfigDocument(opts: { cwd: string; explicit?: string; fs?: FileSystem }): ConfigDocument | undefined {
  const fs = opts.fs ?? nodeFileSystem;
  let found: { file: string; packageJson: boolean } | undefined;
  if (opts.explicit !== undefined) {
    const file = path.resolve(opts.cwd, opts.explicit);
    if (fs.kind(file) !== 'file') throw new UserError(`configuration file ${opts.explicit}: no such file`);
    found = { file, packageJson: path.basename(file) === 'package.json' };
  } else found = findConfigFile(opts.cwd, fs);
  if (!found) return undefined;

  const file = found.file;
  const { root, config, prefix } = readDocument(fs, file, found.packageJson);
  const at = (p: (string | number)[]) => locate(root, [...prefix, ...p]) ?? startOf(file);
  preCheckRuleSeverities(config, root, prefix, file);
  configValidator ??= precompiledConfigValidator() ?? new Ajv(CONFIG_AJV_OPTIONS).compile(configSchema as object);
  assertValid(configValidator, root, `invalid configuration`, startOf(file), prefix, config);
  const dir = path.dirname(file);

  const rules: RuleEntry[] = [];
  const ruleMap = (isObject(config.rules) ? config.rules : {}) as JsonObject;
  for (const [id, value] of Object.entries(ruleMap)) {
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
    rules.push({ id, ...(severity !== undefined ? { severity } : {}), ...(options !== undefined ? { options } : {}), optionsPath });
  }
  const exemptions: Exemption[] = ((config.exemptions ?? []) as JsonObject[]).map((e, i) => {
    const r = e.resource as JsonObject;
    return {
      rule: String(e.rule),
      resource: { kind: String(r.kind), name: String(r.name), ...(typeof r.namespace === 'string' ? { namespace: r.namespace } : {}) },
      ...(typeof e.container === 'string' ? { container: e.container } : {}),
      reason: String(e.reason).trim(),
      ...(typeof e.expires === 'string' ? { expires: e.expires } : {}),
      location: at(['exemptions', i]),
    };
  });
  const custom = (isObject(config.customRules) ? config.customRules : {}) as JsonObject;
  const settingsBlock = isObject(config.settings) ? config.settings : {};
  return {
    file,
    dir,
    root,
    prefix,
    at,
    extends:
      config.extends === undefined ? undefined : ((Array.isArray(config.extends) ? config.extends : [config.extends]) as PresetName[]),
    rules,
    exemptions,
    lockedRules: (config.lockedRules ?? []) as string[],
    customRules: { directories: (custom.directories ?? []) as string[], modules: (custom.modules ?? []) as string[] },
    component: (isObject(settingsBlock.component) ? settingsBlock.component : {}) as ComponentSetting,
    exclude: ((config.exclude ?? []) as JsonObject[]).map((e, i) => ({
      pattern: String(e.path),
      base: dir,
      reason: String(e.reason).trim(),
      location: at(['exclude', i]),
    })),
    plugins: config.plugins === 'skip' ? 'skip' : 'refuse',
  };
}

/** A severity string that is not one is reported on its own, with the nearest severity. */
function preCheckRuleSeverities(config: JsonObject, root: JsonObject, prefix: string[], file: string): void {
  const map = config.rules;
  if (!isObject(map)) return;
  const problems: { location: SourceLocation; message: string }[] = [];
  for (const [id, value] of Object.entries(map)) {
    const sev =
      typeof value === 'string'
        ? value
        : Array.isArray(value) && typeof value[0] === 'string'
          ? value[0]
          : isObject(value) && typeof value.severity === 'string'
            ? value.severity
            : undefined;
    const p = typeof value === 'string' ? ['rules', id] : Array.isArray(value) ? ['rules', id, 0] : ['rules', id, 'severity'];
    if (sev !== undefined && !(SEVERITIES as readonly string[]).includes(sev)) {
      problems.push({
        location: locate(root, [...prefix, ...p]) ?? startOf(file),
        message: `rules.${id}: "${sev}" is not a severity (off, info, warning or error)${didYouMean(sev, SEVERITIES)}`,
      });
    }
  }
  if (problems.length) throw problemsError(problems, 'invalid configuration');
}

export { PRESET_NAMES };
