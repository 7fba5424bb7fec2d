// node:fs at the surface: the working-directory input is checked on the disk, and the SARIF file is written.
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../engine/config.ts';
import { deprecationNotices } from '../engine/presets.ts';
import { VERSION } from '../model/version.ts';
import { searchScope } from '../lint/lint-target.ts';
import { runLint, type LintRun } from '../lint/run.ts';
import { UserError } from '../model/errors.ts';
import { cachingFileSystem, nodeFileSystem } from '../render/fs.ts';
import { annotates, annotationsFor, type Annotation } from '../report/github.ts';
import { formatters, type FormatContext } from '../report/index.ts';
import { isInsideRoot, repositoryRoot } from '../report/repo-root.ts';
import { ruleCatalog } from '../report/rule-catalog.ts';
import { runFindings } from '../report/run-summary.ts';
import { absentFindings } from '../report/sarif.ts';
import { displayPath, summarize } from '../report/summary.ts';
import { CHANGED_ONLY, changeBase, selectChanged, type ChangedOnly, type ChangeSelection } from './changes.ts';
import { attachFixes } from '../fix/plan.ts';
import {
  BASELINE,
  compareAtBase,
  comparisonBase,
  DIFF,
  renderedDiffSection,
  resolveBase,
  type BaselineMode,
  type DiffMode,
} from './baseline.ts';
import { expandPaths, hasPattern } from './expand-paths.ts';
import { escapeHtml, planSummary, STEP_SUMMARY_LIMIT } from './summary.ts';

/**
 * The GitHub Action (action.yml): read the inputs, expand `path`, keep the targets a pull request
 * affects (changed-only), hand them to the one lint run every surface uses (src/lint/run.ts), and
 * report it: the listing in the step log (the `format` input's formatter), annotations, the job
 * summary, the outputs and optionally a SARIF file; then fail the step according to `fail-on` (and
 * whenever a target could not be rendered). Inputs have the defaults action.yml gives them
 * (`DEFAULTS`), so an unset input behaves as on a runner.
 */

export const DEFAULTS = {
  path: 'overlays/dev',
  config: '',
  'allow-code-rules': 'false',
  format: 'stylish',
  'sarif-file': '',
  'fail-on': 'error',
  'working-directory': '.',
  argocd: 'true',
  application: '',
  exclude: '',
  'changed-only': 'auto',
  baseline: 'auto',
  diff: 'auto',
} as const;

/** Formats of the full listing printed to the step log (annotations are always emitted). */
export const LOG_FORMATS = ['stylish', 'json', 'sarif'] as const;
export const FAIL_ON = ['error', 'warning', 'never'] as const;

/** The step's failure, as `process.exitCode` (not `core.ExitCode`: what a runner sees is the process's exit code, and nothing more is needed). */
const FAILURE = 1;

export interface ActionInputs {
  paths: string[];
  /** The `config` input (relative to working-directory), or '' to find the configuration as the CLI does. */
  config: string;
  /** Load `customRules.modules` named by the configuration (off by default: a pull request can edit it). */
  allowCodeRules: boolean;
  format: (typeof LOG_FORMATS)[number];
  sarifFile: string;
  failOn: (typeof FAIL_ON)[number];
  workingDirectory: string;
  argocd: boolean;
  /** Lint only with this ArgoCD Application (name or file; the CLI's --application), or '' for all. */
  application: string;
  /** Globs (relative to working-directory) of targets to leave out, as the CLI's --exclude. */
  exclude: string[];
  changedOnly: ChangedOnly;
  /** Compare with the pull request's base commit: annotate and fail on new findings only. */
  baseline: BaselineMode;
  /** The rendered diff since the pull request's base commit, in the job summary. */
  diff: DiffMode;
}

function input(name: keyof typeof DEFAULTS): string {
  return core.getInput(name) || DEFAULTS[name];
}

