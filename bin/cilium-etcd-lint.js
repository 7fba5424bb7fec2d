#!/usr/bin/env node
'use strict';
// Starts the bundled CLI (dist/cli.cjs) through a V8 code cache, as Node 22's module compile cache
// does (Node 20 has no such API): a run after the first skips parsing and compiling the 1.4 MB
// bundle, which is most of a single overlay's start-up. The cache is only ever an accelerator:
// any problem with it (no home directory, read-only disk, a cache V8 rejects) means a normal start.
//
// Where: $CILIUM_ETCD_LINT_CODE_CACHE (a directory, or `off`), else $XDG_CACHE_HOME or
// ~/.cache, under cilium-etcd-lint/. The directory must belong to this user and not be writable
// by others, because V8 runs what it holds. The file name carries the bundle's content hash (its
// first line, written by scripts/build.mjs), the Node.js version and the architecture, so an
// update never meets a stale cache.
const fs = require('node:fs');
const path = require('node:path');
const os = require('node:os');
const vm = require('node:vm');
const { createRequire, wrap } = require('node:module');

const bundle = path.join(__dirname, '..', 'dist', 'cli.cjs');
const source = fs.readFileSync(bundle, 'utf8');
const cacheFile = codeCacheFile(source);
let cached;
if (cacheFile) {
  try {
    cached = fs.readFileSync(cacheFile);
  } catch {
    cached = undefined;
  }
}
const script = new vm.Script(wrap(source), { filename: bundle, cachedData: cached });
if (cacheFile && (!cached || script.cachedDataRejected)) {
  // Written at exit, so the functions this run compiled lazily are in it too.
  process.once('exit', () => writeCache(cacheFile, script));
}
const module_ = { exports: {}, filename: bundle, id: bundle };
script.runInThisContext().call(module_.exports, module_.exports, createRequire(bundle), module_, bundle, path.dirname(bundle));

function codeCacheFile(text) {
  const setting = process.env.CILIUM_ETCD_LINT_CODE_CACHE;
  if (setting === 'off' || setting === '0') return undefined;
  const hash = /^\/\/ sha256:([0-9a-f]{64})\n/.exec(text);
  if (!hash) return undefined;
  let dir = setting;
  if (!dir) {
    const base = process.env.XDG_CACHE_HOME || (os.homedir() ? path.join(os.homedir(), '.cache') : '');
    if (!base) return undefined;
    dir = path.join(base, 'cilium-etcd-lint');
  }
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const st = fs.statSync(dir);
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    if (!st.isDirectory() || (uid !== undefined && st.uid !== uid) || (st.mode & 0o022) !== 0) return undefined;
  } catch {
    return undefined;
  }
  return path.join(dir, `cli-${hash[1].slice(0, 32)}-${process.version}-${process.arch}.v8cache`);
}

function writeCache(file, compiled) {
  try {
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, compiled.createCachedData(), { mode: 0o600 });
    fs.renameSync(tmp, file);
  } catch {
    // Best effort: the next run compiles from source again.
  }
}
