import { describe, expect, it } from 'vitest';
import { contentHash } from '../../src/render/generators.ts';
import { compareKeys, printKustomizeStream } from '../../src/yaml/print.ts';

/* Expected texts are `kubectl kustomize` (Kustomize v5.5.0) output for the same objects. */

describe('printing as kustomize build prints', () => {
  it('quotes, folds and indents as kustomize does', () => {
    const data = {
      bool: 'True',
      colon: 'a: b',
      date: '2020-01-01',
      e: {},
      empty: '',
      hex: '0x1F',
      lead: ' x',
      long: `${'a'.repeat(38)} ${'a'.repeat(96)} ${'a'.repeat(36)}`,
      multi: 'a\nb\n',
      multitrail: 'a\nb  \n',
      n2: '1e3',
      nl: 'a\nb',
      nul: null,
      num: '1.0',
      octal: '0755',
      q: "'x'",
      star: '*x',
      tab: 'a\tb',
      tilde: '~',
      uni: 'é',
      x: [1, { a: 'b', c: ['d'] }, []],
      yes: 'yes',
    };
    const text = printKustomizeStream([{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', annotations: { a: '123' } }, data }]);
    expect(text).toBe(`apiVersion: v1
data:
  bool: "True"
  colon: 'a: b'
  date: "2020-01-01"
  e: {}
  empty: ""
  hex: "0x1F"
  lead: ' x'
  long: ${'a'.repeat(38)} ${'a'.repeat(96)}
    ${'a'.repeat(36)}
  multi: |
    a
    b
  multitrail: "a\\nb  \\n"
  n2: "1e3"
  nl: |-
    a
    b
  nul: null
  num: "1.0"
  octal: "0755"
  q: '''x'''
  star: '*x'
  tab: "a\\tb"
  tilde: "~"
  uni: é
  x:
  - 1
  - a: b
    c:
    - d
  - []
  "yes": "yes"
kind: ConfigMap
metadata:
  annotations:
    a: "123"
  name: x
`);
  });

  it('joins documents with ---', () => {
    expect(printKustomizeStream([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });

  it('sorts keys as yaml.v2 does: non-letters first, digit runs by value', () => {
    expect(['AA', 'A_FIRST', 'ANOTHER', 'B'].sort(compareKeys)).toEqual(['A_FIRST', 'AA', 'ANOTHER', 'B']);
    expect(['a10', 'a2', 'a1'].sort(compareKeys)).toEqual(['a1', 'a2', 'a10']);
  });
});

describe("kustomize's content hash", () => {
  it('hashes a ConfigMap by its data only (the name kustomize looks up is always empty)', () => {
    expect(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm' }, data: { a: 'b' } })).toBe('4h2mbtbbt6');
    expect(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'other' }, data: { a: 'b' }, immutable: true })).toBe(
      '4h2mbtbbt6',
    );
    expect(contentHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm2' } })).toBe('6ct58987ht');
  });

  it('hashes a Secret by its type and data', () => {
    expect(contentHash({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'Opaque', data: { a: 'Yg==' } })).toBe(
      'k695gkmbtk',
    );
    expect(contentHash({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' }, type: 'kubernetes.io/tls', data: { a: 'Yg==' } })).toBe(
      '92982c4m8f',
    );
    expect(contentHash({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 's2' }, type: 'Opaque', data: {} })).toBe('46f8b28mk5');
  });
});
