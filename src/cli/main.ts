import * as nodeFs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { discoverTargets } from '../lint/discover-targets.ts';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../config/load.ts';
import { UserError } from '../model/errors.ts';
import { cachingFileSystem, nodeFileSystem } from '../render/fs.ts';
import { withParseCache } from '../yaml/load.ts';
import { lintTarget, type RendererName, type TargetResult } from '../lint/lint-target.ts';
import { KUSTOMIZE_PROGRAM_FLAGS } from '../render/kustomize-binary.ts';
import { formatGithub } from '../report/github.ts';
import { formatJson } from '../report/json.ts';
import { repositoryRoot } from '../report/repo-root.ts';
import { isTerminal, writeAll } from './stdio.ts';
import { formatSarif } from '../report/sarif.ts';
import { formatStylish } from '../report/stylish.ts';
import { collectFindings, collectSuppressed, displayPath } from '../report/summary.ts';
import { HELP } from './help.ts';
import { renderCommand } from './render-command.ts';
import { explainRule, formatRuleList, listRules } from './rules-info.ts';
import { VERSION } from './version.ts';

export interface Io {
  argv: string[];
  cwd: string;
  env: Record<string, string | undefined>;
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  stdoutIsTty: boolean;
  /** A progress line is shown on stderr in repo mode when it is a terminal (and the run is long, see PROGRESS_AFTER_MS). */
  stderrIsTty?: boolean;
  readStdin: () => string;
  /** Milliseconds of a monotonic clock (default performance.now); tests give a fake one. */
  now?: () => number;
}

/** A repo-mode run shows its progress line from the first target that starts this long after the run did. */
export const PROGRESS_AFTER_MS = 500;

const FORMATS = ['stylish', 'json', 'github', 'sarif'] as const;
const RENDERERS = ['builtin', 'kustomize'] as const;

