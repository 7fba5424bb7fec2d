import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as core from '@actions/core';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../config/load.ts';
import { VERSION } from '../cli/version.ts';
import { lintTarget, type TargetResult } from '../lint/lint-target.ts';
import { UserError } from '../model/errors.ts';
import { nodeFileSystem } from '../render/fs.ts';
import { annotationsFor, type Annotation } from '../report/github.ts';
import { formatJson } from '../report/json.ts';
import { isInsideRoot, repositoryRoot } from '../report/repo-root.ts';
import { ruleCatalog } from '../report/rule-catalog.ts';
import { formatSarif } from '../report/sarif.ts';
import { formatStylish } from '../report/stylish.ts';
import { collectFindings, collectSuppressed, displayPath, summarize } from '../report/summary.ts';
import { expandPaths } from './expand-paths.ts';
import { planSummary, STEP_SUMMARY_LIMIT } from './summary.ts';

/**
 * The GitHub Action (action.yml): lint the overlays, annotate the findings, write the job summary,
 * the outputs and optionally a SARIF file, and fail the step according to `fail-on`. Inputs have
 * the defaults action.yml gives them (`DEFAULTS`), so an unset input behaves as on a runner.
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
} as const;

/** Formats of the full listing printed to the step log (annotations are always emitted). */
export const LOG_FORMATS = ['stylish', 'json', 'sarif'] as const;
export const FAIL_ON = ['error', 'warning', 'never'] as const;

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
}

function input(name: keyof typeof DEFAULTS): string {
  return core.getInput(name) || DEFAULTS[name];
}

export function readInputs(): ActionInputs {
  const config = core.getInput('config');
  const allowCodeRules = core.getInput('allow-code-rules') ? core.getBooleanInput('allow-code-rules') : false;
  const paths = core.getMultilineInput('path');
  const format = input('format');
  if (!(LOG_FORMATS as readonly string[]).includes(format)) {
    throw new Error(
      `the "format" input must be ${LOG_FORMATS.slice(0, -1).join(', ')} or ${LOG_FORMATS.at(-1)} (got "${format}"): it chooses the listing printed to the step log; annotations are always emitted`,
    );
  }
  const failOn = input('fail-on');
  if (!(FAIL_ON as readonly string[]).includes(failOn)) throw new Error(`the "fail-on" input must be error, warning or never (got "${failOn}")`);
  const argocd = core.getInput('argocd') ? core.getBooleanInput('argocd') : DEFAULTS.argocd === 'true';
  return {
    paths: paths.length ? paths : [DEFAULTS.path],
    config,
    allowCodeRules,
    format: format as ActionInputs['format'],
    sarifFile: core.getInput('sarif-file'),
    failOn: failOn as ActionInputs['failOn'],
    workingDirectory: input('working-directory'),
    argocd,
    application: core.getInput('application'),
  };
}

function emit(a: Annotation): void {
  if (a.kind === 'error') core.error(a.message, a.properties);
  else if (a.kind === 'warning') core.warning(a.message, a.properties);
  else core.notice(a.message, a.properties);
}

