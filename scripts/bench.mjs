// npm run bench: cilium-etcd-lint against the real kustomize (`kubectl kustomize`) in the same run.
// Needs ../shared/corpus/hippocampus and kubectl. Absolute times are noisy; the ratios are what count.
// Writes bench-result.json (or $BENCH_OUT). (a) one overlay, cold processes; (b, c) every renderable
// dev overlay, a kubectl loop vs one run, and the rendered streams compared; (d) a synthetic
// component scaled 1x/10x/100x; (e) --changed as the pre-commit hook runs it: a change that affects
// no target (the dependency index alone), the component's base StatefulSet, and the most shared
// base, each against kubectl kustomize of what it selects.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { makeWritable } from './support.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const corpus = process.env.CILIUM_ETCD_LINT_CORPUS ?? path.resolve(root, '../shared/corpus');
const bin = path.join(root, 'bin/cilium-etcd-lint.js');
const reps = Number(process.env.BENCH_REPS ?? 7);

if (!existsSync(path.join(corpus, 'hippocampus/cases.json'))) {
  console.error(`bench: corpus not found at ${corpus}`);
  process.exit(2);
}
if (spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status !== 0) {
  console.error('bench: kubectl not found; the benchmark compares against it');
  process.exit(2);
}

/** A git copy of the monorepo, so the ArgoCD checks run as they would for a user. */
// Everything the bench writes lives under one directory, removed when it exits.
const scratch = mkdtempSync(path.join(tmpdir(), 'cel-bench-'));
process.on('exit', () => rmSync(scratch, { recursive: true, force: true }));
const repo = mkdtempSync(path.join(scratch, 'repo-'));
cpSync(path.join(corpus, 'hippocampus/repo'), repo, { recursive: true });
makeWritable(repo);
spawnSync('git', ['init', '-q'], { cwd: repo });

/** Wall time of one cold process, in ms, and its peak RSS in KiB (via GNU time when present). */
function timed(cmd, args, cwd, env = process.env) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const rssKiB = useTime ? Number((r.stderr.trim().split('\n').pop() ?? '').trim()) || undefined : undefined;
  return { ms, status: r.status, rssKiB, stdout: r.stdout, stderr: r.stderr };
}

function stats(samples) {
  const s = [...samples].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)], min: s[0], runs: s.length };
}

function repeat(fn) {
  fn(); // warm the file cache
  return stats(Array.from({ length: reps }, () => fn().ms));
}

const ratio = (a, b) => Number((a / b).toFixed(3));
const result = {
  machine: {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    nodeExtraCaCerts: !!process.env.NODE_EXTRA_CA_CERTS,
  },
  reps,
};

