import { spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTerminal, writeAll } from '../../src/cli/stdio.ts';

const ROOT = path.resolve(__dirname, '../..');
const BIN = path.join(ROOT, 'bin/cilium-etcd-lint.js');

describe('the CLI writes its output straight to the descriptors', () => {
  it('all of it, to a file', () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'cel-stdio-')), 'out');
    const fd = openSync(file, 'w');
    const text = `${'é'.repeat(100_000)}\n`;
    writeAll(fd, text);
    closeSync(fd);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });

  it("a reader that stops early (| head) ends the output quietly; the exit code is the command's", () => {
    // A render far bigger than a pipe's buffer, so the writer meets the closed pipe.
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-stdio-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources:\n  - cm.yaml\n');
    writeFileSync(
      path.join(dir, 'cm.yaml'),
      `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n${Array.from({ length: 20_000 }, (_, i) => `  k${i}: "${'x'.repeat(40)}"\n`).join('')}`,
    );
    const r = spawnSync(
      'bash',
      ['-c', `node ${JSON.stringify(BIN)} render ${JSON.stringify(dir)} | head -c 1 >/dev/null; echo "exit=\${PIPESTATUS[0]}"`],
      {
        encoding: 'utf8',
        env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: 'off' },
      },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('exit=0');
  });

  it('a character device counts as a terminal; a file or a closed descriptor does not', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-stdio-'));
    const fd = openSync(path.join(dir, 'f'), 'w');
    expect(isTerminal(fd)).toBe(false);
    closeSync(fd);
    const devNull = openSync('/dev/null', 'w');
    expect(isTerminal(devNull)).toBe(true);
    closeSync(devNull);
    expect(isTerminal(999)).toBe(false);
  });
});
