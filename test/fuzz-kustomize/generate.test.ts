import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { treeSpec, writeTree } from './generate.ts';

/*
 * The differential fuzzer's generator (scripts/fuzz-kustomize.ts compares with kubectl; this
 * needs none): generated trees are well-formed (an overlay, every file named by a
 * kustomization present), and the built-in renderer either renders them or refuses with a
 * UserError: never an internal error. Small and seeded, to stay fast.
 */
describe('fuzz-kustomize generator', () => {
  it('writes trees the renderer renders or refuses cleanly', () => {
    const specs = fc.sample(treeSpec, { seed: 20261205, numRuns: 40 });
    const root = mkdtempSync(path.join(os.tmpdir(), 'fkgen-'));
    let rendered = 0;
    try {
      specs.forEach((spec, i) => {
        const tree = writeTree(spec);
        expect(tree['overlay/kustomization.yaml']).toBeDefined();
        const dir = path.join(root, String(i));
        for (const [rel, text] of Object.entries(tree)) {
          mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
          writeFileSync(path.join(dir, rel), text);
        }
        try {
          renderKustomization(path.join(dir, 'overlay'), { fs: nodeFileSystem, root: dir });
          rendered++;
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
        }
      });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
    expect(rendered).toBeGreaterThan(0);
  });
});