// (a) one overlay, cold processes. Node.js itself is timed too (`node -e 0`), and the CLI's module
// load (`--version`), so start-up is measured apart from the work. The CLI keeps a V8 code cache
// (bin/cilium-etcd-lint.js): the runs after the first use it; "first run" gives each run an empty cache.
const overlay = 'cluster/manifests/cilium-etcd/overlays/dev';
// The same, with the ArgoCD search limited to where the monorepo keeps its Applications (the
// `search` option of argocd-application), in a configuration outside the repository.
const scopedConfig = path.join(mkdtempSync(path.join(scratch, 'config-')), 'cilium-etcd-lint.yaml');
writeFileSync(scopedConfig, 'rules:\n  argocd-application: [error, { search: [cluster/manifests/argocd-applications] }]\n');
// Same rule, severity and place (a missing-Application message names the scope, so wording may differ).
const findingKeys = (out) => JSON.stringify(JSON.parse(out).findings.map((f) => [f.ruleId, f.severity, f.location]));
const sameFindings = (a, b) => findingKeys(a) === findingKeys(b);
function singleOverlay(env) {
  const run = (cmd, args) => timed(cmd, args, repo, env);
  // Interleaved: each repetition runs every variant once, so a machine that slows down or speeds
  // up during the bench moves them all alike and the ratios hold.
  const variants = {
    kubectl: () => run('kubectl', ['kustomize', overlay]),
    lint: () => run(process.execPath, [bin, overlay]),
    lintNoArgocd: () => run(process.execPath, [bin, '--no-argocd', overlay]),
    lintScoped: () => run(process.execPath, [bin, '--config', scopedConfig, overlay]),
    lintFirstRun: () =>
      timed(process.execPath, [bin, overlay], repo, { ...env, CILIUM_ETCD_LINT_CODE_CACHE: mkdtempSync(path.join(scratch, 'cache-')) }),
    nodeStart: () => run(process.execPath, ['-e', '0']),
    moduleLoad: () => run(process.execPath, [bin, '--version']),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  for (const fn of Object.values(variants)) fn(); // warm the file cache (and the code cache)
  for (let i = 0; i < reps; i++) for (const [k, fn] of Object.entries(variants)) samples[k].push(fn().ms);
  const st = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)]));
  return {
    kubectl: st.kubectl,
    lint: st.lint,
    lintNoArgocd: st.lintNoArgocd,
    lintScoped: st.lintScoped,
    lintFirstRun: st.lintFirstRun,
    nodeStartMs: st.nodeStart.median,
    moduleLoadMs: Number((st.moduleLoad.median - st.nodeStart.median).toFixed(1)),
    ratioMedian: ratio(st.lint.median, st.kubectl.median),
    ratioNoArgocdMedian: ratio(st.lintNoArgocd.median, st.kubectl.median),
    ratioScopedMedian: ratio(st.lintScoped.median, st.kubectl.median),
    ratioFirstRunMedian: ratio(st.lintFirstRun.median, st.kubectl.median),
    target: '<= 0.7',
  };
}
const inherited = { ...process.env };
// The scope must not change what is found.
const scopedSame = sameFindings(
  timed(process.execPath, [bin, '--format', 'json', overlay], repo).stdout,
  timed(process.execPath, [bin, '--format', 'json', '--config', scopedConfig, overlay], repo).stdout,
);
result.singleOverlay = { ...singleOverlay(inherited), scopedFindingsIdentical: scopedSame };
// NODE_EXTRA_CA_CERTS makes Node.js load a CA file at start-up (tens of milliseconds on some
// machines) although the linter opens no connection: measured again without it when it is set.
if (inherited.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _unused, ...env } = inherited;
  result.singleOverlayWithoutExtraCaCerts = singleOverlay(env);
}

// (b), (c) every renderable dev overlay: a kubectl loop vs one multi-target run.
const cases = JSON.parse(readFileSync(path.join(corpus, 'hippocampus/cases.json'), 'utf8')).cases.filter((c) => c.expected);
const t0 = process.hrtime.bigint();
let kubectlFailures = 0;
const kubectlOut = new Map();
for (const c of cases) {
  const r = spawnSync('kubectl', ['kustomize', c.dir], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) kubectlFailures++;
  else kubectlOut.set(c.dir, r.stdout);
}
const kubectlLoopMs = Number(process.hrtime.bigint() - t0) / 1e6;
// Three runs each, interleaved: the median counts, and the highest peak RSS.
const runs = { all: [], allScoped: [] };
for (let i = 0; i < 3; i++) {
  runs.all.push(timed(process.execPath, [bin, '--format', 'json', ...cases.map((c) => c.dir)], repo));
  runs.allScoped.push(timed(process.execPath, [bin, '--format', 'json', '--config', scopedConfig, ...cases.map((c) => c.dir)], repo));
}
const median = (list) => [...list].sort((a, b) => a.ms - b.ms)[1];
const all = { ...median(runs.all), rssKiB: Math.max(...runs.all.map((r) => r.rssKiB ?? 0)) || undefined };
const allScoped = median(runs.allScoped);
// The fidelity check: the built-in renderer's stream (the `render` command, the renderer the
// linter uses) is byte-identical to kubectl's for every overlay.
const differing = cases
  .filter(
    (c) =>
      spawnSync(process.execPath, [bin, 'render', c.dir], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 }).stdout !==
      kubectlOut.get(c.dir),
  )
  .map((c) => c.dir);
