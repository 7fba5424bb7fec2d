import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { cleanComponent, lineOf, writeTree } from '../acceptance/component.ts';

const run = runCli;

describe('usage', () => {
  it('prints help with exit 0', () => {
    const r = run(['--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: cilium-etcd-lint');
    expect(r.stdout).toContain('Exit codes');
  });
  it('exits 2 without a target', () => {
    const r = run([]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no target given/);
  });
  it('exits 2 on an unknown option, without a stack trace', () => {
    const r = run(['--frobnicate', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/frobnicate/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('exits 2 on an unknown format', () => {
    expect(run(['--format', 'xml', '.']).code).toBe(2);
  });
  it('exits 2 on a missing directory', () => {
    const r = run(['does/not/exist']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does\/not\/exist: no such file or directory/);
  });
});

describe('input errors name file:line and exit 2', () => {
  it('reports malformed YAML in a base with its location', () => {
    const files = cleanComponent();
    files['etcd/base/service.yaml'] = 'apiVersion: v1\nkind: Service\nmetadata:\n  name: x\n   bad: indent\n';
    const root = writeTree(files);
    const r = run(['etcd/overlays/dev'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cilium-etcd-lint: etcd\/base\/service\.yaml:4:9: invalid YAML/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
  it('rejects an unknown kustomization field at its line', () => {
    const files = cleanComponent();
    files['etcd/overlays/dev/kustomization.yaml'] += 'resourcse:\n  - x.yaml\n';
    const root = writeTree(files);
    const r = run(['etcd/overlays/dev'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/etcd\/overlays\/dev\/kustomization\.yaml:8:1: unknown kustomization field "resourcse"/);
  });
  it('rejects an unimplemented kustomization field instead of skipping it', () => {
    const files = cleanComponent();
    files['etcd/overlays/dev/kustomization.yaml'] += 'imageTags:\n  - name: etcd\n    newTag: v3.5.18\n';
    const root = writeTree(files);
    const r = run(['etcd/overlays/dev'], { cwd: root });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/kustomization\.yaml:8:1: kustomization field "imageTags"/);
  });
  it('exits 2 when nothing is rendered', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'cel-empty-'));
    writeFileSync(path.join(dir, 'kustomization.yaml'), 'resources: []\n');
    const r = run([dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/rendered no resources/);
  });
});

describe('output', () => {
  it('prints ESLint-style lines with locations relative to the working directory', () => {
    const files = cleanComponent();
    files['etcd/base/statefulset.yaml'] = files['etcd/base/statefulset.yaml']!.replace(
      'readOnlyRootFilesystem: true',
      'readOnlyRootFilesystem: false',
    );
    const root = writeTree(files);
    const r = run(['overlays/dev'], { cwd: path.join(root, 'etcd') });
    expect(r.code).toBe(1);
    const line = lineOf(files['etcd/base/statefulset.yaml']!, 'readOnlyRootFilesystem');
    expect(r.stdout).toContain(
      `base/statefulset.yaml:${line}:13  error  Container "etcd" must run with a read-only root filesystem  read-only-root-filesystem`,
    );
    expect(r.stdout).toMatch(/✖ \d+ problems? \(1 error, /);
    expect(r.stdout).not.toContain('\u001b[');
  });
  it('colours only when asked or on a TTY without NO_COLOR', () => {
    const root = writeTree(cleanComponent());
    const tty = run(['etcd/overlays/dev'], { cwd: root, stdoutIsTty: true });
    expect(tty.stdout).toContain('\u001b[');
    const noColor = run(['etcd/overlays/dev'], { cwd: root, stdoutIsTty: true, env: { NO_COLOR: '1' } });
    expect(noColor.stdout).not.toContain('\u001b[');
  });
  it('prints the documented JSON shape, byte-identical across runs', () => {
    const files = cleanComponent();
    const root = writeTree(files);
    const a = run(['--format', 'json', 'etcd/overlays/dev'], { cwd: root });
    const b = run(['--format', 'json', 'etcd/overlays/dev'], { cwd: root });
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.version).toBe(1);
    expect(doc.targets).toEqual([{ path: 'etcd/overlays/dev', renderer: 'builtin', resources: 3 }]);
    expect(doc.summary).toEqual({ errors: 0, warnings: expect.any(Number), infos: 0 });
    const tls = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'etcd-tls');
    expect(tls).toMatchObject({
      severity: 'warning',
      resource: { apiVersion: 'apps/v1', kind: 'StatefulSet', namespace: 'kube-system', name: 'cilium-etcd-0' },
      field: 'spec.template.spec.containers[0].args[1]',
      location: {
        file: 'etcd/base/statefulset.yaml',
        line: lineOf(files['etcd/base/statefulset.yaml']!, '--listen-client-urls'),
        column: 15,
      },
    });
  });
  it('reads a rendered stream from stdin, with locations in <stdin>', () => {
    const stream = [
      'apiVersion: apps/v1',
      'kind: StatefulSet',
      'metadata:',
      '  name: cilium-etcd-0',
      '  namespace: kube-system',
      'spec:',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app.kubernetes.io/name: cilium',
      '        app.kubernetes.io/component: etcd',
      '    spec:',
      '      containers:',
      '        - name: etcd',
      '          image: quay.io/coreos/etcd:v3.5.9',
    ].join('\n');
    const r = run(['--format', 'json', '-'], { readStdin: () => stream });
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.stdout);
    expect(doc.targets[0]).toEqual({ path: '-', renderer: 'stdin', resources: 1 });
    const digest = doc.findings.find((f: { ruleId: string }) => f.ruleId === 'image-digest');
    expect(digest.location).toMatchObject({ file: '<stdin>', line: 15 });
  });
});

describe('the built bin', () => {
  const bin = path.resolve('bin/cilium-etcd-lint.js');
  it.skipIf(!existsSync(path.resolve('dist/cli.cjs')))('runs as a process with the same exit codes', () => {
    const root = writeTree(cleanComponent());
    const ok = spawnSync(process.execPath, [bin, 'etcd/overlays/dev'], { cwd: root, encoding: 'utf8' });
    expect(ok.status).toBe(0);
    const bad = spawnSync(process.execPath, [bin, 'nope'], { cwd: root, encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).not.toMatch(/\n\s+at /);
    mkdirSync(path.join(root, 'x'));
  });
});

describe('--renderer kustomize', () => {
  const hasKubectl = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
  if (!hasKubectl) console.warn('kubectl not found: --renderer kustomize CLI test skipped');
  it.skipIf(!hasKubectl)('names the kustomize version in the JSON targets entry', () => {
    const root = writeTree(cleanComponent());
    const r = runCli(['--format', 'json', '--renderer', 'kustomize', 'etcd/overlays/dev'], { cwd: root });
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout);
    expect(doc.targets).toEqual([
      { path: 'etcd/overlays/dev', renderer: 'kustomize', version: expect.stringMatching(/^v?5\.\d+\.\d+/), resources: 3 },
    ]);
  });
});
