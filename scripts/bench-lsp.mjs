// Language server latency (the "In the editor" issue): from a didChange sent over stdio to the
// publishDiagnostics that answers that version, with a warm server and a real LSP client
// (vscode-languageserver-protocol), on a git copy of the hippocampus monorepo:
//   (a) the cilium-etcd overlay patch, toggling `readOnlyRootFilesystem: false` in the buffer
//       (target: median under 100 ms), against `kubectl kustomize` of that overlay in the same run;
//   (b) files read by more and more overlays (up to the most shared base file): the latency
//       grows with the overlays that read the file, not with the repository; the same one-overlay
//       change on the small example component (fixtures/cilium-etcd) shows the repository's size
//       does not count.
// The server is bundled from src/ (src/lsp/bin.ts, as the tests do), not taken from dist/. The
// latency includes the server's debounce (its default, unless BENCH_LSP_DEBOUNCE_MS is set).
// Prints a JSON summary on stdout (also written to $BENCH_LSP_OUT when set); needs
// ../shared/corpus/hippocampus (or $CILIUM_ETCD_LINT_CORPUS) and kubectl.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { bundleCli } from '../test/lsp/support/bundle.mjs';
import { makeWritable } from './support.mjs';

const require = createRequire(import.meta.url);
const protocol = require('vscode-languageserver-protocol/node');

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const corpus = process.env.CILIUM_ETCD_LINT_CORPUS ?? path.resolve(root, '../shared/corpus');
const reps = Number(process.env.BENCH_LSP_REPS ?? 21);
const warmup = 5;

if (!existsSync(path.join(corpus, 'hippocampus/repo'))) {
  console.error(`bench-lsp: corpus not found at ${corpus}`);
  process.exit(2);
}
const haveKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;

