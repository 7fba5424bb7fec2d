import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The fixture component, as the first-release issue ships it. */
export const FIXTURE = fileURLToPath(new URL('../../fixtures/cilium-etcd', import.meta.url));
/** Where the fixture sits inside the temporary repository (its Application's source path expects this). */
export const COMPONENT = 'fixtures/cilium-etcd';

export interface Repo {
  /** Absolute repository root (holds `.git`). */
  root: string;
  /** Absolute path of a repository-relative file. */
  abs(rel: string): string;
  read(rel: string): string;
  write(rel: string, text: string): void;
  /** Replaces `from` (which must occur) in a file and returns the new text. */
  edit(rel: string, from: string, to: string): string;
}

/** A temporary repository (a `.git` directory marks its root) holding a copy of the fixture component. */
export function fixtureRepo(): Repo {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-action-'));
  mkdirSync(path.join(root, '.git'));
  cpSync(FIXTURE, path.join(root, COMPONENT), { recursive: true });
  const abs = (rel: string) => path.join(root, rel);
  const read = (rel: string) => readFileSync(abs(rel), 'utf8');
  const write = (rel: string, text: string) => {
    mkdirSync(path.dirname(abs(rel)), { recursive: true });
    writeFileSync(abs(rel), text);
  };
  const edit = (rel: string, from: string, to: string) => {
    const text = read(rel);
    if (!text.includes(from)) throw new Error(`${rel} does not contain ${JSON.stringify(from)}`);
    const out = text.replace(from, to);
    write(rel, out);
    return out;
  };
  return { root, abs, read, write, edit };
}

/** 1-based line, column and exclusive end column of the first occurrence of `needle` in `text`. */
export function spanOf(text: string, needle: string): { line: number; column: number; endColumn: number } {
  const i = text.indexOf(needle);
  if (i < 0) throw new Error(`needle not found: ${needle}`);
  const before = text.slice(0, i).split('\n');
  const column = before.at(-1)!.length + 1;
  return { line: before.length, column, endColumn: column + needle.length };
}

const BASE_STS = `${COMPONENT}/base/stateful_set.yaml`;

/**
 * Adds `n` more etcd StatefulSets to the base that differ from the fixture's only in their name,
 * TLS URLs (so they add no etcd-tls warnings), and `hostNetwork: false`: one host-network error each.
 */
export function addBrokenMembers(repo: Repo, n: number): void {
  const base = repo.read(BASE_STS);
  const docs: string[] = [];
  for (let i = 1; i <= n; i++) {
    let d = base.replace('name: cilium-etcd-0\n', `name: cilium-etcd-broken-${i}\n`);
    d = d.replace('hostNetwork: true', 'hostNetwork: false').replaceAll('http://', 'https://');
    // The dev overlay's scrape annotations are patched onto cilium-etcd-0 only.
    d = d.replace(
      '  template:\n    metadata:\n',
      '  template:\n    metadata:\n      annotations:\n        prometheus.io/scrape: "true"\n        prometheus.io/port: "12381"\n',
    );
    docs.push(d);
  }
  repo.write(`${COMPONENT}/base/broken_members.yaml`, docs.join('---\n'));
  repo.edit(`${COMPONENT}/base/kustomization.yaml`, '  - stateful_set.yaml\n', '  - stateful_set.yaml\n  - broken_members.yaml\n');
}

/** Adds `n` StatefulSets to the dev overlay that break many rules each (a large run). */
export function addManyBrokenResources(repo: Repo, n: number): void {
  const base = repo.read(BASE_STS);
  const docs: string[] = [];
  for (let i = 1; i <= n; i++)
    docs.push(base.replace('name: cilium-etcd-0\n', `name: cilium-etcd-extra-${i}\n`).replace('hostNetwork: true', 'hostNetwork: false'));
  repo.write(`${COMPONENT}/overlays/dev/extra.yaml`, docs.join('---\n'));
  repo.edit(`${COMPONENT}/overlays/dev/kustomization.yaml`, '  - ../../base\n', '  - ../../base\n  - extra.yaml\n');
}

