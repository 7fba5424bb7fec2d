import path from 'node:path';
import * as nodeFs from 'node:fs';
import { globbySync } from 'globby';
import type { ApplicationDoc } from '../engine/types.ts';
import { isObject, type JsonObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';

/** The nearest directory at or above `dir` holding `.git`, or undefined. */
export function findRepoRoot(dir: string): string | undefined {
  let cur = path.resolve(dir);
  for (;;) {
    if (nodeFs.existsSync(path.join(cur, '.git'))) return cur;
    const up = path.dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

/** Repository-relative form of an Application source path, for comparison. */
export function normalizeSourcePath(p: string): string {
  return path.posix.normalize(p.replace(/\\/g, '/')).replace(/^\.?\/+/, '').replace(/\/+$/, '');
}

export function sourcePaths(app: JsonObject): string[] {
  const spec = isObject(app.spec) ? app.spec : {};
  const out: string[] = [];
  if (isObject(spec.source) && typeof spec.source.path === 'string') out.push(spec.source.path);
  if (Array.isArray(spec.sources)) {
    for (const s of spec.sources) if (isObject(s) && typeof s.path === 'string') out.push(s.path);
  }
  return out;
}

/** Every ArgoCD Application document in the repository (YAML files; never follows symlinks). */
export function findApplications(repoRoot: string): ApplicationDoc[] {
  const files = globbySync(['**/*.yaml', '**/*.yml'], {
    cwd: repoRoot,
    ignore: ['**/.git/**', '**/node_modules/**'],
    followSymbolicLinks: false,
    absolute: true,
    onlyFiles: true,
  }).sort();
  const apps: ApplicationDoc[] = [];
  for (const file of files) {
    let text: string;
    try {
      if (nodeFs.lstatSync(file).isSymbolicLink()) continue;
      text = nodeFs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    // Cheap filter before parsing: most YAML in a monorepo is not an Application.
    if (!text.includes('argoproj.io') || !/kind:\s*["']?Application\b/.test(text)) continue;
    let docs;
    try {
      docs = loadYamlDocuments(text, { file });
    } catch {
      continue; // A broken unrelated file must not break the lint of this target.
    }
    for (const d of docs) {
      const v = d.value;
      if (isObject(v) && v.kind === 'Application' && typeof v.apiVersion === 'string' && v.apiVersion.startsWith('argoproj.io/')) {
        apps.push({ object: v, file });
      }
    }
  }
  return apps;
}

/** Applications whose source path is `targetDir`. */
export function applicationsFor(apps: readonly ApplicationDoc[], repoRoot: string, targetDir: string): ApplicationDoc[] {
  const rel = normalizeSourcePath(path.relative(repoRoot, targetDir));
  return apps.filter((a) => sourcePaths(a.object).some((p) => normalizeSourcePath(p) === rel));
}
