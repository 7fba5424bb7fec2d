import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SourceLocation } from '../../src/model/location.ts';
import { getPath, locate, stripProvenance, type FieldPath, type JsonObject } from '../../src/model/provenance.ts';
import { renderKustomization, type RenderResult } from '../../src/render/build.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { fixturesDir } from './fixture-roots.ts';

/*
 * Every rendered field knows the source that last set it. These tests pin that down against
 * the fixtures, finding the expected lines by their text so that the fixtures stay editable.
 */

const cache = new Map<string, RenderResult>();
function render(rel: string): RenderResult {
  let r = cache.get(rel);
  if (!r) cache.set(rel, (r = renderKustomization(path.join(fixturesDir, rel), { fs: nodeFileSystem })));
  return r;
}

function resource(rel: string, kind: string, name: string): JsonObject {
  const r = render(rel).resources.find((x) => x.object.kind === kind && (x.object.metadata as JsonObject).name === name);
  if (!r) throw new Error(`${rel}: no ${kind} ${name}`);
  return r.object;
}

/**
 * 1-based line (and column of the first non-blank character, or of `at`) of the `nth` line
 * containing `needle`, counting from the first line containing `after`.
 */
function where(rel: string, needle: string, nth = 1, at?: string, after?: string): { file: string; line: number; column: number } {
  const file = path.join(fixturesDir, rel);
  const lines = readFileSync(file, 'utf8').split('\n');
  let seen = 0;
  const start = after === undefined ? 0 : lines.findIndex((l) => l.includes(after));
  if (start < 0) throw new Error(`${rel}: no line containing ${JSON.stringify(after)}`);
  for (let i = start; i < lines.length; i++) {
    const text = lines[i]!;
    if (!text.includes(needle) || ++seen < nth) continue;
    const column = (at ? text.indexOf(at) : text.length - text.trimStart().length) + 1;
    return { file, line: i + 1, column };
  }
  throw new Error(`${rel}: no line ${nth} containing ${JSON.stringify(needle)}`);
}

function at(obj: JsonObject, p: FieldPath): SourceLocation {
  const loc = locate(obj, p);
  if (!loc) throw new Error(`no location for ${p.join('.')}`);
  return loc;
}

function expectAt(loc: SourceLocation, want: { file: string; line: number; column?: number }): void {
  expect({ file: loc.file, line: loc.line, ...(want.column !== undefined ? { column: loc.column } : {}) }).toEqual(want);
}

const DEV = 'cilium-etcd/overlays/dev';
const sts = () => resource(DEV, 'StatefulSet', 'cilium-etcd-0');
const etcd = ['spec', 'template', 'spec', 'containers', 0] as const;

