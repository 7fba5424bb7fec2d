import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mutated, params, seeds, yamlTexts } from '../fuzz/arbitraries.ts';
import { compareLoaders } from './compare.ts';

/**
 * The fast YAML path (src/yaml/fast-load.ts) must give exactly what the general loader gives
 * (values, locations, raw annotation text, bare nulls) or hand the text back: never another answer,
 * never an answer where the general loader reports an error.
 */
const MODES = ['kustomize', 'yaml11', 'core'] as const;

function expectAgrees(text: string, file = 'x.yaml'): 'equal' | 'fallback' {
  const out: ('equal' | 'fallback')[] = [];
  for (const mode of MODES) {
    const v = compareLoaders(text, file, mode);
    if (v.kind === 'differs') expect(v.fast, `${mode}: ${JSON.stringify(text)}`).toEqual(v.general);
    if (v.kind === 'fast-on-error')
      expect.fail(`${mode}: the fast path read ${JSON.stringify(text)}, which the general loader rejects (${v.error})`);
    out.push(v.kind as 'equal' | 'fallback');
  }
  // kustomize and core modes hand duplicate keys back (to report them); yaml11 mode keeps the last.
  return out.includes('fallback') ? 'fallback' : 'equal';
}

// Texts the fast path must read itself (and read exactly as the general loader does).
const FAST: Record<string, string> = {
  manifest:
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: etcd\n  labels:\n    app: etcd\nspec:\n  template:\n    spec:\n      hostNetwork: true\n      containers:\n        - name: etcd\n          image: quay.io/coreos/etcd\n          args:\n            - --data-dir=/var/lib/cilium/etcd-0\n            - "--listen-client-urls=http://0.0.0.0:12379"\n',
  'sequence at the key column': 'a:\n- 1\n- two\nb: {}\nc: []\n',
  scalars:
    "a: 1\nb: 0644\nc: 1_000\nd: yes\ne: ~\nf:\ng: 'it''s'\nh: \"tab\\there \\u00e9\"\ni: 2024-01-02\nj: 1.5e3\nk: -1\nl: http://x:80/y#z\n",
  'scalars each mode reads its own way':
    'a: 0o17\nb: 0x1F\nc: +12\nd: -0\ne: .5\nf: 1.\ng: 1e3\nh: 0b101\ni: Null\nj: TRUE\nk: off\nl: 12345678901234567890\nm: 2001-12-14t21:59:43.10-05:00\n',
  'multi-line plain': 'description: the first line\n  the second line\n\n  after an empty line\nnext: 1\n',
  'multi-line single-quoted': "d: 'one ''two''\n  three\n\n  four'\ne: 1\n",
  'multi-line double-quoted': 'd: "one\n  two"\ne: 1\n',
  literal: 'script: |\n  #!/bin/sh\n  echo "a: b" # not a comment\n\n  exit 0\nafter: 1\n',
  'literal, strip': 'a: |-\n  x\n  y\n\nb: 1\n',
  folded: 'a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: >-\n  x\n  y\n',
  'block scalar at the end without a newline': 'a: |\n  x',
  comments:
    '# head\napiVersion: v1 # trailing\nkind: ConfigMap\n# between siblings\ndata:\n  # before the first key\n  a: "1" # on the last line\n# at column 0\n',
  'comment between sequence items': 'a:\n  - 1\n  # c\n  - 2\n',
  'compact mappings': 'items:\n  - name: a\n    value: x\n  # between keys\n    other: 2\n  - name: b\n',
  documents: '---\na: 1\n---\n# only a comment\n---\nb: 2\n---\n',
  'annotations keep their raw text': 'metadata:\n  annotations:\n    a: 0x1F\n    b: "quoted"\n    c:\n    d: |\n      x\n',
  'quoted keys': '"a b": 1\n\'c\': 2\n"80": x\n',
  empty: '',
  'only comments': '# a\n# b\n',
  // No location depends on a comment (a collection ends with its last item's content), so a
  // comment may sit anywhere: after the last item of a nested collection, at any column.
  'comment after the last nested key': 'a:\n  b: 1\n  # c\nd: 2\n',
  'comments after the last nested key, at every shallower column':
    'a:\n  b:\n    c: "1"\n    # at c\n   # between\n  # at b\n # between\nd: 2\n',
  'a comment deeper than a quoted value': 'a:\n  b: "1"\n      # deeper\nd: 2\n',
  'comment after the last item of a nested sequence': 'a:\n  - 1\n  - x: 2\n    # after x\nb: 3\n',
  'comment at a shallower column between siblings': 'a:\n  b: 1\n# c\n  d: 2\n',
  'comment after a block scalar': 'a: |\n  x\n# after\nb: >-\n  y\n  # inside, as text\n # shallower: after\nc: 1\n',
  'comment before a document marker': 'a:\n  b: 1\n  # c\n---\nd: 2\n# trailing\n',
  // Flow collections on one line, as configurations and RBAC rules write them.
  'flow sequences and mappings':
    'verbs: ["get", \'list\', watch]\nrules:\n  etcd-listen-ports: [error, { clientPort: 2379, peerPort: 2380 }]\n  argocd-application: [error, {search: [deploy/argocd, "!deploy/argocd/old"]}] # c\nempty: [ ]\nnone: { }\nargs: [--listen=0.0.0.0, -1, a b, 0x1F, 1.5, ~, true]\n',
  'flow collections as sequence items': 'a:\n  - [1, 2]\n  - {b: c}\n',
  // Anchored block collections, their aliases and merge keys (`<<: *name`), as the monorepo's
  // workloads share their selector labels.
  'selector labels merged into the template':
    'spec:\n  selector:\n    matchLabels: &labels\n      app: x\n      tier: y\n  template:\n    metadata:\n      labels:\n        <<: *labels\n        extra: z\n',
  'a merge key last, or alone': 'a: &x\n  k: 1\nb:\n  c: 2\n  <<: *x\nd:\n  <<: *x\n',
  'explicit keys win over merged ones': 'a: &x\n  k: 1\n  m: 2\nb:\n  k: 3\n  <<: *x\n',
  'aliases as values and items': 'a: &x\n  k: 1\nb: *x # c\nc:\n  - *x\n  - 2\n',
  'an alias refers to the last anchor written before it': 'a: &x\n  k: 1\nb: &y\n  m: *x\nc: &x\n  k: 2\nd: *y\ne: *x\n',
  'anchors inside anchors': 'a: &outer\n  x: &inner\n    k: 1\nb: &inner\n  k: 2\nc: *outer\nd: *inner\n',
  'an alias into annotations keeps their raw text there': 'x: &a\n  v: 0x1F\n  w:\nmetadata:\n  annotations: *a\n',
  'anchored sequences of compact mappings': 'a: &s\n  - name: n\n    v: 1\n  - 2\nb: *s\nc: &t\n- name: m\nd: *t\n',
  'an Application with a commented-out key last':
    'spec:\n  source:\n    kustomize:\n      commonAnnotations:\n        repository: ${REPO}\n        # revision is injected elsewhere\n        #revision: ${REV}\n  destination:\n    namespace: kube-system\n',
};

