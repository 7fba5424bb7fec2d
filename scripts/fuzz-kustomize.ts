/*
 * Differential fuzzer: random kustomization trees (test/fuzz-kustomize/generate.ts), each built
 * with `kubectl kustomize` and with the built-in renderer; the two must agree: the same bytes
 * (and so the same objects), or both refuse the tree. Each new kind of disagreement is shrunk
 * (fast-check's shrinking, the same kind of disagreement kept) to a minimal tree, which is saved
 * with kubectl's output and ours, ready to become a regression fixture
 * (fixtures/kustomize-regressions/, see docs/renderer.md).
 *
 *   npm run fuzz:kustomize -- [--seconds 60] [--seed N] [--runs N] [--jobs 2] [--out DIR]
 *                             [--case I] [--shrink-seconds 60] [--require-kubectl] [--verbose]
 *   npm run fuzz:kustomize -- --record fixtures/kustomize-regressions/<name> ...
 *
 * `--record` writes a regression fixture's expected output (expected.yaml, or
 * expected-error.txt when kubectl refuses the tree) from kubectl: the fixture's tree is
 * `input/`, built at `input/<case.json build_dir_in_input>`.
 *
 * Seedable (the seed is printed; `--seed N --case I` replays one case and prints its tree and
 * both outputs) and time-bounded. Exit 0: no disagreement outside the accepted list; 1: some;
 * 2: usage. Without kubectl it prints that nothing was compared and exits 0 (3 with
 * --require-kubectl): never a silent pass.
 */
import { execFile, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { UserError } from '../src/model/errors.ts';
import { stripProvenance, type Json } from '../src/model/provenance.ts';
import { renderKustomization } from '../src/render/build.ts';
import { nodeFileSystem } from '../src/render/fs.ts';
import { KUSTOMIZE_VERSION } from '../src/render/version.ts';
import { loadYamlDocuments } from '../src/yaml/load.ts';
import { printKustomizeStream } from '../src/yaml/print.ts';
import { treeSpec, writeTree, type Tree, type TreeSpec } from '../test/fuzz-kustomize/generate.ts';

interface Options {
  seconds: number;
  seed: number;
  runs: number;
  jobs: number;
  out: string;
  only?: number;
  /** Fixture directories whose expected output to (re)write from kubectl. */
  record: string[];
  shrinkSeconds: number;
  requireKubectl: boolean;
  verbose: boolean;
}

function parseOptions(argv: string[]): Options {
  const o: Options = {
    seconds: 60,
    seed: Math.floor(Math.random() * 2 ** 31),
    runs: Infinity,
    jobs: Math.max(1, Math.min(4, os.availableParallelism?.() ?? 2)),
    out: '',
    shrinkSeconds: 60,
    requireKubectl: false,
    verbose: false,
    record: [],
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const num = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) usage(`${a} needs a number`);
      return v;
    };
    if (a === '--') continue;
    else if (a === '--seconds') o.seconds = num();
    else if (a === '--seed') o.seed = Math.floor(num());
    else if (a === '--runs') o.runs = Math.floor(num());
    else if (a === '--jobs') o.jobs = Math.max(1, Math.floor(num()));
    else if (a === '--out') o.out = path.resolve(argv[++i] ?? usage('--out needs a directory'));
    else if (a === '--case') o.only = Math.floor(num());
    else if (a === '--shrink-seconds') o.shrinkSeconds = num();
    else if (a === '--require-kubectl') o.requireKubectl = true;
    else if (a === '--record') {
      // One or more fixture directories: every argument up to the next option.
      const start = o.record.length;
      while (i + 1 < argv.length && !argv[i + 1]!.startsWith('--')) o.record.push(path.resolve(argv[++i]!));
      if (o.record.length === start) usage('--record needs a fixture directory');
    } else if (a === '--verbose') o.verbose = true;
    else if (a === '--help' || a === '-h') {
      console.log(
        'usage: npm run fuzz:kustomize -- [--seconds 60] [--seed N] [--runs N] [--jobs N] [--out DIR] [--case I] [--shrink-seconds 60] [--require-kubectl] [--verbose]\n       npm run fuzz:kustomize -- --record DIR...',
      );
      process.exit(0);
    } else usage(`unknown argument ${a}`);
  }
  o.out ||= path.join(os.tmpdir(), `fuzz-kustomize-${o.seed}`);
  return o;
}