async function writeSummary(results: TargetResult[], root: string, all: ReturnType<typeof collectFindings>, suppressed: ReturnType<typeof collectSuppressed> = []): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info('GITHUB_STEP_SUMMARY is not set: no job summary written.');
    return;
  }
  const catalog = new Map(ruleCatalog(builtinRules).map((r) => [r.id, r.helpUri]));
  const perTarget = results.map((r) => collectFindings([r], root));
  const plan = planSummary(results, perTarget, all, { root, env: process.env, helpUri: (id) => catalog.get(id), version: VERSION });
  core.summary.emptyBuffer();
  for (const p of plan.parts) {
    if (p.kind === 'raw') core.summary.addRaw(p.html).addEOL();
    else core.summary.addTable(p.rows);
  }
  if (suppressed.length) {
    // Never silent: the count here, each one (with its reason) in the step log and the SARIF file.
    const byExemption = suppressed.filter((f) => f.suppression.kind === 'exemption').length;
    core.summary
      .addRaw(`<p>${suppressed.length} finding${suppressed.length === 1 ? '' : 's'} suppressed (${byExemption} by exemption, ${suppressed.length - byExemption} by annotation); see the step log.</p>`)
      .addEOL();
  }
  // The plan's arithmetic keeps it well under the limit; this guards the guard.
  const size = Buffer.byteLength(core.summary.stringify());
  if (size >= STEP_SUMMARY_LIMIT) {
    core.summary.emptyBuffer().addRaw(`<p>cilium-etcd-lint: the job summary (${size} bytes) would exceed GitHub's 1 MiB limit; see the step log.</p>`).addEOL();
  }
  await core.summary.write();
}

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
    const config = loadConfig({ cwd: workdir, ...(inputs.config ? { explicit: inputs.config } : {}), builtinRules, allowCodeRules: inputs.allowCodeRules });
    if (config.file) core.info(`cilium-etcd-lint: configuration ${displayPath(config.file, root)}`);

    const paths = await expandPaths(inputs.paths, workdir);
    const results: TargetResult[] = [];
    for (const p of paths) {
      if (p === '-') throw new Error('the "path" input names overlay directories; "-" (stdin) is for the CLI only');
      const r = lintTarget(path.resolve(workdir, p), {
        fs: nodeFileSystem,
        rules: config.rules,
        settings: config.settings,
        policy: config.policy,
        renderer: 'builtin',
        readStdin: () => '',
        argocd: inputs.argocd,
        ...(inputs.application && inputs.argocd ? { application: inputs.application } : {}),
        // Several paths: repo mode, as in the CLI (component rules apply where the component is).
        ...(paths.length > 1 ? { repoMode: true, targetCount: paths.length } : {}),
      });
      results.push({ ...r, path: p });
    }
    const findings = collectFindings(results, root);
    const suppressed = collectSuppressed(results, root);

    // The full listing: annotations are capped by GitHub, the log is not.
    const sarifOpts = { rules: config.rules, root, env: process.env, suppressed };
    if (inputs.format === 'json') core.info(formatJson(results, findings, suppressed).trimEnd());
    else if (inputs.format === 'sarif') core.info(formatSarif(results, findings, sarifOpts).trimEnd());
    else core.info(formatStylish(findings, process.env.GITHUB_ACTIONS === 'true' && !process.env.NO_COLOR, suppressed).trimEnd());

    let sarifPath = '';
    if (inputs.sarifFile) {
      sarifPath = path.resolve(workdir, inputs.sarifFile);
      mkdirSync(path.dirname(sarifPath), { recursive: true });
      writeFileSync(sarifPath, formatSarif(results, findings, sarifOpts));
      core.info(`SARIF written to ${displayPath(sarifPath, root)}`);
    }

    const { annotations } = annotationsFor(findings, 'See the job summary, and this step\'s log for the full list.');
    for (const a of annotations) emit(a);

    await writeSummary(results, root, findings, suppressed);

    const s = summarize(findings);
    core.setOutput('errors', s.errors);
    core.setOutput('warnings', s.warnings);
    core.setOutput('sarif-file', sarifPath);

    const failing = inputs.failOn === 'error' ? s.errors : inputs.failOn === 'warning' ? s.errors + s.warnings : 0;
    if (failing > 0) {
      // Not core.setFailed: its message would be an 11th error annotation, and GitHub would drop it.
      process.exitCode = core.ExitCode.Failure;
      core.info(`cilium-etcd-lint: failing the step (fail-on: ${inputs.failOn}): ${s.errors} error(s), ${s.warnings} warning(s).`);
    }
  } catch (e) {
    if (e instanceof UserError && e.location) {
      // The input problem is shown on the file and line responsible.
      const root = repositoryRoot(process.cwd(), process.env);
      const file = displayPath(e.location.file, root);
      process.exitCode = core.ExitCode.Failure;
      core.error(`cilium-etcd-lint: ${file}:${e.location.line}:${e.location.column}: ${e.message}`, {
        title: 'cilium-etcd-lint',
        ...(isInsideRoot(file) ? { file, startLine: e.location.line, startColumn: e.location.column } : {}),
      });
      return;
    }
    if (e instanceof Error && e.stack) core.debug(e.stack);
    core.setFailed(`cilium-etcd-lint: ${e instanceof Error ? e.message : String(e)}`);
  }
}
