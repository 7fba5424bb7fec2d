import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createProtocolConnection,
  CodeActionRequest,
  DefinitionRequest,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  DidSaveTextDocumentNotification,
  ExitNotification,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type CodeAction,
  type Command,
  type Diagnostic,
  type Hover,
  type InitializeResult,
  type Location,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
} from 'vscode-languageserver-protocol/node';

/**
 * A real LSP client over stdio (vscode-languageserver-protocol's client side of the JSON-RPC
 * connection), driving the server process as an editor does.
 */
export class LspClient {
  readonly published: PublishDiagnosticsParams[] = [];
  readonly logs: string[] = [];
  stderr = '';
  private readonly waiters: { test: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  private readonly versions = new Map<string, number>();
  private readonly texts = new Map<string, string>();
  initializeResult!: InitializeResult;
  private exited: Promise<number | null>;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly connection: ProtocolConnection,
  ) {
    proc.stderr.setEncoding('utf8');
    proc.stderr.on('data', (s: string) => (this.stderr += s));
    this.exited = new Promise((resolve) => proc.on('exit', (code) => resolve(code)));
    connection.onNotification(PublishDiagnosticsNotification.type, (p) => {
      this.published.push(p);
      for (const w of [...this.waiters]) {
        if (w.test(p)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(p);
        }
      }
    });
    connection.onNotification(LogMessageNotification.type, (p) => {
      this.logs.push(p.message);
    });
    connection.onRequest('client/registerCapability', () => null);
  }

