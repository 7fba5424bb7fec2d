import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const fixturesDir = path.join(repoRoot, 'fixtures');

function dirs(p: string): string[] {
  try {
    return readdirSync(p)
      .filter((n) => statSync(path.join(p, n)).isDirectory())
      .sort();
  } catch {
    return [];
  }
}

/**
 * Every build root of the render fixtures (see fixtures/render/README.md):
 * `fixtures/render/<case>/overlay` and `fixtures/render/<case>/overlay-<variant>`, plus the
 * cilium-etcd example component's base and overlays. Names are relative to fixtures/.
 */
export function renderFixtureRoots(): { name: string; dir: string }[] {
  const out: { name: string; dir: string }[] = [];
  const renderDir = path.join(fixturesDir, 'render');
  for (const c of dirs(renderDir)) {
    for (const d of dirs(path.join(renderDir, c))) {
      if (d === 'overlay' || d.startsWith('overlay-')) out.push({ name: `render/${c}/${d}`, dir: path.join(renderDir, c, d) });
    }
  }
  const cilium = path.join(fixturesDir, 'cilium-etcd');
  out.push({ name: 'cilium-etcd/base', dir: path.join(cilium, 'base') });
  for (const o of dirs(path.join(cilium, 'overlays')))
    out.push({ name: `cilium-etcd/overlays/${o}`, dir: path.join(cilium, 'overlays', o) });
  return out;
}