/** The whole CLI as a function of its inputs; returns the exit code. */
export function main(io: Io): number {
  if (io.argv[0] === 'render') return renderCommand({ ...io, argv: io.argv.slice(1) });
  let debug = io.argv.includes('--debug');
  try {
    const { values, positionals } = parseArgs({
      args: io.argv,
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
    if (!(FORMATS as readonly string[]).includes(format)) throw new UserError(`unknown --format "${format}" (expected ${FORMATS.slice(0, -1).join(', ')} or ${FORMATS.at(-1)})`);
    const renderer = values.renderer as string;
    if (!(RENDERERS as readonly string[]).includes(renderer)) throw new UserError(`unknown --renderer "${renderer}" (expected ${RENDERERS.join(' or ')})`);
    const kustomizeFlags = KUSTOMIZE_PROGRAM_FLAGS.filter((f) => values[f.slice(2) as 'enable-alpha-plugins' | 'enable-helm']);
    if (kustomizeFlags.length && renderer !== 'kustomize') {
      throw new UserError(`${kustomizeFlags.join(' and ')} only apply to --renderer kustomize: the built-in renderer never runs programs`);
    }
    const config = loadConfig({ cwd: io.cwd, ...(values.config !== undefined ? { explicit: values.config as string } : {}), builtinRules });
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
    let targets = positionals;
    if (values.all) {
      if (positionals.includes('-')) throw new UserError('--all searches directories: it does not read stdin (-)');
      if (values.application !== undefined) throw new UserError('--application names the Application of one target: name that target instead of --all');
      targets = [];
      for (const d of positionals.length ? positionals : ['.']) {
        const abs = path.resolve(io.cwd, d);
        if (!isDirectory(abs)) throw new UserError(`--all ${d}: not a directory`);
        for (const t of discoverTargets(abs)) {
          const shown = displayPath(t, io.cwd);
          if (!targets.includes(shown)) targets.push(shown);
        }
      }
      if (targets.length === 0) throw new UserError(`--all: no kustomization found under ${positionals.length ? positionals.join(', ') : '.'}`);
    }
    if (targets.length === 0) throw new UserError('no target given: name an overlay directory (e.g. overlays/dev), or - for stdin; see --help');
    if (targets.filter((p) => p === '-').length > 1) throw new UserError('stdin (-) can be given only once');
    if (values.application !== undefined && values['no-argocd']) throw new UserError('--application and --no-argocd exclude each other');
    // Repo mode: several targets in one run (or --all). Component rules apply where the component is.
    const repoMode = values.all || targets.length > 1;

    const results: TargetResult[] = [];
    let failed = false;
    // The targets of one run share their bases: each file is read once and parsed at most twice.
    const fs = cachingFileSystem(nodeFileSystem);
    withParseCache(() => {
      const progress = repoMode && io.stderrIsTty === true;
      const now = io.now ?? (() => performance.now());
      const started = progress ? now() : 0;
      let shown = false;
      for (const [i, target] of targets.entries()) {
        if (progress && (shown || now() - started >= PROGRESS_AFTER_MS)) {
          io.stderr(`\r\u001b[K[${i + 1}/${targets.length}] ${target}`);
          shown = true;
        }
        try {
          results.push(
            lintTarget(target, {
              fs,
              rules: config.rules,
              settings: config.settings,
              policy: config.policy,
              renderer: renderer as RendererName,
              kustomizeFlags,
              readStdin: io.readStdin,
              argocd: !values['no-argocd'],
              ...(values.application !== undefined ? { application: values.application as string } : {}),
              ...(repoMode ? { repoMode: true, targetCount: targets.length } : {}),
            }),
          );
        } catch (e) {
          // With --all, a target that cannot be linted is reported and the others still are (exit 2).
          if (!values.all || !(e instanceof UserError)) throw e;
          failed = true;
          io.stderr(`${shown ? '\r\u001b[K' : ''}${userErrorText(e, io.cwd)}`);
        }
      }
      if (shown) io.stderr('\r\u001b[K');
    });
    // GitHub and SARIF locate files from the repository root; the others from the working directory.
    const root = format === 'github' || format === 'sarif' ? repositoryRoot(io.cwd, io.env) : io.cwd;
    // Stylish and JSON group findings per target in repo mode (GitHub and SARIF list each finding once).
    const byTarget = repoMode && (format === 'stylish' || format === 'json');
    const tagged = byTarget ? results.map((r) => ({ ...r, findings: r.findings.map((f) => ({ ...f, target: r.path })), suppressed: r.suppressed?.map((f) => ({ ...f, target: r.path })) })) : results;
    const findings = collectFindings(tagged, root);
    const suppressed = collectSuppressed(tagged, root);
    if (format === 'json') io.stdout(formatJson(results, findings, suppressed));
    else if (format === 'github') io.stdout(formatGithub(findings, suppressed));
    else if (format === 'sarif') io.stdout(formatSarif(results, findings, { rules: config.rules, root, env: io.env, suppressed }));
    else {
      const color = values['no-color'] ? false : values.color ? true : io.stdoutIsTty && !io.env.NO_COLOR;
      io.stdout(formatStylish(findings, color, suppressed));
    }
    if (failed) return 2;
    return findings.some((f) => f.severity === 'error') ? 1 : 0;
  } catch (e) {
    if (e instanceof UserError) {
      io.stderr(userErrorText(e, io.cwd));
      return 2;
    }
    if (isArgError(e)) {
      io.stderr(`cilium-etcd-lint: ${(e as Error).message}\nSee --help.\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`cilium-etcd-lint: internal error: ${err?.message ?? String(e)}\n`);
    io.stderr(debug ? `${err?.stack ?? ''}\n` : 'Run again with --debug for a stack trace, and please report it.\n');
    return 2;
  }
}

function userErrorText(e: UserError, cwd: string): string {
  const where = e.location ? `${displayPath(e.location.file, cwd)}:${e.location.line}:${e.location.column}: ` : '';
  let out = `cilium-etcd-lint: ${where}${e.message}\n`;
  // Further problems of the same document (configuration, rule file), each on its own line.
  for (const p of (e as { more?: { location: { file: string; line: number; column: number }; message: string }[] }).more ?? []) {
    out += `  ${displayPath(p.location.file, cwd)}:${p.location.line}:${p.location.column}: ${p.message}\n`;
  }
  return out;
}

function isDirectory(p: string): boolean {
  try {
    return nodeFs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function isArgError(e: unknown): boolean {
  const code = (e as { code?: string })?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

export function run(): void {
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