function oneOf<T extends string>(name: keyof typeof DEFAULTS, allowed: readonly T[], why = ''): T {
  const value = input(name);
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new Error(`the "${name}" input must be ${allowed.slice(0, -1).join(', ')} or ${allowed.at(-1)} (got "${value}")${why}`);
}

export function readInputs(): ActionInputs {
  const config = core.getInput('config');
  const allowCodeRules = core.getInput('allow-code-rules') ? core.getBooleanInput('allow-code-rules') : false;
  const paths = core.getMultilineInput('path');
  const format = oneOf('format', LOG_FORMATS, ': it chooses the listing printed to the step log; annotations are always emitted');
  const failOn = oneOf('fail-on', FAIL_ON);
  const argocd = core.getInput('argocd') ? core.getBooleanInput('argocd') : DEFAULTS.argocd === 'true';
  const changedOnly = oneOf('changed-only', CHANGED_ONLY);
  const baseline = oneOf('baseline', BASELINE);
  const diff = oneOf('diff', DIFF);
  return {
    paths: paths.length ? paths : [DEFAULTS.path],
    config,
    allowCodeRules,
    format,
    sarifFile: core.getInput('sarif-file'),
    failOn,
    workingDirectory: input('working-directory'),
    argocd,
    application: core.getInput('application'),
    exclude: core
      .getMultilineInput('exclude')
      .map((l) => l.trim())
      .filter((l) => l !== ''),
    changedOnly,
    baseline,
    diff,
  };
}

function emit(a: Annotation): void {
  if (a.kind === 'error') core.error(a.message, a.properties);
  else if (a.kind === 'warning') core.warning(a.message, a.properties);
  else core.notice(a.message, a.properties);
}

async function writeSummary(
  run: LintRun,
  root: string,
  changes: ChangeSelection | undefined,
  diff: ((budget: number) => string) | undefined,
): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set: no job summary written.');
    return;
  }
  const catalog = new Map(ruleCatalog(builtinRules).map((r) => [r.id, r.helpUri]));
  const plan = planSummary(run, {
    root,
    env: process.env,
    helpUri: (id) => catalog.get(id),
    version: VERSION,
    ...(changes ? { changes } : {}),
    ...(diff ? { diff } : {}),
  });
  core.summary.emptyBuffer();
  for (const p of plan.parts) {
    if (p.kind === 'raw') core.summary.addRaw(p.html).addEOL();
    else core.summary.addTable(p.rows);
  }
  // The plan's arithmetic keeps it well under the limit; this guards the guard.
  const size = Buffer.byteLength(core.summary.stringify());
  if (size >= STEP_SUMMARY_LIMIT) {
    core.summary
      .emptyBuffer()
      .addRaw(`<p>cilium-etcd-lint: the job summary (${size} bytes) would exceed GitHub's 1 MiB limit; see the step log.</p>`)
      .addEOL();
  }
  await core.summary.write();
}

/** A step that could not lint still says why in its job summary (best effort: the annotation and the log already say it). */
async function writeFailureSummary(message: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) return;
  try {
    await core.summary
      .emptyBuffer()
      .addRaw('<h2>❌ cilium-etcd-lint</h2>')
      .addEOL()
      .addRaw(`<p>The step could not lint: ${escapeHtml(message)}</p>`)
      .addEOL()
      .write();
  } catch {
    // The failure is reported anyway.
  }
}

const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;

