import type { Io } from './main.ts';

export function diffCommand(io: Io): number {
  io.stderr('cilium-etcd-lint diff: not implemented yet\n');
  return 2;
}