  /** Spawns `node [nodeArgs] <bundle> lsp --stdio` in `root` and initializes it with `root` as the workspace folder. */
  static async start(
    bundle: string,
    root: string,
    opts: { nodeArgs?: string[]; initializationOptions?: unknown; env?: NodeJS.ProcessEnv } = {},
  ): Promise<LspClient> {
    const proc = spawn(process.execPath, [...(opts.nodeArgs ?? []), bundle, 'lsp', '--stdio'], {
      cwd: root,
      stdio: 'pipe',
      env: opts.env ?? process.env,
    });
    const connection = createProtocolConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const client = new LspClient(proc, connection);
    connection.listen();
    const rootUri = pathToFileURL(root).href;
    client.initializeResult = await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid,
      rootUri,
      workspaceFolders: [{ uri: rootUri, name: path.basename(root) }],
      capabilities: {
        workspace: { didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: {
          publishDiagnostics: { relatedInformation: true, versionSupport: true },
          hover: { contentFormat: ['markdown', 'plaintext'] },
        },
      },
      initializationOptions: opts.initializationOptions ?? {},
    });
    await connection.sendNotification(InitializedNotification.type, {});
    return client;
  }

  uri(file: string): string {
    return pathToFileURL(file).href;
  }

  /** The next publication for `file` satisfying `test` (the ones already received count when `past`). */
  waitForDiagnostics(
    file: string,
    test: (d: Diagnostic[], p: PublishDiagnosticsParams) => boolean = () => true,
    timeoutMs = 20_000,
  ): Promise<PublishDiagnosticsParams> {
    const uri = this.uri(file);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no diagnostics for ${file} within ${timeoutMs} ms; published: ${JSON.stringify(this.published.filter((p) => p.uri === uri).slice(-3), null, 1)}\nstderr: ${this.stderr}\nlogs: ${this.logs.join('\n')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        test: (p) => p.uri === uri && test(p.diagnostics, p),
        resolve: (p) => {
          clearTimeout(timer);
          resolve(p);
        },
      });
    });
  }

  /** Resolves with the publication for `file` that answers the document's current version. */
  waitForVersion(file: string, timeoutMs?: number): Promise<PublishDiagnosticsParams> {
    const v = this.versions.get(this.uri(file));
    return this.waitForDiagnostics(file, (_d, p) => p.version === v, timeoutMs);
  }

  async open(file: string, text = readFileSync(file, 'utf8')): Promise<void> {
    const uri = this.uri(file);
    this.versions.set(uri, 1);
    this.texts.set(uri, text);
    await this.connection.sendNotification(DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
  }

  text(file: string): string {
    return this.texts.get(this.uri(file))!;
  }

  /** Replaces the whole buffer (as one incremental change spanning the document). */
  async setText(file: string, text: string): Promise<void> {
    const uri = this.uri(file);
    const old = this.texts.get(uri) ?? '';
    const lines = old.split('\n');
    const change: TextDocumentContentChangeEvent = {
      range: { start: { line: 0, character: 0 }, end: { line: lines.length - 1, character: lines.at(-1)!.length } },
      text,
    };
    await this.edit(file, [change]);
    this.texts.set(uri, text);
  }

  /** Inserts `text` at the start of 0-based `line`, as typing it would. */
  async insertLine(file: string, line: number, text: string): Promise<void> {
    const uri = this.uri(file);
    const old = this.texts.get(uri)!;
    const lines = old.split('\n');
    lines.splice(line, 0, ...text.replace(/\n$/, '').split('\n'));
    await this.edit(file, [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text }]);
    this.texts.set(uri, lines.join('\n'));
  }

  async edit(file: string, contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    const uri = this.uri(file);
    const version = (this.versions.get(uri) ?? 1) + 1;
    this.versions.set(uri, version);
    await this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  async save(file: string): Promise<void> {
    await this.connection.sendNotification(DidSaveTextDocumentNotification.type, { textDocument: { uri: this.uri(file) } });
  }

  async close(file: string): Promise<void> {
    await this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri: this.uri(file) } });
  }

  hover(file: string, line: number, character: number): Promise<Hover | null> {
    return this.connection.sendRequest(HoverRequest.type, { textDocument: { uri: this.uri(file) }, position: { line, character } });
  }

  async definition(file: string, line: number, character: number): Promise<Location | undefined> {
    const r = await this.connection.sendRequest(DefinitionRequest.type, {
      textDocument: { uri: this.uri(file) },
      position: { line, character },
    });
    return ((Array.isArray(r) ? r[0] : r) ?? undefined) as Location | undefined;
  }

  async codeActions(file: string, diagnostics: Diagnostic[]): Promise<CodeAction[]> {
    const range = diagnostics[0]?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const r = await this.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri: this.uri(file) },
      range,
      context: { diagnostics },
    });
    return (r ?? []).filter((a: CodeAction | Command): a is CodeAction => 'edit' in a || 'kind' in a);
  }

  /** Latest diagnostics published for `file`. */
  latest(file: string): Diagnostic[] | undefined {
    const uri = this.uri(file);
    return this.published.filter((p) => p.uri === uri).at(-1)?.diagnostics;
  }

  async shutdown(): Promise<number | null> {
    try {
      await this.connection.sendRequest(ShutdownRequest.type);
      await this.connection.sendNotification(ExitNotification.type);
    } catch {
      // Already gone.
    }
    const code = await Promise.race([this.exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 5000))]);
    if (code === 'timeout') {
      this.proc.kill();
      return null;
    }
    this.connection.dispose();
    return code;
  }
}

/** `text` with LSP text edits applied (as an editor applies a WorkspaceEdit). */
export function applyEdits(
  text: string,
  edits: readonly { range: { start: { line: number; character: number }; end: { line: number; character: number } }; newText: string }[],
): string {
  const offset = (line: number, character: number) => {
    let off = 0;
    for (let l = 0; l < line; l++) off = text.indexOf('\n', off) + 1;
    return off + character;
  };
  const sorted = [...edits].sort(
    (a, b) => offset(b.range.start.line, b.range.start.character) - offset(a.range.start.line, a.range.start.character),
  );
  let out = text;
  for (const e of sorted)
    out =
      out.slice(0, offset(e.range.start.line, e.range.start.character)) +
      e.newText +
      out.slice(offset(e.range.end.line, e.range.end.character));
  return out;
}

/** 0-based line of the first line of `text` containing `needle` (after `from`). */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i]!.includes(needle)) return i;
  throw new Error(`"${needle}" not found`);
}

/** The bundled example component in a temporary git repository, at the same path as in this repository (its Application names it). */
export function gitCopyOfFixture(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-lsp-fixture-'));
  cpSync(path.resolve(__dirname, '../../../fixtures/cilium-etcd'), path.join(root, 'fixtures/cilium-etcd'), { recursive: true });
  spawnSync('git', ['init', '-q'], { cwd: root });
  return root;
}
