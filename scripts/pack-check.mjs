#!/usr/bin/env node
// `npm run test:pack`: the package as users get it. `npm pack`, then install the tarball alone into
// an empty directory (nothing from the registry: the bundle carries its dependencies, so the
// package has none) and run its binary, as `npm exec` would, on the bundled example component and,
// when ../shared is present, on the real component of the hippocampus monorepo: the findings must
// be those of this checkout's own binary. Ends with `N passed, N failed`.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checks, makeWritable } from './support.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(path.join(tmpdir(), 'cel-pack-'));
process.on('exit', (code) =>
  code === 0 ? rmSync(work, { recursive: true, force: true }) : console.error(`pack check files kept in ${work}`),
);

const { check, summary } = checks();

const packed = JSON.parse(execFileSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' }));
const tarball = path.join(work, packed[0].filename);
const files = packed[0].files.map((f) => f.path);
check(
  'the tarball holds what a user runs: the binary, the bundles, the schemas',
  ['bin/cilium-etcd-lint.js', 'dist/cli.cjs', 'schemas/config.schema.json'].every((f) => files.includes(f)),
  files.join('\n'),
);
check(
  'and no sources, rule sources or fixtures',
  !files.some((f) => /^(src|test|rules|fixtures|scripts)\//.test(f)),
  files.filter((f) => /^(src|test|rules|fixtures|scripts)\//.test(f)).join('\n'),
);

const prefix = path.join(work, 'install');
execFileSync('npm', ['install', '--prefix', prefix, '--no-audit', '--no-fund', '--offline', tarball], {
  encoding: 'utf8',
  stdio: ['ignore', 'pipe', 'inherit'],
});
const installed = readdirSync(path.join(prefix, 'node_modules')).filter((n) => !n.startsWith('.'));
check('installing it installs no other package', installed.length === 1 && installed[0] === 'cilium-etcd-lint', installed.join(', '));

const bin = path.join(prefix, 'node_modules/.bin/cilium-etcd-lint');
function lintWith(binary, cwd, target) {
  const r = spawnSync(
    binary.endsWith('.js') ? process.execPath : binary,
    [...(binary.endsWith('.js') ? [binary] : []), '--format', 'json', target],
    { cwd, encoding: 'utf8', env: { ...process.env, CILIUM_ETCD_LINT_CODE_CACHE: 'off' } },
  );
  return { status: r.status, findings: r.stdout ? JSON.parse(r.stdout).findings : undefined, stderr: r.stderr };
}

const example = path.join(work, 'example');
cpSync(path.join(ROOT, 'fixtures/cilium-etcd'), path.join(example, 'fixtures/cilium-etcd'), { recursive: true });
execFileSync('git', ['init', '-q'], { cwd: example });
const fromTarball = lintWith(bin, example, 'fixtures/cilium-etcd/overlays/dev');
const fromCheckout = lintWith(path.join(ROOT, 'bin/cilium-etcd-lint.js'), example, 'fixtures/cilium-etcd/overlays/dev');
check(
  'the installed binary lints the example component as this checkout does',
  fromTarball.status === fromCheckout.status &&
    JSON.stringify(fromTarball.findings) === JSON.stringify(fromCheckout.findings) &&
    fromTarball.findings.length > 0,
  `${fromTarball.stderr}\n${JSON.stringify(fromTarball.findings)}`,
);

const hippocampus = path.resolve(ROOT, '../shared/corpus/hippocampus/repo');
if (existsSync(hippocampus)) {
  const repo = path.join(work, 'hippocampus');
  cpSync(hippocampus, repo, { recursive: true });
  makeWritable(repo);
  execFileSync('git', ['init', '-q'], { cwd: repo });
  const target = 'cluster/manifests/cilium-etcd/overlays/dev';
  const a = lintWith(bin, repo, target);
  const b = lintWith(path.join(ROOT, 'bin/cilium-etcd-lint.js'), repo, target);
  check(
    'the installed binary lints the real cilium-etcd component as this checkout does',
    a.status === 0 && JSON.stringify(a.findings) === JSON.stringify(b.findings) && a.findings.length > 0,
    `${a.stderr}\n${JSON.stringify(a.findings)}`,
  );
} else console.log('skip the real component: ../shared/corpus/hippocampus/repo not found');

summary();