function usage(msg: string): never {
  console.error(`fuzz-kustomize: ${msg} (see --help)`);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// One comparison

export type Category =
  'byte-equal' | 'both-fail' | 'declined' | 'bytes-differ' | 'objects-differ' | 'accepts-invalid' | 'refuses-valid' | 'crash';
const AGREE: Category[] = ['byte-equal', 'both-fail', 'declined'];

interface Outcome {
  category: Category;
  /** Coarse: what must stay the same while shrinking, and what groups disagreements. */
  signature: string;
  detail: string;
  kubectl: { out?: string; err?: string };
  ours: { out?: string; err?: string };
}

function kubectlKustomize(dir: string): Promise<{ out?: string; err?: string }> {
  return new Promise((resolve) => {
    execFile('kubectl', ['kustomize', dir], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 60_000 }, (error, stdout, stderr) => {
      const why = (stderr || error?.message || '')
        .split('\n')
        .filter((l) => !l.startsWith('# Warning:'))
        .join('\n')
        .replace(/^E\d{4} [\d:.]+\s+\d+ run\.go:\d+\] "command failed" err=/, '')
        .trim();
      resolve(error ? { err: why } : { out: stdout });
    });
  });
}

function ours(root: string, buildDir = 'overlay'): { out?: string; objects?: Json[]; err?: string; crash?: string } {
  try {
    const objects = renderKustomization(path.join(root, buildDir), { fs: nodeFileSystem, root }).resources.map((r) =>
      stripProvenance(r.object),
    );
    return { out: printKustomizeStream(objects), objects };
  } catch (e) {
    if (e instanceof UserError) {
      const where = e.location ? `${path.relative(root, e.location.file)}:${e.location.line}:${e.location.column}: ` : '';
      return { err: `${where}${e.message}` };
    }
    return { crash: (e as Error)?.stack ?? String(e) };
  }
}

/** Messages of the built-in renderer that decline a feature it does not implement (exit 2, by design). */
const DECLINE =
  /not implemented by the built-in renderer|use --renderer kustomize|never runs programs|came after kustomize|later versions \(ArgoCD/;

/** The root cause of a kustomize error chain (`a: b: cause`), made generic. */
function kubectlCause(err: string): string {
  let text = err
    .replace(/^</, '')
    .replace(/>$/, '')
    .replace(/^Error: /, '')
    .replace(/^"|"$/g, '')
    .replace(/\\"/g, '"')
    .replace(/\s+/g, ' ')
    .trim();
  const wrappers = [
    /^accumulating resources: /,
    /^accumulation err='accumulating resources from '[^']*': '[^']*' must resolve to a file': /,
    /^recursed accumulation of path '[^']*': /,
    /^merging resources from '[^']*': /,
    /^accumulating components: /,
    /^couldn't make target for path '[^']*': /,
    /^merging from generator &\{[^}]*\}: /,
  ];
  for (let again = true; again;) {
    again = false;
    for (const w of wrappers) {
      if (w.test(text)) {
        text = text.replace(w, '');
        again = true;
      }
    }
  }
  return generic(
    text
      .replace(/ goroutine \d+ \[running\].*$/, '')
      .replace(/resid\.ResId\{.*?\}\}?/g, 'ResId')
      .replace(/\b[A-Z]\w*\.[\w[\]]+\.[\w.[\]]+\/[\w.[\]-]+\.[\w[\]-]+/g, '<id>'),
  );
}

/** Normalises a message into a signature: names, numbers, paths and quoted text made generic. */
function generic(msg: string): string {
  return msg
    .replace(/\/tmp\/\S+/g, '<path>')
    .replace(/"[^"]*"/g, '"…"')
    .replace(/'[^']*'/g, "'…'")
    .replace(/\b\d+\b/g, '#')
    .replace(/\s+/g, ' ')
    .slice(0, 160);
}

function firstDiffPath(a: Json, b: Json, at: string): string {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const x = (a as Record<string, Json>)[k];
      const y = (b as Record<string, Json>)[k];
      if (!isDeepStrictEqual(x, y)) return firstDiffPath(x as Json, y as Json, `${at}.${k}`);
    }
  }
  return `${at || '(root)'}: ours ${JSON.stringify(a)?.slice(0, 200)}, kubectl ${JSON.stringify(b)?.slice(0, 200)}`;
}

