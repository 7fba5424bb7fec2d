import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cleanComponent, lineOf, writeTree } from '../acceptance/component.ts';
import { runCli } from '../support/cli.ts';
import { argocdKustomizeEdit } from '../../src/argocd/overrides.ts';
import { getPath, locate, type JsonObject } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { loadYamlDocuments } from '../../src/yaml/load.ts';

/** The clean component with its Application replaced by `apps` (relative path -> text). */
function repo(apps: Record<string, string>, extra: Record<string, string> = {}): { root: string; files: Record<string, string> } {
  const files = { ...cleanComponent(), ...extra };
  delete files['apps/etcd.yaml'];
  Object.assign(files, apps);
  return { root: writeTree(files), files };
}

function application(
  name: string,
  kustomize: string,
  opts: { namespace?: string; project?: string; paths?: string; spec?: string; syncOptions?: string[] } = {},
): string {
  return `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  annotations:
    argocd.argoproj.io/manifest-generate-paths: ${opts.paths ?? '/etcd'}
    notifications.argoproj.io/subscribe.on-sync-failed.slack: alerts
spec:
  project: ${opts.project ?? 'default'}
  source:
    repoURL: https://example.com/repo.git
    targetRevision: main
    path: etcd/overlays/dev
${kustomize
  .split('\n')
  .filter((l) => l !== '')
  .map((l) => `    ${l}`)
  .join('\n')}
  destination:
    server: https://kubernetes.default.svc
    namespace: ${opts.namespace ?? 'kube-system'}
${opts.spec ?? ''}  syncPolicy:
    automated:
      prune: true
      selfHeal: true
${opts.syncOptions ? `    syncOptions:\n${opts.syncOptions.map((o) => `      - ${o}\n`).join('')}` : ''}`;
}

function lint(root: string, args: string[] = []) {
  const r = runCli(['--format', 'json', ...args, 'etcd/overlays/dev'], { cwd: root });
  return { ...r, doc: r.stdout ? JSON.parse(r.stdout) : undefined };
}

type F = { ruleId: string; severity: string; location: { file: string; line: number }; application?: string; message: string };
const errors = (doc: { findings: F[] }) => doc.findings.filter((f) => f.severity === 'error');

const hasKubectl = !spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8', timeout: 10_000 }).error;
const MIRROR = 'ghcr.io/hippocampus-dev/hippocampus/mirror/quay.io/coreos/etcd';

