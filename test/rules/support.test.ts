import { describe, expect, it } from 'vitest';
import type { Container } from 'kubernetes-types/core/v1.js';
import { isCovered, parseManifestGeneratePaths, repoRelative, sourcePathFor } from '../../rules/support/argocd.ts';
import { findFlag, parseFlags } from '../../rules/support/flags.ts';
import { imageRepository, isDigestPinned } from '../../rules/support/images.ts';
import { labelSelectorMatches, labelSelectorMismatch, mapSelectorMatches, mapSelectorMismatch } from '../../rules/support/selectors.ts';
import { parseEtcdUrl, splitUrlList, urlPort } from '../../rules/support/urls.ts';
import { isObject } from '../../src/model/provenance.ts';
import { loadYamlDocuments } from '../../src/yaml/load.ts';

const C: readonly (string | number)[] = ['c'];

describe('parseFlags', () => {
  it('reads --f=v, -f=v, --f v and bare flags from command (after the executable) and args', () => {
    const container: Container = {
      name: 'etcd',
      command: ['etcd', '--name=$(POD_NAME)'],
      args: ['-data-dir=/d', '--listen-client-urls', 'http://a:1', '--enable-pprof', '--initial-cluster-state', 'new', 'stray', '--x=a=b'],
    };
    expect(parseFlags(container, C).map((f) => [f.name, f.value, f.path.join('.'), f.flagPath.join('.')])).toEqual([
      ['--name', '$(POD_NAME)', 'c.command.1', 'c.command.1'],
      ['--data-dir', '/d', 'c.args.0', 'c.args.0'],
      ['--listen-client-urls', 'http://a:1', 'c.args.2', 'c.args.1'],
      ['--enable-pprof', undefined, 'c.args.3', 'c.args.3'],
      ['--initial-cluster-state', 'new', 'c.args.5', 'c.args.4'],
      ['--x', 'a=b', 'c.args.7', 'c.args.7'],
    ]);
  });

  it('does not treat the executable as a flag and stops at --', () => {
    const flags = parseFlags({ name: 'etcd', command: ['--weird-binary'], args: ['--a=1', '--', '--b=2'] }, C);
    expect(flags.map((f) => f.name)).toEqual(['--a']);
  });

  it('takes the last occurrence of a repeated flag', () => {
    const flags = parseFlags({ name: 'etcd', args: ['--a=1', '--a=2'] }, C);
    expect(findFlag(flags, '--a')?.value).toBe('2');
    expect(findFlag(flags, '--b')).toBeUndefined();
  });
});

describe('etcd URLs', () => {
  it.each([
    ['http://0.0.0.0:12379', 'http', '0.0.0.0', 12379],
    ['https://$(POD_IP):12379', 'https', '$(POD_IP)', 12379],
    ['http://[::1]:2380/', 'http', '[::1]', 2380],
    ['HTTP://host:1', 'http', 'host', 1],
    ['unix://localhost:12379', 'unix', 'localhost', 12379],
  ])('%s', (raw, scheme, host, port) => {
    const u = parseEtcdUrl(raw)!;
    expect([u.scheme, u.host, urlPort(u)]).toEqual([scheme, host, port]);
  });

  it('has no numeric port for absent, variable or out-of-range ports', () => {
    expect(parseEtcdUrl('http://h')!.port).toBeUndefined();
    expect(urlPort(parseEtcdUrl('http://h:$(PORT)')!)).toBeUndefined();
    expect(urlPort(parseEtcdUrl('http://h:123456')!)).toBeUndefined();
    expect(parseEtcdUrl('h:1')).toBeUndefined();
    expect(parseEtcdUrl('$(POD_IP):12379')).toBeUndefined();
  });

  it('splits comma lists and drops blanks', () => {
    expect(splitUrlList(' a , ,b,')).toEqual(['a', 'b']);
    expect(splitUrlList(undefined)).toEqual([]);
  });
});

describe('images', () => {
  it.each([
    ['quay.io/coreos/etcd:v3.5.17', 'quay.io/coreos/etcd'],
    ['quay.io/coreos/etcd@sha256:abc', 'quay.io/coreos/etcd'],
    ['quay.io/coreos/etcd:v3@sha256:abc', 'quay.io/coreos/etcd'],
    ['localhost:5000/etcd', 'localhost:5000/etcd'],
    ['localhost:5000/etcd:1', 'localhost:5000/etcd'],
    ['etcd', 'etcd'],
  ])('repository of %s', (image, repo) => expect(imageRepository(image)).toBe(repo));

  it('requires a full sha256 digest', () => {
    expect(isDigestPinned(`x@sha256:${'a'.repeat(64)}`)).toBe(true);
    expect(isDigestPinned(`x@sha256:${'A'.repeat(64)}`)).toBe(false);
    expect(isDigestPinned(`x:sha256-${'a'.repeat(64)}`)).toBe(false);
  });
});

