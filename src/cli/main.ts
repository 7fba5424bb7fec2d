// node:fs at the surface: the --changed-from file and stdin; the lint and the configuration read through io.fs.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../engine/config.ts';
import { deprecationNotices } from '../engine/presets.ts';
import type { RendererName } from '../lint/lint-target.ts';
import { affectedTargets } from '../lint/affected.ts';
import { changedSince } from '../lint/git-changes.ts';
import { newArgoCache, searchScope } from '../lint/lint-target.ts';
import { runLint, type LintRun } from '../lint/run.ts';
import { cachingFileSystem, nodeFileSystem } from '../render/fs.ts';
import { allTargets } from '../lint/targets.ts';
import { UserError } from '../model/errors.ts';
import { KUSTOMIZE_PROGRAM_FLAGS } from '../render/kustomize-binary.ts';
import { FORMAT_NAMES, formatters, isFormatName, type FormatName } from '../report/index.ts';
import { repositoryRoot } from '../report/repo-root.ts';
import { startLanguageServer } from '../lsp/server.ts';
import { isTerminal, writeAll } from './stdio.ts';
import { HELP } from './help.ts';
import type { Io } from './io.ts';
import { reportError } from './errors.ts';
import { displayPath } from '../util/display-path.ts';
import { renderCommand } from './render-command.ts';
import { diffCommand } from './diff-command.ts';
import { attachFixes } from '../fix/plan.ts';
import { fixStep, type FixMode } from '../fix/cli.ts';
import { runLintWithBase, type BaseLintOptions } from '../lint/base-revision.ts';
import type { ResolvedConfig } from '../engine/config.ts';
import { explainRule, formatRuleList, listRules } from './rules-info.ts';
import { VERSION } from './version.ts';

/**
 * Subcommands (`cilium-etcd-lint <name> ...`), each a module of its own taking the CLI's Io with
 * the arguments after its name. (`lsp`, which runs until the editor closes it, is started by run().)
 */
const SUBCOMMANDS: Readonly<Record<string, (io: Io) => number>> = {
  render: renderCommand,
  diff: diffCommand,
};

/** A repo-mode run shows its progress line from the first target that starts this long after the run did. */
export const PROGRESS_AFTER_MS = 500;

const RENDERERS = ['builtin', 'kustomize'] as const;

