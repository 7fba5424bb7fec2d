import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findingIdentity } from '../../src/lint/fingerprint.ts';
import { gitTreeFileSystem } from '../../src/lint/git-objects.ts';
import { cli, COMPONENT, git, gitFixtureRepo, lintJson, OVERLAY } from './support.ts';

/**
 * `--base <ref>`: the affected targets linted at the merge-base (from git objects) and in the
 * working tree; findings new / unchanged / absent by a fingerprint of meaning.
 */

const STS = `${COMPONENT}/base/stateful_set.yaml`;
const PATCH = `${OVERLAY}/patches/stateful_set.yaml`;

describe('--base <ref> on a git repository of the fixture', () => {
  it('marks the one new error, counts the pre-existing warnings, and --fail-on new fails only on it', () => {
    const repo = gitFixtureRepo();
    git(repo.root, 'checkout', '-qb', 'pr');
    repo.edit(
      PATCH,
      '        - name: etcd\n',
      '        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n',
    );
    const { doc, code } = lintJson(repo.root, ['--base', 'main']);
    expect(code).toBe(1);
    const fresh = doc.findings.filter((f: { baseline: string }) => f.baseline === 'new');
    expect(
      fresh.map((f: { ruleId: string; location: { file: string; line: number } }) => [f.ruleId, f.location.file, f.location.line]),
    ).toEqual([['read-only-root-filesystem', PATCH, 16]]);
    const unchanged = doc.findings.filter((f: { baseline: string }) => f.baseline === 'unchanged');
    expect(unchanged.length).toBe(6);
    expect(unchanged.every((f: { severity: string }) => f.severity === 'warning')).toBe(true);
    expect(doc.baseline).toMatchObject({ ref: 'main', counts: { new: 1, unchanged: 6, absent: 0 }, absent: [] });

    const stylish = cli(repo.root, ['--base', 'main', '--fail-on', 'new']);
    expect(stylish.code).toBe(1);
    expect(stylish.stdout).toContain('1 new problem (1 error, 0 warnings, 0 infos)');
    expect(stylish.stdout).toContain('6 pre-existing findings unchanged since main');
    expect(stylish.stdout).not.toContain('etcd-tls');
  });

  it('reports nothing new when lines only move, and a fixed warning as absent', () => {
    const repo = gitFixtureRepo();
    repo.write(
      STS,
      `# a comment above\n# and another\n${repo.read(STS).replace('          command:\n            - /usr/local/bin/etcd\n', '')}`,
    );
    repo.edit(
      STS,
      '          image: quay.io/coreos/etcd:v3.5.17\n',
      '          command:\n            - /usr/local/bin/etcd\n          image: quay.io/coreos/etcd:v3.5.17\n',
    );
    const moved = lintJson(repo.root, ['--base', 'main', '--fail-on', 'new']);
    expect(moved.doc.baseline.counts).toEqual({ new: 0, unchanged: 6, absent: 0 });
    expect(moved.code).toBe(0);

    repo.edit(STS, '--listen-peer-urls=http://', '--listen-peer-urls=https://');
    const fixed = lintJson(repo.root, ['--base', 'main']);
    expect(fixed.doc.baseline.counts).toEqual({ new: 0, unchanged: 5, absent: 1 });
    expect(fixed.doc.baseline.absent[0]).toMatchObject({
      ruleId: 'etcd-tls',
      baseline: 'absent',
      target: OVERLAY,
      location: { file: STS, line: 51 },
    });
    const text = cli(repo.root, ['--base', 'main']).stdout;
    expect(text).toContain('1 finding fixed since main:');
    expect(text).toMatch(/stateful_set\.yaml:51:15 {2}fixed {2}--listen-peer-urls uses plaintext/);
  });

  it('marks results of a new target new, and leaves the working tree, the index and HEAD untouched', () => {
    const repo = gitFixtureRepo();
    repo.write(`${COMPONENT}/overlays/prod/kustomization.yaml`, 'resources:\n  - ../../base\n');
    repo.edit(STS, 'privileged: false', 'privileged: true');
    git(repo.root, 'add', STS);
    const head = git(repo.root, 'rev-parse', 'HEAD');
    const status = git(repo.root, 'status', '--porcelain');
    const index = statSync(path.join(repo.root, '.git/index')).mtimeMs;
    const indexBytes = readFileSync(path.join(repo.root, '.git/index'));
    const { doc } = lintJson(repo.root, ['--base', 'main']);
    expect(doc.baseline.newTargets).toEqual([`${COMPONENT}/overlays/prod`]);
    const prod = doc.findings.filter((f: { target: string }) => f.target === `${COMPONENT}/overlays/prod`);
    expect(prod.length).toBeGreaterThan(0);
    expect(prod.every((f: { baseline: string }) => f.baseline === 'new')).toBe(true);
    // The index is not even rewritten (git runs with GIT_OPTIONAL_LOCKS=0), HEAD does not move, nothing is checked out.
    expect(statSync(path.join(repo.root, '.git/index')).mtimeMs).toBe(index);
    expect(readFileSync(path.join(repo.root, '.git/index')).equals(indexBytes)).toBe(true);
    expect(git(repo.root, 'rev-parse', 'HEAD')).toBe(head);
    expect(git(repo.root, 'status', '--porcelain')).toBe(status);
  });

  it('reads the base from git objects, with the ArgoCD Application of the base revision', () => {
    const repo = gitFixtureRepo();
    // The working tree breaks the Application; the base's is clean: the finding is new.
    repo.edit(`${COMPONENT}/argocd/application.yaml`, 'selfHeal: true', 'selfHeal: false');
    const { doc } = lintJson(repo.root, ['--base', 'main']);
    expect(doc.findings.filter((f: { baseline: string }) => f.baseline === 'new').map((f: { ruleId: string }) => f.ruleId)).toEqual([
      'argocd-automated-sync',
    ]);
    const commit = git(repo.root, 'rev-parse', 'main').trim();
    const fs = gitTreeFileSystem(repo.root, commit);
    expect(fs.readFile(repo.abs(`${COMPONENT}/argocd/application.yaml`))).toContain('selfHeal: true');
    expect(fs.kind(repo.abs(COMPONENT))).toBe('dir');
    expect(fs.kind(repo.abs(`${COMPONENT}/nope`))).toBeUndefined();
    expect(fs.readDir(repo.abs(`${COMPONENT}/base`))).toEqual([
      'kustomization.yaml',
      'pod_disruption_budget.yaml',
      'service.yaml',
      'stateful_set.yaml',
    ]);
  });

  it('takes the ref as data: one starting with "-" is refused, an unknown one is exit 2', () => {
    const repo = gitFixtureRepo();
    const dash = cli(repo.root, ['--base', '--output=/tmp/x']);
    expect(dash.code).toBe(2);
    const dash2 = cli(repo.root, ['--base=-h']);
    expect(dash2.code).toBe(2);
    expect(dash2.stderr).toContain('cannot be empty or start with "-"');
    const unknown = cli(repo.root, ['--base', 'no-such-branch']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no such commit');
    expect(cli(repo.root, ['--fail-on', 'new', OVERLAY]).stderr).toContain('--fail-on new needs --base');
  });

  it('--fix under --base fixes the new findings only', () => {
    const repo = gitFixtureRepo();
    repo.edit(STS, 'hostNetwork: true', 'hostNetwork: false');
    const r = cli(repo.root, ['--base', 'main', '--fix']);
    expect(r.stderr).toContain('fixed 1 finding in 1 file');
    expect(repo.read(STS)).toContain('hostNetwork: true');
    expect(git(repo.root, 'status', '--porcelain')).toBe('');
    expect(r.code).toBe(0);
  });
});

describe('fingerprints from meaning', () => {
  it('ignore lines, files and message text; follow rule, object, field and message data', () => {
    const base = {
      ruleId: 'etcd-tls',
      severity: 'warning' as const,
      message: 'm',
      resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'kube-system', name: 'a' },
      field: 'spec.x',
      messageId: 'plaintext',
      data: { flag: '--x', url: 'http://a' },
    };
    const at = (file: string, line: number) => ({ file, line, column: 1, endLine: line, endColumn: 2 });
    const a = findingIdentity({ ...base, location: at('/r/a.yaml', 3) });
    expect(findingIdentity({ ...base, message: 'reworded', location: at('/r/b.yaml', 30) })).toBe(a);
    expect(findingIdentity({ ...base, data: { url: 'http://a', flag: '--x' }, location: at('/r/a.yaml', 3) })).toBe(a);
    expect(findingIdentity({ ...base, data: { flag: '--y', url: 'http://a' }, location: at('/r/a.yaml', 3) })).not.toBe(a);
    expect(findingIdentity({ ...base, field: 'spec.y', location: at('/r/a.yaml', 3) })).not.toBe(a);
    expect(findingIdentity({ ...base, resource: { ...base.resource, name: 'b' }, location: at('/r/a.yaml', 3) })).not.toBe(a);
  });
});