result.monorepo = {
  overlays: cases.length,
  kubectlLoopMs,
  kubectlFailures,
  lintMs: all.ms,
  lintExit: all.status,
  lintStderr: all.status === 2 ? all.stderr.trim().split('\n')[0] : undefined,
  speedup: ratio(kubectlLoopMs, all.ms),
  lintScopedMs: allScoped.ms,
  speedupScoped: ratio(kubectlLoopMs, allScoped.ms),
  scopedFindingsIdentical: sameFindings(all.stdout, allScoped.stdout),
  peakRssMiB: all.rssKiB ? Math.round(all.rssKiB / 1024) : undefined,
  renderedIdentical: `${cases.length - differing.length}/${cases.length}`,
  ...(differing.length ? { differing } : {}),
  target: 'speedup >= 10, peak RSS <= 300 MiB, every rendered stream identical',
};

// (d) a synthetic component scaled 1x, 10x, 100x in resources (3, 30, 300 StatefulSets, each with
// a Service and an overlay patch). kubectl kustomize grows quadratically here, so it runs once per size.
function synthetic(n) {
  const dir = mkdtempSync(path.join(scratch, `synth-${n}-`));
  mkdirSync(path.join(dir, 'base'));
  mkdirSync(path.join(dir, 'overlay'));
  const names = [];
  let docs = '';
  let patches = '';
  for (let i = 0; i < n; i++) {
    const name = i === 0 ? 'cilium-etcd-0' : `etcd-${i}`;
    names.push(name);
    docs += `---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  serviceName: cilium-etcd\n  selector:\n    matchLabels: {app: etcd-${i}}\n  template:\n    metadata:\n      labels: {app: etcd-${i}}\n    spec:\n      hostNetwork: true\n      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd\n          args: [--listen-client-urls=http://0.0.0.0:12379, --listen-peer-urls=http://0.0.0.0:12380, --listen-metrics-urls=http://0.0.0.0:12381, --advertise-client-urls=http://$(POD_IP):12379, --data-dir=/var/lib/cilium/etcd-0]\n          env: [{name: A, value: "1"}, {name: B, value: "2"}]\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: svc-${i}\nspec:\n  selector: {app: etcd-${i}}\n  ports: [{port: 12379}]\n`;
    patches += `---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: ${name}\nspec:\n  template:\n    spec:\n      containers:\n        - name: etcd\n          env: [{name: C, value: "3"}]\n`;
  }
  writeFileSync(path.join(dir, 'base/resources.yaml'), docs);
  writeFileSync(
    path.join(dir, 'base/kustomization.yaml'),
    `resources: [resources.yaml]\nimages:\n  - name: quay.io/coreos/etcd\n    newName: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd\n    digest: sha256:${'a'.repeat(64)}\n`,
  );
  writeFileSync(path.join(dir, 'overlay/patches.yaml'), patches);
  writeFileSync(
    path.join(dir, 'overlay/kustomization.yaml'),
    `namespace: kube-system\ncommonLabels: {team: platform}\nresources: [../base]\npatchesStrategicMerge: [patches.yaml]\n`,
  );
  return path.join(dir, 'overlay');
}
result.scaling = {};
for (const n of [3, 30, 300]) {
  const dir = synthetic(n);
  result.scaling[`${n} StatefulSets`] = {
    lint: repeat(() => timed(process.execPath, [bin, '--no-argocd', '--format', 'json', dir], scratch)).median,
    kubectl: timed('kubectl', ['kustomize', dir], scratch).ms,
  };
}
const s = Object.values(result.scaling);
result.scalingRatios = {
  '10x': ratio(s[1].lint, s[0].lint),
  '100x': ratio(s[2].lint, s[0].lint),
  '100x/10x': ratio(s[2].lint, s[1].lint),
  target: '10x the resources costs <= 10x the time',
};

// (e) Lint what a change affects (--changed), on the git copy of the monorepo, as the pre-commit
// hook runs it (cwd the repository root, the changed paths relative to it, every kustomization root
// of the repository a candidate, ArgoCD checks on).
const README = 'README.md'; // touches no kustomization: the run costs the dependency index alone
writeFileSync(path.join(repo, README), '# hippocampus\n');
const STATEFUL_SET = 'cluster/manifests/cilium-etcd/base/stateful_set.yaml';

