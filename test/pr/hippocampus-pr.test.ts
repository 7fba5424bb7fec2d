import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { gitCopyOfHippocampus, HIPPOCAMPUS } from '../support/hippocampus.ts';
import { git, lintJson } from './support.ts';

/**
 * Pull-request mode on a git copy of the real monorepo (needs ../shared; skipped without it).
 * About 3 s per branch: it could move to the corpus suite.
 */

const PATCH = 'cluster/manifests/cilium-etcd/overlays/dev/patches/stateful_set.yaml';
const STS = 'cluster/manifests/cilium-etcd/base/stateful_set.yaml';

describe.skipIf(!existsSync(HIPPOCAMPUS))('--base on the hippocampus monorepo', () => {
  const root = gitCopyOfHippocampus('cel-pr-hippocampus-');
  git(root, 'checkout', '-q', '-b', 'main');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'upstream');
  const branch = (name: string, change: (root: string) => void) => {
    git(root, 'checkout', '-q', '-f', 'main');
    git(root, 'checkout', '-q', '-B', name);
    change(root);
    return lintJson(root, ['--base', 'main', '--fail-on', 'new']);
  };
  const edit = (file: string, from: string, to: string) => (r: string) => {
    const p = `${r}/${file}`;
    const text = readFileSync(p, 'utf8');
    if (!text.includes(from)) throw new Error(`${file} lacks ${from}`);
    writeFileSync(p, text.replace(from, to));
  };

  it('a branch breaking readOnlyRootFilesystem in the overlay patch: one new error, the five warnings unchanged', () => {
    const r = branch(
      'break',
      edit(
        PATCH,
        '    spec:\n      dnsConfig:',
        '    spec:\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n      dnsConfig:',
      ),
    );
    expect(r.doc.baseline.counts).toEqual({ new: 1, unchanged: 5, absent: 0 });
    const fresh = r.doc.findings.filter((f: { baseline: string }) => f.baseline === 'new');
    expect(fresh).toMatchObject([{ ruleId: 'read-only-root-filesystem', severity: 'error', location: { file: PATCH } }]);
    expect(
      r.doc.findings
        .filter((f: { baseline: string }) => f.baseline === 'unchanged')
        .every((f: { severity: string }) => f.severity === 'warning'),
    ).toBe(true);
    expect(r.code).toBe(1);
  });

  it('a branch that only moves lines: nothing new', () => {
    const r = branch('move', (dir) => {
      edit(STS, 'apiVersion: apps/v1\n', '# moved\n# lines\napiVersion: apps/v1\n')(dir);
      edit(
        STS,
        '          image: quay.io/coreos/etcd\n          imagePullPolicy: IfNotPresent\n',
        '          imagePullPolicy: IfNotPresent\n          image: quay.io/coreos/etcd\n',
      )(dir);
    });
    expect(r.doc.baseline.counts).toEqual({ new: 0, unchanged: 5, absent: 0 });
    expect(r.code).toBe(0);
  });

  it('a branch that fixes a warning: reported absent', () => {
    const r = branch('fix', edit(STS, '--listen-peer-urls=http://', '--listen-peer-urls=https://'));
    expect(r.doc.baseline.counts).toEqual({ new: 0, unchanged: 4, absent: 1 });
    expect(r.doc.baseline.absent).toMatchObject([{ ruleId: 'etcd-tls', baseline: 'absent', location: { file: STS } }]);
    expect(r.code).toBe(0);
  });
});
