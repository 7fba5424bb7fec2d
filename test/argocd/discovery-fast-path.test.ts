import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingRender } from '../support/recording-render.ts';
import { app, overlay } from '../support/argocd-repo.ts';
import { writeTree } from '../acceptance/component.ts';
import {
  applicationsFor,
  discoverApplications,
  discoverApplicationsFast,
  discoverApplicationsFor,
  findAppProjects,
} from '../../src/argocd/discover.ts';
import type { ApplicationDoc } from '../../src/engine/types.ts';
import { getPath, locate } from '../../src/model/provenance.ts';
import { lintTarget } from '../../src/lint/lint-target.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { builtinRules } from '../../rules/index.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** A repository (with .git) holding `files` in a new temporary directory, removed after the file's tests. */
function writeRepo(files: Record<string, string>): string {
  const root = writeTree(files);
  temporary.push(root);
  return root;
}

/** The same Applications for `dir`, from the fast path and from the full discovery. */
function both(root: string, dir: string): { fast: ApplicationDoc[]; full: ApplicationDoc[] } {
  const abs = path.join(root, dir);
  const { render } = recordingRender(root);
  return {
    fast: applicationsFor(discoverApplicationsFor(root, [abs], render), root, abs),
    full: applicationsFor(discoverApplications(root, render), root, abs),
  };
}

