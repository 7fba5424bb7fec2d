/**
 * Differential conformance harness: renders every case of a reference corpus with the built-in
 * renderer and compares with the stored output of the real kustomize (v5.5.0).
 *
 *   npm run conformance -- <corpus-dir> [--baseline <file>] [--write-baseline <file>] [--json <file>] [--quiet]
 *
 * <corpus-dir> is either a hippocampus-style corpus (cases.json with dev overlays and their
 * `expected` rendering or the `error` kustomize gave) or a krusty-style one (one folder per case
 * with input/, case.json and expected.yaml or expected-error.txt).
 *
 * A case is object-equal when the rendered objects equal kustomize's (same order), byte-equal
 * when the printed stream (as `cilium-etcd-lint render` prints it) is kustomize's output byte
 * for byte. Where kustomize fails (or needs a plugin or the network) the renderer must fail with
 * a UserError (exit 2) naming the cause.
 *
 * With --baseline, exits 1 if a case listed there as passing no longer passes (a regression).
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { parseAllDocuments } from 'yaml';
import { UserError } from '../src/model/errors.ts';
import { stripProvenance, type Json } from '../src/model/provenance.ts';
import { renderKustomization } from '../src/render/build.ts';
import { nodeFileSystem } from '../src/render/fs.ts';
import { loadYamlDocuments } from '../src/yaml/load.ts';
import { printKustomizeStream } from '../src/yaml/print.ts';

type Status =
  | 'byte-equal' // also object-equal
  | 'object-equal'
  | 'failed-as-expected'
  | 'different' // rendered, but not kustomize's objects
  | 'declined' // a UserError where kustomize renders (an unimplemented feature, ...)
  | 'version-refused' // a UserError by design: the case uses a feature kustomize added after the version the renderer follows (v5.5.0 ignores it), see docs/renderer.md
  | 'crashed' // an internal error: never acceptable
  | 'should-fail' // kustomize fails, we rendered
  | 'wrong-cause'; // plugin/network case failed for another reason

interface CaseResult {
  id: string;
  group: 'default' | 'special';
  features: string[];
  status: Status;
  detail?: string;
}

const PASS: Status[] = ['byte-equal', 'object-equal', 'failed-as-expected', 'version-refused'];

/** The renderer's refusal of a feature added to kustomize after the version it follows. */
const VERSION_REFUSAL = /came after kustomize v\d|later versions \(ArgoCD pins/;

function parseArgs(argv: string[]) {
  const args = argv.filter((a) => a !== '--');
  const opts: { corpus?: string; baseline?: string; writeBaseline?: string; json?: string; quiet: boolean; only?: string } = {
    quiet: false,
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--baseline') opts.baseline = args[++i];
    else if (a === '--write-baseline') opts.writeBaseline = args[++i];
    else if (a === '--json') opts.json = args[++i];
    else if (a === '--only') opts.only = args[++i];
    else if (a === '--quiet' || a === '-q') opts.quiet = true;
    else if (!opts.corpus) opts.corpus = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!opts.corpus) {
    console.error(
      'usage: npm run conformance -- <corpus-dir> [--baseline <file>] [--write-baseline <file>] [--json <file>] [--only <substring>] [--quiet]',
    );
    process.exit(2);
  }
  return opts as typeof opts & { corpus: string };
}

/** kustomize's output, read back as YAML 1.1 (as its printer quoted it). */
function parseExpected(text: string, file: string): Json[] {
  return loadYamlDocuments(text, { file }, { scalars: 'yaml11' })
    .map((d) => stripProvenance(d.value))
    .filter((v) => v !== null && v !== undefined);
}

function firstDifference(got: Json[], want: Json[]): string {
  if (got.length !== want.length) return `${got.length} objects, kustomize has ${want.length}`;
  for (let i = 0; i < got.length; i++) {
    if (!isDeepStrictEqual(got[i], want[i])) {
      const w = want[i] as { kind?: string; metadata?: { name?: string } };
      return `object ${i} (${w?.kind}/${w?.metadata?.name}) differs${diffPath(got[i]!, want[i]!, '')}`;
    }
  }
  return '';
}

function diffPath(a: Json, b: Json, at: string): string {
  if (a && b && typeof a === 'object' && typeof b === 'object' && Array.isArray(a) === Array.isArray(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const x = (a as Record<string, Json>)[k];
      const y = (b as Record<string, Json>)[k];
      if (!isDeepStrictEqual(x, y)) return diffPath(x as Json, y as Json, `${at}.${k}`);
    }
    return ` at ${at}`;
  }
  return ` at ${at || '(root)'}: got ${JSON.stringify(a)?.slice(0, 120)}, want ${JSON.stringify(b)?.slice(0, 120)}`;
}

function firstByteDifference(got: string, want: string): string {
  let i = 0;
  while (i < got.length && got[i] === want[i]) i++;
  const line = got.slice(0, i).split('\n').length;
  const gl = got.split('\n')[line - 1];
  const wl = want.split('\n')[line - 1];
  return `line ${line}: got ${JSON.stringify(gl)}, want ${JSON.stringify(wl)}`;
}

/** Renders `dir` and classifies the outcome against `expected` (a path) or an expected failure. */
function runCase(dir: string, expected: string | undefined, expectFailure: RegExp | undefined): { status: Status; detail?: string } {
  let objects: Json[];
  try {
    objects = renderKustomization(dir, { fs: nodeFileSystem }).resources.map((r) => stripProvenance(r.object));
  } catch (e) {
    if (!(e instanceof UserError)) return { status: 'crashed', detail: (e as Error).stack?.split('\n').slice(0, 3).join(' | ') };
    const where = e.location ? `${path.relative(process.cwd(), e.location.file)}:${e.location.line}: ` : '';
    const msg = `${where}${e.message}`;
    if (expectFailure)
      return expectFailure.test(e.message) ? { status: 'failed-as-expected', detail: msg } : { status: 'wrong-cause', detail: msg };
    if (!expected) return { status: 'failed-as-expected', detail: msg };
    if (VERSION_REFUSAL.test(e.message)) return { status: 'version-refused', detail: msg };
    return { status: 'declined', detail: msg };
  }
  if (!expected) return { status: 'should-fail', detail: `rendered ${objects.length} objects` };
  const text = readFileSync(expected, 'utf8');
  const want = parseExpected(text, expected);
  const diff = firstDifference(objects, want);
  if (diff) return { status: 'different', detail: diff };
  const printed = printKustomizeStream(objects);
  if (printed === text) return { status: 'byte-equal' };
  return { status: 'object-equal', detail: firstByteDifference(printed, text) };
}

/** The kustomization fields a build reads (the target and its local bases and components). */
function featuresOf(dir: string, seen = new Set<string>()): Set<string> {
  const out = new Set<string>();
  if (seen.has(dir)) return out;
  seen.add(dir);
  const file = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'].map((f) => path.join(dir, f)).find((f) => existsSync(f));
  if (!file) return out;
  let doc: Record<string, unknown>;
  try {
    doc = (parseAllDocuments(readFileSync(file, 'utf8'))[0]?.toJS() ?? {}) as Record<string, unknown>;
  } catch {
    return out;
  }
  for (const k of Object.keys(doc ?? {})) if (!['apiVersion', 'kind', 'metadata'].includes(k)) out.add(k);
  for (const field of ['resources', 'bases', 'components']) {
    const refs = doc?.[field];
    if (!Array.isArray(refs)) continue;
    for (const r of refs) {
      if (typeof r !== 'string') continue;
      const sub = path.resolve(dir, r);
      try {
        if (readdirSync(sub)) for (const f of featuresOf(sub, seen)) out.add(f);
      } catch {
        /* a file or a remote reference */
      }
    }
  }
  return out;
}

function hippocampus(corpus: string, only?: string): CaseResult[] {
  const { cases } = JSON.parse(readFileSync(path.join(corpus, 'cases.json'), 'utf8')) as {
    cases: { dir: string; renders: boolean; expected?: string; error?: string }[];
  };
  return cases
    .filter((c) => !only || c.dir.includes(only))
    .map((c) => {
      const dir = path.join(corpus, 'repo', c.dir);
      const cause =
        c.error === undefined
          ? undefined
          : /network/.test(c.error)
            ? /network|remote/i
            : /exec plugin/.test(c.error)
              ? /plugin|exec|never runs programs/i
              : /./;
      const r = c.expected ? runCase(dir, path.join(corpus, c.expected), undefined) : runCase(dir, undefined, cause ?? /./);
      return { id: c.dir, group: 'default', features: [...featuresOf(dir)].sort(), ...r };
    });
}

function krusty(corpus: string, only?: string): CaseResult[] {
  return readdirSync(corpus)
    .filter((n) => existsSync(path.join(corpus, n, 'case.json')))
    .filter((n) => !only || n.includes(only))
    .sort()
    .map((name) => {
      const c = JSON.parse(readFileSync(path.join(corpus, name, 'case.json'), 'utf8')) as {
        build_dir_in_input: string;
        features?: string[];
        special_requirements?: string[];
      };
      const dir = path.join(corpus, name, 'input', c.build_dir_in_input);
      const expected = path.join(corpus, name, 'expected.yaml');
      const r = runCase(dir, existsSync(expected) ? expected : undefined, undefined);
      return { id: name, group: c.special_requirements?.length ? 'special' : 'default', features: c.features ?? [], ...r };
    });
}

function pct(n: number, d: number): string {
  return d ? `${((100 * n) / d).toFixed(1)}%` : '-';
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const corpus = path.resolve(opts.corpus);
  const kind = existsSync(path.join(corpus, 'cases.json')) ? 'hippocampus' : 'krusty';
  const results = kind === 'hippocampus' ? hippocampus(corpus, opts.only) : krusty(corpus, opts.only);

  if (!opts.quiet) {
    console.log(`# per case (${kind}: ${corpus})`);
    for (const r of results)
      console.log(
        `${r.status.padEnd(18)} ${r.group === 'special' ? '[special] ' : ''}${r.id}${r.detail && !PASS.includes(r.status) ? `\n    ${r.detail}` : r.status === 'object-equal' && r.detail ? `\n    bytes: ${r.detail}` : ''}`,
      );
  }

  for (const group of ['default', 'special'] as const) {
    const rs = results.filter((r) => r.group === group);
    if (!rs.length) continue;
    const count = (s: Status[]) => rs.filter((r) => s.includes(r.status)).length;
    const rendering = rs.filter(
      (r) => !['failed-as-expected', 'should-fail', 'wrong-cause'].includes(r.status) || r.status === 'should-fail',
    );
    const expectFail = rs.length - rendering.length + count(['should-fail']);
    const versionRefused = count(['version-refused']);
    const wantRender = rs.length - expectFail - versionRefused;
    console.log(
      `\n# per feature (${group === 'default' ? 'cases without special requirements' : 'cases with special_requirements, reported separately'})`,
    );
    console.log(`${'feature'.padEnd(24)} cases  object-equal  byte-equal  failed-as-expected  failing`);
    const features = [...new Set(rs.flatMap((r) => r.features))].sort();
    for (const f of features) {
      const fr = rs.filter((r) => r.features.includes(f));
      const c = (s: Status[]) => fr.filter((r) => s.includes(r.status)).length;
      console.log(
        `${f.padEnd(24)} ${String(fr.length).padStart(5)}  ${String(c(['byte-equal', 'object-equal'])).padStart(12)}  ${String(c(['byte-equal'])).padStart(10)}  ${String(c(['failed-as-expected'])).padStart(18)}  ${String(fr.length - c(PASS)).padStart(7)}`,
      );
    }
    const objectEqual = count(['byte-equal', 'object-equal']);
    console.log(`\n# summary (${group})`);
    console.log(
      `cases: ${rs.length} (${wantRender} where kustomize renders, ${expectFail} where it fails or needs a plugin/network${versionRefused ? `, ${versionRefused} using a feature added after kustomize v5.5.0` : ''})`,
    );
    console.log(`object-equal: ${objectEqual}/${wantRender} (${pct(objectEqual, wantRender)})`);
    console.log(`byte-equal: ${count(['byte-equal'])}/${wantRender} (${pct(count(['byte-equal']), wantRender)})`);
    console.log(`failed as expected (exit 2): ${count(['failed-as-expected'])}/${expectFail}`);
    if (versionRefused)
      console.log(
        `refused by design (exit 2 naming the version: a feature kustomize added after v5.5.0, which v5.5.0 ignores), not counted above: ${versionRefused}`,
      );
    for (const s of ['different', 'declined', 'crashed', 'should-fail', 'wrong-cause'] as Status[])
      if (count([s])) console.log(`${s}: ${count([s])}`);
  }

  if (opts.json) writeFileSync(opts.json, JSON.stringify(results, null, 2) + '\n');
  const passing = results.filter((r) => PASS.includes(r.status)).map((r) => r.id);
  if (opts.writeBaseline) {
    writeFileSync(opts.writeBaseline, passing.join('\n') + '\n');
    console.log(`\nwrote ${passing.length} passing case ids to ${opts.writeBaseline}`);
  }
  let failed = results.some((r) => r.status === 'crashed');
  if (failed) console.log('\nFAIL: the renderer crashed (an internal error) on some case');
  if (opts.baseline) {
    const want = readFileSync(opts.baseline, 'utf8')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    const now = new Set(passing);
    const regressions = want.filter((id) => !now.has(id) && (!opts.only || id.includes(opts.only)));
    if (regressions.length) {
      failed = true;
      console.log(`\nFAIL: ${regressions.length} regression(s) against ${opts.baseline}:`);
      for (const id of regressions) console.log(`  ${id}`);
    } else {
      const gained = passing.filter((id) => !want.includes(id));
      console.log(
        `\nno regression against ${opts.baseline}${gained.length ? ` (${gained.length} newly passing: update the baseline)` : ''}`,
      );
    }
  }
  process.exit(failed ? 1 : 0);
}

main();
