#!/usr/bin/env node
// `npm run test:pre-commit`: proves .pre-commit-hooks.yaml with the real pre-commit.
//
// 1. Snapshots this working tree (tracked and untracked files, .gitignore honoured) into a
//    temporary git repository: `pre-commit try-repo` on the working tree itself would see only
//    HEAD plus staged and modified tracked files (it makes a temporary commit of those), so a new,
//    not yet committed .pre-commit-hooks.yaml or dist/ would be invisible to it.
// 2. Creates a git repository holding the fixture component (fixtures/cilium-etcd, laid out at the
//    repository root as users lay it out: base/, overlays/dev/, argocd/).
// 3. `pre-commit try-repo <snapshot> cilium-etcd-lint`: passes on the clean component, fails once
//    an invariant in the base is broken (the hook re-renders the overlay), passes once fixed.
// 4. `pre-commit install` with a .pre-commit-config.yaml naming the snapshot: a `git commit`
//    that breaks the invariant is blocked, and the same commit is allowed once it is fixed.
// 5. When the hippocampus monorepo is at hand (../shared/corpus/hippocampus/repo, or
//    $CILIUM_ETCD_LINT_CORPUS/hippocampus/repo; skipped, saying so, otherwise): a git copy of it with
//    the hook installed as a user would (no `files:`, no args; `verbose: true` so that a passing
//    run shows its output too): a commit that only sets `selfHeal: false` in the component's
//    ArgoCD Application is blocked by argocd-automated-sync on that file; the Application put back
//    (with a comment), the commit is allowed; a commit touching nothing a kustomization reads (a
//    new README.md, the component's .registry.yaml) passes, saying no target was affected, and the
//    time it took is printed (measured, not asserted); a commit making the base StatefulSet's root
//    filesystem writable is blocked by read-only-root-filesystem.
//
// Exits non-zero when pre-commit is missing or any expectation fails; ends with `N passed, N failed`.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const FIXTURE = path.join(ROOT, 'fixtures/cilium-etcd');
const work = mkdtempSync(path.join(tmpdir(), 'cel-pre-commit-'));
// Removed when the demo passes; kept, and named, when it fails.
process.on('exit', (code) => (code === 0 ? rmSync(work, { recursive: true, force: true }) : console.error(`demo files kept in ${work}`)));
const env = {
  ...process.env,
  PRE_COMMIT_HOME: path.join(work, 'pre-commit-home'),
  GIT_AUTHOR_NAME: 'Demo',
  GIT_AUTHOR_EMAIL: 'demo@example.invalid',
  GIT_COMMITTER_NAME: 'Demo',
  GIT_COMMITTER_EMAIL: 'demo@example.invalid',
  GIT_CONFIG_NOSYSTEM: '1',
  NO_COLOR: '1',
};
delete env.GIT_DIR;
delete env.GIT_INDEX_FILE;
delete env.GIT_WORK_TREE;

let passed = 0;
let failed = 0;
function check(name, ok, detail = '') {
  if (ok) passed++;
  else failed++;
  console.log(`${ok ? 'ok  ' : 'FAIL'} ${name}${!ok && detail ? `\n${detail}` : ''}`);
}

function sh(cmd, args, cwd) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 26 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.error) throw r.error;
  const output = `${r.stdout}${r.stderr}`;
  console.log(`\n$ ${[cmd, ...args].join(' ')}    (in ${path.relative(work, cwd) || '.'}, exit ${r.status}, ${ms.toFixed(0)} ms)`);
  console.log(output.replace(/\n+$/, '').replace(/^/gm, '  | '));
  return { status: r.status, output, ms };
}
const git = (cwd, ...args) =>
  execFileSync('git', ['-c', 'commit.gpgsign=false', '-c', 'init.defaultBranch=main', ...args], { cwd, env, encoding: 'utf8' }).trim();

