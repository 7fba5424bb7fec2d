import { existsSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { recordingRender } from '../support/recording-render.ts';
import {
  applicationsFor,
  discoverApplications,
  discoverApplicationsFast,
  discoverApplicationsFor,
  normalizeSourcePath,
  sourcePaths,
} from '../../src/argocd/discover.ts';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';

/**
 * The target-aware ArgoCD discovery (src/argocd/discover.ts) against the full discovery, on the
 * real monorepo (test/argocd/discovery-fast-path.test.ts holds the self-contained cases).
 */
const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
});

/** Needs ../shared (the reference corpus); skipped without it. */
describe.skipIf(!existsSync(HIPPOCAMPUS))('the fast path on a git copy of the hippocampus monorepo', () => {
  it('gives, for every path an Application deploys (and every other kustomization), exactly what the full discovery gives', () => {
    const root = gitCopyOfHippocampus('cel-hippocampus-fastpath-');
    temporary.push(root);
    const { render } = recordingRender(root);
    const full = discoverApplications(root, render);
    const deployed = [...new Set(full.flatMap((a) => sourcePaths(a.object).map(normalizeSourcePath)))];
    expect(deployed.length).toBeGreaterThan(100);
    const kustomizations: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (e.isDirectory() && e.name !== '.git') walk(path.join(dir, e.name));
        else if (e.isFile() && e.name === 'kustomization.yaml') kustomizations.push(normalizeSourcePath(path.relative(root, dir)));
      }
    };
    walk(root);
    const rels = [...new Set([...deployed, ...kustomizations])].sort();
    const fallbacks: string[] = [];
    for (const rel of rels) {
      const dir = path.join(root, rel);
      const fast = discoverApplicationsFast(root, [dir], render);
      if ('fallback' in fast) fallbacks.push(`${rel}: ${fast.fallback}`);
      expect(applicationsFor(discoverApplicationsFor(root, [dir], render), root, dir), rel).toEqual(applicationsFor(full, root, dir));
    }
    expect(fallbacks).toEqual([]);

    const etcd = path.join(root, 'cluster/manifests/cilium-etcd/overlays/dev');
    const { render: r2, calls } = recordingRender(root);
    const apps = applicationsFor(discoverApplicationsFor(root, [etcd], r2), root, etcd);
    expect(calls).toEqual([{ dir: path.join(root, 'cluster/manifests/argocd-applications/overlays/dev'), filtered: true }]);
    expect(apps).toHaveLength(1);
    expect(apps[0]).toMatchObject({
      file: path.join(root, 'cluster/manifests/argocd-applications/base/cilium-etcd.yaml'),
      via: path.join(root, 'cluster/manifests/argocd-applications/overlays/dev'),
      object: { metadata: { name: 'cilium-etcd', namespace: 'argocd' } },
    });
  }, 300_000);
});
