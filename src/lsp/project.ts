import path from 'node:path';
import { DiagnosticSeverity, DiagnosticTag, type Diagnostic } from 'vscode-languageserver';
import { builtinRules } from '../../rules/index.ts';
import { CONFIG_FILES, findConfigFile, loadConfig, type ResolvedConfig } from '../engine/config.ts';
import { deprecationNotices } from '../engine/presets.ts';
import type { Finding, Rule } from '../engine/types.ts';
import { DependencyIndex } from '../lint/affected.ts';
import { newArgoCache, searchScope, type ArgoCache } from '../lint/lint-target.ts';
import { runLint, type LintRun } from '../lint/run.ts';
import { allTargets } from '../lint/targets.ts';
import { planFix } from '../fix/plan.ts';
import { UserError } from '../model/errors.ts';
import { cachingFileSystem, nodeFileSystem, type FileSystem } from '../render/fs.ts';
import { KUSTOMIZATION_FILE_NAMES } from '../render/kustomization.ts';
import { ruleHelpUri } from '../report/tool-info.ts';
import { displayPath } from '../util/display-path.ts';
import { toDiagnostic, toRange, SOURCE } from './diagnostics.ts';
import { documentsFileSystem, type OpenDocument } from './documents-fs.ts';

/**
 * One workspace folder: its configuration, its kustomization roots (the lint targets, as `--all`
 * finds them), the reverse-dependency index over them (which targets read a file), and the
 * diagnostics each target contributes to each file.
 *
 * A change to a file lints exactly the targets whose build reads it (DependencyIndex.affected),
 * through the one lint run every surface uses (runLint), over a file system that serves the
 * editor's unsaved buffers; each finding is published on its own file (the base line, the
 * overlay patch, the JSON6902 value, the `images:` entry, the Application), and a file's
 * diagnostics are the union of what the targets reading it report there. Nothing is written,
 * nothing from the repository is run: the built-in renderer runs no program, and the
 * configuration's code rules (`customRules.modules`) are not loaded.
 */

export interface ProjectHost {
  /** The editor's open documents, by absolute path. */
  documents: ReadonlyMap<string, OpenDocument>;
  publish(file: string, diagnostics: Diagnostic[]): void;
  log(message: string): void;
}

interface Contribution {
  /** file → findings this target reports there. */
  byFile: Map<string, Finding[]>;
}

/** How long after the last kustomization edit the index is rebuilt when nothing asks for it earlier. */
const IDLE_INDEX_REBUILD_MS = 400;

export class Project {
  private config: ResolvedConfig | undefined;
  /** undefined: not loaded yet (or to reload). */
  private configLoaded = false;
  private configDiagnostics = new Map<string, Diagnostic[]>();
  private candidates: string[] = [];
  private candidatesDirty = true;
  private index: DependencyIndex | undefined;
  private indexDirty = true;
  /** Files whose edits made the index dirty: the stale index already knows who reads them. */
  private readonly dirtyBecause = new Set<string>();
  private rebuildTimer: NodeJS.Timeout | undefined;
  private readonly contributions = new Map<string, Contribution>();
  private readonly published = new Map<string, string>();
  private pending = new Set<string>();
  private pendingTimer: NodeJS.Timeout | undefined;
  private disposed = false;
  /**
   * The ArgoCD lookups (which Applications deploy which target), kept from one lint to the next:
   * finding them means searching the whole repository, several times what linting a target costs.
   * Dropped when a change could change them: a kustomization file, a file about Applications, a
   * file an Application came from, a file read by a kustomization that renders Applications, any
   * change on disk, the configuration.
   */
  private argoCache: ArgoCache = newArgoCache();
  private readonly applicationFiles = new Set<string>();
  private readonly applicationDirs = new Set<string>();
  /** Lint runs done (for tests and logs). */
  lints = 0;