if (spawnSync('pre-commit', ['--version'], { env }).status !== 0) {
  console.error('pre-commit is not installed (Debian: apt-get install pre-commit); nothing was tested');
  process.exit(1);
}
console.log(`pre-commit: ${execFileSync('pre-commit', ['--version'], { env, encoding: 'utf8' }).trim()}; work directory ${work}`);

// 1. The hook repository: a snapshot of this working tree.
const hookRepo = path.join(work, 'hook-repo');
mkdirSync(hookRepo);
const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: ROOT, env, encoding: 'utf8' })
  .split('\0')
  .filter(Boolean);
for (const rel of files) {
  const from = path.join(ROOT, rel);
  if (!existsSync(from) || !statSync(from).isFile()) continue; // deleted in the working tree
  const to = path.join(hookRepo, rel);
  mkdirSync(path.dirname(to), { recursive: true });
  cpSync(from, to);
  chmodSync(to, statSync(from).mode & 0o777);
}
for (const required of ['.pre-commit-hooks.yaml', 'bin/cilium-etcd-lint.js', 'bin/package.json', 'dist/cli.cjs']) {
  if (!existsSync(path.join(hookRepo, required))) throw new Error(`${required} is missing from the working tree`);
}
git(hookRepo, 'init', '-q');
git(hookRepo, 'add', '-A');
git(hookRepo, 'commit', '-q', '-m', 'snapshot of the working tree');
const rev = git(hookRepo, 'rev-parse', 'HEAD');

// 2. A repository holding the component.
const demo = path.join(work, 'component');
cpSync(FIXTURE, demo, { recursive: true });
const appFile = path.join(demo, 'argocd/application.yaml');
const app = readFileSync(appFile, 'utf8');
if (!app.includes('path: fixtures/cilium-etcd/overlays/dev'))
  throw new Error('the fixture Application no longer deploys fixtures/cilium-etcd/overlays/dev');
writeFileSync(appFile, app.replace('path: fixtures/cilium-etcd/overlays/dev', 'path: overlays/dev'));
git(demo, 'init', '-q');
git(demo, 'add', '-A');

const sts = path.join(demo, 'base/stateful_set.yaml');
const clean = readFileSync(sts, 'utf8');
if (!clean.includes('hostNetwork: true')) throw new Error('the fixture StatefulSet no longer sets hostNetwork: true');
const brokenLine = clean.slice(0, clean.indexOf('hostNetwork: true')).split('\n').length;
const breakIt = () => writeFileSync(sts, readFileSync(sts, 'utf8').replace('hostNetwork: true', 'hostNetwork: false'));
const fixIt = () => writeFileSync(sts, readFileSync(sts, 'utf8').replace('hostNetwork: false', 'hostNetwork: true'));
const blockedBy = (output) => output.includes(`base/stateful_set.yaml:${brokenLine}:`) && output.includes('host-network');

// 3. try-repo (runs the hook on the staged files, like the git hook).
console.log('\n=== pre-commit try-repo ===');
let r = sh('pre-commit', ['try-repo', hookRepo, 'cilium-etcd-lint', '--ref', rev, '--verbose'], demo);
check('try-repo passes on the clean component', r.status === 0 && /cilium-etcd-lint\.+Passed/.test(r.output), r.output);
breakIt();
git(demo, 'add', '-A');
r = sh('pre-commit', ['try-repo', hookRepo, 'cilium-etcd-lint', '--ref', rev], demo);
check(
  'try-repo fails once the base breaks an invariant of the overlay',
  r.status === 1 && /cilium-etcd-lint\.+Failed/.test(r.output) && blockedBy(r.output),
  r.output,
);
fixIt();
git(demo, 'add', '-A');
r = sh('pre-commit', ['try-repo', hookRepo, 'cilium-etcd-lint', '--ref', rev], demo);
check('try-repo passes once fixed', r.status === 0 && /cilium-etcd-lint\.+Passed/.test(r.output), r.output);

