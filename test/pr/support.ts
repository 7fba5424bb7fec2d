import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { COMPONENT, FIXTURE, fixtureRepo, type Repo } from '../action/repo.ts';
import { runCli } from '../support/cli.ts';

export { COMPONENT, fixtureRepo, type Repo };
export const OVERLAY = `${COMPONENT}/overlays/dev`;

export function git(cwd: string, ...args: string[]): string {
  const r = spawnSync('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'commit.gpgsign=false', ...args], {
    cwd,
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

/** A real git repository holding the fixture component, committed on `main`. */
export function gitFixtureRepo(): Repo {
  const root = mkdtempSync(path.join(tmpdir(), 'cel-pr-'));
  git(root, 'init', '-q', '-b', 'main');
  cpSync(FIXTURE, path.join(root, COMPONENT), { recursive: true });
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'base');
  return fixtureRepoAt(root);
}

function fixtureRepoAt(root: string): Repo {
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

export function cli(root: string, argv: string[]) {
  return runCli(argv, { cwd: root });
}

export function lintJson(root: string, argv: string[]) {
  const r = cli(root, ['--format', 'json', ...argv]);
  if (r.code === 2) throw new Error(r.stderr);
  return { ...r, doc: JSON.parse(r.stdout) };
}

/** Every file under `dir` (not .git) with its text. */
export function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const e of readdirSync(d)) {
      if (e === '.git') continue;
      const p = path.join(d, e);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(path.relative(dir, p), readFileSync(p, 'utf8'));
    }
  };
  walk(dir);
  return out;
}
