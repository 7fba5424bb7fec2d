// npm run bench: cilium-etcd-lint against the real kustomize (`kubectl kustomize`) in the same run.
// Needs ../shared/corpus/hippocampus and kubectl. Absolute times are noisy; the ratios are what count.
// Writes bench-result.json (or $BENCH_OUT).
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync, chmodSync, readdirSync, statSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

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

function makeWritable(dir) {
  chmodSync(dir, 0o755);
  for (const e of readdirSync(dir)) {
    const p = path.join(dir, e);
    if (statSync(p).isDirectory()) makeWritable(p);
    else chmodSync(p, 0o644);
  }
}

/** A git copy of the monorepo, so the ArgoCD checks run as they would for a user. */
const repo = mkdtempSync(path.join(tmpdir(), 'cel-bench-'));
cpSync(path.join(corpus, 'hippocampus/repo'), repo, { recursive: true });
makeWritable(repo);
spawnSync('git', ['init', '-q'], { cwd: repo });

/** Wall time of one cold process, in ms, and its peak RSS in KiB (via GNU time when present). */
function timed(cmd, args, cwd) {
  const useTime = existsSync('/usr/bin/time');
  const t0 = process.hrtime.bigint();
  const r = useTime
    ? spawnSync('/usr/bin/time', ['-f', '%M', cmd, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 28 });
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
const result = { machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version }, reps };

// (a) one overlay, cold processes.
const overlay = 'cluster/manifests/cilium-etcd/overlays/dev';
const kubectlOne = repeat(() => timed('kubectl', ['kustomize', overlay], repo));
const oursOne = repeat(() => timed(process.execPath, [bin, overlay], repo));
const oursOneNoArgo = repeat(() => timed(process.execPath, [bin, '--no-argocd', overlay], repo));
result.singleOverlay = {
  kubectl: kubectlOne,
  lint: oursOne,
  lintNoArgocd: oursOneNoArgo,
  ratioMedian: ratio(oursOne.median, kubectlOne.median),
  ratioNoArgocdMedian: ratio(oursOneNoArgo.median, kubectlOne.median),
  target: '<= 0.7',
};

// (b), (c) every renderable dev overlay: a kubectl loop vs one multi-target run.
const cases = JSON.parse(readFileSync(path.join(corpus, 'hippocampus/cases.json'), 'utf8')).cases.filter((c) => c.expected);
const t0 = process.hrtime.bigint();
let kubectlFailures = 0;
for (const c of cases) if (spawnSync('kubectl', ['kustomize', c.dir], { cwd: repo, encoding: 'utf8', maxBuffer: 1 << 28 }).status !== 0) kubectlFailures++;
const kubectlLoopMs = Number(process.hrtime.bigint() - t0) / 1e6;
const all = timed(process.execPath, [bin, '--format', 'json', ...cases.map((c) => c.dir)], repo);
result.monorepo = {
  overlays: cases.length,
  kubectlLoopMs,
  kubectlFailures,
  lintMs: all.ms,
  lintExit: all.status,
  lintStderr: all.status === 2 ? all.stderr.trim().split('\n')[0] : undefined,
  speedup: ratio(kubectlLoopMs, all.ms),
  peakRssMiB: all.rssKiB ? Math.round(all.rssKiB / 1024) : undefined,
  target: 'speedup >= 10, peak RSS <= 300 MiB',
};

// (d) a synthetic component scaled 1x, 10x, 100x in resources (3, 30, 300 StatefulSets, each with
// a Service and an overlay patch). kubectl kustomize grows quadratically here, so it runs once per size.
function synthetic(n) {
  const dir = mkdtempSync(path.join(tmpdir(), `cel-synth-${n}-`));
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
  writeFileSync(path.join(dir, 'base/kustomization.yaml'), `resources: [resources.yaml]\nimages:\n  - name: quay.io/coreos/etcd\n    newName: ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd\n    digest: sha256:${'a'.repeat(64)}\n`);
  writeFileSync(path.join(dir, 'overlay/patches.yaml'), patches);
  writeFileSync(path.join(dir, 'overlay/kustomization.yaml'), `namespace: kube-system\ncommonLabels: {team: platform}\nresources: [../base]\npatchesStrategicMerge: [patches.yaml]\n`);
  return path.join(dir, 'overlay');
}
result.scaling = {};
for (const n of [3, 30, 300]) {
  const dir = synthetic(n);
  result.scaling[`${n} StatefulSets`] = { lint: repeat(() => timed(process.execPath, [bin, '--no-argocd', '--format', 'json', dir], tmpdir())).median, kubectl: timed('kubectl', ['kustomize', dir], tmpdir()).ms };
}
const s = Object.values(result.scaling);
result.scalingRatios = { '10x': ratio(s[1].lint, s[0].lint), '100x': ratio(s[2].lint, s[0].lint), target: '10x the resources costs <= 10x the time' };

const out = process.env.BENCH_OUT ?? path.join(root, 'bench-result.json');
writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
console.log(`single overlay: lint ${oursOne.median.toFixed(0)} ms (no ArgoCD ${oursOneNoArgo.median.toFixed(0)} ms) vs kubectl kustomize ${kubectlOne.median.toFixed(0)} ms median -> ratio ${result.singleOverlay.ratioMedian} (no ArgoCD ${result.singleOverlay.ratioNoArgocdMedian}); target <= 0.7`);
console.log(`monorepo: ${cases.length} overlays, kubectl loop ${kubectlLoopMs.toFixed(0)} ms vs one lint run ${all.ms.toFixed(0)} ms (exit ${all.status}) -> ${result.monorepo.speedup}x; peak RSS ${result.monorepo.peakRssMiB ?? '?'} MiB; target >= 10x, <= 300 MiB`);
console.log(`scaling: 10x resources -> ${result.scalingRatios['10x']}x time, 100x -> ${result.scalingRatios['100x']}x time; target <= 10x per 10x`);
console.log(`wrote ${out}`);