describe("the Application's spec.source.kustomize is applied as ArgoCD applies it", () => {
  it('the clean component with a plain Application lints clean, findings unattributed', () => {
    const { root } = repo({ 'apps/etcd.yaml': application('cilium-etcd', '') });
    const r = lint(root);
    expect(r.stderr).toBe('');
    expect(errors(r.doc)).toEqual([]);
    expect(r.code).toBe(0);
    expect(r.doc.findings.every((f: F) => f.application === undefined)).toBe(true);
  });

  it('images swapping the digest for a tag: image-digest error on the Application line, exit 1', () => {
    const app = application('cilium-etcd', `kustomize:\n  images:\n    - ${MIRROR}:v3.5.17\n`);
    const { root } = repo({ 'apps/etcd.yaml': app });
    const r = lint(root);
    expect(r.code).toBe(1);
    const digest = errors(r.doc).filter((f) => f.ruleId === 'image-digest');
    expect(digest).toHaveLength(1);
    expect(digest[0]).toMatchObject({ location: { file: 'apps/etcd.yaml', line: lineOf(app, ':v3.5.17') }, application: 'cilium-etcd' });
    // The overlay alone is clean: without the ArgoCD checks nothing fails.
    expect(lint(root, ['--no-argocd']).code).toBe(0);
    // kubectl kustomize renders the overlay as written, and says the Application's settings were not applied.
    if (!hasKubectl) return;
    const k = lint(root, ['--renderer', 'kustomize']);
    expect(k.code).toBe(0);
    expect(k.doc.findings.filter((f: F) => f.ruleId === 'argocd').map((f: F) => [f.severity, f.location.file, f.location.line])).toEqual([
      ['info', 'apps/etcd.yaml', lineOf(app, 'kustomize:')],
    ]);
  });

  it('namespace: default fails the namespace rule on the Application line', () => {
    const app = application('cilium-etcd', 'kustomize:\n  namespace: default\n');
    const { root } = repo({ 'apps/etcd.yaml': app });
    const r = lint(root);
    expect(r.code).toBe(1);
    const ns = errors(r.doc).filter((f) => f.ruleId === 'namespace');
    expect(ns.length).toBeGreaterThan(0);
    for (const f of ns) expect(f.location).toMatchObject({ file: 'apps/etcd.yaml', line: lineOf(app, 'namespace: default') });
    // The destination (kube-system) no longer matches the effective render (default).
    expect(errors(r.doc).some((f) => f.ruleId === 'argocd-destination-namespace')).toBe(true);
  });

  it('two Applications deploying one overlay with different overrides: findings attributed to each', () => {
    const a = application('etcd-a', `kustomize:\n  images:\n    - ${MIRROR}:v3.5.17\n`);
    const b = application('etcd-b', 'kustomize:\n  namePrefix: b-\n  replicas:\n    - name: cilium-etcd-0\n      count: 3\n');
    const { root } = repo({ 'apps/a.yaml': a, 'apps/b.yaml': b });
    const r = lint(root);
    expect(r.code).toBe(1);
    const byApp = (name: string) => errors(r.doc).filter((f) => f.application === name);
    expect(byApp('etcd-a').map((f) => f.ruleId)).toEqual(['image-digest']);
    expect(byApp('etcd-a')[0]!.location).toMatchObject({ file: 'apps/a.yaml', line: lineOf(a, ':v3.5.17') });
    // b's three replicas need --initial-cluster: an error pointing at b's count.
    expect(byApp('etcd-b').map((f) => f.ruleId)).toEqual(['initial-cluster-for-replicas']);
    expect(errors(r.doc).every((f) => f.application !== undefined)).toBe(true);
    // Stylish groups them under each Application.
    const stylish = runCli(['etcd/overlays/dev'], { cwd: root }).stdout;
    expect(stylish).toMatch(/^Application etcd-a\n {2}apps\/a\.yaml:\d+:\d+ {2}error/m);
    expect(stylish).toMatch(/^Application etcd-b\n/m);
    // --application picks one, by name or by file.
    const onlyB = lint(root, ['--application', 'etcd-b']);
    expect(new Set(onlyB.doc.findings.map((f: F) => f.application))).toEqual(new Set(['etcd-b']));
    const onlyA = runCli(['--format', 'json', '--application', path.join('apps', 'a.yaml'), 'etcd/overlays/dev'], { cwd: root });
    expect(onlyA.code).toBe(1);
    expect(errors(JSON.parse(onlyA.stdout)).map((f) => f.ruleId)).toEqual(['image-digest']);
    expect(lint(root, ['--application', 'nope']).code).toBe(2);
  });

  it('commonAnnotations with commonAnnotationsEnvsubst expand ${ARGOCD_APP_*} from the Application', () => {
    const app = application(
      'cilium-etcd',
      'kustomize:\n  commonAnnotationsEnvsubst: true\n  commonAnnotations:\n    repository: ${ARGOCD_APP_SOURCE_REPO_URL}\n    app: ${ARGOCD_APP_NAME}/${ARGOCD_APP_NAMESPACE}@${ARGOCD_APP_REVISION}\n  commonLabels:\n    team: platform\n  labelWithoutSelector: true\n',
    );
    const { root } = repo({ 'apps/etcd.yaml': app });
    expect(errors(lint(root).doc)).toEqual([]);
    const file = path.join(root, 'apps/etcd.yaml');
    const doc = { object: loadYamlDocuments(app, { file })[0]!.value as JsonObject, file };
    const r = renderKustomization(path.join(root, 'etcd/overlays/dev'), {
      fs: nodeFileSystem,
      editTop: argocdKustomizeEdit(doc, ['spec', 'source'], nodeFileSystem),
    });
    const sts = r.resources.find((x) => x.object.kind === 'StatefulSet')!.object;
    expect(getPath(sts, ['metadata', 'annotations'])).toMatchObject({
      repository: 'https://example.com/repo.git',
      app: 'cilium-etcd/kube-system@main',
    });
    expect(locate(sts, ['metadata', 'annotations', 'app'])).toMatchObject({ file, line: lineOf(app, 'app: ${ARGOCD_APP_NAME}') });
    // labelWithoutSelector: on the metadata, not on the selector.
    expect(getPath(sts, ['metadata', 'labels', 'team'])).toBe('platform');
    expect(getPath(sts, ['spec', 'selector', 'matchLabels', 'team'])).toBeUndefined();
    expect(locate(sts, ['metadata', 'labels', 'team'])).toMatchObject({ file, line: lineOf(app, 'team: platform') });
  });

  it('patches and components added by the Application are rendered, with the patch lines in the Application', () => {
    const app = application(
      'cilium-etcd',
      `kustomize:
  components:
    - ../../components/extra
  patches:
    - target:
        kind: StatefulSet
      patch: |-
        - op: replace
          path: /spec/template/spec/hostNetwork
          value: false
`,
    );
    const component = {
      'etcd/components/extra/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonLabels:\n  extra: "yes"\n',
    };
    const { root } = repo({ 'apps/etcd.yaml': app }, component);
    const r = lint(root);
    expect(r.code).toBe(1);
    const host = errors(r.doc).filter((f) => f.ruleId === 'host-network');
    expect(host).toHaveLength(1);
    // The component the Application adds is read by the build (and so must be covered by manifest-generate-paths).
    expect(r.doc.findings.some((f: F) => f.ruleId === 'argocd-manifest-generate-paths')).toBe(false);
    expect(host[0]!.location).toMatchObject({ file: 'apps/etcd.yaml', line: lineOf(app, '- op: replace') });
  });
});