// 4. The installed git hook blocks, then allows, a commit.
console.log('\n=== git commit with the hook installed ===');
writeFileSync(
  path.join(demo, '.pre-commit-config.yaml'),
  `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: cilium-etcd-lint\n`,
);
sh('pre-commit', ['install'], demo);
git(demo, 'add', '-A');
r = sh('git', ['commit', '-m', 'cilium-etcd component'], demo);
check('the first commit of the clean component is allowed', r.status === 0 && git(demo, 'rev-list', '--count', 'HEAD') === '1', r.output);

// An intended change (more memory) together with a broken invariant.
if (!clean.includes('memory: 1Gi')) throw new Error('the fixture StatefulSet no longer sets memory: 1Gi');
writeFileSync(sts, readFileSync(sts, 'utf8').replace('memory: 1Gi', 'memory: 2Gi'));
breakIt();
git(demo, 'add', '-A');
r = sh('git', ['commit', '-m', 'more memory for etcd'], demo);
check(
  'a commit breaking an invariant is blocked',
  r.status !== 0 && blockedBy(r.output) && git(demo, 'rev-list', '--count', 'HEAD') === '1',
  r.output,
);

fixIt();
git(demo, 'add', '-A');
r = sh('git', ['commit', '-m', 'more memory for etcd'], demo);
const committed = git(demo, 'show', 'HEAD:base/stateful_set.yaml');
check(
  'the same commit is allowed once fixed',
  r.status === 0 &&
    git(demo, 'rev-list', '--count', 'HEAD') === '2' &&
    committed.includes('memory: 2Gi') &&
    committed.includes('hostNetwork: true'),
  r.output,
);

