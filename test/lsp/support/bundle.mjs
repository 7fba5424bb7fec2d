// Bundles the language server (src/lsp/bin.ts: `lsp --stdio` as the CLI runs it; or another entry,
// such as src/cli/index.ts) into a temporary directory, as scripts/build.mjs bundles dist/cli.cjs (CommonJS, the rule definitions and pages
// inlined), so that the LSP tests and scripts/bench-lsp.mjs run the current sources over stdio
// without depending on the committed dist/. The Kubernetes schemas are read from `schemas/` beside
// the bundle's directory: a symbolic link to the repository's.
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseYaml } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Builds the bundle; returns the path of `cli.cjs` (run it as `node cli.cjs lsp --stdio`). */
export async function bundleCli(parent = tmpdir(), entry = 'src/lsp/bin.ts') {
  const out = mkdtempSync(path.join(parent, 'cel-lsp-bundle-'));
  const rulesDir = path.join(root, 'rules');
  const ruleDocs = Object.fromEntries(
    readdirSync(rulesDir)
      .filter((f) => f.endsWith('.md'))
      .sort()
      .map((f) => [f.slice(0, -3), readFileSync(path.join(rulesDir, f), 'utf8')]),
  );
  const ruleDefs = Object.fromEntries(
    readdirSync(rulesDir)
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => [f.slice(0, -5), parseYaml(readFileSync(path.join(rulesDir, f), 'utf8'))]),
  );
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  mkdirSync(path.join(out, 'dist'));
  symlinkSync(path.join(root, 'schemas'), path.join(out, 'schemas'));
  const file = path.join(out, 'dist', 'cli.cjs');
  await build({
    absWorkingDir: root,
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    outfile: file,
    logLevel: 'error',
    define: {
      __VERSION__: JSON.stringify(pkg.version),
      __RULE_DOCS__: JSON.stringify(ruleDocs),
      __RULE_DEFS__: JSON.stringify(ruleDefs),
      'import.meta.url': '__import_meta_url',
    },
    banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
  });
  return file;
}
