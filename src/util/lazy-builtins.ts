import { createRequire } from 'node:module';

// Node's crypto and child_process modules cost a few milliseconds each to load, and most runs
// hash nothing (only generators and SARIF fingerprints do) and start no program (only
// --renderer kustomize does): they are loaded on first use.
const load = createRequire(import.meta.url);

/** node:child_process and node:os, for running kubectl. */
export function childProcess(): typeof import('node:child_process') {
  return load('node:child_process') as typeof import('node:child_process');
}
export function os(): typeof import('node:os') {
  return load('node:os') as typeof import('node:os');
}

export function sha256Hex(data: string): string {
  return (load('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(data).digest('hex');
}
