import { describe, expect, it } from 'vitest';
import * as load from '../../src/yaml/load.ts';
import { locate } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { cachingFileSystem } from '../../src/render/fs.ts';
import { memFs } from '../render/memfs.ts';

/** A base shared by two overlays, each of which patches it differently. */
const tree = () =>
  memFs({
    '.git/HEAD': 'ref: refs/heads/main\n',
    'base/kustomization.yaml': 'resources:\n  - cm.yaml\n',
    'base/cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n  a: "1"\n',
    'one/kustomization.yaml':
      'resources:\n  - ../base\nnamePrefix: one-\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: cm\n      data:\n        a: "one"\n',
    'two/kustomization.yaml': 'resources:\n  - ../base\nnamespace: two\n',
  });

describe('parse cache shared by the targets of one run', () => {
  it('reads a shared base once, and hands every render its own copy', () => {
    const mem = tree();
    const reads = new Map<string, number>();
    const counting = { ...mem, readFile: (p: string) => (reads.set(p, (reads.get(p) ?? 0) + 1), mem.readFile(p)) };
    const fs = cachingFileSystem(counting);
    const [one, two, again] = load.withParseCache(() => [
      renderKustomization(mem.path('one'), { fs }),
      renderKustomization(mem.path('two'), { fs }),
      renderKustomization(mem.path('two'), { fs }),
    ]);
    expect(reads.get(mem.path('base/cm.yaml'))).toBe(1);
    // Transformers of one render never leak into another.
    expect(one!.resources[0]!.object).toMatchObject({ metadata: { name: 'one-cm' }, data: { a: 'one' } });
    expect(two!.resources[0]!.object).toMatchObject({ metadata: { name: 'cm', namespace: 'two' }, data: { a: '1' } });
    (two!.resources[0]!.object.data as Record<string, string>).a = 'mutated';
    expect(again!.resources[0]!.object).toMatchObject({ data: { a: '1' } });
    // Provenance survives the copy: the value still points at the base file's line.
    expect(locate(two!.resources[0]!.object, ['data', 'a'])).toMatchObject({ file: mem.path('base/cm.yaml'), line: 6 });
    expect(locate(one!.resources[0]!.object, ['data', 'a'])).toMatchObject({ file: mem.path('one/kustomization.yaml'), line: 11 });
  });

  it('renders exactly as without the cache', () => {
    const mem = tree();
    const plain = renderKustomization(mem.path('one'), { fs: mem });
    const cached = load.withParseCache(() => {
      renderKustomization(mem.path('one'), { fs: mem });
      return renderKustomization(mem.path('one'), { fs: mem });
    });
    expect(cached.resources.map((r) => r.object)).toEqual(plain.resources.map((r) => r.object));
    expect(locate(cached.resources[0]!.object, ['metadata', 'name'])).toEqual(locate(plain.resources[0]!.object, ['metadata', 'name']));
  });

  it('the first load gets the parse itself: what its caller changes never reaches later loads', () => {
    load.withParseCache(() => {
      const first = load.loadYamlDocuments('a:\n  b: 1\n', { file: '/x.yaml' }, { scalars: 'kustomize' });
      (first[0]!.value as Record<string, Record<string, number>>).a!.b = 99;
      const second = load.loadYamlDocuments('a:\n  b: 1\n', { file: '/x.yaml' }, { scalars: 'kustomize' });
      expect(JSON.stringify(second[0]!.value)).toBe('{"a":{"b":1}}');
      (second[0]!.value as Record<string, Record<string, number>>).a!.b = 98;
      const third = load.loadYamlDocuments('a:\n  b: 1\n', { file: '/x.yaml' }, { scalars: 'kustomize' });
      expect(JSON.stringify(third[0]!.value)).toBe('{"a":{"b":1}}');
      expect(locate(third[0]!.value as never, ['a', 'b'])).toMatchObject({ file: '/x.yaml', line: 2 });
    });
  });

  it('is keyed by content: a file whose text differs is parsed again', () => {
    const values = load.withParseCache(() => {
      const a = load.loadYamlDocuments('a: 1\n', { file: '/x.yaml' });
      const b = load.loadYamlDocuments('a: 2\n', { file: '/x.yaml' });
      const c = load.loadYamlDocuments('a: 1\n', { file: '/x.yaml' });
      expect(a[0]!.value).not.toBe(c[0]!.value);
      return [a, b, c].map((d) => JSON.stringify(d[0]!.value));
    });
    expect(values).toEqual(['{"a":1}', '{"a":2}', '{"a":1}']);
  });
});
