import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import {
  applicationsFor,
  discoverApplications,
  discoverApplicationsFast,
  discoverApplicationsFor,
  findAppProjects,
} from '../../src/argocd/discover.ts';
import type { ApplicationDoc } from '../../src/engine/types.ts';
import { lintTarget } from '../../src/lint/lint-target.ts';
import { getPath } from '../../src/model/provenance.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { compileGlobSet } from '../../src/util/glob.ts';
import { writeTree } from '../acceptance/component.ts';
import { cli } from '../config/helpers.ts';
import { recordingRender } from '../support/recording-render.ts';
import { app, overlay } from '../support/argocd-repo.ts';

// Repositories are written under the test run's temporary directory (removed with it).
const writeRepo = writeTree;
const OVERLAY = overlay('etcd');

const names = (apps: readonly ApplicationDoc[]) => apps.map((a) => getPath(a.object, ['metadata', 'name']));

describe('the ArgoCD search scope (argocd-application option `search`)', () => {
  const repo = () =>
    writeRepo({
      ...OVERLAY,
      'argocd/base/kustomization.yaml': 'resources:\n  - etcd.yaml\n',
      'argocd/base/etcd.yaml': app('etcd-argocd', 'etcd/overlays/dev'),
      'argocd/overlays/dev/kustomization.yaml': 'namespace: argocd\nresources:\n  - ../../base\n',
      'argocd/old/etcd.yaml': app('etcd-old', 'etcd/overlays/dev'),
      'elsewhere/etcd.yaml': app('etcd-elsewhere', 'etcd/overlays/dev'),
      'elsewhere/project.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: outside\n',
      'argocd/project.yaml': 'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: inside\n',
    });

  it('finds the Applications and AppProjects in scope only, fast or full alike', () => {
    const root = repo();
    const dir = path.join(root, 'etcd/overlays/dev');
    const { render } = recordingRender(root);
    expect(names(applicationsFor(discoverApplications(root, render), root, dir)).sort()).toEqual([
      'etcd-argocd',
      'etcd-elsewhere',
      'etcd-old',
    ]);

    const scope = compileGlobSet(['argocd/**', '!argocd/old']);
    const fast = discoverApplicationsFast(root, [dir], render, scope);
    expect('applications' in fast && names(applicationsFor(fast.applications, root, dir))).toEqual(['etcd-argocd']);
    const full = applicationsFor(discoverApplications(root, render, scope), root, dir);
    expect(full).toEqual(applicationsFor(discoverApplicationsFor(root, [dir], render, { scope }), root, dir));
    expect(full[0]).toMatchObject({ via: path.join(root, 'argocd/overlays/dev'), object: { metadata: { namespace: 'argocd' } } });
    expect(findAppProjects(root, scope)).toEqual(['inside']);
    expect(findAppProjects(root)).toEqual(['inside', 'outside']);
  });

  it('a pattern naming one file, and one naming nothing', () => {
    const root = repo();
    const dir = path.join(root, 'etcd/overlays/dev');
    const { render } = recordingRender(root);
    expect(names(applicationsFor(discoverApplications(root, render, compileGlobSet(['elsewhere/etcd.yaml'])), root, dir))).toEqual([
      'etcd-elsewhere',
    ]);
    expect(discoverApplications(root, render, compileGlobSet(['nowhere/**']))).toEqual([]);
  });

  it('never follows a symbolic link to reach a pattern', () => {
    const root = repo();
    symlinkSync(path.join(root, 'elsewhere'), path.join(root, 'linked'));
    mkdirSync(path.join(root, 'real/deeper'), { recursive: true });
    writeFileSync(path.join(root, 'real/deeper/etcd.yaml'), app('etcd-real', 'etcd/overlays/dev'));
    symlinkSync(path.join(root, 'real'), path.join(root, 'via'));
    const { render } = recordingRender(root);
    expect(discoverApplications(root, render, compileGlobSet(['linked/**']))).toEqual([]);
    expect(discoverApplications(root, render, compileGlobSet(['via/deeper/*.yaml']))).toEqual([]);
    expect(names(discoverApplications(root, render, compileGlobSet(['real/deeper/*.yaml'])))).toEqual(['etcd-real']);
  });

  it('declines the fast path when files outside the scope could set the path: none in scope spells it, or the render read one that does', () => {
    const files = (web: string) =>
      writeRepo({
        ...OVERLAY,
        'argocd/kustomization.yaml':
          'resources:\n  - etcd.yaml\n  - web.yaml\npatches:\n  - path: patches/set-path.yaml\n    target:\n      kind: Application\n      name: etcd\n',
        'argocd/etcd.yaml': app('etcd', 'placeholder'),
        'argocd/web.yaml': web,
        'argocd/patches/set-path.yaml': '- op: replace\n  path: /spec/source/path\n  value: etcd/overlays/dev\n',
      });
    const scope = compileGlobSet(['argocd/**', '!argocd/patches']);
    let root = files(app('web', 'web/overlays/dev'));
    let dir = path.join(root, 'etcd/overlays/dev');
    expect(discoverApplicationsFast(root, [dir], recordingRender(root).render, scope)).toEqual({
      fallback: 'no Application file in the search scope spells the path; a file outside it could set it',
    });
    expect(names(applicationsFor(discoverApplicationsFor(root, [dir], recordingRender(root).render, { scope }), root, dir))).toEqual([
      'etcd',
    ]);
    // An Application file spells the path: the render runs, and what it reads outside the scope is checked.
    root = files(app('web', 'web/overlays/dev') + '# not etcd/overlays/dev\n');
    dir = path.join(root, 'etcd/overlays/dev');
    expect(discoverApplicationsFast(root, [dir], recordingRender(root).render, scope)).toEqual({
      fallback: `${path.join(root, 'argocd/patches/set-path.yaml')} (read by the Applications' render, not searched) mentions etcd/overlays/dev`,
    });
    expect(names(applicationsFor(discoverApplicationsFor(root, [dir], recordingRender(root).render, { scope }), root, dir))).toEqual([
      'etcd',
    ]);
  });

  it('searches a file of any name that a kustomization names (a patch not called *.yaml), and no other', () => {
    const root = writeRepo({
      ...OVERLAY,
      'argocd/kustomization.yaml':
        'resources:\n  - etcd.yaml\n  - web.yaml\npatches:\n  - path: set-path.patch\n    target:\n      kind: Application\n      name: etcd\n',
      'argocd/etcd.yaml': app('etcd', 'placeholder'),
      'argocd/web.yaml': app('web', 'web/overlays/dev'),
      'argocd/set-path.patch': '- op: replace\n  path: /spec/source/path\n  value: etcd/overlays/dev\n',
    });
    const dir = path.join(root, 'etcd/overlays/dev');
    const { render } = recordingRender(root);
    expect(discoverApplicationsFast(root, [dir], render)).toEqual({
      fallback: `${path.join(root, 'argocd/set-path.patch')} mentions etcd/overlays/dev`,
    });
    expect(names(applicationsFor(discoverApplicationsFor(root, [dir], render), root, dir))).toEqual(['etcd']);
    // A file no kustomization names cannot be read by a render: it is not searched.
    const other = writeRepo({
      ...OVERLAY,
      'argocd/kustomization.yaml': 'resources:\n  - web.yaml\n',
      'argocd/web.yaml': app('web', 'web/overlays/dev'),
      'argocd/notes.txt': 'etcd/overlays/dev\n',
    });
    expect(discoverApplicationsFast(other, [path.join(other, 'etcd/overlays/dev')], recordingRender(other).render)).toEqual({
      applications: [],
    });
  });
});