/** Parses a GITHUB_OUTPUT file (`name<<delimiter` … `delimiter` blocks, or `name=value` lines). */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(l);
    if (heredoc) {
      const value: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) value.push(lines[i]!);
      out[heredoc[1]!] = value.join('\n');
    } else if (l.includes('=')) {
      out[l.slice(0, l.indexOf('='))] = l.slice(l.indexOf('=') + 1);
    }
  }
  return out;
}

/** Workflow-command lines (`::kind ...::message`) of a stdout transcript. */
export function commandLines(stdout: string): string[] {
  return stdout.split(/\r?\n/).filter((l) => /^::(error|warning|notice)( |::)/.test(l));
}

export interface ParsedCommand {
  kind: string;
  properties: Record<string, string>;
  message: string;
}

/** Reads a workflow command back, undoing the toolkit's escaping (written independently of src/). */
export function parseCommand(line: string): ParsedCommand {
  const m = /^::([a-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%(25|0D|0A|3A|2C)/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const properties: Record<string, string> = {};
  for (const kv of (m[2] ?? '').split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    properties[kv.slice(0, i)] = unescape(kv.slice(i + 1));
  }
  return { kind: m[1]!, properties, message: unescape(m[3]!) };
}

/**
 * Adds overlay `name` beside dev (a copy of it), deployed by an Application of its own
 * (`cilium-etcd-<name>`, in `argocd/application-<name>.yaml`): a second, equally clean target.
 */
export function addOverlay(repo: Repo, name: string): void {
  cpSync(repo.abs(`${COMPONENT}/overlays/dev`), repo.abs(`${COMPONENT}/overlays/${name}`), { recursive: true });
  const app = repo
    .read(`${COMPONENT}/argocd/application.yaml`)
    .replace('name: cilium-etcd-dev', `name: cilium-etcd-${name}`)
    .replace(`path: ${COMPONENT}/overlays/dev`, `path: ${COMPONENT}/overlays/${name}`);
  repo.write(`${COMPONENT}/argocd/application-${name}.yaml`, app);
}

export interface GitRepo extends Repo {
  /** Runs git in the repository and returns its stdout (throws on a failure). */
  git(...args: string[]): string;
  /** Commits everything and returns the commit id. */
  commit(message: string): string;
}

const GIT_ENV = {
  GIT_AUTHOR_NAME: 'test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
};

/** Runs git in `cwd` (no shell, no user or system configuration); throws with git's stderr on a failure. */
export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...GIT_ENV } });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** Makes a real git repository of `repo` (in place of the bare `.git` marker) with one commit of everything. */
export function gitRepo(repo: Repo): GitRepo {
  rmSync(repo.abs('.git'), { recursive: true, force: true });
  git(repo.root, 'init', '-q', '-b', 'main');
  const g: GitRepo = {
    ...repo,
    git: (...args) => git(repo.root, ...args),
    commit: (message) => {
      git(repo.root, 'add', '-A');
      git(repo.root, 'commit', '-q', '--allow-empty', '-m', message);
      return git(repo.root, 'rev-parse', 'HEAD').trim();
    },
  };
  g.commit('initial');
  return g;
}

/** Writes an event payload (as the runner's GITHUB_EVENT_PATH) and returns the environment naming it. */
export function eventEnv(name: string, payload: unknown): Record<string, string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'cel-event-')), 'event.json');
  writeFileSync(file, JSON.stringify(payload));
  return { GITHUB_EVENT_NAME: name, GITHUB_EVENT_PATH: file };
}

/** A pull_request event whose base commit is `sha`. */
export function pullRequest(sha: string): Record<string, string> {
  return eventEnv('pull_request', {
    action: 'synchronize',
    number: 7,
    pull_request: { number: 7, base: { ref: 'main', sha }, head: { ref: 'topic', sha: '0'.repeat(40) } },
  });
}