// 5. The hippocampus monorepo, with the hook installed as a user would install it.
const corpus = process.env.CILIUM_ETCD_LINT_CORPUS ?? path.resolve(ROOT, '../shared/corpus');
const monoSource = path.join(corpus, 'hippocampus/repo');
if (!existsSync(monoSource)) {
  console.log(`\n=== the hippocampus monorepo: skipped (${monoSource} not found) ===`);
} else {
  console.log('\n=== the hippocampus monorepo, hook installed (no files:, no args) ===');
  const mono = path.join(work, 'hippocampus');
  cpSync(monoSource, mono, { recursive: true });
  // The corpus is read-only: give the copy's owner write access (keeping any execute bits).
  const makeWritable = (p) => {
    const st = statSync(p);
    chmodSync(p, (st.mode & 0o777) | (st.isDirectory() ? 0o700 : 0o600));
    if (st.isDirectory()) for (const e of readdirSync(p)) makeWritable(path.join(p, e));
  };
  makeWritable(mono);
  writeFileSync(
    path.join(mono, '.pre-commit-config.yaml'),
    `repos:\n  - repo: ${hookRepo}\n    rev: ${rev}\n    hooks:\n      - id: cilium-etcd-lint\n        verbose: true\n`,
  );
  git(mono, 'init', '-q');
  git(mono, 'add', '-A');
  git(mono, 'commit', '-q', '-m', 'hippocampus monorepo (the hook not installed yet)');
  sh('pre-commit', ['install'], mono);
  const commits = () => Number(git(mono, 'rev-list', '--count', 'HEAD'));
  const lineOf = (text, needle) => text.slice(0, text.indexOf(needle)).split('\n').length;
  const COMPONENT = 'cluster/manifests/cilium-etcd/overlays/dev';

  // (a) A commit that only turns selfHeal off in the component's Application: no file of the
  // component changes, but the Application deploying it does.
  const APP = 'cluster/manifests/argocd-applications/base/cilium-etcd.yaml';
  const appPath = path.join(mono, APP);
  const appClean = readFileSync(appPath, 'utf8');
  if (!appClean.includes('      selfHeal: true\n')) throw new Error(`${APP} no longer sets selfHeal: true`);
  const selfHealLine = lineOf(appClean, 'selfHeal: true');
  writeFileSync(appPath, appClean.replace('selfHeal: true', 'selfHeal: false'));
  git(mono, 'add', APP);
  r = sh('git', ['commit', '-m', 'cilium-etcd: no selfHeal'], mono);
  check(
    `monorepo: a commit that only sets selfHeal: false in ${APP} is blocked by argocd-automated-sync on that file`,
    r.status !== 0 &&
      /cilium-etcd-lint\.+Failed/.test(r.output) &&
      r.output.includes(`${APP}:${selfHealLine}:`) &&
      r.output.includes('argocd-automated-sync') &&
      commits() === 1,
    r.output,
  );

  // (b) The Application put back (a comment added, so there is something to commit): allowed.
  writeFileSync(
    appPath,
    appClean.replace('      selfHeal: true\n', '      # cilium-etcd must converge back to git: keep selfHeal on\n      selfHeal: true\n'),
  );
  git(mono, 'add', APP);
  r = sh('git', ['commit', '-m', 'cilium-etcd: say why selfHeal stays on'], mono);
  check(
    'monorepo: with selfHeal back on, the commit is allowed (the component is linted, and passes)',
    r.status === 0 &&
      /cilium-etcd-lint\.+Passed/.test(r.output) &&
      r.output.includes(COMPONENT) &&
      !r.output.includes('argocd-automated-sync') &&
      /\b[1-9]\d* targets? linted\b/.test(r.output) &&
      commits() === 2,
    r.output,
  );

  // (c) A commit touching nothing any kustomization reads: a new README.md, and the component's
  // .registry.yaml (beside its base and overlays, but read by no build).
  writeFileSync(path.join(mono, 'README.md'), '# hippocampus\n\nA copy of the monorepo for the pre-commit demonstration.\n');
  const REGISTRY = 'cluster/manifests/cilium-etcd/.registry.yaml';
  if (!existsSync(path.join(mono, REGISTRY))) throw new Error(`${REGISTRY} is missing from the monorepo`);
  writeFileSync(path.join(mono, REGISTRY), `${readFileSync(path.join(mono, REGISTRY), 'utf8')}# reviewed\n`);
  git(mono, 'add', 'README.md', REGISTRY);
  r = sh('git', ['commit', '-m', 'README, registry note'], mono);
  const hookSeconds = /- duration: ([\d.]+)s/.exec(r.output)?.[1];
  check(
    'monorepo: an unrelated commit (README.md, .registry.yaml) passes, the hook saying no target was affected',
    r.status === 0 &&
      /cilium-etcd-lint\.+Passed/.test(r.output) &&
      r.output.includes('2 changed files affected no target: nothing to lint') &&
      commits() === 3,
    r.output,
  );
  console.log(
    `  measured: the hook took ${hookSeconds ? `${hookSeconds} s (pre-commit's own figure)` : '? s (pre-commit printed no duration)'}; the whole \`git commit\` ${(r.ms / 1000).toFixed(2)} s`,
  );

  // (d) A commit making the base StatefulSet's root filesystem writable: blocked.
  const STS = 'cluster/manifests/cilium-etcd/base/stateful_set.yaml';
  const stsPath = path.join(mono, STS);
  const stsClean = readFileSync(stsPath, 'utf8');
  if (!stsClean.includes('readOnlyRootFilesystem: true')) throw new Error(`${STS} no longer sets readOnlyRootFilesystem: true`);
  const rorfLine = lineOf(stsClean, 'readOnlyRootFilesystem: true');
  writeFileSync(stsPath, stsClean.replace('readOnlyRootFilesystem: true', 'readOnlyRootFilesystem: false'));
  git(mono, 'add', STS);
  r = sh('git', ['commit', '-m', 'cilium-etcd: writable root filesystem'], mono);
  check(
    `monorepo: a commit setting readOnlyRootFilesystem: false in ${STS} is blocked by read-only-root-filesystem`,
    r.status !== 0 &&
      /cilium-etcd-lint\.+Failed/.test(r.output) &&
      r.output.includes(`${STS}:${rorfLine}:`) &&
      r.output.includes('read-only-root-filesystem') &&
      commits() === 3,
    r.output,
  );
}

console.log(`\npre-commit demonstration: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
