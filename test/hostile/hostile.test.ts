/*
 * A hostile repository (issue 6): overlays with a symlink to /etc, a ../../ escape, a symlinked
 * file pointing out of the repository, a remote URL, an exec plugin and an alias bomb, and an
 * ArgoCD Application planted outside the repository behind a directory symlink and a file
 * symlink. The CLI runs on each overlay; the test records every read through node:fs, checks the
 * access times of every file and directory outside the repository, and wraps every way of
 * starting a process: nothing outside the fixture is read, no process is started. Then
 * `--renderer kustomize` (with kubectl faked): kubectl never gets --enable-alpha-plugins or
 * --enable-helm unless the user passes them.
 */
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const state = vi.hoisted(() => ({
  /** Paths whose content or listing was read through node:fs. */
  reads: [] as string[],
  /** Every process started: command and arguments. */
  spawned: [] as { command: string; args: string[] }[],
  /** When set, spawnSync answers with it instead of running anything. */
  fake: undefined as undefined | ((command: string, args: string[]) => { status: number; stdout: string; stderr: string }),
}));

// Deliberately node:fs and not an injected recording FileSystem (io.fs): the configuration, the
// targets and the ArgoCD search do read through the injected one, but this test is there to catch
// a read that bypasses the injection (a new direct node:fs call, a module loaded by require), which
// a recording FileSystem would never see. The access-time check below is the kernel's version.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  const record =
    <F extends (...a: any[]) => any>(fn: F) =>
    (...args: Parameters<F>): ReturnType<F> => {
      if (typeof args[0] === 'string' || args[0] instanceof URL) state.reads.push(String(args[0]));
      return fn(...args);
    };
  const mod = {
    ...real,
    readFileSync: record(real.readFileSync),
    openSync: record(real.openSync),
    readdirSync: record(real.readdirSync),
    opendirSync: record(real.opendirSync),
    createReadStream: record(real.createReadStream),
  };
  return { ...mod, default: mod };
});

vi.mock('node:child_process', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:child_process')>();
  const wrap =
    <F extends (...a: any[]) => any>(fn: F, fakeable = false) =>
    (...args: any[]) => {
      const command = String(args[0]);
      const argv = Array.isArray(args[1]) ? args[1].map(String) : [];
      state.spawned.push({ command, args: argv });
      if (fakeable && state.fake) return { pid: 0, output: [], signal: null, error: undefined, ...state.fake(command, argv) };
      return fn(...args);
    };
  const mod = {
    ...real,
    spawn: wrap(real.spawn),
    spawnSync: wrap(real.spawnSync, true),
    exec: wrap(real.exec),
    execSync: wrap(real.execSync),
    execFile: wrap(real.execFile),
    execFileSync: wrap(real.execFileSync),
    fork: wrap(real.fork),
  };
  return { ...mod, default: mod };
});

// The linter loads node:child_process lazily (src/util/lazy-builtins.ts, through require): handed the wrapped module above.
vi.mock('../../src/util/lazy-builtins.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/util/lazy-builtins.ts')>();
  const childProcess = await import('node:child_process');
  return { ...real, childProcess: () => childProcess };
});

const { main } = await import('../../src/cli/main.ts');
const { renderKustomization } = await import('../../src/render/build.ts');
const { nodeFileSystem } = await import('../../src/render/fs.ts');
const { stripProvenance } = await import('../../src/model/provenance.ts');
const { printKustomizeStream } = await import('../../src/yaml/print.ts');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const COMPONENT = path.resolve(HERE, '../../fixtures/bad/_component');

const tmp = mkdtempSync(path.join(tmpdir(), 'cel-hostile-'));
const repo = path.join(tmp, 'repo');
const outside = path.join(tmp, 'outside');
const overlays = path.join(repo, 'etcd/overlays');
const pwned = path.join(tmp, 'pwned');
const OLD = new Date('2001-01-01T00:00:00Z');
/** Every file and directory outside the repository, listed once (listing a directory again would touch its atime). */
let outsideEntries: string[] = [];

