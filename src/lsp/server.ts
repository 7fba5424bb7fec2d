// node:fs at the surface: the server compares an editor's buffers with the disk; the lint reads through the project's FileSystem.
import * as nodeFs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
  CodeActionKind,
  createConnection,
  DidChangeWatchedFilesNotification,
  FileChangeType,
  MarkupKind,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  TextDocuments,
  type CodeAction,
  type Connection,
  type TextEdit as LspTextEdit,
  type WorkspaceEdit,
  type InitializeParams,
  type InitializeResult,
} from 'vscode-languageserver/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { VERSION } from '../cli/version.ts';
import { definitionAt, isKustomizationFile } from './definition.ts';
import type { OpenDocument } from './documents-fs.ts';
import { SOURCE, type DiagnosticData } from './diagnostics.ts';
import { hoverAt, hoverMarkdown } from './hover.ts';
import { Project } from './project.ts';
import { offsetAt } from './yaml-position.ts';

/**
 * `cilium-etcd-lint lsp --stdio`: the language server. Built on Microsoft's vscode-languageserver
 * (its JSON-RPC over stdin/stdout). See docs/editors.md for the editors' settings, and
 * project.ts for what a change does.
 *
 * - Documents: full text kept per open YAML file (incremental sync); every lint and hover reads
 *   the open buffers before the disk (documents-fs.ts).
 * - On open and save: lint the targets that read the file at once; on change: after `debounceMs`
 *   (initializationOptions.debounceMs, default DEFAULT_DEBOUNCE_MS) of quiet.
 * - Watched files (registered when the client allows it): a created or deleted file recomputes
 *   the kustomization roots and the index; a changed configuration is reloaded; a file changed
 *   on disk and not open lints what reads it.
 * - Never writes a file, never starts a process, never loads a module of the repository.
 */

export const DEFAULT_DEBOUNCE_MS = 30;

const USAGE = `usage: cilium-etcd-lint lsp --stdio

Starts the language server on stdin/stdout (editors start it; see docs/editors.md).
`;

export function startLanguageServer(argv: readonly string[], stderr: (s: string) => void): number | undefined {
  if (argv.includes('--help') || argv.includes('-h')) {
    stderr(USAGE);
    return 0;
  }
  const unknown = argv.filter((a) => a !== '--stdio');
  if (!argv.includes('--stdio') || unknown.length) {
    const other = unknown.find((a) => /^--(node-ipc|socket|pipe|clientProcessId)/.test(a));
    stderr(
      `cilium-etcd-lint: lsp: ${other ? `${other.split('=')[0]} is not supported: ` : unknown.length ? `unknown argument ${unknown[0]}: ` : ''}the language server talks over stdio only (give --stdio)\n${USAGE}`,
    );
    return 2;
  }
  // stdout carries the protocol: anything else printed there would break it.
  console.log = console.info = console.warn = console.debug = (...args: unknown[]) => stderr(`${args.map(String).join(' ')}\n`);
  const connection = createConnection(new StreamMessageReader(process.stdin), new StreamMessageWriter(process.stdout));
  serve(connection);
  connection.listen();
  return undefined;
}

function uriToPath(uri: string): string | undefined {
  if (!uri.startsWith('file:')) return undefined;
  try {
    return path.resolve(fileURLToPath(uri));
  } catch {
    return undefined;
  }
}

