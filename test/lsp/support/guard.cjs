// Preloaded into the language server by the tests (`node --require guard.cjs ...`): records on
// stderr, as `GUARD <what> <path>`, every attempt to write a file, create or remove one, start a
// process, or load a module from the workspace ($CEL_GUARD_ROOT). The operation still happens
// (the test fails on the record, so the server's behaviour is observed, not changed).
'use strict';
const fs = require('node:fs');
const childProcess = require('node:child_process');
const Module = require('node:module');
const path = require('node:path');

const root = process.env.CEL_GUARD_ROOT ? path.resolve(process.env.CEL_GUARD_ROOT) : undefined;
const say = (what, arg) =>
  process.stderr.write(`GUARD ${what} ${typeof arg === 'string' || typeof arg === 'number' ? arg : JSON.stringify(String(arg))}\n`);

const writers = [
  'writeFile',
  'appendFile',
  'mkdir',
  'mkdtemp',
  'rm',
  'rmdir',
  'unlink',
  'rename',
  'copyFile',
  'cp',
  'symlink',
  'link',
  'truncate',
  'chmod',
  'chown',
  'utimes',
  'lutimes',
  'lchown',
  'createWriteStream',
];
for (const name of writers) {
  for (const [obj, n] of [
    [fs, name],
    [fs, `${name}Sync`],
    [fs.promises, name],
  ]) {
    const orig = obj[n];
    if (typeof orig !== 'function') continue;
    obj[n] = function (...args) {
      say(n, args[0]);
      return orig.apply(this, args);
    };
  }
}
const writeFlag = (flags) =>
  typeof flags === 'string'
    ? /[wa+]/.test(flags)
    : typeof flags === 'number' &&
      (flags & (fs.constants.O_WRONLY | fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_TRUNC | fs.constants.O_APPEND)) !== 0;
for (const [obj, n] of [
  [fs, 'open'],
  [fs, 'openSync'],
  [fs.promises, 'open'],
]) {
  const orig = obj[n];
  obj[n] = function (p, flags, ...rest) {
    if (writeFlag(flags)) say(n, p);
    return orig.call(this, p, flags, ...rest);
  };
}
for (const n of ['write', 'writeSync', 'writev', 'writevSync']) {
  const orig = fs[n];
  fs[n] = function (fd, ...rest) {
    if (fd !== 1 && fd !== 2) say(n, `fd ${fd}`);
    return orig.call(this, fd, ...rest);
  };
}
for (const n of ['spawn', 'spawnSync', 'exec', 'execSync', 'execFile', 'execFileSync', 'fork']) {
  const orig = childProcess[n];
  childProcess[n] = function (...args) {
    say(n, args[0]);
    return orig.apply(this, args);
  };
}
const load = Module._load;
Module._load = function (request, parent, ...rest) {
  if (root && parent && typeof request === 'string' && (request.startsWith('.') || path.isAbsolute(request))) {
    const abs = path.resolve(path.dirname(parent.filename ?? ''), request);
    if (abs === root || abs.startsWith(root + path.sep)) say('require', abs);
  }
  return load.call(this, request, parent, ...rest);
};
