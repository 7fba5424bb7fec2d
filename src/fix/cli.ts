import type { Finding } from '../engine/types.ts';
import type { LintRun } from '../lint/run.ts';
import type { FileSystem } from '../render/fs.ts';
import { displayPath } from '../util/display-path.ts';
import { fixPlan, sharedNotes, unifiedDiff, writeChanges } from './apply.ts';
import { attachFixes } from './plan.ts';

export type FixMode = 'write' | 'dry-run' | undefined;

/**
 * The CLI's fix step: plans the run's fixes (so every format can carry them), then with `--fix`
 * writes them and with `--fix-dry-run` prints their unified diff. Notes (a shared base, a fix
 * left out) go to stderr.
 */
export function fixStep(
  io: { stdout: (s: string) => void; stderr: (s: string) => void; cwd: string },
  run: LintRun,
  opts: { mode: FixMode; root: string; fs?: FileSystem; only?: (f: Finding) => boolean },
): 'dry-run' | 'written' | undefined {
  attachFixes(run, { cwd: io.cwd, root: opts.root, ...(opts.fs ? { fs: opts.fs } : {}) });
  if (!opts.mode) return undefined;
  const plan = fixPlan(run, opts.root, opts.only);
  for (const s of plan.skipped)
    io.stderr(
      `cilium-etcd-lint: fix of ${s.finding.ruleId} at ${displayPath(s.finding.location.file, io.cwd)}:${s.finding.location.line} not applied: ${s.why}\n`,
    );
  for (const n of sharedNotes(plan, io.cwd)) io.stderr(`cilium-etcd-lint: note: ${n}\n`);
  const count = new Set(plan.changes.flatMap((c) => c.findings)).size;
  if (opts.mode === 'dry-run') {
    io.stdout(unifiedDiff(plan, io.cwd));
    io.stderr(
      `cilium-etcd-lint: ${count} finding${count === 1 ? '' : 's'} fixable in ${plan.changes.length} file${plan.changes.length === 1 ? '' : 's'} (dry run: nothing written)\n`,
    );
    return 'dry-run';
  }
  const written = writeChanges(plan, opts.root);
  io.stderr(
    `cilium-etcd-lint: fixed ${count} finding${count === 1 ? '' : 's'} in ${written.length} file${written.length === 1 ? '' : 's'}\n`,
  );
  return 'written';
}