export async function compareTree(tree: Tree, dirPrefix = 'fk-'): Promise<Outcome> {
  const root = mkdtempSync(path.join(os.tmpdir(), dirPrefix));
  try {
    for (const [rel, text] of Object.entries(tree)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    const k = await kubectlKustomize(path.join(root, 'overlay'));
    const o = ours(root);
    const base = {
      kubectl: k,
      ours: { ...(o.out !== undefined ? { out: o.out } : {}), ...(o.err ? { err: o.err } : {}), ...(o.crash ? { err: o.crash } : {}) },
    };
    if (o.crash) return { ...base, category: 'crash', signature: `crash ${generic(o.crash.split('\n')[0]!)}`, detail: o.crash };
    if (k.err !== undefined && o.err !== undefined)
      return { ...base, category: 'both-fail', signature: `both-fail ${kubectlCause(k.err)}`, detail: '' };
    if (k.err !== undefined)
      return { ...base, category: 'accepts-invalid', signature: `accepts-invalid ${kubectlCause(k.err)}`, detail: k.err };
    if (o.err !== undefined) {
      if (DECLINE.test(o.err))
        return { ...base, category: 'declined', signature: `declined ${generic(o.err.replace(/^[^:]+:\d+:\d+: /, ''))}`, detail: o.err };
      return {
        ...base,
        category: 'refuses-valid',
        signature: `refuses-valid ${generic(o.err.replace(/^[^:]+:\d+:\d+: /, ''))}`,
        detail: o.err,
      };
    }
    if (o.out === k.out) return { ...base, category: 'byte-equal', signature: 'byte-equal', detail: '' };
    const want = loadYamlDocuments(k.out!, { file: 'kubectl-output' }, { scalars: 'yaml11' })
      .map((d) => stripProvenance(d.value))
      .filter((v) => v !== null && v !== undefined);
    const got = o.objects!;
    if (got.length !== want.length || !isDeepStrictEqual(got, want)) {
      const i = got.findIndex((g, j) => !isDeepStrictEqual(g, want[j]));
      const w = (want[i] ?? got[i]) as { kind?: string } | undefined;
      const where =
        got.length !== want.length ? `${got.length} objects, kubectl ${want.length}` : `${w?.kind} ${firstDiffPath(got[i]!, want[i]!, '')}`;
      const sigPath =
        got.length !== want.length ? 'count' : `${w?.kind} ${firstDiffPath(got[i]!, want[i]!, '').split(':')[0]!.replace(/\.\d+/g, '.#')}`;
      return { ...base, category: 'objects-differ', signature: `objects-differ ${sigPath}`, detail: where };
    }
    const gl = o.out!.split('\n');
    const kl = k.out!.split('\n');
    const n = gl.findIndex((l, j) => l !== kl[j]);
    return {
      ...base,
      category: 'bytes-differ',
      signature: `bytes-differ ${generic((kl[n] ?? '').trim().split(':')[0]!)}`,
      detail: `line ${n + 1}: ours ${JSON.stringify(gl[n])}, kubectl ${JSON.stringify(kl[n])}`,
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Accepted differences: where the built-in renderer knowingly differs (each with its reason; see
// docs/renderer.md). A disagreement matching one is counted, not failed.

export const ACCEPTED: { id: string; reason: string; test: (o: Outcome) => boolean }[] = [];

// ---------------------------------------------------------------------------------------------

function caseSeed(seed: number, i: number): number {
  return (seed + Math.imul(i, 0x9e3779b1)) | 0;
}

function saveCase(dir: string, tree: Tree, o: Outcome, meta: Record<string, unknown>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [rel, text] of Object.entries(tree)) {
    mkdirSync(path.dirname(path.join(dir, 'input', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'input', rel), text);
  }
  if (o.kubectl.out !== undefined) writeFileSync(path.join(dir, 'expected.yaml'), o.kubectl.out);
  else writeFileSync(path.join(dir, 'expected-error.txt'), `${o.kubectl.err}\n`);
  if (o.ours.out !== undefined) writeFileSync(path.join(dir, 'ours.yaml'), o.ours.out);
  else writeFileSync(path.join(dir, 'ours-error.txt'), `${o.ours.err}\n`);
  writeFileSync(
    path.join(dir, 'case.json'),
    JSON.stringify(
      {
        build_dir_in_input: 'overlay',
        kustomize: KUSTOMIZE_VERSION,
        category: o.category,
        signature: o.signature,
        detail: o.detail,
        ...meta,
      },
      null,
      2,
    ) + '\n',
  );
}

function printTree(tree: Tree): void {
  for (const [rel, text] of Object.entries(tree).sort()) console.log(`==> ${rel} <==\n${text}${text.endsWith('\n') ? '' : '\n'}`);
}

function probeKubectl(): { ok: true; version: string } | { ok: false; why: string } {
  const r = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 20_000 });
  if (r.error) return { ok: false, why: `kubectl is not runnable (${r.error.message})` };
  if (r.status !== 0) return { ok: false, why: `\`kubectl version --client\` failed: ${(r.stderr || '').trim()}` };
  return { ok: true, version: /Kustomize Version:\s*(\S+)/.exec(r.stdout)?.[1] ?? 'unknown' };
}

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  const kubectl = probeKubectl();
  if (!kubectl.ok) {
    console.log(
      `fuzz-kustomize: SKIPPED, nothing was compared: ${kubectl.why}. Install kubectl (it embeds kustomize ${KUSTOMIZE_VERSION}) to run the differential fuzzer.`,
    );
    process.exit(opts.requireKubectl ? 3 : 0);
  }
  if (kubectl.version !== KUSTOMIZE_VERSION)
    console.log(`fuzz-kustomize: warning: kubectl embeds Kustomize ${kubectl.version}; the built-in renderer follows ${KUSTOMIZE_VERSION}`);

  if (opts.record.length) {
    let bad = 0;
    for (const dir of opts.record) {
      const meta = JSON.parse(readFileSync(path.join(dir, 'case.json'), 'utf8')) as {
        build_dir_in_input?: string;
        refused_by_design?: string;
      };
      const k = await kubectlKustomize(path.join(dir, 'input', meta.build_dir_in_input ?? '.'));
      rmSync(path.join(dir, 'expected.yaml'), { force: true });
      rmSync(path.join(dir, 'expected-error.txt'), { force: true });
      if (k.out !== undefined) writeFileSync(path.join(dir, 'expected.yaml'), k.out);
      else writeFileSync(path.join(dir, 'expected-error.txt'), `${k.err!.replace(/\/(tmp|work)\/\S*?(?=fixtures\/)/g, '')}\n`);
      const o = ours(path.join(dir, 'input'), meta.build_dir_in_input ?? '.');
      const agrees = meta.refused_by_design
        ? o.err !== undefined && new RegExp(meta.refused_by_design).test(o.err)
        : k.out !== undefined
          ? o.out === k.out
          : o.err !== undefined;
      if (!agrees) bad++;
      console.log(
        `${agrees ? 'agrees  ' : 'DIFFERS '} ${path.relative(process.cwd(), dir)}: kubectl ${k.out !== undefined ? 'renders' : 'refuses'}, ours ${o.out !== undefined ? 'renders' : `refuses (${o.err ?? o.crash})`}`,
      );
    }
    process.exit(bad ? 1 : 0);
  }

  if (opts.only !== undefined) {
    const [spec] = fc.sample(treeSpec, { seed: caseSeed(opts.seed, opts.only), numRuns: 1 });
    const tree = writeTree(spec!);
    printTree(tree);
    const o = await compareTree(tree);
    console.log(`# ${o.category}: ${o.signature}\n${o.detail}`);
    console.log(`# kubectl:\n${o.kubectl.out ?? o.kubectl.err}\n# ours:\n${o.ours.out ?? o.ours.err}`);
    process.exit(AGREE.includes(o.category) ? 0 : 1);
  }

  const start = Date.now();
  const deadline = start + opts.seconds * 1000;
  console.log(
    `fuzz-kustomize: seed ${opts.seed}, ${opts.seconds} s, ${opts.jobs} jobs, kubectl kustomize ${kubectl.version} vs the built-in renderer (follows ${KUSTOMIZE_VERSION}); cases that disagree are saved under ${opts.out}`,
  );
  const counts = new Map<Category, number>();
  const declined = new Map<string, number>();
  const bothFail = new Map<string, number>();
  const found = new Map<string, { count: number; first: number; accepted?: string; saved?: string; detail: string; files?: number }>();
  let next = 0;
  let done = 0;

  const runOne = async (i: number): Promise<void> => {
    const seed = caseSeed(opts.seed, i);
    let first: Outcome | undefined;
    let best: { tree: Tree; outcome: Outcome } | undefined;
    let shrinkUntil = 0;
    let shrinking = false;
    await fc.check(
      fc.asyncProperty(treeSpec, async (spec: TreeSpec) => {
        if (shrinking && (Date.now() > shrinkUntil || Date.now() > deadline + opts.shrinkSeconds * 1000)) return true;
        const tree = writeTree(spec);
        const o = await compareTree(tree);
        if (!first) {
          first = o;
          counts.set(o.category, (counts.get(o.category) ?? 0) + 1);
          if (o.category === 'declined') declined.set(o.signature, (declined.get(o.signature) ?? 0) + 1);
          if (o.category === 'both-fail') bothFail.set(o.signature, (bothFail.get(o.signature) ?? 0) + 1);
          if (AGREE.includes(o.category)) return true;
          const seen = found.get(o.signature);
          if (seen) {
            seen.count++;
            return true;
          }
          const accepted = ACCEPTED.find((a) => a.test(o));
          found.set(o.signature, { count: 1, first: i, detail: o.detail, ...(accepted ? { accepted: accepted.id } : {}) });
          if (accepted) return true;
          best = { tree, outcome: o };
          shrinking = true;
          shrinkUntil = Date.now() + opts.shrinkSeconds * 1000;
          return false;
        }
        if (o.signature !== first.signature) return true;
        best = { tree, outcome: o };
        return false;
      }),
      { seed, numRuns: 1, endOnFailure: false },
    );
    done++;
    if (best && first) {
      const dir = path.join(opts.out, `${String(i).padStart(5, '0')}-${first.category}`);
      saveCase(dir, best.tree, best.outcome, {
        seed: opts.seed,
        case: i,
        replay: `npm run fuzz:kustomize -- --seed ${opts.seed} --case ${i}`,
      });
      const entry = found.get(first.signature)!;
      entry.saved = dir;
      entry.detail = best.outcome.detail;
      entry.files = Object.keys(best.tree).length;
      console.log(
        `DISAGREEMENT ${first.signature}\n  case ${i} (replay: --seed ${opts.seed} --case ${i}); shrunk to ${entry.files} files: ${dir}\n  ${best.outcome.detail.split('\n')[0]}`,
      );
    } else if (opts.verbose && first) console.log(`case ${i}: ${first.signature}`);
  };

  const worker = async () => {
    while (Date.now() < deadline && next < opts.runs) await runOne(next++);
  };
  await Promise.all(Array.from({ length: opts.jobs }, worker));

  const c = (k: Category) => counts.get(k) ?? 0;
  const rendered = c('byte-equal') + c('bytes-differ') + c('objects-differ');
  const pct = (n: number, d: number) => (d ? `${((100 * n) / d).toFixed(1)} %` : 'n/a');
  console.log(`\n# fuzz-kustomize summary (seed ${opts.seed}, ${((Date.now() - start) / 1000).toFixed(0)} s, ${done} cases)`);
  console.log(
    `both rendered: ${rendered}; byte-identical ${c('byte-equal')} (${pct(c('byte-equal'), rendered)}), object-identical ${c('byte-equal') + c('bytes-differ')} (${pct(c('byte-equal') + c('bytes-differ'), rendered)})`,
  );
  console.log(
    `both refused: ${c('both-fail')}; declined by the built-in renderer (exit 2, a feature it does not implement): ${c('declined')}`,
  );
  console.log(
    `we render what kubectl refuses: ${c('accepts-invalid')}; we refuse what kubectl renders: ${c('refuses-valid')}; crashes: ${c('crash')}`,
  );
  for (const [sig, n] of [...declined].sort((a, b) => b[1] - a[1]).slice(0, 10)) console.log(`  declined ×${n}: ${sig}`);
  if (opts.verbose) for (const [sig, n] of [...bothFail].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ×${n}: ${sig}`);
  const failing = [...found].filter(([, f]) => !f.accepted);
  for (const [sig, f] of found)
    console.log(
      `${f.accepted ? 'accepted' : 'DISAGREES'} ×${f.count}: ${sig}${f.accepted ? ` (${f.accepted})` : ''}\n    first case ${f.first}${f.saved ? `, shrunk: ${f.saved}` : ''}\n    ${f.detail.split('\n')[0]}`,
    );
  console.log(failing.length ? `${failing.length} kind(s) of disagreement` : 'no disagreement outside the accepted list');
  process.exit(failing.length ? 1 : 0);
}

await main();