// Texts the fast path must hand back (the general loader reads, or rejects, them).
const GENERAL: Record<string, string> = {
  'an anchored scalar': 'a: &x 1\nb: *x\n',
  'a merge key from a flow mapping': 'base: &b {x: 1}\nc:\n  <<: *b\n',
  'an anchor with a comment': 'a: &x # c\n  k: 1\nb: *x\n',
  'an anchored sequence item': 'a:\n  - &x\n    k: 1\nb: *x\n',
  'an alias to an anchor of an earlier document': 'a: &x\n  k: 1\n---\nb: *x\n',
  'an alias inside its own anchor': 'a: &x\n  b: *x\n',
  'an alias before its anchor': 'metadata:\n  annotations: *a\nx: &a\n  v: 1\n',
  'two merge keys': 'a: &x\n  k: 1\nc: &y\n  j: 2\nb:\n  <<: *x\n  <<: *y\n',
  'a quoted merge key': 'a: &x\n  k: 1\nb:\n  "<<": *x\n',
  'a merge of a sequence': 'a: &x\n  - 1\nb:\n  <<: *x\n',
  tags: 'a: !!str 1\n',
  'a flow collection over lines': 'a: [1,\n  2]\n',
  'a pair in a flow sequence': 'a: [b: c]\n',
  'a flow pair without a value': 'a: {b}\nc: {d: }\n',
  'a trailing comma': 'a: [1, 2, ]\n',
  'a colon in a flow scalar': 'a: [http://x]\n',
  'anchors in flow': 'a: [&x 1, *x]\n',
  'a comment inside a flow collection': 'a: [1 #c\n]\n',
  'flow annotations': 'metadata:\n  annotations: {a: 0x1F}\n',
  tabs: 'a:\n\tb: 1\n',
  crlf: 'a: 1\r\nb: 2\r\n',
  'duplicate key': 'a: 1\na: 2\n',
  'non-string key': '80: x\ntrue: y\n',
  'key with a space': 'a b: 1\n',
  'mapping in a plain value': 'a: b: c\n',
  'multi-line implicit key': 'a: x\n  y: z\n',
  'null item': 'a:\n  -\n  - 1\n',
  'nested sequence': '- - 1\n',
  'keep chomping': 'a: |+\n  x\n\nb: 1\n',
  'indentation indicator': 'a: |2\n   x\n',
  infinity: 'a: .inf\n',
  // After a plain value, a deeper line may continue it: the fast path leaves that to the general loader.
  'a comment deeper than a plain value': 'a:\n  b: 1\n      # deeper\nd: 2\n',
  'document end marker': 'a: 1\n...\n',
  directive: '%YAML 1.2\n---\na: 1\n',
  'top-level scalar': 'just text\n',
  'unterminated quote': 'a: "x\n',
  'indented top level': '  a: 1\n',
  'bad indentation': 'a:\n  b: 1\n c: 2\n',
  proto: '__proto__: 1\n',
  surrogate: 'a: "\\ud800"\n',
  'an empty document after a commented marker': '--- # a\n# b\n---\na: 1\n',
  'an escape without its hex digits': 'a: "\\u00"\nb: "\\x4"\n',
};

