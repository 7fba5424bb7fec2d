import { writeAll } from '../cli/stdio.ts';
import { startLanguageServer } from './server.ts';

/**
 * The language server alone, as `cilium-etcd-lint lsp --stdio` runs it (src/cli/main.ts run()),
 * for a bundle of its own: the LSP tests and scripts/bench-lsp.mjs build this entry, so they do
 * not depend on the rest of the CLI. Takes `lsp --stdio` or `--stdio`.
 */
const argv = process.argv.slice(2);
const code = startLanguageServer(argv[0] === 'lsp' ? argv.slice(1) : argv, (s) => writeAll(2, s));
if (code !== undefined) process.exitCode = code;
