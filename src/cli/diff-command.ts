import { parseArgs } from 'node:util';
import { builtinRules } from '../../rules/index.ts';
import { loadConfig } from '../engine/config.ts';
import { formatDiffMarkdown, formatDiffText, renderedDiff } from '../lint/rendered-diff.ts';
import { UserError } from '../model/errors.ts';
import { reportError } from './errors.ts';
import type { Io } from './io.ts';

const USAGE = `Usage: cilium-etcd-lint diff --base <git-ref> [--format text|markdown] [--no-argocd] [-c <config>] [dir...]

Prints what a change does to what gets deployed: for each kustomization root under the dirs
(default .) that the changes since the merge-base of <git-ref> affect (as --since selects them),
and for each ArgoCD Application's effective render of it, a unified diff of the rendered stream at
the merge-base (read from git objects, nothing checked out) against the working tree, one section
per object (kind/namespace/name), objects added, removed or changed, in a stable order. Secret
data values are never printed (<redacted>, or <redacted: changed>).

  --format markdown   collapsible blocks for a GitHub job summary, kept under 1 MiB
  --max-bytes <n>     with --format markdown: the size limit (default 1024000)
`;

/** `cilium-etcd-lint diff --base <ref> [dir...]`. Exit 0 (also when something changed), 2 on a usage or git problem. */
export function diffCommand(io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: {
        base: { type: 'string' },
        format: { type: 'string', short: 'f', default: 'text' },
        'max-bytes': { type: 'string' },
        'no-argocd': { type: 'boolean', default: false },
        config: { type: 'string', short: 'c' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
    if (values.help) {
      io.stdout(USAGE);
      return 0;
    }
    if (values.base === undefined) throw new UserError('diff needs --base <git-ref>: the revision to compare the working tree with');
    if (values.format !== 'text' && values.format !== 'markdown')
      throw new UserError(`unknown diff --format "${values.format}" (expected text or markdown)`);
    const config = loadConfig({ cwd: io.cwd, ...(values.config !== undefined ? { explicit: values.config } : {}), builtinRules });
    const { diffs } = renderedDiff({ cwd: io.cwd, base: values.base, config, dirs: positionals, argocd: !values['no-argocd'] });
    if (values.format === 'markdown') {
      const max = values['max-bytes'] !== undefined ? Number(values['max-bytes']) : undefined;
      if (max !== undefined && !(max > 0)) throw new UserError('--max-bytes must be a positive number');
      io.stdout(formatDiffMarkdown(diffs, io.cwd, values.base, max));
    } else io.stdout(formatDiffText(diffs, io.cwd, values.base));
    return 0;
  } catch (e) {
    return reportError(e, io, { help: 'diff --help', debug: io.argv.includes('--debug') });
  }
}
