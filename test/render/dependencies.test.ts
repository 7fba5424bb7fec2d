import { describe, expect, it } from 'vitest';
import { kustomizationDependencies, type DependencyCache } from '../../src/render/dependencies.ts';
import type { FileSystem } from '../../src/render/fs.ts';
import { checkDependencies } from './dependency-oracle.ts';
import { memFs } from './memfs.ts';

/*
 * The static dependency listing (src/render/dependencies.ts), on in-memory trees: each field
 * kind that names a path, checked against the expected list and, where the tree renders, against
 * what a real render reads (test/render/dependency-oracle.ts). The corpus version of the oracle
 * is test/corpus/render-dependencies.test.ts.
 */

const CM = (name: string) => `
  apiVersion: v1
  kind: ConfigMap
  metadata:
    name: ${name}
`;
const DEPLOYMENT = `
  apiVersion: apps/v1
  kind: Deployment
  metadata:
    name: app
  spec:
    template:
      spec:
        containers:
          - name: app
            image: app:1
`;

function listing(files: Record<string, string>, dir = 'overlay', cache?: DependencyCache) {
  const fs = memFs(files);
  const rel = (p: string) => p.slice(fs.root.length + 1);
  const l = kustomizationDependencies(fs.path(dir), fs, { root: fs.root, ...(cache ? { cache } : {}) });
  return {
    fs,
    raw: l,
    files: l.files.map(rel),
    dirs: l.dirs.map(rel),
    kustomizations: l.kustomizations.map(rel),
    missing: l.missing.map(rel),
    programs: l.programs.map(rel),
    remote: l.remote,
    error: l.error,
  };
}

/** The tree renders, and the listing agrees with what the render read. */
function agreesWithRender(files: Record<string, string>, dir = 'overlay'): void {
  const fs = memFs(files);
  const o = checkDependencies(fs.path(dir), fs, { root: fs.root });
  expect(o.renderError).toBeUndefined();
  expect(o.mismatches).toEqual([]);
}

