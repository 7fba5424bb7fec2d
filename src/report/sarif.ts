import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type {
  ArtifactLocation,
  Fix,
  Invocation,
  Log,
  Notification,
  Replacement,
  ReportingDescriptor,
  Result,
  Suppression,
  VersionControlDetails,
} from 'sarif';
import type { SuppressedFinding } from '../engine/suppress.ts';
import type { Finding, Rule, Severity } from '../engine/types.ts';
import type { TargetResult } from '../lint/lint-target.ts';
import type { LintRun } from '../lint/run.ts';
import { displayPath } from '../util/display-path.ts';
import type { Formatter } from './formatter.ts';
import { isInsideRoot } from './repo-root.ts';
import { excludedList, runFindings, targetCounts, type TargetCounts } from './run-summary.ts';
import { ruleCatalog, type RuleInfo } from './rule-catalog.ts';
import { INFORMATION_URI, TOOL_NAME, TOOL_VERSION } from './tool-info.ts';
import { sha256Hex } from '../util/lazy-builtins.ts';
import { findingIdentity } from '../lint/fingerprint.ts';

/**
 * `--format sarif` (and the action's `sarif-file`): SARIF 2.1.0 as GitHub code scanning ingests it.
 * Artifact URIs are relative to the repository root (uriBaseId `%SRCROOT%`); a file outside the
 * root gets an absolute `file:` URI. Fingerprints come from the rule, the resource's identity and
 * the field path (or, for findings about a target as a whole, its file and message), never from
 * line numbers, so they survive unrelated edits. The log is typed by @types/sarif (the SARIF 2.1.0
 * object model); the key order of each object literal is the order of the output.
 */

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json';
export const SRCROOT = '%SRCROOT%';
/** v2: from meaning (rule, object, field path, message id and data), no longer from the file. */
export const FINGERPRINT_KEY = 'ciliumEtcdLint/v2';

const LEVEL: Record<Severity, Result.level & Notification.level> = { error: 'error', warning: 'warning', info: 'note' };

export interface SarifOptions {
  rules: Readonly<Record<string, Rule<any>>>;
  /** Absolute repository root; `findings` carry paths relative to it (see `collectFindings`). */
  root: string;
  /** The environment, for the GitHub checkout's identity (versionControlProvenance) when on a runner. */
  env?: Readonly<Record<string, string | undefined>>;
  /** Suppressed findings: results with `suppressions` (annotation: inSource; exemption: external). */
  suppressed?: readonly SuppressedFinding[];
  /** A multi-target run: the targets excluded and the counts (run properties). Fatal findings also become tool execution notifications. */
  multi?: { counts: TargetCounts; excluded: ReturnType<typeof excludedList> };
  /** `--base`: results carry `baselineState`, and the base's findings the working tree no longer has are results with `baselineState: absent` (paths relative to the root). */
  baseline?: { ref: string; mergeBase: string; absent: readonly Finding[] };
}

/** The analysed revision as GitHub Actions describes it, when all of it is known. */
export function versionControlFromEnv(env: Readonly<Record<string, string | undefined>>): VersionControlDetails[] | undefined {
  const { GITHUB_SERVER_URL: server, GITHUB_REPOSITORY: repo, GITHUB_SHA: sha } = env;
  if (!server || !repo || !sha) return undefined;
  const branch = env.GITHUB_HEAD_REF || env.GITHUB_REF_NAME;
  return [
    {
      repositoryUri: `${server.replace(/\/+$/, '')}/${repo}`,
      revisionId: sha,
      ...(branch ? { branch } : {}),
      mappedTo: { uriBaseId: SRCROOT },
    },
  ];
}

/** SARIF text ends messages with a period; the other formats keep the rules' wording. */
function sentence(s: string): string {
  const t = s.trim();
  return /[.!?]$/.test(t) ? t : `${t}.`;
}