/** The whole CLI as a function of its inputs; returns the exit code. */
export function main(io: Io): number {
  const sub = io.argv[0] !== undefined && Object.hasOwn(SUBCOMMANDS, io.argv[0]) ? SUBCOMMANDS[io.argv[0]] : undefined;
  if (sub) return sub({ ...io, argv: io.argv.slice(1) });
  let debug = io.argv.includes('--debug');
  try {
    const { argv, changed: changedArgs } = splitChanged(io.argv);
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: 'string', short: 'f', default: 'stylish' },
        renderer: { type: 'string', default: 'builtin' },
        'no-argocd': { type: 'boolean', default: false },
        application: { type: 'string' },
        // Let --renderer kustomize run programs from the repository: never implied, never for untrusted input.
        'enable-alpha-plugins': { type: 'boolean', default: false },
        'enable-helm': { type: 'boolean', default: false },
        config: { type: 'string', short: 'c' },
        'list-rules': { type: 'boolean', default: false },
        all: { type: 'boolean', default: false },
        exclude: { type: 'string', multiple: true },
        'changed-from': { type: 'string' },
        since: { type: 'string' },
        base: { type: 'string' },
        'fail-on': { type: 'string', default: 'error' },
        fix: { type: 'boolean', default: false },
        'fix-dry-run': { type: 'boolean', default: false },
        color: { type: 'boolean' },
        'no-color': { type: 'boolean' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
    debug = !!values.debug;
    if (values.help) {
      io.stdout(HELP);
      return 0;
    }
    if (values.version) {
      io.stdout(`${VERSION}\n`);
      return 0;
    }
    const format = values.format as string;
    if (!isFormatName(format))
      throw new UserError(`unknown --format "${format}" (expected ${FORMAT_NAMES.slice(0, -1).join(', ')} or ${FORMAT_NAMES.at(-1)})`);
    const renderer = values.renderer as string;
    if (!(RENDERERS as readonly string[]).includes(renderer))
      throw new UserError(`unknown --renderer "${renderer}" (expected ${RENDERERS.join(' or ')})`);
    const kustomizeFlags = KUSTOMIZE_PROGRAM_FLAGS.filter((f) => values[f.slice(2) as 'enable-alpha-plugins' | 'enable-helm']);
    if (kustomizeFlags.length && renderer !== 'kustomize') {
      throw new UserError(`${kustomizeFlags.join(' and ')} only apply to --renderer kustomize: the built-in renderer never runs programs`);
    }
    const config = loadConfig({
      cwd: io.cwd,
      ...(values.config !== undefined ? { explicit: values.config as string } : {}),
      builtinRules,
      ...(io.fs ? { fs: io.fs } : {}),
    });
    // An old rule id the configuration names still works: one line each says what to write instead.
    for (const n of deprecationNotices(config)) {
      const at = n.location.line === undefined ? '' : `:${n.location.line}:${n.location.column ?? 1}`;
      io.stderr(`cilium-etcd-lint: warning: ${displayPath(n.location.file, io.cwd)}${at}: ${n.message}\n`);
    }
    if (values['list-rules']) {
      if (format !== 'stylish' && format !== 'json') throw new UserError('--list-rules prints text (default) or --format json');
      io.stdout(formatRuleList(listRules(config), format));
      return 0;
    }
    if (positionals[0] === 'explain') {
      if (positionals.length > 2) throw new UserError('explain takes one rule id');
      io.stdout(explainRule(positionals[1], config));
      return 0;
    }
    if (values.application !== undefined && values['no-argocd']) throw new UserError('--application and --no-argocd exclude each other');
    if (values.fix && values['fix-dry-run']) throw new UserError('--fix and --fix-dry-run exclude each other');
    const failOn = values['fail-on'] as string;
    if (failOn !== 'error' && failOn !== 'new') throw new UserError(`unknown --fail-on "${failOn}" (expected error or new)`);
    if (failOn === 'new' && values.base === undefined) throw new UserError('--fail-on new needs --base <git-ref>: new compared with what?');
    let targets = positionals;
    if (values.base !== undefined) {
      if (values.since !== undefined)
        throw new UserError('--base already lints what changed since the merge-base of its ref: drop --since');
      if (values.all) throw new UserError('--base lints the kustomization roots the change affects: drop --all');
      if (positionals.includes('-')) throw new UserError('--base selects targets from directories: it does not read a stream (-)');
      if (values.application !== undefined)
        throw new UserError('--application names the Application of one target: it does not combine with --base');
      const color = values['no-color'] ? false : values.color ? true : io.stdoutIsTty && !io.env.NO_COLOR;
      return baseMode(io, {
        base: values.base as string,
        dirs: positionals,
        ...(changedArgs !== undefined || values['changed-from'] !== undefined
          ? { changed: (changedArgs ?? readChangedFrom(values['changed-from'] as string, io)).map((p) => path.resolve(io.cwd, p)) }
          : {}),
        config,
        renderer: renderer as RendererName,
        kustomizeFlags,
        argocd: !values['no-argocd'],
        exclude: (values.exclude as string[] | undefined) ?? [],
        format,
        color,
        failOn: failOn as 'error' | 'new',
        fix: values.fix ? 'write' : values['fix-dry-run'] ? 'dry-run' : undefined,
      });
    }
    // --changed / --changed-from / --since: lint the kustomization roots under the directories given (default: .) that the change affects.
    const changeModes = [
      changedArgs !== undefined && '--changed',
      values['changed-from'] !== undefined && '--changed-from',
      values.since !== undefined && '--since',
    ].filter((m): m is string => !!m);
    if (changeModes.length > 1) throw new UserError(`${changeModes.join(' and ')} exclude each other: give the change one way`);
    let changes: LintRun['changes'];
    // One file system for the run: what the change analysis reads, the lint does not read again.
    const fs = cachingFileSystem(io.fs ?? nodeFileSystem);
    const argoCache = newArgoCache();
    if (changeModes.length) {
      if (values.all)
        throw new UserError(`${changeModes[0]} already looks at every kustomization root under the directories given: drop --all`);
      if (positionals.includes('-'))
        throw new UserError(`${changeModes[0]} selects targets from directories: it does not read a stream (-)`);
      if (values.application !== undefined)
        throw new UserError(`--application names the Application of one target: it does not combine with ${changeModes[0]}`);
      const changed =
        values.since !== undefined
          ? changedSince(values.since as string, io.cwd)
          : (changedArgs ?? readChangedFrom(values['changed-from'] as string, io)).map((p) => path.resolve(io.cwd, p));
      const candidates = allTargets(io.cwd, positionals, fs);
      const affected = affectedTargets(candidates, changed, {
        cwd: io.cwd,
        fs,
        argocd: !values['no-argocd'],
        scope: searchScope(config),
        argoCache,
      });
      targets = affected.targets;
      changes = { files: changed.length, unaffecting: affected.unaffecting.length };
    } else if (values.all) {
      if (positionals.includes('-')) throw new UserError('--all searches directories: it does not read stdin (-)');
      if (values.application !== undefined)
        throw new UserError('--application names the Application of one target: name that target instead of --all');
      targets = allTargets(io.cwd, positionals, fs);
    }
    if (targets.length === 0 && !changes)
      throw new UserError('no target given: name an overlay directory (e.g. overlays/dev), or - for stdin; see --help');
    if (targets.filter((p) => p === '-').length > 1) throw new UserError('stdin (-) can be given only once');

    // Repo mode: several targets in one run (or --all). Component rules apply where the component is,
    // and a target that cannot be rendered is a fatal finding while the others are still linted.
    const repoMode = values.all || changes !== undefined || targets.length > 1;
    const progress = repoMode && io.stderrIsTty === true;
    const now = io.now ?? (() => performance.now());
    const started = progress ? now() : 0;
    let shown = false;
    // What a lint of these targets is (the run, and the run again after --fix wrote).
    const lintOptions = {
      cwd: io.cwd,
      config,
      targets,
      repoMode,
      renderer: renderer as RendererName,
      kustomizeFlags,
      argocd: !values['no-argocd'],
      ...(values.application !== undefined ? { application: values.application as string } : {}),
      readStdin: io.readStdin,
      exclude: (values.exclude as string[] | undefined) ?? [],
      ...(changes ? { changes } : {}),
      ...(debug ? { debug: (m: string) => io.stderr(`cilium-etcd-lint: debug: ${m}\n`) } : {}),
    };
    const run = runLint({
      ...lintOptions,
      fs,
      argoCache,
      onTarget: (i, n, target) => {
        if (progress && (shown || now() - started >= PROGRESS_AFTER_MS)) {
          io.stderr(`\r\u001b[K[${i + 1}/${n}] ${target}`);
          shown = true;
        }
      },
    });
    if (shown) io.stderr('\r\u001b[K');
    const color = values['no-color'] ? false : values.color ? true : io.stdoutIsTty && !io.env.NO_COLOR;
    const ctx = { cwd: io.cwd, root: repositoryRoot(io.cwd, io.env), env: io.env, color, rules: config.rules };
    if (values.fix || values['fix-dry-run'] || format === 'sarif' || format === 'rdjson' || format === 'json') {
      const fixed = fixStep(io, run, { mode: values.fix ? 'write' : values['fix-dry-run'] ? 'dry-run' : undefined, root: ctx.root, fs });
      if (fixed === 'dry-run') return exitCode(run);
      if (fixed === 'written') {
        // Lint again what was fixed: the output is what remains.
        const again = runLint(lintOptions);
        attachFixes(again, { cwd: io.cwd, root: ctx.root });
        io.stdout(formatters[format](again, ctx));
        return exitCode(again);
      }
    }
    io.stdout(formatters[format](run, ctx));
    return exitCode(run);
  } catch (e) {
    return reportError(e, io, { help: '--help', debug });
  }
}