describe('kustomizationDependencies: each field kind', () => {
  it('resources (files and bases), bases, components, recursively', () => {
    const tree = {
      'base/kustomization.yaml': 'resources: [deployment.yaml, ../shared]\n',
      'base/deployment.yaml': DEPLOYMENT,
      'shared/kustomization.yml': 'resources: [cm.yaml]\n',
      'shared/cm.yaml': CM('shared'),
      'legacy/kustomization.yaml': 'resources: [cm.yaml]\n',
      'legacy/cm.yaml': CM('legacy'),
      'comp/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [extra.yaml]\n',
      'comp/extra.yaml': CM('extra'),
      'overlay/Kustomization': 'resources: [../base, local.yaml]\nbases: [../legacy]\ncomponents: [../comp]\n',
      'overlay/local.yaml': CM('local'),
      'overlay/unrelated.yaml': CM('unrelated'),
    };
    const l = listing(tree);
    expect(l.files).toEqual([
      'base/deployment.yaml',
      'base/kustomization.yaml',
      'comp/extra.yaml',
      'comp/kustomization.yaml',
      'legacy/cm.yaml',
      'legacy/kustomization.yaml',
      'overlay/Kustomization',
      'overlay/local.yaml',
      'shared/cm.yaml',
      'shared/kustomization.yml',
    ]);
    expect(l.kustomizations).toEqual(['overlay', 'base', 'shared', 'legacy', 'comp']);
    expect([l.dirs, l.missing, l.remote, l.error]).toEqual([[], [], [], undefined]);
    agreesWithRender(tree);
  });

  it('patches, patchesStrategicMerge (files, not inline ones), patchesJson6902', () => {
    const tree = {
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        patches:
          - path: patches/labels.yaml
          - patch: |
              - op: add
                path: /metadata/labels
                value: { a: b }
            target: { kind: Deployment }
        patchesStrategicMerge:
          - patches/smp.yaml
          - |
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: app
              annotations: { inline: "yes" }
        patchesJson6902:
          - path: patches/json.yaml
            target: { kind: Deployment, name: app }
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/patches/labels.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\n  labels: { x: y }\n',
      'overlay/patches/smp.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  replicas: 2\n',
      'overlay/patches/json.yaml': '- op: add\n  path: /spec/paused\n  value: true\n',
      'overlay/patches/unused.yaml': 'x: 1\n',
    };
    expect(listing(tree).files).toEqual([
      'overlay/deployment.yaml',
      'overlay/kustomization.yaml',
      'overlay/patches/json.yaml',
      'overlay/patches/labels.yaml',
      'overlay/patches/smp.yaml',
    ]);
    agreesWithRender(tree);
  });

  it('configMapGenerator and secretGenerator: files (path and key=path), envs, env', () => {
    const tree = {
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        configMapGenerator:
          - name: a
            files: [config/app.conf, renamed=config/other.conf]
            envs: [config/a.env]
            literals: [x=y]
        secretGenerator:
          - name: s
            env: config/s.env
            files: [tls.key=config/key.pem]
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/config/app.conf': 'a=1\n',
      'overlay/config/other.conf': 'b=2\n',
      'overlay/config/a.env': 'A=1\n',
      'overlay/config/s.env': 'S=1\n',
      'overlay/config/key.pem': 'KEY\n',
    };
    expect(listing(tree).files).toEqual([
      'overlay/config/a.env',
      'overlay/config/app.conf',
      'overlay/config/key.pem',
      'overlay/config/other.conf',
      'overlay/config/s.env',
      'overlay/deployment.yaml',
      'overlay/kustomization.yaml',
    ]);
    agreesWithRender(tree);
  });

  it('configurations, crds, openapi.path, replacements path', () => {
    const tree = {
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        configurations: [config/names.yaml]
        crds: [config/crd.json]
        openapi:
          path: config/schema.json
        replacements:
          - path: config/replacement.yaml
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/config/names.yaml': 'nameReference: []\n',
      'overlay/config/crd.json': '{}\n',
      'overlay/config/schema.json': '{"definitions": {}}\n',
      'overlay/config/replacement.yaml':
        'source: { kind: Deployment, name: app, fieldPath: metadata.name }\ntargets:\n  - select: { kind: Deployment }\n    fieldPaths: [metadata.annotations.n]\n    options: { create: true }\n',
    };
    expect(listing(tree).files).toEqual([
      'overlay/config/crd.json',
      'overlay/config/names.yaml',
      'overlay/config/replacement.yaml',
      'overlay/config/schema.json',
      'overlay/deployment.yaml',
      'overlay/kustomization.yaml',
    ]);
    agreesWithRender(tree);
  });

  it('only the top-most openapi schema is read', () => {
    const tree = {
      'base/kustomization.yaml': 'resources: [deployment.yaml]\nopenapi:\n  path: schema.json\n',
      'base/deployment.yaml': DEPLOYMENT,
      'base/schema.json': '{"definitions": {}}\n',
      'overlay/kustomization.yaml': 'resources: [../base]\nopenapi:\n  version: v1.21.2\n',
    };
    expect(listing(tree).files).toEqual(['base/deployment.yaml', 'base/kustomization.yaml', 'overlay/kustomization.yaml']);
    agreesWithRender(tree);
    // Without the overlay's, the base's is the top-most.
    expect(listing(tree, 'base').files).toContain('base/schema.json');
    agreesWithRender(tree, 'base');
  });

  it('generators: and transformers: entries (inline, files, and the files a builtin configuration names)', () => {
    const tree = {
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        generators:
          - gen/config-map.yaml
          - |
            apiVersion: builtin
            kind: SecretGenerator
            metadata:
              name: inline-secret
            envs: [gen/inline.env]
        transformers:
          - prefix.yaml
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/gen/config-map.yaml': 'apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: generated\nfiles: [gen/data.txt]\n',
      // Resolved from the kustomization's directory, not the configuration's.
      'overlay/gen/data.txt': 'data\n',
      'overlay/gen/inline.env': 'A=1\n',
      'overlay/prefix.yaml':
        'apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata:\n  name: p\nprefix: x-\nfieldSpecs:\n  - path: metadata/name\n',
    };
    expect(listing(tree).files).toEqual([
      'overlay/deployment.yaml',
      'overlay/gen/config-map.yaml',
      'overlay/gen/data.txt',
      'overlay/gen/inline.env',
      'overlay/kustomization.yaml',
      'overlay/prefix.yaml',
    ]);
    agreesWithRender(tree);
  });

  it('generator plugins: their configuration, a directory of configurations, an exec function', () => {
    const tree = {
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        generators:
          - vault.yaml
          - more
          - fn.yaml
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/vault.yaml': 'apiVersion: example.com/v1\nkind: SecretsFromVault\nmetadata:\n  name: v\n',
      'overlay/more/kustomization.yaml': 'resources: [vault.yaml]\n',
      'overlay/more/vault.yaml': 'apiVersion: example.com/v1\nkind: SecretsFromVault\nmetadata:\n  name: w\n',
      'overlay/fn.yaml':
        'apiVersion: example.com/v1\nkind: Gen\nmetadata:\n  name: g\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./plugins/gen.sh\n',
      'overlay/plugins/gen.sh': '#!/bin/sh\n',
    };
    const l = listing(tree);
    expect(l.files).toEqual([
      'overlay/deployment.yaml',
      'overlay/fn.yaml',
      'overlay/kustomization.yaml',
      'overlay/more/kustomization.yaml',
      'overlay/more/vault.yaml',
      'overlay/plugins/gen.sh',
      'overlay/vault.yaml',
    ]);
    expect(l.programs).toEqual(['overlay/plugins/gen.sh']);
    expect(l.kustomizations).toEqual(['overlay', 'overlay/more']);
    // With plugins: skip the render reads all of it but the executable.
    agreesWithRender(tree);
  });

  it('validators, helm charts, a generator reading a directory (kustomize reads them; the built-in renderer refuses)', () => {
    const l = listing({
      'overlay/kustomization.yaml': `
        resources: [deployment.yaml]
        validators: [check.yaml]
        helmGlobals:
          chartHome: ../charts
        helmCharts:
          - name: etcd
            valuesFile: values.yaml
            additionalValuesFiles: [values-dev.yaml]
        configMapGenerator:
          - name: dir
            files: [configs]
      `,
      'overlay/deployment.yaml': DEPLOYMENT,
      'overlay/check.yaml': 'apiVersion: example.com/v1\nkind: Check\nmetadata:\n  name: c\n',
      'overlay/values.yaml': 'a: 1\n',
      'overlay/values-dev.yaml': 'a: 2\n',
      'overlay/configs/one.conf': '1\n',
      'charts/etcd/Chart.yaml': 'name: etcd\n',
    });
    expect(l.files).toEqual([
      'overlay/check.yaml',
      'overlay/deployment.yaml',
      'overlay/kustomization.yaml',
      'overlay/values-dev.yaml',
      'overlay/values.yaml',
    ]);
    expect(l.dirs).toEqual(['charts', 'overlay/configs']);
  });
});