// The index in process (src/lint/affected.ts, bundled from src/ here): which kustomization file the
// most roots read, and what building the index costs without Node.js start-up and module load.
const probeFile = path.join(scratch, 'affected-probe.mjs');
await build({
  stdin: {
    contents:
      "export { DependencyIndex } from './src/lint/affected.ts';\nexport { allTargets } from './src/lint/targets.ts';\nexport { cachingFileSystem, nodeFileSystem } from './src/render/fs.ts';\n",
    resolveDir: root,
    loader: 'ts',
  },
  bundle: true,
  platform: 'node',
  format: 'esm',
  outfile: probeFile,
  logLevel: 'warning',
  // CommonJS dependencies (yaml, ajv) require Node built-ins; files beside the bundle are looked up as from dist/.
  define: { 'import.meta.url': JSON.stringify(pathToFileURL(path.join(root, 'dist/cli.cjs')).href) },
  banner: {
    js: `import { createRequire as __cr } from 'node:module'; const require = __cr(${JSON.stringify(path.join(root, 'package.json'))});`,
  },
});
const probe = await import(pathToFileURL(probeFile).href);
function indexInProcess(argocd) {
  const t0 = performance.now();
  const candidates = probe.allTargets(repo, []);
  const index = new probe.DependencyIndex(candidates, { cwd: repo, fs: probe.cachingFileSystem(probe.nodeFileSystem), argocd });
  const affected = index.affected([path.join(repo, README)]);
  return { ms: performance.now() - t0, candidates, index, affected };
}
const firstIndex = indexInProcess(true); // the first in this process: cold JIT, as in a CLI run
const indexSamples = Array.from({ length: reps }, () => indexInProcess(true).ms);
// The shared base: the kustomization file that the most roots' builds read (ArgoCD aside: through
// an Application's kustomization every deployed root "reads" the Applications' kustomization files;
// that count is kept apart).
const isKustomizationFile = (f) => ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].includes(path.basename(f));
function readers(index, candidates) {
  const n = new Map();
  for (const c of candidates) for (const f of index.dependencies(c).files) if (isKustomizationFile(f)) n.set(f, (n.get(f) ?? 0) + 1);
  return [...n]
    .map(([f, count]) => [path.relative(repo, f).split(path.sep).join('/'), count])
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
}
const buildReaders = readers(indexInProcess(false).index, firstIndex.candidates);
const argocdReaders = readers(firstIndex.index, firstIndex.candidates);
const SHARED_BASE = buildReaders[0][0];

// What each change selects (the CLI's own answer, checked against the index in process).
const selects = (file) => {
  const r = timed(process.execPath, [bin, '--format', 'json', '--changed', file], repo);
  const j = JSON.parse(r.stdout);
  return {
    targets: j.targets.map((t) => t.path),
    fatal: j.targets.filter((t) => t.fatal).map((t) => t.path),
    status: r.status,
    changes: j.changes,
  };
};
const sel = { none: selects(README), statefulSet: selects(STATEFUL_SET), sharedBase: selects(SHARED_BASE) };
// (As sets: the run lists the targets that could not be rendered last.)
const inProcessSelects = (file) => firstIndex.index.affected([path.join(repo, file)]).targets;
const sameSet = (a, b) => JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
const selectionAgrees = [
  [README, sel.none],
  [STATEFUL_SET, sel.statefulSet],
  [SHARED_BASE, sel.sharedBase],
].every(([f, s]) => sameSet(inProcessSelects(f), s.targets));