/**
 * `--base <ref>`: the affected targets linted at the merge-base (from git objects) and in the
 * working tree; findings marked new, unchanged or absent. With `--fix` / `--fix-dry-run`, only the
 * new findings are fixed (what the change broke, not the upstream component's own findings).
 */
function baseMode(
  io: Io,
  o: Omit<BaseLintOptions, 'cwd' | 'readStdin'> & {
    format: FormatName;
    color: boolean;
    failOn: 'error' | 'new';
    fix: FixMode;
    config: ResolvedConfig;
  },
): number {
  const { format, color, failOn, fix, ...lintOpts } = o;
  const lint = () => runLintWithBase({ ...lintOpts, cwd: io.cwd, readStdin: io.readStdin });
  let result = lint();
  const ctx = { cwd: io.cwd, root: repositoryRoot(io.cwd, io.env), env: io.env, color, rules: o.config.rules };
  const fixed = fixStep(io, result.run, { mode: fix, root: ctx.root, fs: result.headFs, only: (f) => f.baseline === 'new' });
  if (fixed === 'dry-run') return exitCode(result.run, failOn);
  if (fixed === 'written') {
    result = lint();
    attachFixes(result.run, { cwd: io.cwd, root: ctx.root });
  }
  io.stdout(formatters[format](result.run, ctx));
  return exitCode(result.run, failOn);
}

