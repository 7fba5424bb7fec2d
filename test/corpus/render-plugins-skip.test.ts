/**
 * `plugins: skip` on the real monorepo: every dev overlay kustomize cannot render here because
 * of an exec generator plugin (`SecretsFromVault`, see cases.json) renders with the built-in
 * renderer and `plugins: skip`, with one warning per skipped plugin on its `generators:` entry,
 * and the objects are byte for byte what `kubectl kustomize` renders once the `generators:`
 * entries are removed from a copy of the repository. Skipped without ../shared.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stripProvenance } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { walkDirectories } from '../../src/util/walk.ts';
import { printKustomizeStream } from '../../src/yaml/print.ts';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';

const CASES = path.join(HIPPOCAMPUS, '..', 'cases.json');
const present = existsSync(CASES);
const kubectlOk = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 }).status === 0;
if (!present) console.warn('[render-plugins-skip] SKIPPED: no ../shared corpus');

describe.skipIf(!present)('plugins: skip on the monorepo overlays with an exec generator plugin', () => {
  const dirs = present
    ? (JSON.parse(readFileSync(CASES, 'utf8')) as { cases: { dir: string; error?: string }[] }).cases
        .filter((c) => c.error?.startsWith('exec plugin'))
        .map((c) => c.dir)
    : [];
  const copy = present ? gitCopyOfHippocampus('plugins-skip-') : '';
  afterAll(() => {
    if (copy) rmSync(copy, { recursive: true, force: true });
  });

  // Render every case first (with the plugins in place), then remove the entries for kubectl.
  const rendered = new Map(
    dirs.map((d) => {
      const r = renderKustomization(path.join(copy, d), { fs: nodeFileSystem, root: copy, plugins: 'skip' });
      return [d, r] as const;
    }),
  );

  it('has the overlays', () => {
    expect(dirs.length).toBeGreaterThanOrEqual(19);
  });

  it.each(dirs)('%s: renders, and names each skipped plugin on its generators: entry', (d) => {
    const r = rendered.get(d)!;
    expect(r.resources.length).toBeGreaterThan(0);
    const skipped = r.warnings.filter((w) => /was not run \(plugins: skip\)/.test(w.message));
    expect(skipped.length).toBeGreaterThan(0);
    for (const w of skipped) {
      expect(w.message).toMatch(/generator plugin kustomize\.kaidotio\.github\.io\/v1 SecretsFromVault "[^"]+"/);
      const line = readFileSync(w.location.file, 'utf8').split('\n')[w.location.line - 1]!;
      expect(line).toMatch(/^\s*- secrets_from_vault\.yaml\s*$/);
    }
  });

  describe.skipIf(!kubectlOk)('the same objects as kubectl kustomize without the generators: entries', () => {
    it('removes the entries from the copy', () => {
      let edited = 0;
      walkDirectories(copy, (dir, entries) => {
        if (!entries.some((e) => e.kind === 'file' && e.name === 'kustomization.yaml')) return;
        const file = path.join(dir, 'kustomization.yaml');
        const text = readFileSync(file, 'utf8');
        const without = text.replace(/^generators:\n\s*- secrets_from_vault\.yaml\n/m, '');
        if (without !== text) {
          writeFileSync(file, without);
          edited++;
        }
      });
      expect(edited).toBe(18);
    });

    it.each(dirs)('%s', (d) => {
      const want = spawnSync('kubectl', ['kustomize', path.join(copy, d)], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
      expect(want.status, want.stderr).toBe(0);
      expect(printKustomizeStream(rendered.get(d)!.resources.map((x) => stripProvenance(x.object)))).toBe(want.stdout);
    });
  });
});
