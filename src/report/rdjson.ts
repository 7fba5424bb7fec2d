import path from 'node:path';
import type { Finding, Severity } from '../engine/types.ts';
import type { Formatter } from './formatter.ts';
import { ruleCatalog } from './rule-catalog.ts';
import { runFindings } from './run-summary.ts';
import { INFORMATION_URI, TOOL_NAME } from './tool-info.ts';
import { nodeFileSystem } from '../util/fs.ts';

/**
 * `--format rdjson`: the Reviewdog Diagnostic Format (one DiagnosticResult document), for
 * `reviewdog -f=rdjson -reporter=github-pr-review`, which posts each finding as a review comment
 * and each fix as a one-click suggestion. Paths are relative to the repository root; lines and
 * columns are 1-based, columns count UTF-8 bytes, a range's end is exclusive; a suggestion whose
 * start equals its end inserts. Only the fix edits in the finding's own file become suggestions
 * (a suggestion applies to the commented file). With `--base`, only the new findings are listed:
 * the review is about what the pull request changes.
 */

const SEVERITY: Record<Severity, 'ERROR' | 'WARNING' | 'INFO'> = { error: 'ERROR', warning: 'WARNING', info: 'INFO' };

interface Position {
  line: number;
  column: number;
}

export const rdjsonFormatter: Formatter = (run, ctx) => {
  const { findings } = runFindings(run, ctx.root, false);
  const help = new Map(ruleCatalog(ctx.rules).map((r) => [r.id, r.helpUri]));
  // The findings' source lines, for UTF-8 byte columns: read through the run's FileSystem (FormatContext.fs).
  const fs = ctx.fs ?? run.fs ?? nodeFileSystem;
  const lines = new Map<string, string[] | undefined>();
  const lineOf = (file: string, n: number): string | undefined => {
    if (!lines.has(file)) {
      try {
        lines.set(file, fs.readFile(file).split('\n'));
      } catch {
        lines.set(file, undefined);
      }
    }
    return lines.get(file)?.[n - 1];
  };
  // UTF-16 columns (as the findings count) to UTF-8 byte columns, from the line's text.
  const bytes = (file: string, p: Position): Position => {
    const text = lineOf(file, p.line);
    if (text === undefined) return p;
    return { line: p.line, column: Buffer.byteLength(text.slice(0, p.column - 1), 'utf8') + 1 };
  };
  const shown = run.baseline ? findings.filter((f) => f.baseline === 'new') : findings;
  const diagnostics = shown.map((f) => diagnostic(f, ctx.root, bytes, help.get(f.ruleId)));
  const doc = { source: { name: TOOL_NAME, url: INFORMATION_URI }, diagnostics };
  return `${JSON.stringify(doc, null, 2)}\n`;
};

function diagnostic(f: Finding, root: string, bytes: (file: string, p: Position) => Position, url: string | undefined) {
  const abs = path.resolve(root, f.location.file);
  const start = bytes(abs, { line: f.location.line, column: f.location.column });
  const end = bytes(abs, { line: f.location.endLine, column: f.location.endColumn });
  const suggestions = (f.fix?.edits ?? [])
    .filter((e) => path.resolve(e.file) === abs)
    .map((e) => ({ range: { start: bytes(abs, e.start), end: bytes(abs, e.end) }, text: e.text }));
  return {
    message: f.message + (f.fix ? ` (fix: ${f.fix.description})` : ''),
    location: { path: f.location.file, range: { start, end } },
    severity: SEVERITY[f.severity],
    source: { name: TOOL_NAME, url: INFORMATION_URI },
    code: { value: f.ruleId, ...(url ? { url } : {}) },
    ...(suggestions.length ? { suggestions } : {}),
  };
}