describe('the search option end to end', () => {
  it('lintTarget searches the configured scope; the missing-Application error names it', () => {
    const root = writeRepo({ ...OVERLAY, 'elsewhere/etcd.yaml': app('etcd', 'etcd/overlays/dev') });
    const dir = path.join(root, 'etcd/overlays/dev');
    const lint = (search?: string[]) =>
      lintTarget(dir, {
        fs: nodeFileSystem,
        rules: builtinRules,
        renderer: 'builtin',
        readStdin: () => '',
        argocd: true,
        ...(search ? { settings: { 'argocd-application': { severity: 'error', options: { search } } } } : {}),
      });
    expect(lint().applications?.map((a) => a.name)).toEqual(['etcd']);
    const scoped = lint(['argocd/**']);
    expect(scoped.applications).toBeUndefined();
    expect(scoped.findings.filter((f) => f.ruleId === 'argocd-application').map((f) => f.message)).toEqual([
      'No ArgoCD Application in the search scope (argocd/**) has this directory as its source path',
    ]);
  });

  it('a malformed pattern in the configuration is exit 2 on its line', () => {
    const conf =
      'rules:\n  argocd-application:\n    - error\n    - search:\n        - argocd/**\n        - "argocd/[ab"\n        - ../outside/**\n';
    const root = writeRepo({ ...OVERLAY, '.cilium-etcd-lint.yaml': conf });
    const r = cli(root, 'etcd/overlays/dev');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'cilium-etcd-lint: .cilium-etcd-lint.yaml:6:11: invalid configuration: rules.argocd-application[1].search[1]: "argocd/[ab" is not a glob relative to the repository root (no leading "/", no "..", brackets and braces closed)\n' +
        '  .cilium-etcd-lint.yaml:7:11: rules.argocd-application[1].search[2]: "../outside/**" is not a glob relative to the repository root (no leading "/", no "..", brackets and braces closed)\n',
    );
  });
});
