// Bundles the CLI into dist/cli.js and the GitHub Action into dist/index.js (both committed, so a
// fresh clone, and a workflow that says `uses:`, run without a build step). Each bundle carries
// its dependencies (the action's include @actions/core) and the rule pages rules/<id>.md, which
// the SARIF report embeds as help.
import { build } from 'esbuild';
import { readFileSync, readdirSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { Ajv } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

const rulesDir = new URL('../rules/', import.meta.url);
const ruleDocs = Object.fromEntries(
  readdirSync(rulesDir)
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => [f.slice(0, -'.md'.length), readFileSync(new URL(f, rulesDir), 'utf8')]),
);

// The declarative built-in rules (rules/<id>.yaml), inlined already parsed (no YAML parsing at
// start-up); run from source, they are read from rules/.
const ruleDefs = Object.fromEntries(
  readdirSync(rulesDir)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => [f.slice(0, -'.yaml'.length), parseYaml(readFileSync(new URL(f, rulesDir), 'utf8'))]),
);

// The kustomization-file validator, precompiled (ajv standalone code): the bundles replace
// src/render/kustomization-validator.ts, which compiles it at run time, with it.
const validatorSource = await (async () => {
  const schemaOut = await build({ entryPoints: ['src/render/kustomization-schema.ts'], bundle: true, write: false, format: 'esm', platform: 'node', logLevel: 'warning' });
  const { KUSTOMIZATION_AJV_OPTIONS, kustomizationSchema } = await import(`data:text/javascript;base64,${Buffer.from(schemaOut.outputFiles[0].text).toString('base64')}`);
  const ajv = new Ajv({ ...KUSTOMIZATION_AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(kustomizationSchema));
  return `${code}\nexport function kustomizationValidator() { return validate; }\n`;
})();
const precompiledValidator = {
  name: 'precompiled-kustomization-validator',
  setup(b) {
    b.onLoad({ filter: /[\\/]src[\\/]render[\\/]kustomization-validator\.ts$/ }, () => ({ contents: validatorSource, loader: 'js' }));
  },
};

// schemas/kubernetes/*.json are not bundled: they are read lazily from ../schemas (beside dist/),
// only for the kinds a run meets.
await build({
  entryPoints: { cli: 'src/cli/index.ts', index: 'src/action/index.ts' },
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  define: { __VERSION__: JSON.stringify(pkg.version), __RULE_DOCS__: JSON.stringify(ruleDocs), __RULE_DEFS__: JSON.stringify(ruleDefs) },
  // CommonJS dependencies (ajv) need require() inside an ESM bundle.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
  plugins: [precompiledValidator],
  logLevel: 'warning',
});