function descriptor(r: RuleInfo): ReportingDescriptor {
  const helpText = `${sentence(r.description)} Documentation: ${r.helpUri}`;
  return {
    id: r.id,
    // A renamed rule: the ids (and names) it had (SARIF 2.1.0 deprecatedIds, deprecatedNames), so that
    // a result management system can match earlier results. The old ids are not descriptors of their own.
    ...(r.deprecatedIds ? { deprecatedIds: r.deprecatedIds } : {}),
    name: r.name,
    ...(r.deprecatedNames ? { deprecatedNames: r.deprecatedNames } : {}),
    shortDescription: { text: sentence(r.description) },
    fullDescription: { text: sentence(r.fullDescription) },
    help: r.helpMarkdown ? { text: helpText, markdown: r.helpMarkdown } : { text: helpText },
    helpUri: r.helpUri,
    defaultConfiguration: { level: LEVEL[r.defaultSeverity] },
    properties: { tags: r.tags },
  };
}

/**
 * The identity a fingerprint is computed from: rule, object (kind, namespace, name), field path,
 * message id and message data (see lint/fingerprint.ts): never a line, a file or the message text.
 */
export function fingerprintSubject(f: Finding): string {
  return findingIdentity(f);
}

function artifactLocation(file: string, root: string): ArtifactLocation {
  if (isInsideRoot(file)) return { uri: file.split('/').map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  if (file.startsWith('<')) {
    // A rendered stream read from stdin has no file; `-` names it as the CLI does.
    return { uri: '-', uriBaseId: SRCROOT, description: { text: `${file} (a rendered stream read from standard input)` } };
  }
  return { uri: pathToFileURL(path.resolve(root, file)).href };
}

export function buildSarif(results: readonly TargetResult[], findings: readonly Finding[], opts: SarifOptions): Log {
  const catalog = ruleCatalog(opts.rules);
  const vcs = opts.env ? versionControlFromEnv(opts.env) : undefined;
  const index = new Map(catalog.map((r, i) => [r.id, i]));
  const seen = new Map<string, number>();
  const all: (Finding | SuppressedFinding)[] = [...findings, ...(opts.suppressed ?? []), ...(opts.baseline?.absent ?? [])];
  const sarifResults: Result[] = all.map((f): Result => {
    const hash = sha256Hex(fingerprintSubject(f));
    const n = (seen.get(hash) ?? 0) + 1;
    seen.set(hash, n);
    const ruleIndex = index.get(f.ruleId);
    const loc = f.location;
    return {
      ruleId: f.ruleId,
      ...(ruleIndex !== undefined ? { ruleIndex } : {}),
      level: LEVEL[f.severity],
      message: { text: sentence(f.message) },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(loc.file, opts.root),
            region: { startLine: loc.line, startColumn: loc.column, endLine: loc.endLine, endColumn: loc.endColumn },
          },
        },
      ],
      partialFingerprints: { [FINGERPRINT_KEY]: `${hash}:${n}` },
      ...(opts.baseline ? { baselineState: f.baseline ?? 'new' } : {}),
      ...(f.fix && f.baseline !== 'absent' ? { fixes: [sarifFix(f, opts.root)] } : {}),
      ...('suppression' in f
        ? {
            suppressions: [
              {
                kind: (f.suppression.kind === 'annotation' ? 'inSource' : 'external') satisfies Suppression.kind,
                status: 'accepted',
                justification: f.suppression.reason,
                location: {
                  physicalLocation: {
                    artifactLocation: artifactLocation(f.suppression.location.file, opts.root),
                    region: {
                      startLine: f.suppression.location.line,
                      startColumn: f.suppression.location.column,
                      endLine: f.suppression.location.endLine,
                      endColumn: f.suppression.location.endColumn,
                    },
                  },
                },
              },
            ],
          }
        : {}),
      ...(f.resource || f.field !== undefined || f.application !== undefined
        ? {
            properties: {
              ...(f.resource ? { resource: { ...f.resource } } : {}),
              ...(f.field !== undefined ? { field: f.field } : {}),
              ...(f.application !== undefined ? { application: f.application } : {}),
            },
          }
        : {}),
    };
  });
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: TOOL_NAME,
            version: TOOL_VERSION,
            semanticVersion: TOOL_VERSION,
            informationUri: INFORMATION_URI,
            rules: catalog.map(descriptor),
          },
        },
        ...(vcs ? { versionControlProvenance: vcs } : {}),
        originalUriBaseIds: { [SRCROOT]: { uri: pathToFileURL(opts.root.endsWith(path.sep) ? opts.root : opts.root + path.sep).href } },
        invocations: [invocation(findings, opts)],
        columnKind: 'utf16CodeUnits',
        results: sarifResults,
        properties: {
          targets: results.map((r) => ({ path: r.path, renderer: r.renderer, resources: r.resources })),
          ...(opts.multi ? { targetCounts: { ...opts.multi.counts }, excluded: opts.multi.excluded.map((e) => ({ ...e })) } : {}),
          ...(opts.baseline ? { baseline: { ref: opts.baseline.ref, mergeBase: opts.baseline.mergeBase } } : {}),
        },
      },
    ],
  };
}