  constructor(
    readonly root: string,
    private readonly host: ProjectHost,
    private readonly debounceMs: number,
  ) {}

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.rebuildTimer);
    clearTimeout(this.pendingTimer);
  }

  contains(file: string): boolean {
    return file === this.root || file.startsWith(this.root.endsWith(path.sep) ? this.root : this.root + path.sep);
  }

  /** The file system of one lint: the open buffers over the disk, each disk file read once. */
  fs(): FileSystem {
    return documentsFileSystem(this.host.documents, cachingFileSystem(nodeFileSystem));
  }

  currentConfig(): ResolvedConfig | undefined {
    this.ensureConfig();
    return this.config;
  }

  /** Targets (relative to the root) whose build reads one of `files` (absolute). */
  targetsReading(files: readonly string[]): string[] {
    if (!this.ensureConfig()) return [];
    this.ensureIndex(files);
    return this.index ? this.index.affected(files).targets : [];
  }

  /** Whether the index needs rebuilding after `file`'s content changed (an open buffer, a save, a change on disk). */
  noteContentChange(file: string, texts: readonly (string | undefined)[]): void {
    const base = path.basename(file);
    if (KUSTOMIZATION_FILE_NAMES.includes(base) || texts.some((t) => t?.includes('argoproj.io'))) {
      this.indexDirty = true;
      this.dirtyBecause.add(file);
      this.argoCache = newArgoCache();
    } else if (this.applicationFiles.has(file) || texts.some((t) => t !== undefined && /\bApplication\b/.test(t))) {
      this.argoCache = newArgoCache();
    }
  }

  /**
   * `file` changed on disk (saved, or changed by another program). The ArgoCD lookups, the
   * repository scan among them, live in the ArgoCache: a fresh one reads the disk again. When the
   * file is about ArgoCD, the index is rebuilt before the next lint.
   */
  noteDiskChange(file: string, text: string | undefined): void {
    this.argoCache = newArgoCache();
    if (!text?.includes('argoproj.io') && !this.dirtyBecause.has(file)) return;
    this.indexDirty = true;
    this.dirtyBecause.clear();
  }

  /** A file was created or deleted on disk: the roots and the index are recomputed before the next lint. */
  noteCreatedOrDeleted(_file: string): void {
    this.candidatesDirty = true;
    this.indexDirty = true;
    this.dirtyBecause.clear();
    // A fresh ArgoCache scans the repository again (an Application file may have come or gone).
    this.argoCache = newArgoCache();
  }

  isConfigFile(file: string): boolean {
    const base = path.basename(file);
    if ((CONFIG_FILES as readonly string[]).includes(base)) return true;
    if (this.config?.file === file) return true;
    return base === 'package.json' && this.contains(file);
  }

  /** The configuration (or a file it names: rule files) changed: reload it, rebuild the index, lint again what is shown. */
  reloadConfig(): void {
    const active = this.activeTargets();
    this.configLoaded = false;
    this.config = undefined;
    this.indexDirty = true;
    this.argoCache = newArgoCache();
    this.candidatesDirty = true;
    if (!this.ensureConfig()) return;
    const again = new Set([...active, ...this.activeTargets()]);
    this.lintTargets([...again], new Set());
  }

  /** Lint what reads `file` after `delay` ms of quiet (further changes restart the wait). */
  schedule(file: string, delay = this.debounceMs): void {
    this.pending.add(file);
    clearTimeout(this.pendingTimer);
    this.pendingTimer = setTimeout(() => this.flush(), delay);
  }

  /** Run the pending lint now. */
  flush(): void {
    clearTimeout(this.pendingTimer);
    this.pendingTimer = undefined;
    if (this.disposed || this.pending.size === 0) return;
    const files = [...this.pending];
    this.pending = new Set();
    try {
      this.lintFiles(files);
    } catch (e) {
      // Never down: the next change tries again.
      this.host.log(`internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Lint the targets that read `files`, and publish `files` in any case (a change always gets an answer). */
  lintFiles(files: readonly string[]): void {
    if (!this.ensureConfig()) {
      this.publishFiles(new Set(files));
      return;
    }
    this.ensureIndex(files);
    const targets = this.index ? this.index.affected(files).targets : [];
    // A file read by a kustomization that renders Applications may change them.
    if (targets.some((t) => this.applicationDirs.has(path.resolve(this.root, t)))) this.argoCache = newArgoCache();
    this.lintTargets(targets, new Set(files));
  }

  /** Every target whose diagnostics are shown, or that reads an open document. */
  activeTargets(): string[] {
    const out = new Set(this.contributions.keys());
    const open = [...this.host.documents.keys()].filter((f) => this.contains(f));
    if (open.length && this.configLoaded && this.config) {
      this.ensureIndex([]);
      for (const t of this.index?.affected(open).targets ?? []) out.add(t);
    }
    return [...out];
  }

  private lintTargets(targets: readonly string[], always: Set<string>): void {
    const touched = new Set(always);
    const started = performance.now();
    let run: LintRun | undefined;
    const fs = this.fs();
    if (targets.length) {
      try {
        run = runLint({
          cwd: this.root,
          config: this.config!,
          targets,
          // As --all and --changed: several targets of a monorepo, a target that cannot be rendered is a finding on its line.
          repoMode: true,
          renderer: 'builtin',
          argocd: true,
          readStdin: () => '',
          fs,
          argoCache: this.argoCache,
        });
      } catch (e) {
        this.host.log(`lint of ${targets.join(', ')} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
        this.publishFiles(touched);
        return;
      }
      this.lints++;
    }
    for (const t of targets) {
      for (const f of this.contributions.get(t)?.byFile.keys() ?? []) touched.add(f);
      this.contributions.delete(t);
    }
    // Certain fixes (src/fix), planned on the texts this lint read (the open buffers): offered as quick fixes, never written here.
    const texts = new Map<string, string | undefined>();
    const readFile = (file: string): string | undefined => {
      if (!texts.has(file)) {
        try {
          texts.set(file, fs.readFile(file));
        } catch {
          texts.set(file, undefined);
        }
      }
      return texts.get(file);
    };
    const add = (target: string, given: readonly Finding[]) => {
      const byFile = new Map<string, Finding[]>();
      const findings = given.map((f) => {
        if (f.fix) return f;
        const fix = planFix(f, { readFile });
        return fix ? { ...f, fix } : f;
      });
      for (const f of findings) {
        if (f.location.file.startsWith('<')) continue;
        (byFile.get(f.location.file) ?? byFile.set(f.location.file, []).get(f.location.file)!).push(f);
        touched.add(f.location.file);
      }
      this.contributions.set(target, { byFile });
    };
    for (const r of run?.results ?? []) {
      add(r.path, r.findings);
      for (const a of r.applications ?? []) {
        this.applicationFiles.add(a.file);
        if (a.via) this.applicationDirs.add(a.via);
      }
    }
    for (const f of run?.fatal ?? []) add(f.path, [{ ...f.finding, message: `${f.path} cannot be rendered: ${f.finding.message}` }]);
    this.publishFiles(touched);
    if (targets.length)
      this.host.log(`linted ${targets.length} target${targets.length === 1 ? '' : 's'} in ${(performance.now() - started).toFixed(1)} ms`);
    if (this.indexDirty) this.scheduleIndexRebuild();
  }

  /** Publishes the diagnostics of `files`: those that changed, and those of `force` (a changed document) in any case. */
  private publishFiles(files: Set<string>, force: Set<string> = files): void {
    for (const file of files) {
      const diagnostics = this.diagnosticsOf(file);
      const key = JSON.stringify(diagnostics);
      if (!force.has(file) && (this.published.get(file) ?? '[]') === key) continue;
      if (key === '[]') this.published.delete(file);
      else this.published.set(file, key);
      this.host.publish(file, diagnostics);
    }
  }

  diagnosticsOf(file: string): Diagnostic[] {
    const merged = new Map<string, { finding: Finding; targets: string[] }>();
    for (const [target, c] of this.contributions) {
      for (const f of c.byFile.get(file) ?? []) {
        const l = f.location;
        const key = `${f.ruleId}\0${f.severity}\0${f.message}\0${f.application ?? ''}\0${l.line}:${l.column}:${l.endLine}:${l.endColumn}`;
        const m = merged.get(key);
        if (m) m.targets.push(target);
        else merged.set(key, { finding: f, targets: [target] });
      }
    }
    const isBuiltin = (id: string) => Object.hasOwn(builtinRules, id);
    const out: Diagnostic[] = [...(this.configDiagnostics.get(file) ?? [])];
    for (const { finding, targets } of merged.values()) {
      // A finding in the target's own directory needs no saying which target; one in a shared base or an Application does.
      const own = targets.every((t) => this.contains(file) && isInside(file, path.resolve(this.root, t)));
      out.push(toDiagnostic(finding, own ? [] : targets, isBuiltin));
    }
    return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
  }

  private ensureConfig(): boolean {
    if (this.configLoaded) return this.config !== undefined;
    this.configLoaded = true;
    const before = new Set(this.configDiagnostics.keys());
    this.configDiagnostics.clear();
    const skipped: string[] = [];
    try {
      this.config = loadConfig({
        cwd: this.root,
        builtinRules,
        // Never run code from the repository: a code rule is loaded as a rule that reports nothing, and said so on its entry.
        loadModule: (abs) => {
          skipped.push(abs);
          return inertRule(abs);
        },
      });
      if (skipped.length && this.config.file) this.sayCodeRulesSkipped(this.config.file, skipped);
      this.sayDeprecatedIds(this.config);
    } catch (e) {
      this.config = undefined;
      if (!(e instanceof UserError)) {
        this.host.log(`configuration: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      const file = (e as UserError).location?.file ?? findConfigFile(this.root)?.file ?? path.join(this.root, CONFIG_FILES[0]);
      this.addConfigDiagnostic(file, (e as Error).message, (e as UserError).location);
      for (const p of e instanceof UserError ? e.related : []) {
        this.addConfigDiagnostic(p.location?.file ?? file, p.message, p.location);
      }
      // Without a valid configuration nothing is linted: what was shown is withdrawn (it would mislead).
      const touched = new Set([...before, ...this.configDiagnostics.keys()]);
      for (const c of this.contributions.values()) for (const f of c.byFile.keys()) touched.add(f);
      this.contributions.clear();
      this.publishFiles(touched, new Set());
      this.host.log(`configuration: ${(e as Error).message}`);
      return false;
    }
    this.publishFiles(new Set([...before, ...this.configDiagnostics.keys()]), new Set());
    return true;
  }

  private addConfigDiagnostic(file: string, message: string, location: UserError['location'], severity: 1 | 3 = 1): void {
    const range =
      location && location.file === file ? toRange(location) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const list = this.configDiagnostics.get(file) ?? this.configDiagnostics.set(file, []).get(file)!;
    list.push({
      range,
      severity,
      source: SOURCE,
      code: 'configuration',
      message: `invalid configuration: ${message}`.replace(/^invalid configuration: invalid configuration: /, 'invalid configuration: '),
    });
  }

  /**
   * A deprecated rule id the configuration names (a `baseline-*` alias in `rules:`, `lockedRules` or
   * an exemption): a warning on the id, tagged deprecated, saying what to write instead (the
   * message the CLI prints), linked to the old id's page.
   */
  private sayDeprecatedIds(config: ResolvedConfig): void {
    for (const n of deprecationNotices(config)) {
      const file = n.location.file;
      const list = this.configDiagnostics.get(file) ?? this.configDiagnostics.set(file, []).get(file)!;
      list.push({
        range: toRange(n.location),
        severity: DiagnosticSeverity.Warning,
        source: SOURCE,
        code: n.id,
        codeDescription: { href: ruleHelpUri(n.id) },
        message: n.message,
        tags: [DiagnosticTag.Deprecated],
      });
    }
  }

  private sayCodeRulesSkipped(configFile: string, modules: readonly string[]): void {
    let text = '';
    try {
      text = this.fs().readFile(configFile);
    } catch {
      // Said on line 1.
    }
    const lines = text.split('\n');
    for (const abs of modules) {
      const rel = displayPath(abs, path.dirname(configFile));
      const line = Math.max(
        0,
        lines.findIndex((l) => l.includes(path.basename(abs))),
      );
      const list = this.configDiagnostics.get(configFile) ?? this.configDiagnostics.set(configFile, []).get(configFile)!;
      list.push({
        range: { start: { line, character: 0 }, end: { line, character: lines[line]?.length ?? 0 } },
        severity: 3,
        source: SOURCE,
        code: 'configuration',
        message: `code rule ${rel} is not run in the editor: the language server never runs code from the repository (run the CLI for it)`,
      });
    }
  }

  private ensureIndex(changed: readonly string[]): void {
    if (this.index && !this.indexDirty) return;
    // While a kustomization file is being typed, the stale index already knows who reads it: rebuild when idle.
    if (this.index && changed.length && changed.every((f) => this.dirtyBecause.has(f))) return;
    this.rebuildIndex();
  }

  private scheduleIndexRebuild(): void {
    clearTimeout(this.rebuildTimer);
    this.rebuildTimer = setTimeout(() => {
      if (!this.disposed && this.indexDirty && this.config) this.rebuildIndex();
    }, IDLE_INDEX_REBUILD_MS);
  }

  private rebuildIndex(): void {
    clearTimeout(this.rebuildTimer);
    const started = performance.now();
    if (this.candidatesDirty) {
      try {
        this.candidates = allTargets(this.root, []);
      } catch {
        this.candidates = []; // No kustomization in the folder: nothing to lint.
      }
      this.candidatesDirty = false;
    }
    this.index = new DependencyIndex(this.candidates, {
      cwd: this.root,
      fs: this.fs(),
      argocd: true,
      ...(this.config ? { scope: searchScope(this.config) } : {}),
    });
    this.indexDirty = false;
    this.dirtyBecause.clear();
    this.host.log(`index of ${this.candidates.length} kustomization roots built in ${(performance.now() - started).toFixed(1)} ms`);
  }

  /** The targets' directories (absolute) and display names, for hovers. */
  target(t: string): { dir: string; name: string } {
    return { dir: path.resolve(this.root, t), name: displayPath(path.resolve(this.root, t), this.root) };
  }
}

function isInside(file: string, dir: string): boolean {
  return file.startsWith(dir + path.sep);
}

/** What a code rule module is loaded as in the editor: a rule that reports nothing. */
function inertRule(abs: string): Rule {
  return {
    meta: {
      type: 'problem',
      docs: { description: `${path.basename(abs)} (a code rule: not run by the language server)` },
      defaultSeverity: 'info',
      schema: { type: 'object' },
      defaultOptions: {},
      messages: {},
    },
    check: () => {},
  };
}