function changedRuns(env) {
  const run = (cmd, args) => timed(cmd, args, repo, env);
  // A kubectl loop over the roots a change selects: the same work (render them), one process each.
  const kubectlLoop = (dirs) => {
    const t0 = process.hrtime.bigint();
    let failures = 0;
    for (const d of dirs) if (run('kubectl', ['kustomize', d]).status !== 0) failures++;
    return { ms: Number(process.hrtime.bigint() - t0) / 1e6, failures };
  };
  const variants = {
    kubectlComponent: () => run('kubectl', ['kustomize', overlay]),
    lintComponent: () => run(process.execPath, [bin, overlay]),
    changedNone: () => run(process.execPath, [bin, '--format', 'json', '--changed', README]),
    changedStatefulSet: () => run(process.execPath, [bin, '--changed', STATEFUL_SET]),
    kubectlStatefulSet: () => kubectlLoop(sel.statefulSet.targets),
    changedSharedBase: () => run(process.execPath, [bin, '--changed', SHARED_BASE]),
    kubectlSharedBase: () => kubectlLoop(sel.sharedBase.targets),
  };
  const samples = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
  const last = {};
  for (const fn of Object.values(variants)) fn(); // warm the file cache (and the code cache)
  for (let i = 0; i < reps; i++) {
    for (const [k, fn] of Object.entries(variants)) {
      const r = fn();
      samples[k].push(r.ms);
      last[k] = r;
    }
  }
  const st = Object.fromEntries(Object.entries(samples).map(([k, v]) => [k, stats(v)]));
  return {
    ...st,
    exit: {
      changedNone: last.changedNone.status,
      changedStatefulSet: last.changedStatefulSet.status,
      changedSharedBase: last.changedSharedBase.status,
    },
    kubectlFailures: { statefulSet: last.kubectlStatefulSet.failures, sharedBase: last.kubectlSharedBase.failures },
    ratioNoneVsKubectlComponent: ratio(st.changedNone.median, st.kubectlComponent.median),
    ratioStatefulSetVsKubectl: ratio(st.changedStatefulSet.median, st.kubectlStatefulSet.median),
    ratioSharedBaseVsKubectl: ratio(st.changedSharedBase.median, st.kubectlSharedBase.median),
    changedOverNamingMs: Number((st.changedStatefulSet.median - st.lintComponent.median).toFixed(1)),
  };
}
result.changed = {
  candidates: firstIndex.candidates.length,
  indexInProcess: {
    firstMs: Number(firstIndex.ms.toFixed(1)),
    ...stats(indexSamples.map((v) => Number(v.toFixed(1)))),
    note: 'allTargets + DependencyIndex (ArgoCD on) + affected([README.md]) in this process, bundled from src/; the first call also pays JIT warm-up and what dist/ precompiles (validators): the CLI runs are the figures for a run',
  },
  files: { none: README, statefulSet: STATEFUL_SET, sharedBase: SHARED_BASE },
  sharedBaseReadBy: buildReaders[0][1],
  mostReadByBuilds: buildReaders.slice(0, 5),
  mostReadWithArgocd: argocdReaders.slice(0, 3),
  selects: sel,
  selectionAgreesWithIndexInProcess: selectionAgrees,
  runs: changedRuns(inherited),
};
if (inherited.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _unused, ...env } = inherited;
  result.changedWithoutExtraCaCerts = changedRuns(env);
}

// The language server's latency (scripts/bench-lsp.mjs) and pull-request mode (scripts/bench-pr.mjs),
// each against kubectl kustomize in its own run: their summaries join this one.
{
  const lspOut = path.join(mkdtempSync(path.join(tmpdir(), 'cel-bench-lsp-')), 'lsp.json');
  const lsp = spawnSync(process.execPath, [path.join(here, 'bench-lsp.mjs')], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, BENCH_LSP_OUT: lspOut },
  });
  result.lsp = existsSync(lspOut) ? JSON.parse(readFileSync(lspOut, 'utf8')) : { failed: true, status: lsp.status };
  const { benchPr } = await import('./bench-pr.mjs');
  result.pullRequest = await benchPr();
}

const out = process.env.BENCH_OUT ?? path.join(root, 'bench-result.json');
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
const one = (label, r) =>
  console.log(
    `single overlay${label}: lint ${r.lint.median.toFixed(0)} ms (no ArgoCD ${r.lintNoArgocd.median.toFixed(0)} ms, ArgoCD search scoped ${r.lintScoped.median.toFixed(0)} ms, first run ${r.lintFirstRun.median.toFixed(0)} ms) vs kubectl kustomize ${r.kubectl.median.toFixed(0)} ms median -> ratio ${r.ratioMedian} (no ArgoCD ${r.ratioNoArgocdMedian}, scoped ${r.ratioScopedMedian}, first run ${r.ratioFirstRunMedian}); target <= 0.7; node start ${r.nodeStartMs.toFixed(0)} ms, module load ${r.moduleLoadMs} ms`,
  );
