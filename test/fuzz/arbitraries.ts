/*
 * Inputs for the property-based tests: the fixtures' YAML as seeds, mutations that favour what
 * breaks YAML and kustomize (anchors, aliases, merge keys, markers, tabs, BOMs, quotes, deep
 * brackets, escapes, remote and absolute paths), random YAML-ish text, and random kustomization
 * graphs with cycles.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import type { FileSystem } from '../../src/render/fs.ts';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(HERE, '../../fixtures');

/** Runs per property: FUZZ_RUNS overrides every default (e.g. FUZZ_RUNS=10000 for a long run). */
export function runs(defaultRuns: number): number {
  const n = Number(process.env.FUZZ_RUNS);
  return Number.isFinite(n) && n > 0 ? n : defaultRuns;
}

/** fast-check parameters: a fixed seed with FUZZ_SEED (to replay a failure), else a fresh one each run. */
export function params(defaultRuns: number): fc.Parameters<unknown> {
  const seed = Number(process.env.FUZZ_SEED);
  return { numRuns: runs(defaultRuns), ...(Number.isFinite(seed) && process.env.FUZZ_SEED ? { seed } : {}) };
}

/** A tree of text files: relative path → text. */
export type Tree = Record<string, string>;

function readTree(dir: string, base = dir, out: Tree = {}): Tree {
  for (const name of readdirSync(dir).sort()) {
    const abs = path.join(dir, name);
    const st = statSync(abs);
    if (st.isDirectory()) readTree(abs, base, out);
    else if (st.isFile() && st.size < 64 * 1024 && !name.endsWith('.json') && !name.endsWith('.md'))
      out[path.relative(base, abs)] = readFileSync(abs, 'utf8');
  }
  return out;
}

/** A fixture tree and the kustomization directories in it that can be built. */
export interface Seed {
  name: string;
  tree: Tree;
  roots: string[];
}

function kustomizationDirs(tree: Tree): string[] {
  return Object.keys(tree)
    .filter((f) => /(^|\/)(kustomization\.ya?ml|Kustomization)$/.test(f))
    .map((f) => path.dirname(f))
    .sort();
}

/** Every render fixture case, the example component and the bad-input component, as in-memory trees. */
export function seeds(): Seed[] {
  const out: Seed[] = [];
  const render = path.join(FIXTURES, 'render');
  for (const name of readdirSync(render).sort()) {
    const dir = path.join(render, name);
    if (!statSync(dir).isDirectory()) continue;
    const tree = readTree(dir);
    out.push({ name: `render/${name}`, tree, roots: kustomizationDirs(tree) });
  }
  for (const name of ['cilium-etcd', 'bad/_component']) {
    const tree = readTree(path.join(FIXTURES, name));
    out.push({ name, tree, roots: kustomizationDirs(tree) });
  }
  return out.filter((s) => s.roots.length > 0);
}

/** Every YAML text of the seeds. */
export function yamlTexts(all: readonly Seed[]): string[] {
  const texts = new Set<string>();
  for (const s of all) for (const [f, t] of Object.entries(s.tree)) if (/\.ya?ml$|Kustomization$/.test(f)) texts.add(t);
  return [...texts].sort();
}

/** Fragments that tend to break YAML or a kustomization (and the loaders' assumptions). */
const TOKENS = [
  '&a ',
  '*a',
  '*b',
  '<<: *a\n',
  '<<: [*a, *a]\n',
  '&b [*a, *a, *a, *a, *a, *a, *a, *a, *a]',
  '[',
  ']',
  '{',
  '}',
  '[[[[[[[[[[',
  '{a: {b: {c: [',
  '---\n',
  '...\n',
  '--- ',
  '\t',
  '\ufeff',
  ': ',
  '- ',
  '-',
  '"',
  "'",
  '|',
  '|-',
  '>',
  '>+2',
  '!!binary ',
  '!!map ',
  '!!str ',
  '!!int ',
  '!custom ',
  '%YAML 1.1\n',
  '%TAG ! tag:x,2000:\n',
  '? ',
  '#',
  '\r\n',
  '\r',
  '\0',
  '\\',
  '\\u0000',
  'null',
  '~',
  '0x1F',
  '0o17',
  '012',
  '.inf',
  '-.nan',
  '1e400',
  'yes',
  'on',
  '1_000',
  '2001-12-14t21:59:43.10-05:00',
  '\u2028',
  '\ud800',
  '😀',
  ' '.repeat(40),
  '\n\n\n',
  'resources: [.]\n',
  'resources:\n- ..\n',
  'resources:\n- ../../../etc\n',
  'resources:\n- /etc/passwd\n',
  'resources:\n- https://example.com/x.yaml\n',
  'resources:\n- github.com/org/repo?ref=v1\n',
  'components:\n- .\n',
  'generators:\n- plugin.yaml\n',
  'helmCharts:\n- name: x\n',
  'patches:\n- path: ../x.yaml\n',
  'kind: List\nitems:\n- a\n',
  'kind: Component\n',
  'apiVersion: v1\n',
  'metadata: {name: x}\n',
  'metadata: null\n',
  'name: ',
  'namespace: ',
  'spec: []\n',
  'containers: x\n',
  'containers: [1, null, {}]\n',
  'items: {}\n',
  '$patch: delete\n',
  '$patch: replace\n',
  '$patch: merge\n',
  '$setElementOrder/containers: [x]\n',
  '- op: remove\n  path: /spec\n',
  '- op: move\n  from: /a\n  path: /a/b\n',
  '- op: add\n  path: /spec/x/-\n  value: 1\n',
  '- {op: test, path: "", value: 1}\n',
  'labels: {a: 1}\n',
  'images:\n- name: x\n  newTag: 1.10\n',
  'replicas:\n- name: x\n  count: -1\n',
  'namePrefix: ',
  'commonLabels: null\n',
];