describe('label selectors', () => {
  const labels = { app: 'etcd', tier: 'db' };
  it.each([
    [{ matchLabels: { app: 'etcd' } }, true],
    [{ matchLabels: { app: 'etcd', zone: 'a' } }, false],
    [{}, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['etcd', 'x'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'In', values: ['x'] }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }, false],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['x'] }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'NotIn', values: ['a'] }] }, true],
    [{ matchExpressions: [{ key: 'app', operator: 'NotIn', values: ['etcd'] }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Exists' }] }, true],
    [{ matchExpressions: [{ key: 'zone', operator: 'Exists' }] }, false],
    [{ matchExpressions: [{ key: 'zone', operator: 'DoesNotExist' }] }, true],
    [{ matchExpressions: [{ key: 'tier', operator: 'DoesNotExist' }] }, false],
    [{ matchExpressions: [{ key: 'tier', operator: 'Bogus' }] }, false],
    [{ matchLabels: { app: 'etcd' }, matchExpressions: [{ key: 'tier', operator: 'In', values: ['web'] }] }, false],
  ])('%j -> %s', (selector, expected) => expect(labelSelectorMatches(selector, labels)).toBe(expected));

  it('an absent selector selects nothing', () => {
    expect(labelSelectorMatches(undefined, labels)).toBe(false);
    expect(labelSelectorMatches(null, labels)).toBe(false);
  });

  it('names the first failing term', () => {
    expect(labelSelectorMismatch({ matchLabels: { app: 'etcd', tier: 'web', zone: 'a' } }, labels)).toEqual(['matchLabels', 'tier']);
    expect(
      labelSelectorMismatch(
        {
          matchLabels: { app: 'etcd' },
          matchExpressions: [
            { key: 'app', operator: 'Exists' },
            { key: 'tier', operator: 'In', values: ['web'] },
          ],
        },
        labels,
      ),
    ).toEqual(['matchExpressions', 1]);
    expect(labelSelectorMismatch(undefined, labels)).toEqual([]);
    expect(labelSelectorMismatch({ matchLabels: { app: 'etcd' } }, labels)).toBeUndefined();
    expect(mapSelectorMismatch({ app: 'etcd', tier: 'web' }, labels)).toEqual(['tier']);
    expect(mapSelectorMismatch({}, labels)).toEqual([]);
    expect(mapSelectorMismatch({ app: 'etcd' }, labels)).toBeUndefined();
  });

  it('Service selectors: equality only; empty or absent selects nothing', () => {
    expect(mapSelectorMatches({ app: 'etcd' }, labels)).toBe(true);
    expect(mapSelectorMatches({ app: 'etcd', zone: 'a' }, labels)).toBe(false);
    expect(mapSelectorMatches({}, labels)).toBe(false);
    expect(mapSelectorMatches(undefined, labels)).toBe(false);
  });
});

describe('manifest-generate-paths', () => {
  const root = '/repo';
  it('resolves / against the repository root and others against the source path', () => {
    expect(parseManifestGeneratePaths('/a/b; .;../c;;', root, 'apps/x/overlays/dev')).toEqual([
      '/repo/a/b',
      '/repo/apps/x/overlays/dev',
      '/repo/apps/x/overlays/c',
    ]);
    expect(parseManifestGeneratePaths('/', root, 'x')).toEqual(['/repo']);
  });

  it('a directory covers itself and its subdirectories only', () => {
    expect(isCovered('/repo/a/b', ['/repo/a'])).toBe(true);
    expect(isCovered('/repo/a', ['/repo/a/'])).toBe(true);
    expect(isCovered('/repo/ab', ['/repo/a'])).toBe(false);
    expect(isCovered('/repo/a', ['/repo/a/b'])).toBe(false);
    expect(isCovered('/repo/..a', ['/repo'])).toBe(true);
    expect(isCovered('/other', ['/repo'])).toBe(false);
  });

  it('names directories relative to the repository root', () => {
    expect(repoRelative('/repo/a/b', root)).toBe('a/b');
    expect(repoRelative('/repo', root)).toBe('.');
  });

  it('picks the source whose path is the target, else the first with a path', () => {
    const app = (yaml: string) => {
      const object = loadYamlDocuments(yaml, { file: '/repo/app.yaml' })[0]!.value;
      if (!isObject(object)) throw new Error('not an object');
      return { object, file: '/repo/app.yaml' };
    };
    const multi = app('spec:\n  sources:\n  - repoURL: r\n  - path: a\n  - path: b/c\n');
    expect(sourcePathFor(multi, { repoRoot: root, targetPath: '/repo/b/c' })).toBe('b/c');
    expect(sourcePathFor(multi, { repoRoot: root, targetPath: '/repo/z' })).toBe('a');
    expect(sourcePathFor(app('spec:\n  source:\n    path: s\n  sources:\n  - path: t\n'), { repoRoot: root, targetPath: '/repo/t' })).toBe(
      't',
    );
    expect(sourcePathFor(app('spec: {}\n'), { repoRoot: root, targetPath: '/repo/t' })).toBe('');
  });
});
