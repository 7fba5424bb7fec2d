/**
 * `cilium-etcd-lint render <dir>`: prints the rendered stream as `kustomize build` prints it
 * (same objects, same order, the same bytes: sorted keys, kustomize's quoting, sequences not
 * indented under their key, documents joined by `---`). It is the renderer the linter uses.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { UserError } from '../model/errors.ts';
import { stripProvenance } from '../model/provenance.ts';
import { renderKustomization } from '../render/build.ts';
import { nodeFileSystem } from '../render/fs.ts';
import { renderWithKustomize } from '../render/kustomize-binary.ts';
import { displayPath } from '../report/summary.ts';
import { printKustomizeStream } from '../yaml/print.ts';
import { KUSTOMIZE_VERSION } from '../render/version.ts';
import type { Io } from './io.ts';

export const RENDER_HELP = `Usage: cilium-etcd-lint render [--renderer builtin|kustomize] <kustomization-dir>
       cilium-etcd-lint render --version

Prints the rendered stream of a kustomization as \`kustomize build\` prints it, using the same
built-in renderer as the linter (no kustomize binary, no network, no code from the repository).
With --renderer kustomize, prints what \`kubectl kustomize\` prints instead.

The built-in renderer follows Kustomize ${KUSTOMIZE_VERSION} (what \`kubectl kustomize\` of kubectl 1.32
embeds): features kustomize added later are refused, naming the version. --version prints it.

Exit codes: 0 rendered; 2 the directory could not be rendered (the message names file:line:col).
`;

export function renderCommand(io: Io): number {
  try {
    const { values, positionals } = parseArgs({
      args: io.argv,
      allowPositionals: true,
      options: {
        renderer: { type: 'string', default: 'builtin' },
        debug: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
    if (values.help) {
      io.stdout(RENDER_HELP);
      return 0;
    }
    if (values.version) {
      io.stdout(`built-in renderer: follows Kustomize ${KUSTOMIZE_VERSION}\n`);
      return 0;
    }
    if (positionals.length !== 1) throw new UserError('render takes exactly one kustomization directory; see render --help');
    const dir = positionals[0]!;
    if (values.renderer === 'kustomize') {
      io.stdout(renderWithKustomize(path.resolve(io.cwd, dir)).stream);
      return 0;
    }
    if (values.renderer !== 'builtin') throw new UserError(`unknown --renderer "${values.renderer}" (expected builtin or kustomize)`);
    const result = renderKustomization(path.resolve(io.cwd, dir), { fs: nodeFileSystem });
    io.stdout(printKustomizeStream(result.resources.map((r) => stripProvenance(r.object))));
    return 0;
  } catch (e) {
    if (e instanceof UserError) {
      const where = e.location ? `${displayPath(e.location.file, io.cwd)}:${e.location.line}:${e.location.column}: ` : '';
      io.stderr(`cilium-etcd-lint: ${where}${e.message}\n`);
      return 2;
    }
    const code = (e as { code?: string })?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      io.stderr(`cilium-etcd-lint: ${(e as Error).message}\nSee render --help.\n`);
      return 2;
    }
    const err = e as Error;
    io.stderr(`cilium-etcd-lint: internal error: ${err?.message ?? String(e)}\n`);
    io.stderr(io.argv.includes('--debug') ? `${err?.stack ?? ''}\n` : 'Run again with --debug for a stack trace, and please report it.\n');
    return 2;
  }
}