const scratch = mkdtempSync(path.join(tmpdir(), 'cel-bench-lsp-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));

function gitCopy(from, sub = '') {
  const dest = mkdtempSync(path.join(scratch, 'repo-'));
  cpSync(from, path.join(dest, sub), { recursive: true });
  makeWritable(dest);
  spawnSync('git', ['init', '-q'], { cwd: dest });
  return dest;
}
const stats = (samples) => {
  const s = [...samples].sort((a, b) => a - b);
  const q = (p) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: Number(q(0.5).toFixed(1)), p90: Number(q(0.9).toFixed(1)), min: Number(s[0].toFixed(1)), runs: s.length };
};

/** How many kustomization roots read each file (the server's own index: DependencyIndex over allTargets). */
async function readerCounts(repo) {
  const entry = `
    import { DependencyIndex } from './src/lint/affected.ts';
    import { allTargets } from './src/lint/targets.ts';
    import { cachingFileSystem, nodeFileSystem } from './src/render/fs.ts';
    const cwd = process.argv[2];
    const targets = allTargets(cwd, []);
    const index = new DependencyIndex(targets, { cwd, fs: cachingFileSystem(nodeFileSystem), argocd: true });
    const counts = {};
    for (const t of targets) for (const f of index.dependencies(t).files) counts[f] = (counts[f] ?? 0) + 1;
    process.stdout.write(JSON.stringify({ targets: targets.length, counts }));
  `;
  const out = path.join(scratch, 'reader-counts.cjs');
  await build({
    stdin: { contents: entry, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile: out,
    logLevel: 'error',
    define: { 'import.meta.url': '__u' },
    banner: { js: "var __u = require('node:url').pathToFileURL(__filename).href;" },
  });
  return JSON.parse(spawnSync(process.execPath, [out, repo], { encoding: 'utf8', maxBuffer: 1 << 26 }).stdout);
}

class Client {
  constructor(bundle, cwd, initializationOptions) {
    this.proc = spawn(process.execPath, [bundle, 'lsp', '--stdio'], { cwd, stdio: 'pipe' });
    this.proc.stderr.resume();
    this.conn = protocol.createProtocolConnection(
      new protocol.StreamMessageReader(this.proc.stdout),
      new protocol.StreamMessageWriter(this.proc.stdin),
    );
    this.waiters = [];
    this.logs = [];
    this.versions = new Map();
    this.conn.onNotification(protocol.PublishDiagnosticsNotification.type, (p) => {
      const t = performance.now();
      for (const w of [...this.waiters]) {
        if (w.uri !== p.uri || w.version !== p.version) continue;
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve({ t, p });
      }
    });
    this.conn.onNotification(protocol.LogMessageNotification.type, (p) => this.logs.push(p.message));
    this.conn.onRequest('client/registerCapability', () => null);
    this.conn.listen();
    this.cwd = cwd;
    this.initializationOptions = initializationOptions;
  }
  async init() {
    const uri = pathToFileURL(this.cwd).href;
    await this.conn.sendRequest(protocol.InitializeRequest.type, {
      processId: process.pid,
      rootUri: uri,
      workspaceFolders: [{ uri, name: 'bench' }],
      capabilities: {},
      initializationOptions: this.initializationOptions,
    });
    await this.conn.sendNotification(protocol.InitializedNotification.type, {});
  }
  published(file, version) {
    return new Promise((resolve) => this.waiters.push({ uri: pathToFileURL(file).href, version, resolve }));
  }
  async open(file, text) {
    const uri = pathToFileURL(file).href;
    this.versions.set(uri, 1);
    const done = this.published(file, 1);
    await this.conn.sendNotification(protocol.DidOpenTextDocumentNotification.type, {
      textDocument: { uri, languageId: 'yaml', version: 1, text },
    });
    return done;
  }
  /** Replaces the buffer; resolves with the ms from sending the change to the answering publication, and what the server logged meanwhile. */
  async change(file, text) {
    const uri = pathToFileURL(file).href;
    const version = this.versions.get(uri) + 1;
    this.versions.set(uri, version);
    const done = this.published(file, version);
    const logsBefore = this.logs.length;
    const t0 = performance.now();
    await this.conn.sendNotification(protocol.DidChangeTextDocumentNotification.type, {
      textDocument: { uri, version },
      contentChanges: [{ text }],
    });
    const { t, p } = await done;
    const linted = this.logs
      .slice(logsBefore)
      .map((l) => /^linted (\d+) targets? in ([\d.]+) ms/.exec(l))
      .filter(Boolean)
      .at(-1);
    return {
      ms: t - t0,
      diagnostics: p.diagnostics,
      targets: linted ? Number(linted[1]) : undefined,
      serverMs: linted ? Number(linted[2]) : undefined,
    };
  }
  async close() {
    await this.conn.sendRequest(protocol.ShutdownRequest.type);
    await this.conn.sendNotification(protocol.ExitNotification.type);
    this.conn.dispose();
  }
}

/** Latency of changes to `file` alternating between `texts` (after warm-up). */
async function measure(client, file, texts) {
  await client.open(file, texts[0]);
  const samples = [];
  const server = [];
  let targets;
  for (let i = 0; i < warmup + reps; i++) {
    const r = await client.change(file, texts[(i + 1) % texts.length]);
    if (i >= warmup) {
      samples.push(r.ms);
      if (r.serverMs !== undefined) server.push(r.serverMs);
    }
    targets = r.targets ?? targets;
  }
  return { targets, latency: stats(samples), serverLint: server.length ? stats(server) : undefined };
}

const debounce = process.env.BENCH_LSP_DEBOUNCE_MS !== undefined ? Number(process.env.BENCH_LSP_DEBOUNCE_MS) : undefined;
const initOptions = debounce !== undefined ? { debounceMs: debounce } : {};
const bundle = await bundleCli(scratch);
const repo = gitCopy(path.join(corpus, 'hippocampus/repo'));
const overlay = 'cluster/manifests/cilium-etcd/overlays/dev';
const patch = path.join(repo, overlay, 'patches/stateful_set.yaml');
const original = readFileSync(patch, 'utf8');
const overridden = original.replace(
  /\n {2}template:\n([\s\S]*?)\n {4}spec:\n/,
  (m) => `${m}      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n`,
);
if (overridden === original) throw new Error('bench-lsp: could not place the override in the patch');

const result = {
  machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, node: process.version },
  reps,
  warmup,
  debounceMs: debounce ?? 'server default',
};

// (a) the cilium-etcd overlay patch, warm server.
{
  const t0 = performance.now();
  const client = new Client(bundle, repo, initOptions);
  await client.init();
  const first = await client.open(patch, original);
  const ready = performance.now() - t0;
  void first;
  const m = await measure(client, patch, [original, overridden]);
  const last = await client.change(patch, overridden);
  await client.close();
  result.ciliumEtcdPatch = {
    file: path.relative(repo, patch),
    ...m,
    firstDiagnosticsAfterStartMs: Number(ready.toFixed(0)),
    errorOnLine: last.diagnostics.find((d) => d.code === 'read-only-root-filesystem')?.range.start.line,
    target: 'median < 100 ms',
  };
}

// kubectl kustomize of the same overlay, in the same run.
if (haveKubectl) {
  const samples = [];
  for (let i = 0; i < Math.max(5, Math.min(reps, 11)); i++) {
    const t0 = performance.now();
    const r = spawnSync('kubectl', ['kustomize', overlay], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 26 });
    if (r.status !== 0) throw new Error(`kubectl kustomize ${overlay}: ${r.stderr}`);
    samples.push(performance.now() - t0);
  }
  result.kubectlKustomize = stats(samples);
  result.ratioPatchToKubectl = Number((result.ciliumEtcdPatch.latency.median / result.kubectlKustomize.median).toFixed(3));
} else result.kubectlKustomize = 'kubectl not found';