/** A finding's planned fix as a SARIF fix: its edits as replacements, grouped by file (regions in UTF-16 columns, as the run's columnKind says). */
function sarifFix(f: Finding, root: string): Fix {
  const byFile = new Map<string, Replacement[]>();
  for (const e of f.fix!.edits) {
    const rel = path.relative(root, e.file).split(path.sep).join('/');
    const list = byFile.get(rel) ?? byFile.set(rel, []).get(rel)!;
    list.push({
      deletedRegion: { startLine: e.start.line, startColumn: e.start.column, endLine: e.end.line, endColumn: e.end.column },
      insertedContent: { text: e.text },
    });
  }
  return {
    description: { text: sentence(f.fix!.description) },
    artifactChanges: [...byFile].map(([file, replacements]) => ({ artifactLocation: artifactLocation(file, root), replacements })),
  };
}

/**
 * The run's invocation: a target that could not be rendered is also a tool execution
 * notification (its cause, on its file and line), and the execution then did not fully succeed.
 */
function invocation(findings: readonly Finding[], opts: SarifOptions): Invocation {
  const fatal = findings.filter((f) => f.fatal);
  if (fatal.length === 0) return { executionSuccessful: true };
  return {
    executionSuccessful: false,
    toolExecutionNotifications: fatal.map((f): Notification => ({
      level: 'error',
      message: { text: sentence(f.message) },
      descriptor: { id: f.ruleId },
      locations: [
        {
          physicalLocation: {
            artifactLocation: artifactLocation(f.location.file, opts.root),
            region: { startLine: f.location.line, startColumn: f.location.column },
          },
        },
      ],
    })),
  };
}

/** `--format sarif`: every target's findings in one run, paths relative to the repository root. */
export const sarifFormatter: Formatter = (run, ctx) => {
  const { findings, suppressed } = runFindings(run, ctx.root, false);
  return formatSarif(run.results, findings, {
    rules: ctx.rules,
    root: ctx.root,
    env: ctx.env,
    suppressed,
    ...(run.repoMode ? { multi: { counts: targetCounts(run), excluded: excludedList(run, ctx.root) } } : {}),
    ...(run.baseline
      ? { baseline: { ref: run.baseline.ref, mergeBase: run.baseline.mergeBase, absent: absentFindings(run, ctx.root) } }
      : {}),
  });
};

/** The base's findings the working tree no longer has, paths relative to `base`, each once. */
export function absentFindings(run: LintRun, base: string): Finding[] {
  const seen = new Set<string>();
  const out: Finding[] = [];
  for (const f of run.baseline?.absent ?? []) {
    const g: Finding = { ...f, location: { ...f.location, file: displayPath(f.location.file, base) } };
    const { target: _t, ...rest } = g;
    const key = JSON.stringify(rest);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(rest);
  }
  return out;
}

export function formatSarif(results: readonly TargetResult[], findings: readonly Finding[], opts: SarifOptions): string {
  return `${JSON.stringify(buildSarif(results, findings, opts), null, 2)}\n`;
}