describe('kustomize edit add label/annotation refuse a key the overlay has, unless forced', () => {
  const overlay = {
    'etcd/overlays/dev/kustomization.yaml': cleanComponent()['etcd/overlays/dev/kustomization.yaml'] + 'commonAnnotations:\n  team: core\n',
  };
  it('exit 2 on the Application line without forceCommonAnnotations', () => {
    const app = application('cilium-etcd', 'kustomize:\n  commonAnnotations:\n    team: platform\n');
    const r = lint(repo({ 'apps/etcd.yaml': app }, overlay).root);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`apps/etcd.yaml:${lineOf(app, 'team: platform')}:`);
    expect(r.stderr).toContain('forceCommonAnnotations');
  });
  it('overrides with forceCommonAnnotations: true', () => {
    const app = application('cilium-etcd', 'kustomize:\n  forceCommonAnnotations: true\n  commonAnnotations:\n    team: platform\n');
    expect(lint(repo({ 'apps/etcd.yaml': app }, overlay).root).code).toBe(0);
  });
});

describe('checks on the Application itself', () => {
  it('argocd-manifest-generate-paths covers the component the Application adds', () => {
    const app = application('cilium-etcd', 'kustomize:\n  components:\n    - ../../components/extra\n', {
      paths: '/etcd/overlays;/etcd/base',
    });
    const component = {
      'etcd/components/extra/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\ncommonAnnotations:\n  extra: "yes"\n',
    };
    const { root } = repo({ 'apps/etcd.yaml': app }, component);
    const r = lint(root);
    const mgp = errors(r.doc).filter((f) => f.ruleId === 'argocd-manifest-generate-paths');
    expect(mgp).toHaveLength(1);
    expect(mgp[0]!.message).toContain('etcd/components/extra');
    expect(mgp[0]!.location).toMatchObject({ file: 'apps/etcd.yaml', line: lineOf(app, 'manifest-generate-paths') });
    // Without the component the same annotation covers the build.
    const plain = repo({ 'apps/etcd.yaml': application('cilium-etcd', '', { paths: '/etcd/overlays;/etcd/base' }) }, component);
    expect(errors(lint(plain.root).doc)).toEqual([]);
  });

  it('argocd-project: the project must be an AppProject of the repository', () => {
    const project =
      'apiVersion: argoproj.io/v1alpha1\nkind: AppProject\nmetadata:\n  name: platform\n  namespace: argocd\nspec:\n  sourceRepos: ["*"]\n';
    const bad = application('cilium-etcd', '', { project: 'plattform' });
    const r = lint(repo({ 'apps/etcd.yaml': bad, 'projects/platform.yaml': project }).root);
    expect(errors(r.doc).map((f) => [f.ruleId, f.location.line])).toEqual([['argocd-project', lineOf(bad, 'project: plattform')]]);
    expect(
      lint(repo({ 'apps/etcd.yaml': application('cilium-etcd', '', { project: 'platform' }), 'projects/platform.yaml': project }).root)
        .code,
    ).toBe(0);
    // Without AppProjects in the repository there is nothing to check against.
    expect(lint(repo({ 'apps/etcd.yaml': bad }).root).code).toBe(0);
  });

  it('argocd-create-namespace: CreateNamespace=true into kube-system fails on that entry', () => {
    const bad = application('cilium-etcd', '', { syncOptions: ['Validate=true', 'CreateNamespace=true'] });
    const r = lint(repo({ 'apps/etcd.yaml': bad }).root);
    expect(errors(r.doc).map((f) => [f.ruleId, f.location.line])).toEqual([
      ['argocd-create-namespace', lineOf(bad, 'CreateNamespace=true')],
    ]);
    expect(lint(repo({ 'apps/etcd.yaml': application('cilium-etcd', '', { syncOptions: ['CreateNamespace=false'] }) }).root).code).toBe(0);
  });

  it('argocd-ignore-differences: malformed entries fail on their lines', () => {
    const bad = application('cilium-etcd', '', {
      spec: '  ignoreDifferences:\n    - group: apps\n      kind: StatefulSet\n      jsonPointers:\n        - spec/replicas\n',
    });
    const r = lint(repo({ 'apps/etcd.yaml': bad }).root);
    expect(errors(r.doc).map((f) => [f.ruleId, f.location.line])).toEqual([['argocd-ignore-differences', lineOf(bad, '- spec/replicas')]]);
  });
});
