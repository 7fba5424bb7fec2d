// node:fs: --fix writes the files (no link followed), so it reads and checks them on the disk it writes.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch } from 'diff';
import type { Finding, TextEdit } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';
import { displayPath } from '../util/display-path.ts';
import { applyEditsToText } from './plan.ts';

/**
 * `--fix` / `--fix-dry-run`: the planned fixes of a run as new file texts. Identical edits (one
 * finding of a shared base reported under several targets) count once; a fix whose edits overlap
 * an earlier fix's is left for the next run. Writing never leaves the repository root and never
 * follows a symbolic link: the file must be a regular file whose real path is the path itself,
 * inside the root's real path, unchanged since it was read; it is opened with O_NOFOLLOW.
 */

export interface FileChange {
  file: string;
  before: string;
  after: string;
  /** The findings whose fix this change applies. */
  findings: Finding[];
  /** Other targets of the run that read this file (a shared base). */
  alsoAffects: string[];
}

export interface FixPlan {
  changes: FileChange[];
  /** Fixes left out: overlapping another, or a file outside the root or behind a symbolic link. */
  skipped: { finding: Finding; why: string }[];
}

export function fixPlan(run: LintRun, root: string, only?: (f: Finding) => boolean): FixPlan {
  const byFile = new Map<string, { edits: TextEdit[]; keys: Set<string>; findings: Finding[]; also: Set<string> }>();
  const skipped: FixPlan['skipped'] = [];
  for (const r of run.results) {
    for (const f of r.findings) {
      if (!f.fix || (only && !only(f))) continue;
      const bad = f.fix.edits.map((e) => unsafe(e.file, root)).find((w) => w !== undefined);
      if (bad) {
        skipped.push({ finding: f, why: bad });
        continue;
      }
      const fresh = f.fix.edits.filter((e) => !byFile.get(e.file)?.keys.has(editKey(e)));
      if (fresh.length === 0) continue; // the same fix, already planned (a shared base)
      // Overlap with what is planned already: leave this fix for the next run.
      const overlaps = fresh.some((e) => {
        const g = byFile.get(e.file);
        return g !== undefined && applyEditsToText(readOr(e.file), [...g.edits, e]) === undefined;
      });
      if (overlaps) {
        skipped.push({ finding: f, why: 'overlaps another fix: run --fix again' });
        continue;
      }
      for (const e of fresh) {
        const g = byFile.get(e.file) ?? byFile.set(e.file, { edits: [], keys: new Set(), findings: [], also: new Set() }).get(e.file)!;
        g.edits.push(e);
        g.keys.add(editKey(e));
        if (!g.findings.includes(f)) g.findings.push(f);
        for (const t of f.fix.alsoAffects ?? []) g.also.add(t);
      }
    }
  }
  const changes: FileChange[] = [];
  for (const [file, g] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const before = readOr(file);
    const after = applyEditsToText(before, g.edits);
    if (after === undefined || after === before) continue;
    changes.push({ file, before, after, findings: g.findings, alsoAffects: [...g.also].sort() });
  }
  return { changes, skipped };
}

const editKey = (e: TextEdit) => `${e.start.line}:${e.start.column}-${e.end.line}:${e.end.column}\0${e.text}`;

function readOr(file: string): string {
  try {
    return nodeFs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function safeRealPath(p: string): string {
  try {
    return nodeFs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}

/** Why writing `file` is refused, if it is. */
function unsafe(file: string, root: string): string | undefined {
  if (!path.isAbsolute(file)) return `not a file of the repository: ${file}`;
  let st: nodeFs.Stats;
  try {
    st = nodeFs.lstatSync(file);
  } catch {
    return `${file}: no such file`;
  }
  if (st.isSymbolicLink()) return `${file} is a symbolic link: not written`;
  if (!st.isFile()) return `${file} is not a regular file`;
  const relReal = path.relative(safeRealPath(root), safeRealPath(file));
  if (relReal.startsWith('..') || path.isAbsolute(relReal)) return `${file} is outside the repository root: not written`;
  // A symbolic link on the way (a linked directory): the path below the root is not the real one.
  if (path.relative(path.resolve(root), path.resolve(file)) !== relReal) return `${file} is reached through a symbolic link: not written`;
  return undefined;
}

/** Writes the changes (each file checked again right before it is written). Returns the files written. */
export function writeChanges(plan: FixPlan, root: string): string[] {
  const written: string[] = [];
  for (const c of plan.changes) {
    if (unsafe(c.file, root)) continue;
    if (readOr(c.file) !== c.before) continue; // changed since it was read: not ours to overwrite
    const fd = nodeFs.openSync(c.file, nodeFs.constants.O_WRONLY | nodeFs.constants.O_NOFOLLOW);
    try {
      nodeFs.ftruncateSync(fd, 0);
      nodeFs.writeSync(fd, c.after, 0, 'utf8');
    } finally {
      nodeFs.closeSync(fd);
    }
    written.push(c.file);
  }
  return written;
}

/** The unified diff of the changes (`--fix-dry-run`), paths relative to `cwd`. */
export function unifiedDiff(plan: FixPlan, cwd: string): string {
  return plan.changes
    .map((c) => {
      const name = displayPath(c.file, cwd);
      return createTwoFilesPatch(`a/${name}`, `b/${name}`, c.before, c.after, undefined, undefined, { context: 3 })
        .split('\n')
        .filter((l) => !l.startsWith('====='))
        .join('\n');
    })
    .join('');
}

/** Lines saying which fixed files other linted targets also read. */
export function sharedNotes(plan: FixPlan, cwd: string): string[] {
  return plan.changes
    .filter((c) => c.alsoAffects.length)
    .map((c) => `${displayPath(c.file, cwd)} is also used by ${c.alsoAffects.join(', ')}: the fix changes their render too`);
}
