import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareLoaders } from '../yaml/compare.ts';

/**
 * The fast YAML path against the general loader on every YAML file of the reference corpus: the
 * real monorepo and kustomize's own test inputs. Never another answer; and the monorepo's bytes
 * are mostly read by the fast path (generated CRDs above all), or it would not pay.
 */
const CORPUS = path.resolve(__dirname, '../../../shared/corpus');

function yamlFiles(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === '.git' || e.name === 'node_modules') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yamlFiles(p, out);
    else if (e.isFile() && /\.ya?ml$|(^|\/)Kustomization$/.test(e.name)) out.push(p);
  }
  return out;
}

describe.each(['hippocampus/repo', 'krusty'])('the fast YAML path on %s', (sub) => {
  const dir = path.join(CORPUS, sub);
  it.skipIf(!existsSync(dir))('reads every file as the general loader does, or hands it back', () => {
    let all = 0;
    let fast = 0;
    for (const f of yamlFiles(dir)) {
      const text = readFileSync(f, 'utf8');
      for (const mode of ['kustomize', 'yaml11', 'core'] as const) {
        const v = compareLoaders(text, f, mode);
        if (v.kind === 'differs') expect(v.fast, `${f} (${mode})`).toEqual(v.general);
        expect(v.kind, `${f} (${mode})`).not.toBe('fast-on-error');
        if (mode === 'kustomize') {
          all += text.length;
          if (v.kind === 'equal') fast += text.length;
        }
      }
    }
    expect(all).toBeGreaterThan(0);
    if (sub === 'hippocampus/repo') expect(fast / all).toBeGreaterThan(0.85);
  });
});
