import type { Container } from 'kubernetes-types/core/v1.js';
import type { FieldPath } from '../../src/model/provenance.ts';

/** One command-line flag of a container, as the Go `flag` package would read it. */
export interface Flag {
  /** Normalised name with two dashes: `--data-dir` (also for `-data-dir`). */
  name: string;
  /** The value (`--f=v` or `--f v`), `$(VAR)` references left as written; undefined for a bare flag. */
  value: string | undefined;
  /** The item that holds the value (for `--f v`, the `v` item); the flag item for a bare flag. */
  path: FieldPath;
  /** The item that names the flag. */
  flagPath: FieldPath;
}

/**
 * Parses the flags of a container's `command` (after the executable) and `args`.
 * `--flag=value`, `-flag=value`, `--flag value` and bare `--flag` are understood; a lone `--`
 * ends the flags. Items that are not flags are skipped rather than ending the parse, so a shell
 * wrapper's words do not hide later flags. Shell scripts (`sh -c "etcd --x=y"`) are not split.
 */
export function parseFlags(container: Container, containerPath: FieldPath): Flag[] {
  const items: { text: string; path: FieldPath }[] = [];
  const command = Array.isArray(container.command) ? container.command : [];
  command.forEach((text, i) => {
    if (i > 0 && typeof text === 'string') items.push({ text, path: [...containerPath, 'command', i] });
  });
  const args = Array.isArray(container.args) ? container.args : [];
  args.forEach((text, i) => {
    if (typeof text === 'string') items.push({ text, path: [...containerPath, 'args', i] });
  });

  const flags: Flag[] = [];
  for (let i = 0; i < items.length; i++) {
    const item = items[i]!;
    const text = item.text.trim();
    if (text === '--') break;
    const m = /^--?([^-=][^=]*)(?:=([\s\S]*))?$/.exec(text);
    if (!m) continue;
    const name = `--${m[1]}`;
    if (m[2] !== undefined) {
      flags.push({ name, value: m[2], path: item.path, flagPath: item.path });
      continue;
    }
    const next = items[i + 1];
    if (next && !next.text.trim().startsWith('-')) {
      flags.push({ name, value: next.text.trim(), path: next.path, flagPath: item.path });
      i++;
    } else {
      flags.push({ name, value: undefined, path: item.path, flagPath: item.path });
    }
  }
  return flags;
}

/** The effective occurrence of a flag: the last one, as with Go's `flag` package. */
export function findFlag(flags: readonly Flag[], name: string): Flag | undefined {
  for (let i = flags.length - 1; i >= 0; i--) if (flags[i]!.name === name) return flags[i];
  return undefined;
}

/** Path to report a missing flag at: the container's `args` (resolved to the nearest present field). */
export function missingFlagPath(containerPath: FieldPath): FieldPath {
  return [...containerPath, 'args'];
}
