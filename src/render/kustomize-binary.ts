import { spawnSync } from 'node:child_process';
import { UserError } from '../model/errors.ts';
import { isObject } from '../model/provenance.ts';
import { loadYamlDocuments } from '../yaml/load.ts';
import { makeResource, type Resource } from './resource.ts';

/** Parses an already rendered stream (stdin, or a kustomize binary's output); locations are lines of that stream. */
export function parseRenderedStream(text: string, label: string): Resource[] {
  const out: Resource[] = [];
  for (const doc of loadYamlDocuments(text, { file: label })) {
    if (doc.value === null) continue;
    if (!isObject(doc.value)) throw new UserError('a rendered document must be a YAML mapping', doc.location);
    out.push(makeResource(doc.value, doc.location));
  }
  return out;
}

/**
 * `--renderer kustomize`: runs the real kustomize (as `kubectl kustomize`) without plugins,
 * exec or helm, so a pull request still cannot make the linter run its code.
 */
export function renderWithKustomize(dir: string): { resources: Resource[]; stream: string } {
  const r = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (r.error) throw new UserError(`--renderer kustomize needs kubectl on PATH: ${r.error.message}`);
  if (r.status !== 0) throw new UserError(`kubectl kustomize ${dir} failed: ${(r.stderr || '').trim()}`);
  return { resources: parseRenderedStream(r.stdout, `<kustomize build ${dir}>`), stream: r.stdout };
}
