import { createRequire } from 'node:module';
import path from 'node:path';
import type { ConfigDocument } from '../config/load.ts';
import { parseRuleFile } from '../config/rule-files.ts';
import { UserError } from '../model/errors.ts';
import { locate, type JsonObject } from '../model/provenance.ts';
import { nodeFileSystem, type FileSystem } from '../util/fs.ts';
import { declarativeRule } from './declarative.ts';
import type { Rule } from './types.ts';

/**
 * A configuration's own rules, made rules: the declarative files of `customRules.directories`
 * (read and validated by src/config/rule-files.ts) and the code modules named one by one in
 * `customRules.modules`. Each id must be new; every error is on the entry or the rule file.
 *
 * The directories, the rule files and the modules' paths are read and probed through `opts.fs`
 * (default: the disk). A code module itself is loaded by `opts.loadModule` (default: Node's
 * require), which reads the disk and cannot go through a FileSystem.
 */
export function loadCustomRules(
  doc: ConfigDocument,
  rules: Record<string, Rule<any>>,
  customRules: Record<string, string>,
  opts: { loadModule?: (absPath: string) => unknown; allowCodeRules?: boolean; fs?: FileSystem },
): void {
  const fs = opts.fs ?? nodeFileSystem;
  doc.customRules.directories.forEach((d, i) => {
    const abs = path.resolve(doc.dir, d);
    if (fs.kind(abs) !== 'dir')
      throw new UserError(`customRules.directories: ${d} is not a directory`, doc.at(['customRules', 'directories', i]));
    for (const f of fs
      .readDir(abs)
      .filter((n) => /\.ya?ml$/.test(n))
      .sort()) {
      const file = path.join(abs, f);
      const def = parseRuleFile(fs.readFile(file), file);
      if (rules[def.id])
        throw new UserError(
          `rule id "${def.id}" is already taken by ${customRules[def.id] ?? 'a built-in rule'}`,
          locate(def as unknown as JsonObject, ['id']) ?? def.location,
        );
      if (def.presets !== undefined) {
        throw new UserError(
          "invalid rule file: presets: only built-in rules belong to presets; a custom rule is on at its own severity (the configuration's rules: may change it or turn it off)",
          locate(def as unknown as JsonObject, ['presets']) ?? def.location,
        );
      }
      rules[def.id] = declarativeRule(def);
      customRules[def.id] = file;
    }
  });
  doc.customRules.modules.forEach((m, i) => {
    const where = doc.at(['customRules', 'modules', i]);
    if (opts.allowCodeRules === false) {
      throw new UserError(
        `customRules.modules: code rules are not loaded here (${m}); set the action's allow-code-rules input to load them from a trusted configuration`,
        where,
      );
    }
    const abs = path.resolve(doc.dir, m);
    if (fs.kind(abs) === undefined) throw new UserError(`customRules.modules: ${m}: no such file`, where);
    const id = path.basename(abs).replace(/\.(c|m)?js$/, '');
    let mod: unknown;
    try {
      // Not through `fs`: a module is loaded by Node (require), from the disk.
      mod = (opts.loadModule ?? createRequire(import.meta.url))(abs);
    } catch (e) {
      throw new UserError(`customRules.modules: ${m} cannot be loaded: ${(e as Error).message}`, where);
    }
    const rule = ((mod as { default?: unknown })?.default ?? mod) as Rule<any>;
    if (
      !rule ||
      typeof rule.check !== 'function' ||
      !rule.meta ||
      typeof rule.meta.docs?.description !== 'string' ||
      !['error', 'warning', 'info'].includes(rule.meta.defaultSeverity) ||
      !rule.meta.messages
    ) {
      throw new UserError(
        `customRules.modules: ${m} must export (as default) a rule object { meta: { type, docs: { description }, defaultSeverity, schema, defaultOptions, messages }, check }`,
        where,
      );
    }
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(id))
      throw new UserError(`customRules.modules: ${m}: the file name is the rule id and must be kebab-case`, where);
    if (rules[id]) throw new UserError(`rule id "${id}" (from ${m}) is already taken by ${customRules[id] ?? 'a built-in rule'}`, where);
    rules[id] = {
      ...rule,
      meta: { ...rule.meta, schema: rule.meta.schema ?? { type: 'object' }, defaultOptions: rule.meta.defaultOptions ?? {} },
    };
    customRules[id] = abs;
  });
}
