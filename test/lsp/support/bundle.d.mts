/** Builds the bundle of `entry` (default src/lsp/bin.ts, the language server) into a new directory under `parent` (default: the temporary directory); returns the path of its cli.cjs. */
export function bundleCli(parent?: string, entry?: string): Promise<string>;