/** YAML values of every type, to put where another type is expected. */
const VALUES = [
  '[]',
  '{}',
  'null',
  '~',
  '""',
  "''",
  '0',
  '-1',
  '1.5',
  '1e400',
  'true',
  'no',
  '"str"',
  '[1, [2]]',
  '{a: {b: c}}',
  '[{}]',
  '[null]',
  '[[]]',
  '{"": x}',
  '!!binary aGk=',
  '2001-01-01',
  '0x10',
  '.nan',
  '[a, b, c, d]',
  '{name: x}',
  '[{name: etcd}]',
  '"12379"',
  '-12379',
  '65536',
  'http://0.0.0.0:1',
  '"$(POD_IP)"',
];

/** `key: value` or `- value` with its value replaced (a line without a value gets one). */
function retype(line: string, value: string): string {
  const m = /^(\s*(?:-\s+)*)([^:#]+:\s*)?(.*)$/.exec(line);
  if (!m) return line;
  const key = m[2] === undefined ? '' : `${m[2].trimEnd()} `;
  return `${m[1]}${key}${value}`;
}

/** One edit of a text. */
const mutation = (text: string): fc.Arbitrary<string> => {
  const pos = fc.nat({ max: text.length });
  const lines = text.split('\n');
  const line = fc.nat({ max: Math.max(0, lines.length - 1) });
  return fc.oneof(
    // Replace a value with one of another type (valid YAML that reaches the renderer and the rules).
    {
      weight: 4,
      arbitrary: fc.tuple(line, fc.constantFrom(...VALUES)).map(([i, v]) => lines.map((l, j) => (j === i ? retype(l, v) : l)).join('\n')),
    },
    // Insert a token somewhere.
    fc.tuple(pos, fc.constantFrom(...TOKENS)).map(([p, t]) => text.slice(0, p) + t + text.slice(p)),
    // Insert random text.
    fc.tuple(pos, fc.string({ maxLength: 12, unit: 'binary' })).map(([p, t]) => text.slice(0, p) + t + text.slice(p)),
    // Delete a range.
    fc.tuple(pos, fc.nat({ max: 40 })).map(([p, n]) => text.slice(0, p) + text.slice(p + n)),
    // Truncate.
    pos.map((p) => text.slice(0, p)),
    // Duplicate, drop or re-indent a line; swap two lines.
    line.map((i) => [...lines.slice(0, i + 1), ...lines.slice(i)].join('\n')),
    line.map((i) => [...lines.slice(0, i), ...lines.slice(i + 1)].join('\n')),
    fc
      .tuple(line, fc.nat({ max: 12 }), fc.nat({ max: 5 }))
      .map(([i, n, tab]) => lines.map((l, j) => (j === i ? (tab === 0 ? '\t' : ' ').repeat(n) + l.trimStart() : l)).join('\n')),
    fc.tuple(line, line).map(([i, j]) => {
      const copy = [...lines];
      [copy[i], copy[j]] = [copy[j]!, copy[i]!];
      return copy.join('\n');
    }),
    // Whole-text transformations: CRLF, a BOM, tabs for indentation.
    fc.constant(text.replace(/\n/g, '\r\n')),
    fc.constant(`\ufeff${text}`),
    { weight: 1, arbitrary: fc.constant(text.replace(/^( {2})+/gm, (m) => '\t'.repeat(m.length / 2))) },
  );
};

/** A text after 1 to 4 mutations. */
export function mutated(text: string, max = 4): fc.Arbitrary<string> {
  return fc.integer({ min: 1, max }).chain((n) => {
    let arb = mutation(text);
    for (let i = 1; i < n; i++) arb = arb.chain((t) => mutation(t));
    return arb;
  });
}

/** Text over YAML's indicator characters and a few words: mostly garbage, sometimes valid YAML. */
export const yamlish: fc.Arbitrary<string> = fc
  .array(
    fc.oneof(
      fc.constantFrom(...TOKENS),
      fc.constantFrom(...'abc019 :-[]{},&*!|>\'"%@`#?\n\t\r.~=<'.split('')),
      fc.string({ maxLength: 4 }),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** An in-memory FileSystem over a tree placed at `root` (no dedenting: bytes as given). */
export function treeFs(tree: Tree, root = '/fuzz/repo'): FileSystem {
  const files = new Map<string, string>();
  const dirs = new Set<string>([root]);
  for (const [rel, text] of Object.entries(tree)) {
    const abs = path.join(root, rel);
    files.set(abs, text);
    for (let d = path.dirname(abs); d.startsWith(root) && !dirs.has(d); d = path.dirname(d)) dirs.add(d);
  }
  // Directories between the root and the file system's root exist too (a `..` may lead there).
  for (let d = root; d !== path.dirname(d); d = path.dirname(d)) dirs.add(d);
  dirs.add('/');
  return {
    readFile(p) {
      const t = files.get(p);
      if (t === undefined) throw Object.assign(new Error(`ENOENT: ${p}`), { code: 'ENOENT' });
      return t;
    },
    kind: (p) => (files.has(p) ? 'file' : dirs.has(p) ? 'dir' : undefined),
    readDir(p) {
      const prefix = p.endsWith('/') ? p : `${p}/`;
      const names = new Set<string>();
      for (const f of [...files.keys(), ...dirs]) if (f.startsWith(prefix) && f !== p) names.add(f.slice(prefix.length).split('/')[0]!);
      return [...names].sort();
    },
    realPath: (p) => path.resolve(p),
  };
}

/**
 * A random kustomization graph: a tree of directories n0..n(k-1) (each reached once, so no
 * resource is added twice) plus back edges, each to an ancestor or to the node itself, listed
 * under `resources` or `components` in one of several path spellings. Every back edge makes a
 * cycle reachable from n0.
 */
export interface Graph {
  parent: number[];
  back: { from: number; to: number; field: 'resources' | 'components'; spelling: number }[];
}

export const graphs = (withCycles: boolean): fc.Arbitrary<Graph> =>
  fc.integer({ min: 1, max: 9 }).chain((n) =>
    fc
      .tuple(
        fc.tuple(...Array.from({ length: n }, (_, i) => (i === 0 ? fc.constant(-1) : fc.nat({ max: i - 1 })))),
        withCycles
          ? fc.array(
              fc.tuple(
                fc.nat({ max: n - 1 }),
                fc.nat({ max: 1000 }),
                fc.constantFrom<'resources' | 'components'>('resources', 'components'),
                fc.nat({ max: 3 }),
              ),
              { minLength: 1, maxLength: 4 },
            )
          : fc.constant([]),
      )
      .map(([parent, raw]) => {
        const ancestors = (i: number): number[] => (i < 0 ? [] : [i, ...ancestors(parent[i]!)]);
        const back = raw.map(([from, pick, field, spelling]) => {
          const up = ancestors(from);
          return { from, to: up[pick % up.length]!, field, spelling };
        });
        return { parent, back };
      }),
  );

/** The files of a graph: n<i>/kustomization.yaml and one ConfigMap per directory. */
export function graphTree(g: Graph): Tree {
  const tree: Tree = {};
  const n = g.parent.length;
  const spell = (from: number, to: number, spelling: number): string => {
    if (from === to) return ['.', './', '../n' + to, '../n' + to + '/.'][spelling]!;
    return [`../n${to}`, `../n${to}/`, `./../n${to}`, `../../repo/n${to}`][spelling]!;
  };
  for (let i = 0; i < n; i++) {
    const resources = ['cm.yaml'];
    const components: string[] = [];
    for (let c = 0; c < n; c++) if (g.parent[c] === i) resources.push(`../n${c}`);
    for (const b of g.back.filter((e) => e.from === i))
      (b.field === 'resources' ? resources : components).push(spell(b.from, b.to, b.spelling));
    const lines = ['apiVersion: kustomize.config.k8s.io/v1beta1', 'kind: Kustomization', 'resources:', ...resources.map((r) => `  - ${r}`)];
    if (components.length) lines.push('components:', ...components.map((c) => `  - ${c}`));
    tree[`n${i}/kustomization.yaml`] = lines.join('\n') + '\n';
    tree[`n${i}/cm.yaml`] = `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-${i}\ndata:\n  node: "${i}"\n`;
  }
  return tree;
}