describe('ArgoCD Application discovery for one target', () => {
  it('renders only the argocd kustomization that holds the Application, leaving the other Application files out; a patch on another Application does not fail', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      ...overlay('web'),
      'argocd/base/kustomization.yaml': 'resources:\n  - etcd.yaml\n  - web.yaml\n  - project.yaml\n',
      'argocd/base/etcd.yaml': app('etcd', 'etcd/overlays/dev'),
      'argocd/base/web.yaml': app('web', 'web/overlays/dev'),
      'argocd/base/project.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: platform\n',
      'argocd/overlays/dev/kustomization.yaml': `namespace: argocd
resources:
  - ../../base
patches:
  - patch: |
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: web
      spec:
        project: web-project
  - patch: |
      apiVersion: argoproj.io/v1alpha1
      kind: Application
      metadata:
        name: etcd
      spec:
        project: platform
patchesStrategicMerge:
  - |
    apiVersion: argoproj.io/v1alpha1
    kind: Application
    metadata:
      name: web
    spec:
      destination:
        namespace: web-two
`,
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    const { render, calls } = recordingRender(root);
    const fast = discoverApplicationsFast(root, [dir], render);
    expect('fallback' in fast ? fast.fallback : undefined).toBeUndefined();
    const apps = (fast as { applications: ApplicationDoc[] }).applications;
    // One filtered render, of the top-most kustomization only; web.yaml was never parsed into it.
    expect(calls).toEqual([{ dir: path.join(root, 'argocd/overlays/dev'), filtered: true }]);
    expect(apps.map((a) => getPath(a.object, ['metadata', 'name']))).toEqual(['etcd']);
    expect(apps[0]).toMatchObject({ file: path.join(root, 'argocd/base/etcd.yaml'), via: path.join(root, 'argocd/overlays/dev') });
    expect(apps[0]!.object).toMatchObject({ metadata: { namespace: 'argocd' }, spec: { project: 'platform' } });
    expect(locate(apps[0]!.object, ['metadata', 'namespace'])!.file).toBe(path.join(root, 'argocd/overlays/dev/kustomization.yaml'));

    const { fast: f, full } = both(root, 'etcd/overlays/dev');
    expect(f).toEqual(full);
    expect(full).toHaveLength(1);
    const web = both(root, 'web/overlays/dev');
    expect(web.fast).toEqual(web.full);
    expect(web.fast[0]!.object).toMatchObject({
      metadata: { namespace: 'argocd' },
      spec: { project: 'web-project', destination: { namespace: 'web-two' } },
    });
    expect(findAppProjects(root)).toEqual(['platform']);
  });

  it('a path set only by a JSON6902 patch elsewhere: the fast path declines, the full discovery finds the Application', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/base/kustomization.yaml': 'resources:\n  - etcd.yaml\n',
      'argocd/base/etcd.yaml': app('etcd', 'placeholder'),
      'argocd/overlays/dev/kustomization.yaml': `namespace: argocd
resources:
  - ../../base
patches:
  - path: path.yaml
    target:
      kind: Application
      name: etcd
`,
      'argocd/overlays/dev/path.yaml': '- op: replace\n  path: /spec/source/path\n  value: etcd/overlays/dev\n',
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    const fast = discoverApplicationsFast(root, [dir], recordingRender(root).render);
    expect(fast).toEqual({ fallback: `${path.join(root, 'argocd/overlays/dev/path.yaml')} mentions etcd/overlays/dev` });
    const { fast: f, full } = both(root, 'etcd/overlays/dev');
    expect(f).toEqual(full);
    expect(f).toHaveLength(1);
    expect(f[0]).toMatchObject({
      file: path.join(root, 'argocd/base/etcd.yaml'),
      via: path.join(root, 'argocd/overlays/dev'),
      object: { spec: { source: { path: 'etcd/overlays/dev' } } },
    });
  });

  it('an Application-shaped patch file that sets the path of another Application: the fast path declines', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/base/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'argocd/base/web.yaml': app('web', 'web/overlays/dev'),
      'argocd/overlays/dev/kustomization.yaml': 'namespace: argocd\nresources:\n  - ../../base\npatches:\n  - path: web-path.yaml\n',
      'argocd/overlays/dev/web-path.yaml':
        'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: web\nspec:\n  source:\n    path: etcd/overlays/dev\n',
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    expect(discoverApplicationsFast(root, [dir], recordingRender(root).render)).toEqual({
      fallback: `${path.join(root, 'argocd/overlays/dev/kustomization.yaml')} names ${path.join(root, 'argocd/overlays/dev/web-path.yaml')} other than as a resource`,
    });
    const { fast, full } = both(root, 'etcd/overlays/dev');
    expect(fast).toEqual(full);
    // The patched Application (the patch file, read by the render, is not taken for one).
    expect(
      fast.map((a) => [getPath(a.object, ['metadata', 'name']), path.relative(root, a.file), a.via && path.relative(root, a.via)]),
    ).toEqual([['web', 'argocd/base/web.yaml', 'argocd/overlays/dev']]);
  });

  it('no Application mentions the target: none, with nothing parsed or rendered', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      ...overlay('web'),
      'argocd/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'argocd/web.yaml': app('web', 'web/overlays/dev'),
      // Not even a broken Application file matters: it is not looked at.
      'argocd/broken.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata: [\n',
    });
    const { render, calls } = recordingRender(root);
    expect(discoverApplicationsFast(root, [path.join(root, 'etcd/overlays/dev')], render)).toEqual({ applications: [] });
    expect(calls).toEqual([]);
    const { fast, full } = both(root, 'etcd/overlays/dev');
    expect(fast).toEqual([]);
    expect(full).toEqual([]);
  });

  it('never follows a symbolic link, to a directory or to a file', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'cel-fastpath-outside-'));
    temporary.push(outside);
    writeFileSync(path.join(outside, 'etcd.yaml'), app('outside', 'etcd/overlays/dev'));
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/etcd.yaml': app('etcd', 'etcd/overlays/dev'),
    });
    symlinkSync(outside, path.join(root, 'linked-dir'));
    symlinkSync(path.join(outside, 'etcd.yaml'), path.join(root, 'linked-file.yaml'));
    symlinkSync(path.join(root, 'argocd'), path.join(root, 'argocd-again'));
    const dir = path.join(root, 'etcd/overlays/dev');
    const fast = discoverApplicationsFast(root, [dir], recordingRender(root).render);
    expect('applications' in fast).toBe(true);
    const apps = (fast as { applications: ApplicationDoc[] }).applications;
    expect(apps.map((a) => [getPath(a.object, ['metadata', 'name']), a.file])).toEqual([['etcd', path.join(root, 'argocd/etcd.yaml')]]);
    const { fast: f, full } = both(root, 'etcd/overlays/dev');
    expect(f).toEqual(full);
    expect(full).toHaveLength(1);
  });

  it('a path written another way (./a//b/) is still found by the fast path, as the full discovery finds it', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/kustomization.yaml': 'namespace: argocd\nresources:\n  - etcd.yaml\n',
      'argocd/etcd.yaml': app('etcd', '"./etcd//overlays/dev/"'),
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    expect('applications' in discoverApplicationsFast(root, [dir], recordingRender(root).render)).toBe(true);
    const { fast, full } = both(root, 'etcd/overlays/dev');
    expect(fast).toEqual(full);
    expect(fast).toHaveLength(1);
    expect(fast[0]!.via).toBe(path.join(root, 'argocd'));
  });

  it('a replacement that writes into Applications makes the fast path decline', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/kustomization.yaml': `resources:
  - etcd.yaml
  - paths.yaml
replacements:
  - source:
      kind: ConfigMap
      name: env
      fieldPath: data.name
    targets:
      - select:
          kind: Application
          name: etcd
        fieldPaths:
          - spec.source.path
        options:
          delimiter: /
          index: 2
`,
      // The whole path is written nowhere: the replacement puts it together.
      'argocd/etcd.yaml': app('etcd', 'etcd/overlays/ENV'),
      'argocd/paths.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  name: dev\n',
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    const fast = discoverApplicationsFast(root, [dir], recordingRender(root).render);
    expect(fast).toEqual({
      fallback: `${path.join(root, 'argocd/kustomization.yaml')} may write into Applications (replacement, var or name reference)`,
    });
    const { fast: f, full } = both(root, 'etcd/overlays/dev');
    expect(f).toEqual(full);
    expect(f).toHaveLength(1);
  });

  it('a replacement in a file of its own counts too; one that writes only into other kinds does not', () => {
    const replacement = (kind: string) => `- source:
    kind: ConfigMap
    name: env
    fieldPath: data.name
  targets:
    - select:
        kind: ${kind}
        name: etcd
      fieldPaths:
        - spec.source.path
      options:
        delimiter: /
        index: 2
`;
    const files = {
      ...overlay('etcd'),
      'argocd/kustomization.yaml': 'resources:\n  - etcd.yaml\n  - paths.yaml\nreplacements:\n  - path: replacements/etcd.yaml\n',
      'argocd/replacements/etcd.yaml': replacement('Application'),
      'argocd/etcd.yaml': app('etcd', 'etcd/overlays/ENV'),
      'argocd/paths.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env\ndata:\n  name: dev\n',
      // An unrelated replacement elsewhere, into a Deployment.
      'web/kustomization.yaml':
        'resources:\n  - d.yaml\nreplacements:\n  - source:\n      kind: Deployment\n      name: web\n      fieldPath: metadata.name\n    targets:\n      - select:\n          kind: Deployment\n        fieldPaths:\n          - metadata.labels.app\n',
    };
    const root = writeRepo(files);
    const dir = path.join(root, 'etcd/overlays/dev');
    expect(discoverApplicationsFast(root, [dir], recordingRender(root).render)).toEqual({
      fallback: `${path.join(root, 'argocd/replacements/etcd.yaml')} may write into Applications (replacement, var or name reference)`,
    });
    const { fast, full } = both(root, 'etcd/overlays/dev');
    expect(fast).toEqual(full);
    expect(fast[0]!.object).toMatchObject({ spec: { source: { path: 'etcd/overlays/dev' } } });

    // The same replacement into a ConfigMap named etcd: nothing writes into Applications (and none deploys the target).
    const root2 = writeRepo({
      ...files,
      'argocd/replacements/etcd.yaml': replacement('ConfigMap').replace('spec.source.path', 'data.path'),
    });
    expect(discoverApplicationsFast(root2, [path.join(root2, 'etcd/overlays/dev')], recordingRender(root2).render)).toEqual({
      applications: [],
    });
  });

  it('a filtered render that fails (it needs an object from a file left out) means the full discovery answers', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      'argocd/kustomization.yaml': 'resources:\n  - etcd.yaml\n  - web.yaml\nreplicas:\n  - name: web-helper\n    count: 2\n',
      'argocd/etcd.yaml': app('etcd', 'etcd/overlays/dev'),
      'argocd/web.yaml': `${app('web', 'web/overlays/dev')}---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web-helper
spec:
  replicas: 1
`,
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    const fast = discoverApplicationsFast(root, [dir], recordingRender(root).render);
    expect('fallback' in fast ? fast.fallback : '').toMatch(
      /^rendering without the other Application files failed: replicas: no Deployment/,
    );
    const { fast: f, full } = both(root, 'etcd/overlays/dev');
    expect(f).toEqual(full);
    expect(f[0]!.via).toBe(path.join(root, 'argocd'));
  });

  it("the target's own files may name it, unless a kustomization that could read them holds Applications", () => {
    const files = {
      ...overlay('etcd'),
      'etcd/overlays/dev/kustomization.yaml':
        'resources:\n  - ../../base\ncommonAnnotations:\n  argocd.argoproj.io/manifest-generate-paths: /etcd/overlays/dev\n',
      'argocd/kustomization.yaml': 'resources:\n  - etcd.yaml\n',
      'argocd/etcd.yaml': app('etcd', 'etcd/overlays/dev'),
    };
    const root = writeRepo(files);
    const dir = path.join(root, 'etcd/overlays/dev');
    expect('applications' in discoverApplicationsFast(root, [dir], recordingRender(root).render)).toBe(true);
    const ok = both(root, 'etcd/overlays/dev');
    expect(ok.fast).toEqual(ok.full);
    expect(ok.fast).toHaveLength(1);

    // The overlay itself holds an Application (app of apps): a patch of its own could set the path.
    const root2 = writeRepo({
      ...files,
      'etcd/overlays/dev/kustomization.yaml': files['etcd/overlays/dev/kustomization.yaml'].replace(
        '  - ../../base\n',
        '  - ../../base\n  - apps.yaml\n',
      ),
      'etcd/overlays/dev/apps.yaml': app('child', 'elsewhere'),
    });
    const dir2 = path.join(root2, 'etcd/overlays/dev');
    expect(discoverApplicationsFast(root2, [dir2], recordingRender(root2).render)).toEqual({
      fallback: expect.stringMatching(/mentions its target and .* holds Applications$/),
    });
    const fallback = both(root2, 'etcd/overlays/dev');
    expect(fallback.fast).toEqual(fallback.full);
  });

  it('several targets at once, through a base and a component', () => {
    const root = writeRepo({
      ...overlay('etcd'),
      ...overlay('web'),
      'argocd/base/kustomization.yaml': 'resources:\n  - etcd.yaml\n',
      'argocd/base/etcd.yaml': app('etcd', 'etcd/overlays/dev'),
      'argocd/component/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n  - web.yaml\n',
      'argocd/component/web.yaml': app('web', 'web/overlays/dev'),
      'argocd/overlays/dev/kustomization.yaml': 'namespace: argocd\nresources:\n  - ../../base\ncomponents:\n  - ../../component\n',
    });
    const dirs = ['etcd/overlays/dev', 'web/overlays/dev'].map((d) => path.join(root, d));
    const { render, calls } = recordingRender(root);
    const apps = discoverApplicationsFor(root, dirs, render);
    expect(calls).toEqual([{ dir: path.join(root, 'argocd/overlays/dev'), filtered: true }]);
    const full = discoverApplications(root, render);
    for (const d of dirs) {
      expect(applicationsFor(apps, root, d)).toEqual(applicationsFor(full, root, d));
      expect(applicationsFor(apps, root, d)).toHaveLength(1);
      expect(applicationsFor(apps, root, d)[0]).toMatchObject({
        via: path.join(root, 'argocd/overlays/dev'),
        object: { metadata: { namespace: 'argocd' } },
      });
    }
  });
});

describe("lintTarget looks up each target's Applications", () => {
  it('on its own for the first targets of a repository, then from one full discovery: the same Applications either way', () => {
    const names = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const files: Record<string, string> = {
      'argocd/base/kustomization.yaml': `resources:\n${names.map((n) => `  - ${n}.yaml\n`).join('')}`,
      'argocd/overlays/dev/kustomization.yaml': 'namespace: argocd\nresources:\n  - ../../base\n',
    };
    for (const n of names) Object.assign(files, overlay(n), { [`argocd/base/${n}.yaml`]: app(n, `${n}/overlays/dev`) });
    const root = writeRepo(files);
    for (const n of names) {
      const r = lintTarget(path.join(root, n, 'overlays/dev'), {
        fs: nodeFileSystem,
        rules: builtinRules,
        renderer: 'builtin',
        readStdin: () => '',
        argocd: true,
      });
      expect(r.applications, n).toEqual([
        { name: n, namespace: 'argocd', file: path.join(root, `argocd/base/${n}.yaml`), via: path.join(root, 'argocd/overlays/dev') },
      ]);
    }
  });
});

describe('renderKustomization with skipResourceFile', () => {
  it('leaves those files out (unread), and a strategic-merge patch by id whose resource was left out is skipped', () => {
    const root = writeRepo({
      'k/kustomization.yaml':
        'resources:\n  - a.yaml\n  - b.yaml\npatches:\n  - patch: |\n      apiVersion: v1\n      kind: ConfigMap\n      metadata:\n        name: b\n      data:\n        x: "2"\n',
      'k/a.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n',
      'k/b.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n',
    });
    const dir = path.join(root, 'k');
    const skipped = path.join(dir, 'b.yaml');
    const r = renderKustomization(dir, { fs: nodeFileSystem, skipResourceFile: (f) => f === skipped });
    expect(r.resources.map((x) => getPath(x.object, ['metadata', 'name']))).toEqual(['a']);
    expect(r.files).not.toContain(skipped);
    // Nothing left out: the patch applies as usual.
    const all = renderKustomization(dir, { fs: nodeFileSystem, skipResourceFile: () => false });
    expect(all.resources.map((x) => x.object.data)).toMatchObject([undefined, { x: '2' }]);
    // Only a partial build forgives a patch whose resource is missing.
    writeFileSync(path.join(dir, 'b.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n');
    expect(renderKustomization(dir, { fs: nodeFileSystem, skipResourceFile: () => false }).resources).toHaveLength(2);
    expect(() => renderKustomization(dir, { fs: nodeFileSystem })).toThrow(/no resource matches strategic-merge patch/);
  });
});