const APPLICATION = (name: string) => `apiVersion: argoproj.io/v1alpha1
kind: Application
metadata:
  name: ${name}
  namespace: argocd
  annotations:
    argocd.argoproj.io/manifest-generate-paths: .;../../base
    notifications.argoproj.io/subscribe.on-sync-failed.slack: alerts
spec:
  project: default
  source:
    repoURL: https://example.com/repo.git
    path: etcd/overlays/dev
  destination:
    server: https://kubernetes.default.svc
    namespace: kube-system
  syncPolicy:
    automated:
      prune: true
      selfHeal: true
`;

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

function entriesUnder(dir: string): string[] {
  return [
    dir,
    ...readdirSync(dir, { withFileTypes: true, recursive: true })
      .filter((e) => e.isFile() || e.isDirectory())
      .map((e) => path.join(e.parentPath, e.name)),
  ];
}

/** The overlays, each hostile in one way, with the kustomization line the error must name. */
const HOSTILE: Record<
  string,
  { files: Record<string, string>; links?: Record<string, string>; file: string; line: number; message: RegExp }
> = {
  'symlink-to-etc': {
    files: { 'kustomization.yaml': 'resources:\n  - ../../base\n  - etc\n' },
    links: { etc: '/etc' },
    file: 'kustomization.yaml',
    line: 3,
    message: /outside the repository root/,
  },
  'symlink-to-outside-file': {
    files: { 'kustomization.yaml': 'resources:\n  - ../../base\n  - secret.yaml\n' },
    links: { 'secret.yaml': '../../../../outside/secret.yaml' },
    file: 'kustomization.yaml',
    line: 3,
    message: /outside the kustomization directory/,
  },
  'dotdot-escape': {
    files: { 'kustomization.yaml': 'resources:\n  - ../../base\n  - ../../../../outside\n' },
    file: 'kustomization.yaml',
    line: 3,
    message: /outside the repository root/,
  },
  'remote-url': {
    files: { 'kustomization.yaml': 'resources:\n  - ../../base\n  - https://github.com/org/repo//deploy?ref=v1.0.0\n' },
    file: 'kustomization.yaml',
    line: 3,
    message: /remote reference/,
  },
  'exec-plugin': {
    files: {
      'kustomization.yaml': 'resources:\n  - ../../base\ngenerators:\n  - plugin.yaml\n',
      'plugin.yaml':
        'apiVersion: someteam.example.com/v1\nkind: Pwn\nmetadata:\n  name: pwn\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: ./plugin.sh\n',
      'plugin.sh': `#!/bin/sh\ntouch ${JSON.stringify(pwned)}\n`,
    },
    file: 'kustomization.yaml',
    line: 3,
    message: /never runs programs.*--enable-alpha-plugins/,
  },
  'alias-bomb': {
    files: {
      'kustomization.yaml': 'resources:\n  - ../../base\n  - lol.yaml\n',
      'lol.yaml':
        [
          'apiVersion: v1',
          'kind: ConfigMap',
          'metadata:',
          '  name: lol',
          'a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]',
          ...Array.from({ length: 9 }, (_, i) => `a${i + 1}: &a${i + 1} [${Array(10).fill(`*a${i}`).join(', ')}]`),
        ].join('\n') + '\n',
    },
    file: 'lol.yaml',
    line: 9,
    message: /alias bomb/,
  },
};

