/*
 * Determinism (issue 6, promise 6): the same input gives byte-identical output in every format,
 * whatever order the file system lists directories in. The CLI is given a file system (io.fs)
 * whose every listing is reversed (the renderer's readDir, and the entries the --all and ArgoCD
 * walks read), and the same repository is also written a second time, in the opposite order,
 * elsewhere. Nothing of node:fs is patched: everything the lint reads goes through io.fs.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.ts';
import { nodeFileSystem, type FileSystem } from '../../src/util/fs.ts';

const order = { reversed: false, flips: { readDir: 0, entries: 0 } };
const flip = <T>(list: T[], who: 'readDir' | 'entries'): T[] => {
  if (!order.reversed || list.length < 2) return list;
  order.flips[who]++;
  return [...list].reverse();
};
/** The disk, every listing reversed while `order.reversed` is set. */
const reversing: FileSystem = {
  ...nodeFileSystem,
  readDir: (p) => flip(nodeFileSystem.readDir(p), 'readDir'),
  readDirEntries: (p) => flip(nodeFileSystem.readDirEntries!(p), 'entries'),
};

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COMPONENT = path.resolve(HERE, '../../fixtures/bad/_component');

function readTree(dir: string, base = dir, out: Record<string, string> = {}): Record<string, string> {
  for (const name of readdirSync(dir)) {
    const abs = path.join(dir, name);
    if (statSync(abs).isDirectory()) readTree(abs, base, out);
    else out[path.relative(base, abs)] = readFileSync(abs, 'utf8');
  }
  return out;
}

/** The component with findings of every kind spread over several files: rules, a render warning, an Application. */
function files(): Record<string, string> {
  const out: Record<string, string> = {};
  const component = readTree(COMPONENT);
  for (const [rel, text] of Object.entries(component)) out[path.join('etcd', rel)] = text;
  out['etcd/dev/kustomization.yaml'] += [
    '  - path: ro.yaml',
    '  - target:',
    '      kind: Deployment',
    '    patch: |-',
    '      - op: remove',
    '        path: /spec',
    '',
  ].join('\n');
  out['etcd/dev/ro.yaml'] =
    'apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: cilium-etcd-0\n  namespace: kube-system\nspec:\n  template:\n    spec:\n      hostNetwork: false\n      containers:\n        - name: etcd\n          securityContext:\n            readOnlyRootFilesystem: false\n            privileged: true\n';
  for (const name of ['b', 'a', 'c']) {
    out[`apps/${name}/application.yaml`] =
      `apiVersion: argoproj.io/v1alpha1\nkind: Application\nmetadata:\n  name: etcd-${name}\n  namespace: argocd\nspec:\n  project: default\n  source:\n    repoURL: https://example.com/repo.git\n    path: etcd/dev\n  destination:\n    server: https://kubernetes.default.svc\n    namespace: ${name === 'a' ? 'kube-system' : 'default'}\n`;
  }
  return out;
}

const roots: string[] = [];
function repository(reverseWrites: boolean): string {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-determinism-'));
  roots.push(root);
  mkdirSync(path.join(root, '.git'));
  const entries = Object.entries(files());
  for (const [rel, text] of reverseWrites ? entries.reverse() : entries) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  return root;
}

afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

function lint(root: string, format: string, reversed: boolean): { code: number; out: string } {
  order.reversed = reversed;
  let out = '';
  try {
    const code = main({
      argv: ['--format', format, path.join(root, 'etcd/dev')],
      cwd: root,
      env: {},
      stdout: (s) => (out += s),
      stderr: (s) => (out += s),
      stdoutIsTty: false,
      readStdin: () => '',
      fs: reversing,
    });
    // Only the repository's own location differs between the two copies.
    return { code, out: out.split(root).join('<root>') };
  } finally {
    order.reversed = false;
  }
}

describe('output is byte-identical whatever the file-system order', () => {
  // A fresh copy for every run: Applications are cached per repository root.
  it.each(['stylish', 'json', 'github', 'sarif'])('%s', (format) => {
    const base = lint(repository(false), format, false);
    expect(base.code).toBe(1);
    // Rules, a render warning and three Applications: enough findings for an order to show.
    if (format === 'json') expect((JSON.parse(base.out) as { findings: unknown[] }).findings.length).toBeGreaterThan(5);
    const flips = { ...order.flips };
    expect(lint(repository(false), format, true)).toEqual(base);
    expect(lint(repository(true), format, false)).toEqual(base);
    expect(lint(repository(true), format, true)).toEqual(base);
    // The reversed listings were really used (the ArgoCD search walks the repository).
    expect(order.flips.entries).toBeGreaterThan(flips.entries);
  });
});
