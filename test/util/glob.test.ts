import { describe, expect, it } from 'vitest';
import { compileGlob, compileGlobSet } from '../../src/util/glob.ts';

describe('compileGlob', () => {
  const cases: [pattern: string, path: string, matches: boolean][] = [
    ['**', 'a/b/c.yaml', true],
    ['**', '.hidden/x.yaml', true],
    ['cluster/manifests/argocd-applications', 'cluster/manifests/argocd-applications/base/a.yaml', true],
    ['cluster/manifests/argocd-applications', 'cluster/manifests/argocd-applications-old/a.yaml', false],
    ['cluster/manifests/argocd-applications/**', 'cluster/manifests/argocd-applications/base/a.yaml', true],
    ['./cluster//manifests/', 'cluster/manifests/x.yaml', true],
    ['*.yaml', 'app.yaml', true],
    ['*.yaml', 'dir/app.yaml', false],
    ['*.yaml', '.app.yaml', true],
    ['**/*.yaml', 'dir/sub/app.yaml', true],
    ['**/*.yaml', 'app.yaml', true],
    ['**/*.yaml', 'dir/app.yml', false],
    ['a/**/b.yaml', 'a/b.yaml', true],
    ['a/**/b.yaml', 'a/x/y/b.yaml', true],
    ['a/**/b.yaml', 'a/x/y/c.yaml', false],
    ['apps/*/overlays', 'apps/etcd/overlays/dev/kustomization.yaml', true],
    ['apps/*/overlays', 'apps/x/y/overlays/k.yaml', false],
    ['app?.yaml', 'app1.yaml', true],
    ['app?.yaml', 'app12.yaml', false],
    ['app[0-9].yaml', 'app7.yaml', true],
    ['app[!0-9].yaml', 'app7.yaml', false],
    ['app[!0-9].yaml', 'appx.yaml', true],
    ['*.{yaml,yml}', 'a.yml', true],
    ['*.{yaml,yml}', 'a.json', false],
    ['a\\*b', 'a*b', true],
    ['a\\*b', 'axb', false],
    ['a.b', 'axb', false],
    // picomatch's extglobs and nested braces.
    ['+(a|b).yaml', 'ab.yaml', true],
    ['!(vendor)/**', 'cluster/x.yaml', true],
    ['{a,{b,c}}.yaml', 'c.yaml', true],
  ];
  it.each(cases)('%s against %s: %s', (pattern, path, matches) => {
    expect(compileGlob(pattern).matches(path)).toBe(matches);
  });

  it.each([
    ['cluster/manifests/argocd-applications/**', 'cluster/manifests/argocd-applications'],
    ['cluster/*/x', 'cluster'],
    ['**/x', ''],
    ['x.yaml', 'x.yaml'],
  ])('%s has the base %s', (pattern, base) => {
    expect(compileGlob(pattern).base).toBe(base);
  });

  it.each(['a[b', 'a{b', 'a\\', '{a,{b'])('refuses the malformed %s', (pattern) => {
    expect(() => compileGlob(pattern)).toThrow(/glob/);
  });
});

describe('compileGlobSet', () => {
  it('takes a path some positive pattern matches and no negated one does', () => {
    const set = compileGlobSet(['cluster/**', '!cluster/vendor/**']);
    expect(set.includes('cluster/apps/a.yaml')).toBe(true);
    expect(set.includes('cluster/vendor/chart/a.yaml')).toBe(false);
    expect(set.includes('docs/a.yaml')).toBe(false);
    expect(set.everything).toBe(false);
  });
  it('only exclusions: every path but those', () => {
    const set = compileGlobSet(['!vendor/**']);
    expect(set.includes('cluster/a.yaml')).toBe(true);
    expect(set.includes('vendor/chart/a.yaml')).toBe(false);
    expect(set.bases).toEqual(['']);
  });
  it('walks only the outermost bases', () => {
    expect(compileGlobSet(['a/b/**', 'a/**/c', 'd/*.yaml', '!a/b/x']).bases).toEqual(['a', 'd']);
    expect(compileGlobSet(['**', 'a/**']).bases).toEqual(['']);
  });
  it('knows when it is the whole repository', () => {
    expect(compileGlobSet(['**']).everything).toBe(true);
    expect(compileGlobSet(['**', '!vendor']).everything).toBe(false);
  });
});