beforeAll(() => {
  // Outside the repository: a sentinel resource, a kustomization and an Application for the overlay.
  write(
    path.join(outside, 'secret.yaml'),
    'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sentinel\ndata:\n  secret: must never be read\n',
  );
  write(path.join(outside, 'kustomization.yaml'), 'resources:\n  - secret.yaml\n');
  write(path.join(outside, 'apps/application.yaml'), APPLICATION('planted-outside'));
  // The repository: the component, a clean overlay with its Application, and the hostile overlays.
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  cpSync(path.join(COMPONENT, 'base'), path.join(repo, 'etcd/base'), { recursive: true });
  cpSync(path.join(COMPONENT, 'dev'), path.join(overlays, 'dev'), { recursive: true });
  const k = path.join(overlays, 'dev/kustomization.yaml');
  writeFileSync(k, readFileSync(k, 'utf8').replace('../base', '../../base'));
  write(path.join(repo, 'argocd/application.yaml'), APPLICATION('cilium-etcd'));
  // Symlinks the ArgoCD search must not follow: a directory and a file outside the repository.
  symlinkSync('../outside', path.join(repo, 'linked-outside'));
  symlinkSync('../../outside/apps/application.yaml', path.join(repo, 'argocd/planted.yaml'));
  for (const [name, o] of Object.entries(HOSTILE)) {
    for (const [rel, text] of Object.entries(o.files)) write(path.join(overlays, name, rel), text);
    for (const [link, to] of Object.entries(o.links ?? {})) symlinkSync(to, path.join(overlays, name, link));
  }
  // Access times older than the modification times: any read or listing updates them.
  outsideEntries = entriesUnder(outside);
  for (const e of outsideEntries) utimesSync(e, OLD, new Date());
  state.reads.length = 0;
  state.spawned.length = 0;
});

afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

function run(argv: string[]) {
  let stdout = '';
  let stderr = '';
  const code = main({
    argv,
    cwd: repo,
    env: {},
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    stdoutIsTty: false,
    readStdin: () => '',
  });
  return { code, stdout, stderr };
}

describe('a hostile repository', () => {
  for (const [name, o] of Object.entries(HOSTILE)) {
    it(`${name}: exit 2 naming the file and line, in every format`, () => {
      for (const format of ['stylish', 'json', 'github', 'sarif']) {
        const r = run(['--format', format, path.join(overlays, name)]);
        expect(r.code, r.stderr).toBe(2);
        expect(r.stdout).toBe('');
        const where = `etcd/overlays/${name}/${o.file}:${o.line}:`;
        expect(r.stderr.startsWith(`cilium-etcd-lint: ${where}`), r.stderr).toBe(true);
        expect(r.stderr).toMatch(o.message);
        expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
      }
    });
  }

  it('the clean overlay beside them lints, with the Application inside the repository only', () => {
    const r = run(['--format', 'json', path.join(overlays, 'dev')]);
    expect(r.stderr).toBe('');
    const doc = JSON.parse(r.stdout) as { findings: { ruleId: string; location: { file: string } }[] };
    // The Application is found (no argocd-application error), and no finding points outside.
    expect(doc.findings.filter((f) => f.ruleId === 'argocd-application')).toEqual([]);
    for (const f of doc.findings) expect(f.location.file).not.toMatch(/outside|planted|\.\.\//);
  });

  it('read nothing outside the repository and started no process', () => {
    const escaped = state.reads
      .map((p) => path.resolve(repo, p))
      .filter((p) => p === outside || p.startsWith(`${outside}/`) || p === '/etc' || p.startsWith('/etc/'));
    expect(escaped).toEqual([]);
    // Every read under the temporary directory is inside the repository.
    for (const p of state.reads.map((q) => path.resolve(repo, q)).filter((q) => q.startsWith(`${tmp}/`)))
      expect(p === repo || p.startsWith(`${repo}/`), p).toBe(true);
    // The kernel's word for it: no file or directory outside was read or listed.
    expect(outsideEntries.length).toBeGreaterThan(4);
    for (const e of outsideEntries) expect(statSync(e).atime.getTime(), e).toBe(OLD.getTime());
    expect(state.spawned).toEqual([]);
    expect(existsSync(pwned)).toBe(false);
  });
});

describe('--renderer kustomize', () => {
  const kustomizeCalls = () => state.spawned.filter((s) => s.command === 'kubectl' && s.args[0] === 'kustomize').map((s) => s.args);

  beforeAll(() => {
    const stream = printKustomizeStream(
      renderKustomization(path.join(overlays, 'dev'), { fs: nodeFileSystem }).resources.map((r) => stripProvenance(r.object)),
    );
    state.fake = (command, args) => {
      if (command === 'kubectl' && args[0] === 'version')
        return { status: 0, stdout: 'Client Version: v1.32.4\nKustomize Version: v5.5.0\n', stderr: '' };
      if (command === 'kubectl' && args[0] === 'kustomize') return { status: 0, stdout: stream, stderr: '' };
      return { status: 127, stdout: '', stderr: 'not faked' };
    };
  });
  afterAll(() => {
    state.fake = undefined;
  });

  it('runs kubectl kustomize without --enable-alpha-plugins, --enable-exec or --enable-helm', () => {
    state.spawned.length = 0;
    const r = run(['--renderer', 'kustomize', '--no-argocd', path.join(overlays, 'dev')]);
    expect(r.stderr).toBe('');
    const calls = kustomizeCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]!.filter((a) => a.startsWith('-'))).toEqual([]);
  });

  it('passes --enable-helm or --enable-alpha-plugins on only when the user gives it', () => {
    state.spawned.length = 0;
    run(['--renderer', 'kustomize', '--enable-helm', '--no-argocd', path.join(overlays, 'dev')]);
    run(['--renderer', 'kustomize', '--enable-alpha-plugins', '--no-argocd', path.join(overlays, 'dev')]);
    expect(kustomizeCalls().map((a) => a.filter((x) => x.startsWith('-')))).toEqual([['--enable-helm'], ['--enable-alpha-plugins']]);
  });

  it('refuses those flags with the built-in renderer, which never runs programs', () => {
    state.spawned.length = 0;
    const r = run(['--enable-alpha-plugins', path.join(overlays, 'dev')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--enable-alpha-plugins only apply to --renderer kustomize/);
    expect(state.spawned).toEqual([]);
  });
});

