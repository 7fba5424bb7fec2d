import { chmodSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/model/errors.ts';
import { nodeFileSystem } from '../../src/render/fs.ts';
import { findRoot, isRemoteReference, MAX_FILE_BYTES, restrictFileSystem } from '../../src/render/load-restrictor.ts';

describe('isRemoteReference', () => {
  it.each([
    'https://github.com/org/repo//deploy?ref=v1',
    'http://example.com/x.yaml',
    'HTTPS://EXAMPLE.COM/X.YAML',
    'github.com/org/repo/deploy?ref=v1',
    'github.com/org/repo',
    'gitlab.com/org/repo//x',
    'bitbucket.org/org/repo',
    'git::https://example.com/repo.git//x?ref=main',
    's3::https://s3.amazonaws.com/bucket/x',
    'git@github.com:org/repo.git/deploy',
    'ssh://git@example.com/org/repo.git',
    'file:///etc/passwd',
    'gh:org/repo/deploy',
    'example.com/org/repo/deploy?ref=main',
    'example.com/org/repo//deploy',
    ' https://example.com/x.yaml',
  ])('%s is remote', (ref) => expect(isRemoteReference(ref)).toBe(true));

  it.each([
    '../base',
    'base',
    './overlays/dev',
    '../../components/etcd',
    'stateful_set.yaml',
    'my.app/base',
    'v1.2.3/base',
    'a:b/c',
    '..',
    '.',
    'patches/ref=main.yaml',
  ])('%s is local', (ref) => expect(isRemoteReference(ref)).toBe(false));
});

describe('restrictFileSystem', () => {
  const tmp = mkdtempSync(path.join(tmpdir(), 'cel-restrict-'));
  const repo = path.join(tmp, 'repo');
  mkdirSync(path.join(repo, '.git'), { recursive: true });
  mkdirSync(path.join(repo, 'dir'));
  writeFileSync(path.join(repo, 'ok.yaml'), 'a: 1\n');
  writeFileSync(path.join(tmp, 'secret.yaml'), 'secret: 1\n');
  symlinkSync('../secret.yaml', path.join(repo, 'out.yaml'));
  symlinkSync('loop.yaml', path.join(repo, 'loop.yaml'));
  writeFileSync(path.join(repo, 'big.yaml'), 'x'.repeat(MAX_FILE_BYTES + 1));
  writeFileSync(path.join(repo, 'locked.yaml'), 'a: 1\n');
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  const fs = restrictFileSystem(nodeFileSystem, findRoot(nodeFileSystem, path.join(repo, 'dir')));
  const failure = (fn: () => unknown) => {
    try {
      fn();
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      return e as UserError;
    }
    throw new Error('did not fail');
  };

  it('finds the repository root from below it', () => {
    expect(fs.restrictedRoot).toBe(repo);
    expect(findRoot(nodeFileSystem, tmp)).toBeUndefined();
  });
  it('reads inside the root', () => expect(fs.readFile(path.join(repo, 'ok.yaml'))).toBe('a: 1\n'));
  it('refuses a symlink out of the root, naming the file', () => {
    const e = failure(() => fs.readFile(path.join(repo, 'out.yaml')));
    expect(e.message).toMatch(/outside the repository root/);
    expect(e.location).toMatchObject({ file: path.join(repo, 'out.yaml'), line: 1, column: 1 });
  });
  it('turns a symlink loop, a directory, a huge file and a missing file into user errors', () => {
    expect(failure(() => fs.readFile(path.join(repo, 'loop.yaml'))).message).toMatch(/symbolic links/);
    expect(failure(() => fs.readFile(path.join(repo, 'dir'))).message).toMatch(/not a regular file/);
    expect(failure(() => fs.readFile(path.join(repo, 'big.yaml'))).message).toMatch(/file too large/);
    expect(failure(() => fs.readFile(path.join(repo, 'nope.yaml'))).message).toMatch(/no such file/);
  });
  it.skipIf(process.getuid?.() === 0)('turns a permission error into a user error', () => {
    chmodSync(path.join(repo, 'locked.yaml'), 0o000);
    expect(failure(() => fs.readFile(path.join(repo, 'locked.yaml'))).message).toMatch(/permission denied/);
  });
});