describe('kustomizationDependencies: broken trees never throw', () => {
  it('missing files and bases are listed, and missing', () => {
    const l = listing({
      'overlay/kustomization.yaml': `
        resources: [../gone, deleted.yaml, present.yaml]
        patches:
          - path: patches/deleted.yaml
        configMapGenerator:
          - name: c
            files: [k=deleted.conf]
      `,
      'overlay/present.yaml': CM('present'),
    });
    expect(l.files).toEqual(['overlay/deleted.conf', 'overlay/kustomization.yaml', 'overlay/patches/deleted.yaml', 'overlay/present.yaml']);
    // A deleted resources entry may have been a file or a base: anything at or under it counts.
    expect(l.dirs).toEqual(['gone', 'overlay/deleted.yaml']);
    expect(l.missing).toEqual(['gone', 'overlay/deleted.conf', 'overlay/deleted.yaml', 'overlay/patches/deleted.yaml']);
    expect(l.error).toBeUndefined();
  });

  it('a base without a kustomization file: the names it could have are listed', () => {
    const l = listing({ 'overlay/kustomization.yaml': 'resources: [../base]\n', 'base/deployment.yaml': DEPLOYMENT });
    expect(l.files).toEqual(['base/Kustomization', 'base/kustomization.yaml', 'base/kustomization.yml', 'overlay/kustomization.yaml']);
    expect(l.kustomizations).toEqual(['overlay', 'base']);
    expect(l.error?.message).toMatch(/no kustomization file/);
  });

  it('bad YAML: the file is listed, the error named', () => {
    const l = listing({ 'overlay/kustomization.yaml': 'resources: [a.yaml\n', 'overlay/a.yaml': CM('a') });
    expect(l.files).toEqual(['overlay/kustomization.yaml']);
    expect(l.error?.message).toMatch(/invalid YAML/);
    expect(l.error?.location?.file).toBe(l.fs.path('overlay/kustomization.yaml'));
  });

  it('a kustomization the loader rejects is still followed (fields by any case, an unknown field)', () => {
    const l = listing({ 'overlay/kustomization.yaml': 'Resources: [a.yaml]\nimageTags: []\nunknownField: 1\n', 'overlay/a.yaml': CM('a') });
    expect(l.files).toEqual(['overlay/a.yaml', 'overlay/kustomization.yaml']);
    expect(l.error?.message).toMatch(/imageTags/);
  });

  it('remote references are named, not followed; an absolute path is an error', () => {
    const l = listing({
      'overlay/kustomization.yaml':
        'resources:\n  - https://github.com/example/repo//base?ref=v1\n  - github.com/example/other\n  - /etc/passwd\n  - a.yaml\n',
      'overlay/a.yaml': CM('a'),
    });
    expect(l.remote).toEqual(['github.com/example/other', 'https://github.com/example/repo//base?ref=v1']);
    expect(l.files).toEqual(['overlay/a.yaml', 'overlay/kustomization.yaml']);
    expect(l.error?.message).toMatch(/absolute path "\/etc\/passwd"/);
  });

  it('a cycle ends', () => {
    const l = listing({ 'a/kustomization.yaml': 'resources: [../b]\n', 'b/kustomization.yaml': 'resources: [../a]\n' }, 'a');
    expect(l.kustomizations).toEqual(['a', 'b']);
  });

  it('a target that is not a directory', () => {
    const l = listing({ 'overlay/kustomization.yaml': 'resources: []\n' }, 'nowhere');
    expect(l.dirs).toEqual(['nowhere']);
    expect(l.error?.message).toMatch(/not a directory/);
  });

  it('a base outside the root is not entered', () => {
    const fs = memFs(
      { 'repo/overlay/kustomization.yaml': 'resources: [../../outside]\n', 'outside/kustomization.yaml': 'resources: [secret.yaml]\n' },
      '/x',
    );
    const l = kustomizationDependencies('/x/repo/overlay', fs, { root: '/x/repo' });
    expect(l.kustomizations).toEqual(['/x/repo/overlay']);
    expect(l.error?.message).toMatch(/outside the repository root/);
  });

  it('a file system that throws', () => {
    const fs = memFs({ 'overlay/kustomization.yaml': 'resources: [a.yaml]\n' });
    const broken: FileSystem = {
      ...fs,
      readFile: () => {
        throw new Error('EIO');
      },
    };
    const l = kustomizationDependencies(fs.path('overlay'), broken, { root: fs.root });
    expect(l.files).toEqual([fs.path('overlay/kustomization.yaml')]);
    expect(l.error?.message).toMatch(/EIO/);
  });
});

describe('kustomizationDependencies: a shared cache', () => {
  it('parses each kustomization once across targets', () => {
    const fs = memFs({
      'base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'base/cm.yaml': CM('base'),
      'a/kustomization.yaml': 'resources: [../base]\nnamePrefix: a-\n',
      'b/kustomization.yaml': 'resources: [../base]\nnamePrefix: b-\n',
    });
    const reads = new Map<string, number>();
    const counting: FileSystem = { ...fs, readFile: (p) => (reads.set(p, (reads.get(p) ?? 0) + 1), fs.readFile(p)) };
    const cache: DependencyCache = new Map();
    const a = kustomizationDependencies(fs.path('a'), counting, { root: fs.root, cache });
    const b = kustomizationDependencies(fs.path('b'), counting, { root: fs.root, cache });
    expect(a.files).toContain(fs.path('base/cm.yaml'));
    expect(b.files).toContain(fs.path('base/cm.yaml'));
    expect([...reads.values()]).toEqual([1, 1, 1]);
    expect([...reads.keys()].sort()).toEqual([
      fs.path('a/kustomization.yaml'),
      fs.path('b/kustomization.yaml'),
      fs.path('base/kustomization.yaml'),
    ]);
  });
});