describe('the fast YAML path', () => {
  it.each(Object.entries(FAST))('reads %s itself, exactly as the general loader', (_name, text) => {
    expect(expectAgrees(text)).toBe('equal');
  });

  it.each(Object.entries(GENERAL))('hands %s to the general loader', (_name, text) => {
    expect(expectAgrees(text)).toBe('fallback');
  });

  it('agrees with the general loader on every YAML file of the fixtures, rule fixtures and tests', () => {
    const root = path.resolve(__dirname, '../..');
    const files: string[] = [];
    const walk = (d: string): void => {
      for (const e of readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (e.isFile() && /\.ya?ml$/.test(e.name)) files.push(p);
      }
    };
    for (const d of ['fixtures', 'rules', 'test']) walk(path.join(root, d));
    expect(files.length).toBeGreaterThan(100);
    let fast = 0;
    for (const f of files) if (expectAgrees(readFileSync(f, 'utf8'), f) === 'equal') fast++;
    // Most of them are plain manifests: the fast path reads them.
    expect(fast / files.length).toBeGreaterThan(0.7);
  });

  it('agrees with the general loader on mutated fixtures (property)', () => {
    // The fixtures, and the table above (anchors, merges and comments the fixtures may lack).
    const texts = [...yamlTexts(seeds()), ...Object.values(FAST).filter((t) => t !== '')];
    fc.assert(
      fc.property(
        fc.constantFrom(...texts).chain((t) => mutated(t)),
        (text) => {
          expectAgrees(text);
        },
      ),
      params(300),
    );
    // FUZZ_RUNS=50000 takes a few minutes.
  }, 900_000);
});