describe('how the linter can start a process', () => {
  it('only through src/util/lazy-builtins.ts (wrapped above), only from the kustomize renderer and the git helpers', () => {
    const src = path.resolve(HERE, '../../src');
    const files = (readdirSync(src, { recursive: true }) as string[]).filter((f) => f.endsWith('.ts')).map((f) => path.join(src, f));
    const rel = (f: string) => path.relative(src, f).split(path.sep).join('/');
    expect(files.filter((f) => /child_process/.test(readFileSync(f, 'utf8'))).map(rel)).toEqual(['util/lazy-builtins.ts']);
    expect(
      files
        .filter((f) => /\bchildProcess\(\)/.test(readFileSync(f, 'utf8')))
        .map(rel)
        .sort(),
    ).toEqual(['lint/git-changes.ts', 'render/kustomize-binary.ts', 'util/lazy-builtins.ts']);
  });

  it('--since runs git and nothing else, never through a shell, the ref after --end-of-options (a hostile ref is refused before anything runs)', () => {
    const g = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.invalid', '-c', 'commit.gpgsign=false', ...args], {
        cwd: repo,
        stdio: 'ignore',
      });
    if (!existsSync(path.join(repo, '.git', 'HEAD'))) {
      rmSync(path.join(repo, '.git'), { recursive: true, force: true });
      g('init', '-q');
    }
    g('add', '-A');
    g('commit', '-q', '--allow-empty', '-m', 'hostile');
    state.spawned.length = 0;
    const hostile = run(['--since=--output=' + pwned]);
    expect(hostile.code).toBe(2);
    expect(state.spawned).toEqual([]);
    const r = run(['--since', 'HEAD', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(state.spawned.length).toBeGreaterThan(0);
    expect(new Set(state.spawned.map((s) => s.command))).toEqual(new Set(['git']));
    const revParse = state.spawned.find((s) => s.args.includes('--verify'))!;
    expect(revParse.args.slice(-2)).toEqual(['--end-of-options', 'HEAD^{commit}']);
    expect(existsSync(pwned)).toBe(false);
  });
});