// (b) files read by more and more overlays.
{
  const { targets: total, counts } = await readerCounts(repo);
  const isPlain = (f) => /\.ya?ml$/.test(f) && !/kustomization\.ya?ml$/.test(f) && !readFileSync(f, 'utf8').includes('argoproj.io');
  const byCount = new Map();
  for (const [f, n] of Object.entries(counts)) if (isPlain(f) && !byCount.has(n)) byCount.set(n, f);
  const sizes = [...byCount.keys()].sort((a, b) => a - b);
  const pick = [...new Set([sizes[0], ...[2, 4, 8].map((n) => sizes.find((s) => s >= n)), sizes.at(-1)].filter((n) => n !== undefined))];
  const client = new Client(bundle, repo, initOptions);
  await client.init();
  const rows = [];
  for (const n of pick) {
    const file = byCount.get(n);
    const text = readFileSync(file, 'utf8');
    const m = await measure(client, file, [text, `${text}\n# edited\n`]);
    rows.push({
      file: path.relative(repo, file),
      readers: n,
      ...m,
      msPerTarget: Number((m.latency.median / Math.max(1, m.targets ?? n)).toFixed(2)),
    });
  }
  await client.close();
  result.sharedBases = { repositoryTargets: total, rows };
}

// The same one-overlay change on the small example component: the repository's size does not count.
{
  const small = gitCopy(path.join(root, 'fixtures/cilium-etcd'), 'fixtures/cilium-etcd');
  const file = path.join(small, 'fixtures/cilium-etcd/overlays/dev/patches/stateful_set.yaml');
  const text = readFileSync(file, 'utf8');
  const client = new Client(bundle, small, initOptions);
  await client.init();
  const m = await measure(client, file, [
    text,
    text.replace('- name: etcd\n', '- name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n'),
  ]);
  await client.close();
  result.exampleComponentPatch = { repositoryTargets: 1, ...m };
}

const json = JSON.stringify(result, null, 2);
if (process.env.BENCH_LSP_OUT) writeFileSync(process.env.BENCH_LSP_OUT, `${json}\n`);
process.stdout.write(`${json}\n`);
const a = result.ciliumEtcdPatch;
console.error(
  `lsp: cilium-etcd overlay patch → diagnostics: median ${a.latency.median} ms (p90 ${a.latency.p90}, server lint ${a.serverLint?.median} ms)` +
    (typeof result.kubectlKustomize === 'object'
      ? `; kubectl kustomize of the overlay: median ${result.kubectlKustomize.median.toFixed(1)} ms (ratio ${result.ratioPatchToKubectl})`
      : ''),
);
for (const r of result.sharedBases.rows)
  console.error(
    `lsp: ${r.file}: read by ${r.readers} of ${result.sharedBases.repositoryTargets} roots → median ${r.latency.median} ms (server lint ${r.serverLint?.median} ms, ${r.targets} targets)`,
  );
console.error(`lsp: example component (1 root) patch → median ${result.exampleComponentPatch.latency.median} ms`);
