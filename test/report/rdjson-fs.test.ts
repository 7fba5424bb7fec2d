import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../../src/engine/config.ts';
import type { Finding } from '../../src/engine/types.ts';
import { runLint, type LintRun } from '../../src/lint/run.ts';
import type { FormatContext } from '../../src/report/formatter.ts';
import { rdjsonFormatter } from '../../src/report/rdjson.ts';
import type { FileSystem } from '../../src/util/fs.ts';
import { cleanComponent, OVERLAY } from '../config/helpers.ts';
import { memFs } from '../render/memfs.ts';

/**
 * rdjson counts columns in UTF-8 bytes, from the findings' source lines: it reads them through the
 * run's FileSystem (FormatContext.fs, else LintRun.fs, which runLint sets), the disk only for a run
 * that names none. A line with `é` (2 bytes, 1 UTF-16 unit) before the finding shows which text
 * was read.
 */

const LINE = '  name: "é" # x';
const COLUMN = LINE.indexOf('#') + 1; // UTF-16 column of `#`
const BYTES = COLUMN + 1; // `é` is two bytes

function runOn(file: string, fs?: FileSystem): LintRun {
  const finding: Finding = {
    ruleId: 'etcd-tls',
    severity: 'error',
    message: 'm',
    location: { file, line: 2, column: COLUMN, endLine: 2, endColumn: COLUMN + 1 },
  };
  return {
    repoMode: false,
    results: [{ path: 'x', renderer: 'builtin', resources: 1, findings: [finding] }],
    fatal: [],
    excluded: [],
    ...(fs ? { fs } : {}),
  };
}

const ctx = (root: string, fs?: FileSystem): FormatContext => ({
  cwd: root,
  root,
  env: {},
  color: false,
  rules: builtinRules,
  ...(fs ? { fs } : {}),
});

const startColumn = (out: string): number => JSON.parse(out).diagnostics[0].location.range.start.column;

describe('rdjson reads the source lines through the run’s FileSystem', () => {
  const inMemory = memFs({ 'a.yaml': `metadata:\n${LINE}\n` });
  const file = '/repo/a.yaml';

  it('FormatContext.fs', () => {
    expect(startColumn(rdjsonFormatter(runOn(file), ctx('/repo', inMemory)))).toBe(BYTES);
  });

  it('else the FileSystem the run read through (LintRun.fs)', () => {
    expect(startColumn(rdjsonFormatter(runOn(file, inMemory), ctx('/repo')))).toBe(BYTES);
    // FormatContext.fs comes first: a tree without the file leaves the UTF-16 column.
    expect(startColumn(rdjsonFormatter(runOn(file, inMemory), ctx('/repo', memFs({}))))).toBe(COLUMN);
  });

  it('else the disk (and a file nowhere keeps the UTF-16 column)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-rdjson-'));
    writeFileSync(path.join(dir, 'a.yaml'), `metadata:\n${LINE}\n`);
    expect(startColumn(rdjsonFormatter(runOn(path.join(dir, 'a.yaml')), ctx(dir)))).toBe(BYTES);
    expect(startColumn(rdjsonFormatter(runOn(file), ctx('/repo')))).toBe(COLUMN);
  });

  it('runLint records the FileSystem it read through', () => {
    const fs = memFs({ ...cleanComponent(), '.git/HEAD': '' });
    const config = loadConfig({ cwd: '/repo', builtinRules, fs });
    const run = runLint({
      cwd: '/repo',
      config,
      targets: [OVERLAY],
      repoMode: false,
      renderer: 'builtin',
      argocd: false,
      readStdin: () => '',
      fs,
    });
    expect(run.results).toHaveLength(1);
    expect(run.fs).toBe(fs);
  });
});
