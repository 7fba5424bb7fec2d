import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '../..');
const DEPCRUISE = path.join(ROOT, 'node_modules/.bin/depcruise');

/** Runs dependency-cruiser with the project's configuration over `src` of `cwd`. */
function cruise(cwd: string): { status: number | null; out: string } {
  const r = spawnSync(DEPCRUISE, ['src', '--config', path.join(ROOT, '.dependency-cruiser.cjs'), '--output-type', 'err'], {
    cwd,
    encoding: 'utf8',
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'cel-layers-'));
  copyFileSync(path.join(ROOT, 'tsconfig.json'), path.join(dir, 'tsconfig.json'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

describe('the layer check (npm run lint: dependency-cruiser with .dependency-cruiser.cjs)', () => {
  it('fails on an upward import and on a run-time import cycle, naming them', () => {
    const dir = tree({
      'src/cli/main.ts': 'export const main = 1;\n',
      'src/model/a.ts': "import { main } from '../cli/main.ts';\nexport const a = main;\n",
      'src/render/c.ts': "import { d } from './d.ts';\nexport const c = () => d;\n",
      'src/render/d.ts': "import { c } from './c.ts';\nexport const d = () => c;\n",
    });
    const r = cruise(dir);
    expect(r.status).not.toBe(0);
    expect(r.out).toMatch(/no-upward-import-from-model-util: src\/model\/a\.ts → src\/cli\/main\.ts/);
    expect(r.out).toMatch(/no-circular: src\/render\/(c|d)\.ts/);
  });

  it('passes a tree whose imports go down the layers, and a cycle closed only by a type import', () => {
    const dir = tree({
      'src/cli/main.ts': "import { a } from '../model/a.ts';\nexport const main = a;\n",
      'src/model/a.ts': 'export const a = 1;\n',
      'src/render/e.ts': "import type { F } from './f.ts';\nexport interface E { f?: F }\n",
      'src/render/f.ts': "import type { E } from './e.ts';\nexport interface F { e?: E }\n",
    });
    const r = cruise(dir);
    expect(r.out).not.toMatch(/error/);
    expect(r.status).toBe(0);
  });
});
