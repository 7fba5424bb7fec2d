import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanComponent, writeTree } from '../acceptance/component.ts';

const BIN = path.resolve(__dirname, '../../bin/cilium-etcd-lint.js');

/** The bin, run as a process with its code cache in `cache` (a directory, or `off`). */
function run(cwd: string, cache: string) {
  return spawnSync(process.execPath, [BIN, '--format', 'json', 'etcd/overlays/dev'], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: cache },
  });
}

const cacheFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.v8cache'));

describe('the V8 code cache of bin/cilium-etcd-lint.js', () => {
  const root = writeTree(cleanComponent());

  it('is written by the first run, used by the next, and changes nothing in the output', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'cel-cache-'));
    chmodSync(cache, 0o700);
    const first = run(root, cache);
    expect(first.status).toBe(0);
    const files = cacheFiles(cache);
    expect(files).toHaveLength(1);
    // Named by the bundle's content hash and the Node.js version.
    const hash = /^\/\/ sha256:([0-9a-f]{64})\n/.exec(readFileSync(path.resolve(__dirname, '../../dist/cli.cjs'), 'utf8'))![1]!;
    expect(files[0]).toBe(`cli-${hash.slice(0, 32)}-${process.version}-${process.arch}.v8cache`);
    const written = readFileSync(path.join(cache, files[0]!));
    const second = run(root, cache);
    expect(second.status).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    // Accepted as it was: not rewritten.
    expect(readFileSync(path.join(cache, files[0]!)).equals(written)).toBe(true);
  });

  it('a corrupt cache is rejected by V8 and replaced; the run is unaffected', () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'cel-cache-'));
    chmodSync(cache, 0o700);
    const clean = run(root, 'off');
    run(root, cache);
    const file = path.join(cache, cacheFiles(cache)[0]!);
    writeFileSync(file, Buffer.alloc(4096, 0x5a));
    const r = run(root, cache);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(clean.stdout);
    expect(readFileSync(file).equals(Buffer.alloc(4096, 0x5a))).toBe(false);
  });

  it('is neither read nor written in a directory others can write to, nor when off', () => {
    const shared = mkdtempSync(path.join(tmpdir(), 'cel-cache-'));
    chmodSync(shared, 0o777);
    expect(run(root, shared).status).toBe(0);
    expect(cacheFiles(shared)).toEqual([]);
    const off = run(root, 'off');
    expect(off.status).toBe(0);
  });
});