one('', result.singleOverlay);
if (result.singleOverlayWithoutExtraCaCerts) one(' (without NODE_EXTRA_CA_CERTS)', result.singleOverlayWithoutExtraCaCerts);
console.log(
  `single overlay: the scoped ArgoCD search finds the same ${result.singleOverlay.scopedFindingsIdentical ? '(identical findings)' : 'NOT the same (findings differ)'}`,
);
console.log(
  `monorepo: ${cases.length} overlays, kubectl loop ${kubectlLoopMs.toFixed(0)} ms vs one lint run ${all.ms.toFixed(0)} ms (median of 3; exit ${all.status}) -> ${result.monorepo.speedup}x (ArgoCD search scoped: ${allScoped.ms.toFixed(0)} ms, ${result.monorepo.speedupScoped}x, findings ${result.monorepo.scopedFindingsIdentical ? 'identical' : 'DIFFER'}); peak RSS ${result.monorepo.peakRssMiB ?? '?'} MiB; rendered streams identical ${result.monorepo.renderedIdentical}; target >= 10x, <= 300 MiB`,
);
const ch = result.changed;
console.log(
  `changed: ${ch.candidates} kustomization roots; the index in process (discovery + DependencyIndex + affected) ${ch.indexInProcess.firstMs} ms first, ${ch.indexInProcess.median} ms median after; shared base ${ch.files.sharedBase} (read by ${ch.sharedBaseReadBy} roots' builds; with ArgoCD, ${ch.mostReadWithArgocd[0][0]} is "read" by ${ch.mostReadWithArgocd[0][1]}); the CLI selects ${ch.selects.none.targets.length} / ${ch.selects.statefulSet.targets.length} / ${ch.selects.sharedBase.targets.length} targets (${ch.selects.sharedBase.fatal.length} of the last fatal), ${ch.selectionAgreesWithIndexInProcess ? 'as the index in process does' : 'NOT as the index in process does'}`,
);
const chg = (label, r) =>
  console.log(
    `changed${label}: --changed ${ch.files.none} ${r.changedNone.median.toFixed(0)} ms vs kubectl kustomize of the cilium-etcd overlay ${r.kubectlComponent.median.toFixed(0)} ms -> ${r.ratioNoneVsKubectlComponent}; --changed ${ch.files.statefulSet} ${r.changedStatefulSet.median.toFixed(0)} ms vs kubectl on its ${ch.selects.statefulSet.targets.length} overlay(s) ${r.kubectlStatefulSet.median.toFixed(0)} ms -> ${r.ratioStatefulSetVsKubectl} (naming the overlay instead: ${r.lintComponent.median.toFixed(0)} ms, so --changed adds ${r.changedOverNamingMs} ms); --changed ${ch.files.sharedBase} ${r.changedSharedBase.median.toFixed(0)} ms (exit ${r.exit.changedSharedBase}) vs a kubectl loop over its ${ch.selects.sharedBase.targets.length} roots ${r.kubectlSharedBase.median.toFixed(0)} ms (${r.kubectlFailures.sharedBase} failing) -> ${r.ratioSharedBaseVsKubectl}`,
  );
chg('', ch.runs);
if (result.changedWithoutExtraCaCerts) chg(' (without NODE_EXTRA_CA_CERTS)', result.changedWithoutExtraCaCerts);
console.log(
  `scaling: 10x resources -> ${result.scalingRatios['10x']}x time, 100x -> ${result.scalingRatios['100x']}x time (${result.scalingRatios['100x/10x']}x the 10x time); target <= 10x per 10x`,
);
console.log(`lsp: ${JSON.stringify(result.lsp)}`);
console.log(`pull request: ${JSON.stringify(result.pullRequest)}`);
console.log(`wrote ${out}`);
