import { createRequire } from 'node:module';

// Node's crypto module costs a few milliseconds to load, and most runs hash nothing (only
// generators and SARIF fingerprints do): it is loaded on first use.
const load = createRequire(import.meta.url);

export function sha256Hex(data: string): string {
  return (load('node:crypto') as typeof import('node:crypto')).createHash('sha256').update(data).digest('hex');
}