export async function run(): Promise<void> {
  try {
    const inputs = readInputs();
    const workdir = path.resolve(inputs.workingDirectory);
    let isDir = false;
    try {
      isDir = statSync(workdir).isDirectory();
    } catch {
      isDir = false;
    }
    if (!isDir) throw new Error(`working-directory "${inputs.workingDirectory}" is not a directory`);
    const root = repositoryRoot(workdir, process.env);
    // The configuration: the `config` input, else found from working-directory up to the repository root.
    const config = loadConfig({
      cwd: workdir,
      ...(inputs.config ? { explicit: inputs.config } : {}),
      builtinRules,
      allowCodeRules: inputs.allowCodeRules,
    });
    if (config.file) core.info(`cilium-etcd-lint: configuration ${displayPath(config.file, root)}`);
    // An old rule id the configuration names still works: a warning each says what to write instead.
    for (const n of deprecationNotices(config)) {
      core.warning(`cilium-etcd-lint: ${n.message}`, {
        file: displayPath(n.location.file, root),
        ...(n.location.line !== undefined ? { startLine: n.location.line } : {}),
        ...(n.location.column !== undefined ? { startColumn: n.location.column } : {}),
      });
    }

    const candidates = await expandPaths(inputs.paths, workdir);
    if (candidates.includes('-')) throw new Error('the "path" input names overlay directories; "-" (stdin) is for the CLI only');
    // Several targets, or a glob: repo mode, as in the CLI (component rules apply where the
    // component is, and a target that cannot be rendered is a finding, not the end of the run).
    const repoMode = candidates.length > 1 || hasPattern(inputs.paths);
    // One file system for the run: what the change analysis reads, the lint does not read again.
    const fs = cachingFileSystem(nodeFileSystem);

    const { base, reason } = changeBase(inputs.changedOnly, process.env);
    core.info(reason);
    const changes = base
      ? selectChanged(base, candidates, { cwd: workdir, fs, argocd: inputs.argocd, scope: searchScope(config) })
      : undefined;
    if (changes) {
      core.info(
        `changed-only: ${plural(changes.files, 'changed file')}; ${changes.targets.length} of ${plural(changes.candidates, 'target')} affected${changes.unaffecting ? `; ${plural(changes.unaffecting, 'changed file')} affected no target` : ''}.`,
      );
    }

    // baseline and diff: the event's base commit, checked to be in the clone before anything is linted.
    const compare = comparisonBase('baseline', inputs.baseline, process.env);
    core.info(compare.reason);
    const resolved = compare.base ? resolveBase('baseline', compare.base, workdir) : undefined;
    const diffBase = comparisonBase('diff', inputs.diff, process.env);
    core.info(diffBase.reason);
    if (diffBase.base && !resolved) resolveBase('diff', diffBase.base, workdir);

    const options = {
      cwd: workdir,
      config,
      repoMode,
      renderer: 'builtin' as const,
      argocd: inputs.argocd,
      ...(inputs.application && inputs.argocd ? { application: inputs.application } : {}),
      readStdin: () => '',
      exclude: inputs.exclude,
    };
    const run = runLint({
      ...options,
      targets: changes ? changes.targets : candidates,
      fs,
      ...(changes ? { changes: { files: changes.files, unaffecting: changes.unaffecting } } : {}),
    });
    if (resolved) {
      const b = compareAtBase(run, resolved, options);
      core.info(
        `baseline: compared with the merge-base ${resolved.mergeBase.slice(0, 12)}: ${b.counts.new} new, ${b.counts.unchanged} unchanged (pre-existing), ${b.counts.absent} fixed.`,
      );
    }
    // Fixes where they are certain: SARIF `fixes` (and the json listing's).
    // (Without cwd: the note of the other targets reading an edited file would make a shared base's
    // finding differ per target, and it is listed once.)
    attachFixes(run);
    const diff = diffBase.base
      ? renderedDiffSection(
          {
            cwd: workdir,
            config,
            argocd: inputs.argocd,
            base: diffBase.base,
            targets: [...run.results.map((r) => r.path), ...run.fatal.map((t) => t.path)],
            ...(changes ? { changed: changes.changed } : {}),
          },
          (m) => core.info(m),
        )
      : undefined;

    // The full listing: annotations are capped by GitHub, the log is not. Its paths are relative
    // to the repository root, as the annotations' and the job summary's are.
    const ctx: FormatContext = {
      cwd: root,
      root,
      env: process.env,
      color: process.env.GITHUB_ACTIONS === 'true' && !process.env.NO_COLOR,
      rules: config.rules,
    };
    core.info(formatters[inputs.format](run, ctx).trimEnd());

    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = path.resolve(workdir, inputs.sarifFile);
      mkdirSync(path.dirname(sarifPath), { recursive: true });
      writeFileSync(sarifPath, formatters.sarif(run, ctx));
      core.info(`SARIF written to ${displayPath(sarifPath, root)}`);
    }

    // Annotations: every finding of the run, paths relative to the repository root, a shared
    // base's finding once, the fatal ones included; kubernetes-schema-missing stays in the log.
    // With a baseline, only the new ones (and any target that could not be rendered).
    const { findings } = runFindings(run, root, false);
    const fresh = run.baseline ? findings.filter((f) => f.baseline !== 'unchanged' || f.fatal) : findings;
    const { annotations } = annotationsFor(fresh.filter(annotates), "See the job summary, and this step's log for the full list.");
    for (const a of annotations) emit(a);
    if (changes && changes.targets.length === 0) {
      core.notice(
        `${plural(changes.files, 'changed file')} since the base commit ${changes.sha.slice(0, 12)} affected no target of the "path" input (${plural(changes.candidates, 'target')}): nothing to lint.`,
        { title: 'cilium-etcd-lint' },
      );
    }

    await writeSummary(run, root, changes, diff);

    const s = summarize(findings);
    const n = summarize(fresh.filter((f) => f.baseline !== 'unchanged'));
    core.setOutput('errors', s.errors);
    core.setOutput('warnings', s.warnings);
    core.setOutput('sarif-file', sarifPath);
    core.setOutput('targets', run.results.length);
    core.setOutput('fatal', run.fatal.length);
    core.setOutput('excluded', run.excluded.length);
    core.setOutput('affected', changes ? changes.targets.length : '');
    core.setOutput('new-errors', run.baseline ? n.errors : '');
    core.setOutput('new-warnings', run.baseline ? n.warnings : '');
    core.setOutput('fixed', run.baseline ? absentFindings(run, root).length : '');

    // Not core.setFailed: its message would be an 11th error annotation, and GitHub would drop it.
    // With a baseline, fail-on counts the new findings only: pre-existing ones are the base's.
    const c = run.baseline ? n : s;
    const failing = inputs.failOn === 'error' ? c.errors : inputs.failOn === 'warning' ? c.errors + c.warnings : 0;
    if (failing > 0) {
      process.exitCode = FAILURE;
      core.info(
        `cilium-etcd-lint: failing the step (fail-on: ${inputs.failOn}): ${run.baseline ? `${c.errors} new error(s), ${c.warnings} new warning(s) (${s.errors} error(s), ${s.warnings} warning(s) in all)` : `${s.errors} error(s), ${s.warnings} warning(s)`}.`,
      );
    }
    if (run.fatal.length) {
      // A target that could not be rendered was not linted: never a pass, whatever fail-on says.
      process.exitCode = FAILURE;
      core.info(
        `cilium-etcd-lint: failing the step: ${plural(run.fatal.length, 'target')} could not be rendered (${run.fatal.map((t) => t.path).join(', ')}).`,
      );
    }
  } catch (e) {
    process.exitCode = FAILURE;
    if (e instanceof UserError && e.location) {
      // The input problem is shown on the file and line responsible.
      const root = repositoryRoot(process.cwd(), process.env);
      const file = displayPath(e.location.file, root);
      const message = `cilium-etcd-lint: ${file}:${e.location.line}:${e.location.column}: ${e.message}`;
      core.error(message, {
        title: 'cilium-etcd-lint',
        ...(isInsideRoot(file) ? { file, startLine: e.location.line, startColumn: e.location.column } : {}),
      });
      await writeFailureSummary(message);
      return;
    }
    if (e instanceof Error && e.stack && !(e instanceof UserError)) core.debug(e.stack);
    const message = `cilium-etcd-lint: ${e instanceof Error ? e.message : String(e)}`;
    // What core.setFailed does, without relying on it to set the exit code.
    core.error(message);
    await writeFailureSummary(message);
  }
}
