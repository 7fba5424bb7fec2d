import path from 'node:path';

/** A path as users see it: relative to `base` (the working directory, or the repository root), with `/` separators; `<stdin>` as is. */
export function displayPath(file: string, base: string): string {
  if (file.startsWith('<')) return file;
  const rel = path.relative(base, file) || '.';
  return rel.split(path.sep).join('/');
}
