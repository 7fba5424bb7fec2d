import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compareRenders, formatDiffMarkdown, type RenderDiff } from '../../src/lint/rendered-diff.ts';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';
import { cli, COMPONENT, git, gitFixtureRepo, OVERLAY } from './support.ts';

/** `cilium-etcd-lint diff --base <ref>`: the rendered diff of each affected target. */

const STS = `${COMPONENT}/base/stateful_set.yaml`;

describe('diff --base', () => {
  it("prints one section per changed object, added and removed objects, the Application's render, nothing for an untouched one", () => {
    const repo = gitFixtureRepo();
    repo.edit(STS, '--quota-backend-bytes=2147483648', '--quota-backend-bytes=4294967296');
    repo.write(`${COMPONENT}/base/config.yaml`, 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: b\n');
    repo.edit(`${COMPONENT}/base/kustomization.yaml`, '  - pod_disruption_budget.yaml\n', '  - config.yaml\n');
    const r = cli(repo.root, ['diff', '--base', 'main']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(`# ${OVERLAY}\n`);
    expect(r.stdout).toContain('--- a/ConfigMap/kube-system/extra (added)\n+++ b/ConfigMap/kube-system/extra\n');
    expect(r.stdout).toContain(
      '--- a/PodDisruptionBudget/kube-system/cilium-etcd\n+++ b/PodDisruptionBudget/kube-system/cilium-etcd (removed)\n',
    );
    expect(r.stdout).toContain('-        - --quota-backend-bytes=2147483648\n+        - --quota-backend-bytes=4294967296\n');
    expect(r.stdout).toContain('1 added, 1 removed, 1 changed, 1 unchanged');
    // Stable: the same output twice, objects in kind/namespace/name order.
    expect(cli(repo.root, ['diff', '--base', 'main']).stdout).toBe(r.stdout);
    const ids = [...r.stdout.matchAll(/^--- a\/(\S+)/gm)].map((m) => m[1]);
    expect(ids).toEqual([...ids].sort());
    expect(git(repo.root, 'status', '--porcelain')).toContain('config.yaml');
  });

  it('never prints Secret data values: <redacted>, and <redacted: changed> where one changed', () => {
    const base = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n' },
        data: { keep: 'c2VjcmV0MQ==', change: 'b2xk', gone: 'eA==' },
        stringData: { pw: 'hunter2' },
      },
    ];
    const head = [
      {
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 's', namespace: 'n' },
        data: { keep: 'c2VjcmV0MQ==', change: 'bmV3', added: 'eQ==' },
        stringData: { pw: 'hunter3' },
      },
    ];
    const d = compareRenders(base, head);
    const text = d.objects.map((o) => o.hunks).join('');
    for (const secret of ['c2VjcmV0MQ==', 'b2xk', 'bmV3', 'eA==', 'eQ==', 'hunter2', 'hunter3']) expect(text).not.toContain(secret);
    expect(text).toContain("+  change: '<redacted: changed>'");
    expect(text).toContain('-  gone: <redacted>');
    expect(text).toContain('+  added: <redacted>');
    expect(text).not.toMatch(/^[-+] {2}keep/m);
    expect(d.objects[0]!.change).toBe('changed');
  });

  it('markdown: one collapsible block per target, within the size limit, truncated with a note', () => {
    const big: RenderDiff = {
      target: 'a',
      objects: [{ id: 'ConfigMap/x', change: 'changed', hunks: `@@ -1,1 +1,1 @@\n${'-x\n+y\n'.repeat(5000)}` }],
      unchanged: 0,
    };
    const small: RenderDiff = {
      target: 'b',
      objects: [{ id: 'ConfigMap/y', change: 'added', hunks: '@@ -0,0 +1,1 @@\n+a: b\n' }],
      unchanged: 2,
    };
    const md = formatDiffMarkdown([small, big, small], '/', 'main', 8000);
    expect(Buffer.byteLength(md)).toBeLessThanOrEqual(8000);
    expect(md.match(/<details>/g)?.length).toBeGreaterThanOrEqual(2);
    expect(md).toMatch(/Truncated/);
    expect(formatDiffMarkdown([small], '/', 'main')).toContain('<details><summary>b: 1 added, 0 removed, 0 changed, 2 unchanged</summary>');
  });

  it('needs --base; refuses a ref that starts with "-"', () => {
    const repo = gitFixtureRepo();
    expect(cli(repo.root, ['diff']).code).toBe(2);
    const r = cli(repo.root, ['diff', '--base=--output=x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot be empty or start with "-"');
  });
});

describe.skipIf(!existsSync(HIPPOCAMPUS))('diff --base on the hippocampus monorepo', () => {
  it("a change to a shared base lists every affected target's diff", () => {
    const root = gitCopyOfHippocampus('cel-pr-diff-');
    git(root, 'checkout', '-q', '-b', 'main');
    git(root, 'add', '-A');
    git(root, 'commit', '-qm', 'upstream');
    const file = `${root}/cluster/manifests/utilities/memcached/stateful_set.yaml`;
    writeFileSync(file, readFileSync(file, 'utf8').replace(/periodSeconds: \d+/, 'periodSeconds: 17'));
    const r = cli(root, ['diff', '--base', 'main', '--no-argocd']);
    expect(r.code, r.stderr).toBe(0);
    const sections = [...r.stdout.matchAll(/^# (\S+)$/gm)].map((m) => m[1]);
    expect(sections).toEqual([
      'cluster/manifests/envoy-ratelimit/overlays/dev',
      'cluster/manifests/loki/overlays/dev',
      'cluster/manifests/mimir/overlays/dev',
      'cluster/manifests/tempo/overlays/dev',
    ]);
    expect(r.stdout.match(/\+ +periodSeconds: 17/g)?.length).toBe(4);
  });
});
