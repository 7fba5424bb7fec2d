// Pull-request mode benchmark (for scripts/bench.mjs to call, or run alone: node scripts/bench-pr.mjs).
// On a git copy of the hippocampus monorepo with one changed file (the cilium-etcd overlay patch
// breaking readOnlyRootFilesystem): `--base main` (the affected targets linted at the merge-base,
// from git objects, and in the working tree), `diff --base main` (the rendered diff), and, for
// comparison, `--since main` (the working tree only). Cold processes, median of BENCH_REPS runs.
// Needs ../shared/corpus/hippocampus. Uses dist/cli.cjs when it has PR mode, else a bundle of src/.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { makeWritable } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function git(cwd, ...args) {
  const r = spawnSync('git', ['-c', 'user.email=bench@example.com', '-c', 'user.name=bench', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** The CLI to time: the committed bundle when it has PR mode, else src/ bundled into `scratch`. */
async function cliCommand(scratch) {
  const dist = path.join(root, 'dist/cli.cjs');
  if (existsSync(dist) && readFileSync(dist, 'utf8').includes('--fail-on'))
    return { cmd: process.execPath, pre: [path.join(root, 'bin/cilium-etcd-lint.js')], which: 'dist/cli.cjs' };
  const { build } = await import('esbuild');
  const outfile = path.join(scratch, 'cli.cjs');
  await build({
    entryPoints: [path.join(root, 'src/cli/index.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    outfile,
    logLevel: 'error',
    // The sources find rules/ and schemas/ relative to their own place (src/<dir>/): the bundle is placed there.
    define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(root, 'src/cli/bench-bundle.cjs')).href) },
  });
  return {
    cmd: process.execPath,
    pre: [outfile],
    which: 'src/ bundled by esbuild (dist/ has no PR mode yet: not precompiled, no code cache)',
  };
}

function timed(cli, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cli.cmd, [...cli.pre, ...args], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
    env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: 'off' },
  });
  return { ms: Number(process.hrtime.bigint() - t0) / 1e6, status: r.status, stdout: r.stdout, stderr: r.stderr };
}

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * Runs the PR-mode benchmark. `corpus`: the directory holding hippocampus/repo; `reps`: runs per
 * measure. Returns the figures (milliseconds, medians) and what each run found.
 */
export async function benchPr({ corpus = path.resolve(root, '../shared/corpus'), reps = Number(process.env.BENCH_REPS ?? 5) } = {}) {
  const scratch = mkdtempSync(path.join(tmpdir(), 'cel-bench-pr-'));
  try {
    const repo = path.join(scratch, 'repo');
    cpSync(path.join(corpus, 'hippocampus/repo'), repo, { recursive: true });
    makeWritable(repo);
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', 'upstream');
    const patch = path.join(repo, 'cluster/manifests/cilium-etcd/overlays/dev/patches/stateful_set.yaml');
    writeFileSync(
      patch,
      readFileSync(patch, 'utf8').replace(
        '    spec:\n      dnsConfig:',
        '    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n      dnsConfig:',
      ),
    );
    const cli = await cliCommand(scratch);
    const measure = (args) => {
      const runs = Array.from({ length: reps }, () => timed(cli, args, repo));
      return { runs, ms: Math.round(median(runs.map((r) => r.ms))) };
    };
    const base = measure(['--base', 'main', '--format', 'json']);
    const doc = JSON.parse(base.runs[0].stdout);
    const diff = measure(['diff', '--base', 'main']);
    const since = measure(['--since', 'main', '--format', 'json']);
    return {
      cli: cli.which,
      reps,
      changedFiles: 1,
      baseMode: { ms: base.ms, exit: base.runs[0].status, targets: doc.targets.length, counts: doc.baseline.counts },
      diff: {
        ms: diff.ms,
        exit: diff.runs[0].status,
        sections: (diff.runs[0].stdout.match(/^# /gm) ?? []).length,
        bytes: Buffer.byteLength(diff.runs[0].stdout),
      },
      sinceOnly: { ms: since.ms, exit: since.runs[0].status },
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const corpus = process.env.CILIUM_ETCD_LINT_CORPUS ?? path.resolve(root, '../shared/corpus');
  if (!existsSync(path.join(corpus, 'hippocampus/repo'))) {
    console.error(`bench-pr: corpus not found at ${corpus}`);
    process.exit(2);
  }
  console.log(JSON.stringify(await benchPr({ corpus }), null, 2));
}
