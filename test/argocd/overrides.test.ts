import { describe, expect, it } from 'vitest';
import { buildEnvironment, envsubst, parseImageOverride } from '../../src/argocd/overrides.ts';
import { cleanComponent, lineOf, writeTree } from '../acceptance/component.ts';
import { runCli } from '../support/cli.ts';
import { formatGithub } from '../../src/report/github.ts';
import { buildSarif } from '../../src/report/sarif.ts';
import { builtinRules } from '../../rules/index.ts';
import type { Finding } from '../../src/engine/types.ts';

describe('kustomize edit set image syntax', () => {
  it.each([
    ['nginx:1.2', { name: 'nginx', newTag: '1.2' }],
    ['nginx=my/nginx:1.2', { name: 'nginx', newName: 'my/nginx', newTag: '1.2' }],
    ['nginx=my/nginx', { name: 'nginx', newName: 'my/nginx' }],
    ['registry:5000/etcd@sha256:abc', { name: 'registry:5000/etcd', digest: 'sha256:abc' }],
    ['etcd=registry:5000/etcd:v3', { name: 'etcd', newName: 'registry:5000/etcd', newTag: 'v3' }],
  ])('%s', (spec, want) => expect(parseImageOverride(spec)).toEqual(want));
});

describe('commonAnnotationsEnvsubst', () => {
  const app = {
    file: '/r/app.yaml',
    object: {
      metadata: { name: 'etcd' },
      spec: {
        project: 'p',
        destination: { namespace: 'kube-system' },
        source: { repoURL: 'git@x:y', path: 'a/b', targetRevision: '0123456789abcdef' },
      },
    },
  };
  it('expands the Application fields; unknown variables expand to nothing', () => {
    const env = buildEnvironment(app, ['spec', 'source']);
    expect(
      envsubst(
        '${ARGOCD_APP_NAME}/$ARGOCD_APP_NAMESPACE ${ARGOCD_APP_SOURCE_REPO_URL} ${ARGOCD_APP_SOURCE_PATH} ${ARGOCD_APP_REVISION_SHORT} [${NOPE}]',
        env,
      ),
    ).toBe('etcd/kube-system git@x:y a/b 0123456 []');
    expect(env.ARGOCD_APP_PROJECT_NAME).toBe('p');
    expect(env.ARGOCD_APP_REVISION_SHORT_8).toBe('01234567');
  });
});

describe('multi-source Applications', () => {
  it('applies the kustomize settings of the source whose path is the target', () => {
    const files = cleanComponent();
    const app = files['apps/etcd.yaml']!.replace(
      '  source:\n    repoURL: https://example.com/repo.git\n    path: etcd/overlays/dev\n',
      '  sources:\n    - repoURL: https://example.com/other.git\n      path: elsewhere\n      kustomize:\n        namespace: nope\n    - repoURL: https://example.com/repo.git\n      path: etcd/overlays/dev\n      kustomize:\n        namespace: default\n',
    );
    files['apps/etcd.yaml'] = app;
    const root = writeTree(files);
    const r = runCli(['--format', 'json', 'etcd/overlays/dev'], { cwd: root });
    const doc = JSON.parse(r.stdout);
    const ns = doc.findings.filter((f: Finding) => f.ruleId === 'namespace');
    expect(ns.length).toBeGreaterThan(0);
    for (const f of ns) expect(f.location).toMatchObject({ file: 'apps/etcd.yaml', line: lineOf(app, 'namespace: default') });
  });
});

describe('the other formats name the Application', () => {
  const f: Finding = {
    ruleId: 'image-digest',
    severity: 'error',
    message: 'not pinned',
    resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'kube-system', name: 'cilium-etcd-0' },
    field: 'spec.template.spec.containers[0].image',
    location: { file: 'apps/a.yaml', line: 3, column: 1, endLine: 3, endColumn: 9 },
    application: 'etcd-a',
  };
  it('github', () =>
    expect(formatGithub([f])).toContain(
      '::error title=image-digest,file=apps/a.yaml,line=3,endLine=3,col=1,endColumn=9::[Application etcd-a] not pinned',
    ));
  it('sarif: a property, and part of the fingerprint', () => {
    const sarif = buildSarif([], [f, { ...f, application: 'etcd-b' }], { rules: builtinRules, root: '/r' });
    const [a, b] = sarif.runs[0]!.results!;
    expect(a!.properties!.application).toBe('etcd-a');
    expect(b!.properties!.application).toBe('etcd-b');
    expect(Object.values(a!.partialFingerprints!)).not.toEqual(Object.values(b!.partialFingerprints!));
  });
});
