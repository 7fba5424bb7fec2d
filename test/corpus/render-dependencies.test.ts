/**
 * The static dependency listing (src/render/dependencies.ts) against real renders, on the
 * reference corpora (skipped without ../shared):
 *
 * - every kustomization root of the monorepo (`--all`'s targets, discoverTargets) that the
 *   built-in renderer renders (with `plugins: skip`): the listing must agree with what the render
 *   read, as test/render/dependency-oracle.ts defines it (the same files exactly, the same
 *   kustomization directories, directories covered); a root that does not render must still be
 *   listed without an exception;
 * - the listing of all the monorepo's roots shares one cache: each kustomization is read once (its
 *   cost is measured by npm run bench);
 * - kustomize's own end-to-end cases (krusty/): the same agreement for each case that renders.
 * Where the render fails, what it read before failing must be listed all the same.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { kustomizationDependencies, type DependencyCache } from '../../src/render/dependencies.ts';
import { cachingFileSystem, nodeFileSystem } from '../../src/render/fs.ts';
import { discoverTargets } from '../../src/lint/discover-targets.ts';
import { checkDependencies } from '../render/dependency-oracle.ts';
import { HIPPOCAMPUS } from '../support/hippocampus.ts';

const KRUSTY = path.resolve(HIPPOCAMPUS, '../../krusty');
const present = existsSync(HIPPOCAMPUS);
if (!present) console.warn('[render-dependencies] SKIPPED: no ../shared corpus');

describe.skipIf(!present)('static dependency listing vs the render, monorepo', () => {
  const targets = present ? discoverTargets(HIPPOCAMPUS) : [];
  const rel = (p: string) => path.relative(HIPPOCAMPUS, p);

  // (How long the listing takes is measured by npm run bench, in the same run as kubectl kustomize.)
  it('lists every root, parsing each kustomization once per shared cache', () => {
    expect(targets.length).toBeGreaterThanOrEqual(140);
    const cache: DependencyCache = new Map();
    const read: string[] = [];
    const counting = { ...nodeFileSystem, readFile: (p: string) => (read.push(p), nodeFileSystem.readFile(p)) };
    for (const t of targets) kustomizationDependencies(t, counting, { root: HIPPOCAMPUS, cache });
    const kustomizationReads = read.filter((p) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(p));
    expect(kustomizationReads.length).toBe(new Set(kustomizationReads).size);
    expect(cache.size).toBeGreaterThan(targets.length);
  });

  const outcomes = present
    ? targets.map((t) => ({ t, o: checkDependencies(t, cachingFileSystem(nodeFileSystem), { root: HIPPOCAMPUS }) }))
    : [];

  it('agrees with every render', () => {
    const rendered = outcomes.filter(({ o }) => !o.renderError);
    const failures = rendered
      .filter(({ o }) => o.mismatches.length)
      .map(({ t, o }) => `${rel(t)}:\n  ${o.mismatches.map(rel).join('\n  ')}`);
    console.log(
      `[render-dependencies] monorepo: ${outcomes.length} roots, ${rendered.length} render, ${rendered.length - failures.length} agree; not rendered: ${outcomes.length - rendered.length}`,
    );
    expect(failures).toEqual([]);
    expect(rendered.length).toBeGreaterThanOrEqual(120);
  });

  it('lists the roots that do not render, naming what is wrong', () => {
    for (const { t, o } of outcomes.filter(({ o }) => o.renderError)) {
      expect(o.mismatches, rel(t)).toEqual([]);
      expect(o.listing.kustomizations[0], rel(t)).toBe(t);
      expect(o.listing.files.length, rel(t)).toBeGreaterThan(0);
      // A remote base or a missing path is named; an unreadable tree has an error.
      expect(o.listing.remote.length + o.listing.missing.length + (o.listing.error ? 1 : 0), `${rel(t)}: ${o.renderError}`).toBeGreaterThan(
        0,
      );
    }
  });
});

describe.skipIf(!existsSync(KRUSTY))('static dependency listing vs the render, krusty cases', () => {
  const cases = existsSync(KRUSTY)
    ? readdirSync(KRUSTY)
        .sort()
        .filter((n) => existsSync(path.join(KRUSTY, n, 'case.json')))
        .map((name) => {
          const c = JSON.parse(readFileSync(path.join(KRUSTY, name, 'case.json'), 'utf8')) as { build_dir_in_input: string };
          const root = path.join(KRUSTY, name, 'input');
          return { name, root, dir: path.join(root, c.build_dir_in_input) };
        })
    : [];

  it('agrees with every render', () => {
    let rendered = 0;
    const failures: string[] = [];
    for (const c of cases) {
      let o;
      try {
        o = checkDependencies(c.dir, nodeFileSystem, { root: c.root });
      } catch (e) {
        failures.push(`${c.name}: ${(e as Error).message}`);
        continue;
      }
      if (o.renderError) {
        if (o.mismatches.length)
          failures.push(`${c.name} (not rendered: ${o.renderError.split('\n')[0]}):\n  ${o.mismatches.join('\n  ')}`);
        continue;
      }
      rendered++;
      if (o.mismatches.length) failures.push(`${c.name}:\n  ${o.mismatches.map((m) => m.replace(c.root + path.sep, '')).join('\n  ')}`);
    }
    console.log(`[render-dependencies] krusty: ${cases.length} cases, ${rendered} render, ${rendered - failures.length} agree`);
    expect(failures).toEqual([]);
    expect(rendered).toBeGreaterThan(150);
  });
});
