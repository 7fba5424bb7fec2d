import { chmodSync, cpSync, mkdtempSync, readdirSync, statSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** The real monorepo in ../shared (read-only); corpus tests only (`npm run corpus`). */
export const HIPPOCAMPUS = path.resolve(__dirname, '../../../shared/corpus/hippocampus/repo');

function makeWritable(dir: string): void {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/** A writable git copy of the monorepo in a temporary directory, as a user's checkout would be. */
export function gitCopyOfHippocampus(prefix: string): string {
  const root = mkdtempSync(path.join(tmpdir(), prefix));
  cpSync(HIPPOCAMPUS, root, { recursive: true });
  makeWritable(root);
  spawnSync('git', ['init', '-q'], { cwd: root });
  return root;
}