/**
 * `--changed <path>...`: the flag takes every argument after it up to the next option (or, after
 * `--changed --`, every remaining argument), as pre-commit appends the staged files to the hook's
 * arguments. The rest goes to parseArgs.
 */
function splitChanged(argv: readonly string[]): { argv: string[]; changed: string[] | undefined } {
  const i = argv.indexOf('--changed');
  if (i < 0) return { argv: [...argv], changed: undefined };
  const rest = argv.slice(i + 1);
  if (rest[0] === '--') return { argv: argv.slice(0, i), changed: rest.slice(1) };
  const end = rest.findIndex((a) => a.startsWith('-'));
  const changed = end < 0 ? rest : rest.slice(0, end);
  return { argv: [...argv.slice(0, i), ...(end < 0 ? [] : rest.slice(end))], changed };
}

/** `--changed-from <file|->`: one path a line (blank lines ignored). */
function readChangedFrom(from: string, io: Io): string[] {
  let text: string;
  if (from === '-') text = io.readStdin();
  else {
    try {
      text = nodeFs.readFileSync(path.resolve(io.cwd, from), 'utf8');
    } catch (e) {
      throw new UserError(
        `--changed-from ${from}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`,
      );
    }
  }
  return text.split(/\r?\n/).filter((l) => l.trim() !== '');
}

/** 2 when a target could not be linted, else 1 when any error-severity finding counts, else 0. */
export function exitCode(run: LintRun, failOn: 'error' | 'new' = 'error'): 0 | 1 | 2 {
  if (run.fatal.length) return 2;
  const counts = (f: { severity: string; baseline?: string }) => f.severity === 'error' && (failOn === 'error' || f.baseline === 'new');
  return run.results.some((r) => r.findings.some(counts)) ? 1 : 0;
}

export type { Io };

export function run(): void {
  // The language server runs until the editor closes it: not a one-shot command of main().
  if (process.argv[2] === 'lsp') {
    const code = startLanguageServer(process.argv.slice(3), (s) => writeAll(2, s));
    if (code !== undefined) process.exitCode = code;
    return;
  }
  const code = main({
    argv: process.argv.slice(2),
    cwd: process.cwd(),
    env: process.env,
    stdout: (s) => writeAll(1, s),
    stderr: (s) => writeAll(2, s),
    stdoutIsTty: isTerminal(1),
    stderrIsTty: isTerminal(2),
    readStdin: () => nodeFs.readFileSync(0, 'utf8'),
  });
  process.exitCode = code;
}
