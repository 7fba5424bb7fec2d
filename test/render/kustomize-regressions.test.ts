import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { stripProvenance } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { printKustomizeStream } from '../../src/yaml/print.ts';

/*
 * Regression fixtures from the differential fuzzer (fixtures/kustomize-regressions/, see
 * docs/renderer.md): each a minimal tree (`input/`) and what `kubectl kustomize` (Kustomize
 * v5.5.0) made of it, stored, so this test needs no kubectl: `expected.yaml` byte for byte, or,
 * where kustomize refuses the tree (`expected-error.txt`), an exit-2 error (a UserError) whose
 * message matches case.json's `error` pattern. A case with `refused_by_design` is one kustomize
 * v5.5.0 renders but later versions render differently (a feature added since): the renderer
 * refuses it on purpose, naming the version; kubectl's output is kept for reference.
 * `npm run fuzz:kustomize -- --record <dir>`
 * rewrites a fixture's expected output from kubectl.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../fixtures/kustomize-regressions');
const cases = existsSync(ROOT)
  ? readdirSync(ROOT)
      .filter((n) => existsSync(path.join(ROOT, n, 'case.json')))
      .sort()
      .map((name) => ({
        name,
        dir: path.join(ROOT, name),
        meta: JSON.parse(readFileSync(path.join(ROOT, name, 'case.json'), 'utf8')) as {
          build_dir_in_input?: string;
          error?: string;
          refused_by_design?: string;
          class: string;
        },
      }))
  : [];

describe('kustomize regression fixtures (stored kubectl output)', () => {
  it('has fixtures', () => expect(cases.length).toBeGreaterThan(0));
  it.each(cases)('$name', ({ dir, meta }) => {
    const build = path.join(dir, 'input', meta.build_dir_in_input ?? '.');
    const expected = path.join(dir, 'expected.yaml');
    if (existsSync(expected) && !meta.refused_by_design) {
      const objects = renderKustomization(build, { fs: nodeFileSystem }).resources.map((r) => stripProvenance(r.object));
      expect(printKustomizeStream(objects)).toBe(readFileSync(expected, 'utf8'));
      return;
    }
    expect(existsSync(path.join(dir, meta.refused_by_design ? 'expected.yaml' : 'expected-error.txt'))).toBe(true);
    let error: unknown;
    try {
      renderKustomization(build, { fs: nodeFileSystem });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(UserError);
    const pattern = meta.refused_by_design ?? meta.error;
    if (pattern) expect((error as Error).message).toMatch(new RegExp(pattern));
  });
});
