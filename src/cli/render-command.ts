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
import { printKustomizeStream } from '../yaml/print.ts';
import { KUSTOMIZE_VERSION } from '../render/version.ts';
import { reportError } from './errors.ts';
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
    return reportError(e, io, { help: 'render --help', debug: io.argv.includes('--debug') });
  }
}