function readText(file: string): string | undefined {
  try {
    return nodeFs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
}

function isYamlLike(file: string, languageId?: string): boolean {
  return languageId === 'yaml' || /\.ya?ml$/i.test(file) || isKustomizationFile(file);
}

/** Wires the protocol to the projects (one per workspace folder). Exported for in-process use. */
export function serve(connection: Connection): void {
  const documents = new TextDocuments(TextDocument);
  /** Absolute path (and its real path, when different) → the open buffer. */
  const open = new Map<string, OpenDocument>();
  const uris = new Map<string, string>();
  const projects: Project[] = [];
  let debounceMs = DEFAULT_DEBOUNCE_MS;
  let watchedFiles = false;
  let documentChanges = false;

  const host = {
    documents: open,
    publish(file: string, diagnostics: import('vscode-languageserver').Diagnostic[]) {
      const uri = uris.get(file) ?? pathToFileURL(file).href;
      const doc = documents.get(uri);
      void connection.sendDiagnostics({ uri, diagnostics, ...(doc ? { version: doc.version } : {}) });
    },
    log(message: string) {
      connection.console.log(message);
    },
  };

  const projectOf = (file: string): Project | undefined => {
    let best: Project | undefined;
    for (const p of projects) if (p.contains(file) && (!best || p.root.length > best.root.length)) best = p;
    return best;
  };

  const aliases = (file: string): string[] => {
    try {
      const real = nodeFs.realpathSync(file);
      return real === file ? [file] : [file, real];
    } catch {
      return [file];
    }
  };

  connection.onInitialize((params: InitializeParams): InitializeResult => {
    const options = (params.initializationOptions ?? {}) as { debounceMs?: unknown };
    if (typeof options.debounceMs === 'number' && options.debounceMs >= 0) debounceMs = options.debounceMs;
    const folders = params.workspaceFolders?.length
      ? params.workspaceFolders.map((f) => f.uri)
      : params.rootUri
        ? [params.rootUri]
        : params.rootPath
          ? [pathToFileURL(params.rootPath).href]
          : [];
    for (const uri of folders) {
      const root = uriToPath(uri);
      if (root) projects.push(new Project(root, host, debounceMs));
    }
    if (projects.length === 0) projects.push(new Project(process.cwd(), host, debounceMs));
    watchedFiles = !!params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration;
    documentChanges = !!params.capabilities.workspace?.workspaceEdit?.documentChanges;
    return {
      capabilities: {
        textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
        hoverProvider: true,
        definitionProvider: true,
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: false } },
      },
      serverInfo: { name: 'cilium-etcd-lint', version: VERSION },
    };
  });

  connection.onInitialized(() => {
    if (watchedFiles) {
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [{ globPattern: '**/*.{yaml,yml,json}' }, { globPattern: '**/Kustomization' }],
      });
    }
    // The configuration and the index are made now, not on the first keystroke.
    for (const p of projects) p.targetsReading([]);
  });

  documents.onDidOpen(({ document }) => {
    const file = uriToPath(document.uri);
    if (!file || !isYamlLike(file, document.languageId)) return;
    const entry = { uri: document.uri, text: document.getText(), version: document.version };
    for (const a of aliases(file)) open.set(a, entry);
    uris.set(file, document.uri);
    const p = projectOf(file);
    if (!p) return;
    p.noteContentChange(file, [entry.text]);
    p.schedule(file, 0);
  });

  documents.onDidChangeContent(({ document }) => {
    const file = uriToPath(document.uri);
    const entry = file ? open.get(file) : undefined;
    if (!file || !entry || entry.version === document.version) return; // (the open itself)
    const before = entry.text;
    entry.text = document.getText();
    entry.version = document.version;
    const p = projectOf(file);
    if (!p) return;
    p.noteContentChange(file, [before, entry.text]);
    if (p.isConfigFile(file)) return; // The configuration is read from disk: reloaded on save.
    p.schedule(file);
  });

  documents.onDidSave(({ document }) => {
    const file = uriToPath(document.uri);
    const p = file ? projectOf(file) : undefined;
    if (!file || !p) return;
    if (p.isConfigFile(file)) {
      p.reloadConfig();
      return;
    }
    if (isKustomizationFile(file))
      p.noteCreatedOrDeleted(file); // the roots may have changed (found on disk)
    else p.noteDiskChange(file, open.get(file)?.text);
    p.schedule(file, 0);
  });

  documents.onDidClose(({ document }) => {
    const file = uriToPath(document.uri);
    if (!file || !open.has(file)) return;
    const entry = open.get(file)!;
    let disk: string | undefined;
    try {
      disk = nodeFs.readFileSync(file, 'utf8');
    } catch {
      disk = undefined;
    }
    for (const a of aliases(file)) open.delete(a);
    // The buffer is dropped: what reads the file sees the disk again.
    const p = projectOf(file);
    if (p && disk !== entry.text) {
      p.noteContentChange(file, [entry.text, disk]);
      p.schedule(file, 0);
    }
  });

  connection.onDidChangeWatchedFiles(({ changes }) => {
    const byProject = new Map<Project, string[]>();
    for (const c of changes) {
      const file = uriToPath(c.uri);
      const p = file ? projectOf(file) : undefined;
      if (!file || !p) continue;
      if (p.isConfigFile(file)) {
        p.reloadConfig();
        continue;
      }
      if (c.type !== FileChangeType.Changed) p.noteCreatedOrDeleted(file);
      else if (isKustomizationFile(file)) p.noteContentChange(file, [undefined]);
      else if (!open.has(file)) p.noteDiskChange(file, readText(file));
      // An open buffer is what the lint reads: a save of it is handled by didSave.
      if (!open.has(file)) (byProject.get(p) ?? byProject.set(p, []).get(p)!).push(file);
    }
    for (const [p, files] of byProject) for (const f of files) p.schedule(f, 0);
  });

  connection.onHover(({ textDocument, position }) => {
    const file = uriToPath(textDocument.uri);
    const doc = documents.get(textDocument.uri);
    const p = file ? projectOf(file) : undefined;
    if (!file || !doc || !p) return null;
    try {
      p.flush();
      const config = p.currentConfig();
      const text = doc.getText();
      const targets = p.targetsReading([file]).map((t) => p.target(t));
      if (targets.length === 0) return null;
      const offset = offsetAt(text, position.line, position.character);
      const result = hoverAt(file, text, offset, position.line + 1, position.character + 1, targets, p.fs(), config?.plugins ?? 'refuse');
      const value = hoverMarkdown(result, p.root, file);
      return value ? { contents: { kind: MarkupKind.Markdown, value } } : null;
    } catch (e) {
      connection.console.error(`hover: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
  });

  connection.onDefinition(({ textDocument, position }) => {
    const file = uriToPath(textDocument.uri);
    const doc = documents.get(textDocument.uri);
    const p = file ? projectOf(file) : undefined;
    if (!file || !doc || !p) return null;
    try {
      const text = doc.getText();
      const target = definitionAt(file, text, offsetAt(text, position.line, position.character), p.fs());
      if (!target) return null;
      const range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      return { uri: uris.get(target) ?? pathToFileURL(target).href, range };
    } catch (e) {
      connection.console.error(`definition: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return null;
    }
  });

  // Quick fixes: the certain fix of a finding (src/fix), as a WorkspaceEdit the editor applies (the server writes nothing).
  connection.onCodeAction(({ textDocument, range, context }) => {
    const file = uriToPath(textDocument.uri);
    const p = file ? projectOf(file) : undefined;
    if (!file || !p) return [];
    try {
      p.flush();
      const ours = p.diagnosticsOf(file).filter((d) => (d.data as DiagnosticData | undefined)?.fix);
      const same = (a: typeof range, b: typeof range) =>
        a.start.line === b.start.line &&
        a.start.character === b.start.character &&
        a.end.line === b.end.line &&
        a.end.character === b.end.character;
      const asked = context.diagnostics.filter((d) => d.source === SOURCE);
      const wanted = asked.length
        ? ours.filter((d) => asked.some((a) => a.code === d.code && same(a.range, d.range)))
        : ours.filter((d) => d.range.start.line <= range.end.line && d.range.end.line >= range.start.line);
      const actions: CodeAction[] = [];
      for (const d of wanted) {
        const fix = (d.data as DiagnosticData).fix!;
        const byFile = new Map<string, LspTextEdit[]>();
        for (const e of fix.edits) {
          const list = byFile.get(e.file) ?? byFile.set(e.file, []).get(e.file)!;
          list.push({
            range: {
              start: { line: e.start.line - 1, character: e.start.column - 1 },
              end: { line: e.end.line - 1, character: e.end.column - 1 },
            },
            newText: e.text,
          });
        }
        const uriOf = (f: string) => uris.get(f) ?? pathToFileURL(f).href;
        const edit: WorkspaceEdit = documentChanges
          ? {
              documentChanges: [...byFile].map(([f, edits]) => {
                const doc = documents.get(uriOf(f));
                return { textDocument: { uri: uriOf(f), version: doc ? doc.version : null }, edits };
              }),
            }
          : { changes: Object.fromEntries([...byFile].map(([f, edits]) => [uriOf(f), edits])) };
        const targets = (d.data as DiagnosticData).targets;
        const also = targets.length > 1 ? ` (in a file ${targets.length} targets read: ${targets.join(', ')})` : '';
        actions.push({ title: `${fix.description}${also}`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit });
      }
      return actions;
    } catch (e) {
      connection.console.error(`codeAction: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      return [];
    }
  });

  connection.onShutdown(() => {
    for (const p of projects) p.dispose();
  });

  documents.listen(connection);
}
