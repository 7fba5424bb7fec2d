import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';
import { builtinRules } from '../../rules/index.ts';
import { lintTarget } from '../../src/lint/lint-target.ts';
import { locate } from '../../src/model/provenance.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { discoverApplications } from '../../src/argocd/discover.ts';

/** Needs ../shared (the reference corpus); run by `npm run corpus`, not by `npm test`. */
const CORPUS = HIPPOCAMPUS;

describe.skipIf(!existsSync(CORPUS))('the real Applications, as ArgoCD sees them, in a git copy of the hippocampus monorepo', () => {
  const root = gitCopyOfHippocampus('cel-hippocampus-argocd-');
  const apps = path.join(root, 'cluster/manifests/argocd-applications');

  it('renders argocd-applications/overlays/dev: the cilium-etcd Application is in namespace argocd, its provenance in its own file', () => {
    const all = discoverApplications(root, (d) => renderKustomization(d, { fs: nodeFileSystem, root }));
    const etcd = all.filter((a) => a.object.metadata && (a.object.metadata as { name?: string }).name === 'cilium-etcd');
    expect(etcd).toHaveLength(1);
    expect(etcd[0]!.via).toBe(path.join(apps, 'overlays/dev'));
    expect(etcd[0]!.file).toBe(path.join(apps, 'base/cilium-etcd.yaml'));
    expect((etcd[0]!.object.metadata as { namespace?: string }).namespace).toBe('argocd');
    // The namespace was set by the overlay; the rest still points into the Application file.
    expect(locate(etcd[0]!.object, ['metadata', 'namespace'])!.file).toBe(path.join(apps, 'overlays/dev/kustomization.yaml'));
    expect(locate(etcd[0]!.object, ['spec', 'source', 'path'])).toMatchObject({ file: path.join(apps, 'base/cilium-etcd.yaml'), line: 17 });
  });

  it('the cilium-etcd component still lints clean with its Application applied (commonAnnotations with envsubst)', () => {
    const r = lintTarget(path.join(root, 'cluster/manifests/cilium-etcd/overlays/dev'), {
      fs: nodeFileSystem,
      rules: builtinRules,
      renderer: 'builtin',
      readStdin: () => '',
      argocd: true,
    });
    expect(r.applications).toEqual([
      { name: 'cilium-etcd', namespace: 'argocd', file: path.join(apps, 'base/cilium-etcd.yaml'), via: path.join(apps, 'overlays/dev') },
    ]);
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect([...new Set(r.findings.map((f) => f.ruleId))].sort()).toEqual(['etcd-backup', 'etcd-tls']);
    expect(r.findings.every((f) => f.application === 'cilium-etcd')).toBe(true);
  });
});