describe('provenance of rendered fields', () => {
  it('a field from a base points at the base file', () => {
    expectAt(at(sts(), ['spec', 'serviceName']), where('cilium-etcd/base/stateful_set.yaml', 'serviceName: cilium-etcd'));
    expectAt(at(sts(), [...etcd, 'args', 1]), where('cilium-etcd/base/stateful_set.yaml', '- --data-dir=', 1, '--data-dir'));
  });

  it('a field set by an overlay strategic-merge patch points at the patch file', () => {
    expectAt(at(sts(), [...etcd, 'resources', 'requests', 'cpu']), where(`${DEV}/patches/stateful_set.yaml`, 'cpu: 50m'));
    expectAt(
      at(sts(), ['spec', 'template', 'metadata', 'annotations', 'prometheus.io/port']),
      where(`${DEV}/patches/stateful_set.yaml`, 'prometheus.io/port'),
    );
    // The merged container item keeps its place in the base; the fields the patch did not touch too.
    expectAt(at(sts(), [...etcd]), where('cilium-etcd/base/stateful_set.yaml', '- name: etcd', 1, 'name: etcd'));
    expectAt(at(sts(), [...etcd, 'resources', 'requests']), where('cilium-etcd/base/stateful_set.yaml', 'requests:'));
  });

  it('a field added by a JSON6902 op points at the op', () => {
    const args = getPath(sts(), [...etcd, 'args']) as string[];
    expect(args[args.length - 1]).toBe('--log-level=debug');
    const loc = at(sts(), [...etcd, 'args', args.length - 1]);
    expectAt(loc, where(`${DEV}/kustomization.yaml`, '- op: add', 1, 'op: add'));
    expect(loc.endLine).toBe(where(`${DEV}/kustomization.yaml`, 'value: --log-level=debug').line);
  });

  it('a JSON6902 op from a patch file points into that file', () => {
    const worker = resource('render/patch-targets/overlay', 'Deployment', 'orders-worker');
    const file = 'render/patch-targets/overlay/patches/worker-ops.yaml';
    const loc = at(worker, ['spec', 'replicas']);
    expectAt(loc, where(file, '- op: add', 1, 'op:'));
    expect(loc.endLine).toBe(where(file, 'value: 4').line);
  });

  it('an image rewritten by images: points at the images entry', () => {
    expect(getPath(sts(), [...etcd, 'image'])).toMatch(/^ghcr\.io\/hippocampus-dev\/.*@sha256:[0-9a-f]{64}$/);
    expectAt(at(sts(), [...etcd, 'image']), where('cilium-etcd/base/kustomization.yaml', '- name: quay.io/coreos/etcd', 1, 'name:'));
  });

  it('metadata.namespace points at the namespace: line', () => {
    expectAt(at(sts(), ['metadata', 'namespace']), where('cilium-etcd/base/kustomization.yaml', 'namespace: kube-system', 1));
  });

  it('a label from commonLabels points at its commonLabels entry, also inside selectors', () => {
    const rel = 'render/labels-annotations/overlay';
    const svc = resource(rel, 'Service', 'web');
    expectAt(
      at(svc, ['metadata', 'labels', 'app.kubernetes.io/part-of']),
      where(`${rel}/kustomization.yaml`, 'app.kubernetes.io/part-of: storefront'),
    );
    expectAt(
      at(svc, ['spec', 'selector', 'app.kubernetes.io/part-of']),
      where(`${rel}/kustomization.yaml`, 'app.kubernetes.io/part-of: storefront'),
    );
    // The pair that was already there keeps its own location.
    expectAt(at(svc, ['spec', 'selector', 'app']), where(`${rel}/workloads.yaml`, 'app: web', 1, undefined, 'kind: Service'));
    // labels: entries too; and commonLabels, which runs later, wins a key both set.
    expectAt(at(svc, ['metadata', 'labels', 'tier']), where(`${rel}/kustomization.yaml`, 'tier: web'));
    expect(getPath(svc, ['metadata', 'labels', 'env'])).toBe('from-common-labels');
    expectAt(at(svc, ['metadata', 'labels', 'env']), where(`${rel}/kustomization.yaml`, 'env: from-common-labels'));
  });

  it('a label from labels: in the cilium-etcd overlay points at its pair', () => {
    expectAt(at(sts(), ['spec', 'template', 'metadata', 'labels', 'environment']), where(`${DEV}/kustomization.yaml`, 'environment: dev'));
    // includeTemplates does not touch selectors.
    expect(getPath(sts(), ['spec', 'selector', 'matchLabels', 'environment'])).toBeUndefined();
  });

  it('a field from an inline `patch: |` block maps to its line and column in the kustomization', () => {
    const rel = 'render/smp-directives/overlay';
    const search = resource(rel, 'Deployment', 'search');
    expect(stripProvenance(getPath(search, ['spec', 'strategy'])!)).toEqual({ type: 'Recreate' });
    expectAt(at(search, ['spec', 'strategy', 'type']), where(`${rel}/kustomization.yaml`, 'type: Recreate'));
    expectAt(
      at(search, ['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits', 'memory']),
      where(`${rel}/kustomization.yaml`, 'memory: 3Gi'),
    );
  });

  it('a field deleted by a patch leaves a tombstone at the patch line', () => {
    const rel = 'render/smp-directives/overlay';
    const search = resource(rel, 'Deployment', 'search');
    expect(getPath(search, ['metadata', 'annotations', 'deprecated-note'])).toBeUndefined();
    expectAt(at(search, ['metadata', 'annotations', 'deprecated-note']), where(`${rel}/kustomization.yaml`, 'deprecated-note: null'));
    expect(getPath(search, ['spec', 'template', 'spec', 'nodeSelector'])).toBeUndefined();
    expectAt(at(search, ['spec', 'template', 'spec', 'nodeSelector', 'disktype']), where(`${rel}/kustomization.yaml`, 'nodeSelector:'));
    expectAt(at(search, ['spec', 'revisionHistoryLimit']), where(`${rel}/kustomization.yaml`, 'revisionHistoryLimit: null'));
  });

  it('a field deleted by a JSON6902 remove points at the op', () => {
    const rel = 'render/json6902-ops/overlay';
    const gw = resource(rel, 'Deployment', 'gateway');
    expect(getPath(gw, ['metadata', 'labels', 'legacy-team'])).toBeUndefined();
    expectAt(at(gw, ['metadata', 'labels', 'legacy-team']), where(`${rel}/kustomization.yaml`, '- op: move', 1, 'op: move'));
    expectAt(at(gw, ['metadata', 'labels', 'team']), where(`${rel}/kustomization.yaml`, '- op: move', 1, 'op: move'));
  });

  it('a missing field resolves to its nearest present parent', () => {
    expectAt(at(sts(), [...etcd, 'securityContext', 'runAsUser']), where('cilium-etcd/base/stateful_set.yaml', 'securityContext:', 2));
    expectAt(at(sts(), [...etcd, 'args', 99]), where('cilium-etcd/base/stateful_set.yaml', 'args:'));
  });

  it('names set by namePrefix / nameSuffix and counts set by replicas: point at their entries', () => {
    const rel = 'render/name-prefix-suffix/overlay';
    const api = resource(rel, 'Deployment', 'prod-core-api-v2');
    expectAt(at(api, ['metadata', 'name']), where(`${rel}/kustomization.yaml`, 'nameSuffix: -v2'));
    expectAt(at(api, ['spec', 'replicas']), where(`${rel}/kustomization.yaml`, 'count: 5'));
  });

  it('a name reference rewritten after a rename points at the rename', () => {
    const rel = 'render/name-references/overlay';
    const sts = resource(rel, 'StatefulSet', 'shop-a-app');
    expect(getPath(sts, ['spec', 'serviceName'])).toBe('shop-a-app');
    expectAt(at(sts, ['spec', 'serviceName']), where(`${rel}/kustomization.yaml`, 'namePrefix: shop-'));
    const crb = resource(rel, 'ClusterRoleBinding', 'shop-app-nodes-b');
    expect(stripProvenance(getPath(crb, ['subjects', 0])!)).toEqual({ kind: 'ServiceAccount', name: 'shop-app-b', namespace: 'apps' });
    expectAt(at(crb, ['subjects', 0, 'namespace']), where(`${rel}/kustomization.yaml`, 'namespace: apps'));
  });

  it('a legacy patchesStrategicMerge entry given inline points into the kustomization', () => {
    const rel = 'render/legacy-patches/overlay';
    const ing = resource(rel, 'Ingress', 'billing');
    expectAt(
      at(ing, ['metadata', 'annotations', 'nginx.ingress.kubernetes.io/ssl-redirect']),
      where(`${rel}/kustomization.yaml`, 'ssl-redirect'),
    );
  });

  it('reports every kustomization directory and file the build read', () => {
    const r = render(DEV);
    expect(r.kustomizationDirs).toEqual([path.join(fixturesDir, DEV), path.join(fixturesDir, 'cilium-etcd/base')]);
    expect(r.files).toEqual(
      expect.arrayContaining([
        path.join(fixturesDir, DEV, 'kustomization.yaml'),
        path.join(fixturesDir, DEV, 'patches/stateful_set.yaml'),
        path.join(fixturesDir, 'cilium-etcd/base/kustomization.yaml'),
        path.join(fixturesDir, 'cilium-etcd/base/stateful_set.yaml'),
      ]),
    );
  });
});
