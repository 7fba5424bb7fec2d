// Bundles the CLI into dist/cli.cjs, the GitHub Action into dist/index.js and the RuleTester into
// dist/testing.js (all committed, so a
// fresh clone, and a workflow that says `uses:`, run without a build step). Each bundle carries
// its dependencies (the action's include @actions/core) and the rule pages rules/<id>.md, which
// the SARIF report embeds as help.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
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

/** A TypeScript module of src/, bundled and imported here (its values feed the precompiled code). */
async function importSource(entry, define = {}) {
  // CommonJS dependencies (yaml, ajv) require Node built-ins: a data: module needs a require() of its own.
  const banner = {
    js: `import { createRequire as __cr } from 'node:module'; const require = __cr(${JSON.stringify(new URL(import.meta.url).pathname)});`,
  };
  const out = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'node',
    logLevel: 'warning',
    define,
    banner,
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

/** An esbuild plugin that gives the bundles `contents` in place of the module at `file` (under src/). */
function replaceModule(file, contents) {
  const filter = new RegExp(
    `[\\\\/]${file
      .split('/')
      .map((p) => p.replace(/\./g, '\\.'))
      .join('[\\\\/]')}$`,
  );
  return { name: `precompiled:${file}`, setup: (b) => b.onLoad({ filter }, () => ({ contents, loader: 'js' })) };
}

// The kustomization-file validator, precompiled (ajv standalone code): the bundles replace
// src/render/kustomization-validator.ts, which compiles it at run time, with it.
const validatorSource = await (async () => {
  const { KUSTOMIZATION_AJV_OPTIONS, kustomizationSchema } = await importSource('src/render/kustomization-schema.ts');
  const ajv = new Ajv({ ...KUSTOMIZATION_AJV_OPTIONS, code: { source: true, esm: true } });
  const code = standaloneCode(ajv, ajv.compile(kustomizationSchema));
  return `${code}\nexport function kustomizationValidator() { return validate; }\n`;
})();

// The schema of each built-in declarative rule with its default options, precompiled the same
// way: the bundles replace src/engine/precompiled-rules.ts (no validators) with them.
const ruleValidatorsSource = await (async () => {
  const { DECLARATIVE_AJV_OPTIONS, defaultOptionsOf, schemaWithOptions } = await importSource('src/engine/declarative.ts');
  const ajv = new Ajv({ ...DECLARATIVE_AJV_OPTIONS, code: { source: true, esm: true } });
  const refs = {};
  for (const [id, def] of Object.entries(ruleDefs)) {
    ajv.addSchema(schemaWithOptions(def, defaultOptionsOf(def)), `rule:${id}`);
    refs[id.replace(/\W/g, '_')] = `rule:${id}`;
  }
  const code = standaloneCode(ajv, refs);
  const table = Object.keys(ruleDefs)
    .map((id) => `  ${JSON.stringify(id)}: ${id.replace(/\W/g, '_')},`)
    .join('\n');
  return `${code}\nconst byId = {\n${table}\n};\nexport function precompiledRuleValidator(id) { return Object.hasOwn(byId, id) ? byId[id] : undefined; }\n`;
})();

// The configuration schema and every built-in rule's options schema, precompiled the same way:
// the bundles replace src/config/precompiled-validators.ts (no validators) with them. An options
// validator is handed out only for the schema it was built from.
const configValidatorsSource = await (async () => {
  const { CONFIG_AJV_OPTIONS } = await importSource('src/config/precompiled-validators.ts');
  const { builtinRules } = await importSource('rules/index.ts', { __RULE_DEFS__: JSON.stringify(ruleDefs) });
  const configSchema = JSON.parse(readFileSync(new URL('../schemas/config.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ ...CONFIG_AJV_OPTIONS, code: { source: true, esm: true } });
  ajv.addSchema(configSchema, 'config');
  const refs = { configValidator: 'config' };
  const built = {};
  for (const [id, rule] of Object.entries(builtinRules).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (!rule.meta.schema) continue;
    const name = `options_${id.replace(/\W/g, '_')}`;
    ajv.addSchema(rule.meta.schema, `options:${id}`);
    refs[name] = `options:${id}`;
    built[id] = { name, schema: JSON.stringify(rule.meta.schema) };
  }
  const code = standaloneCode(ajv, refs);
  const table = Object.entries(built)
    .map(([id, b]) => `  ${JSON.stringify(id)}: [${b.name}, ${JSON.stringify(b.schema)}],`)
    .join('\n');
  return `${code}
export const CONFIG_AJV_OPTIONS = ${JSON.stringify(CONFIG_AJV_OPTIONS)};
const byId = {\n${table}\n};
export function precompiledConfigValidator() { return configValidator; }
export function precompiledOptionsValidator(id, schema) {
  const b = Object.hasOwn(byId, id) ? byId[id] : undefined;
  return b && JSON.stringify(schema) === b[1] ? b[0] : undefined;
}
`;
})();

// schemas/kubernetes/*.json are not bundled: they are read lazily from ../schemas (beside dist/),
// only for the kinds a run meets.
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: false,
  legalComments: 'none',
  plugins: [
    replaceModule('src/render/kustomization-validator.ts', validatorSource),
    replaceModule('src/engine/precompiled-rules.ts', ruleValidatorsSource),
    replaceModule('src/config/precompiled-validators.ts', configValidatorsSource),
  ],
  logLevel: 'warning',
};
const defines = {
  __VERSION__: JSON.stringify(pkg.version),
  __RULE_DOCS__: JSON.stringify(ruleDocs),
  __RULE_DEFS__: JSON.stringify(ruleDefs),
};

// The CLI is CommonJS so that bin/cilium-etcd-lint.js can run it through a V8 code cache
// (vm.Script cachedData; ESM has no such API in Node 20). Its first line is the content hash the
// cache is keyed on.
const cli = await build({
  ...common,
  entryPoints: ['src/cli/index.ts'],
  write: false,
  format: 'cjs',
  define: { ...defines, 'import.meta.url': '__import_meta_url' },
  banner: { js: "var __import_meta_url = require('node:url').pathToFileURL(__filename).href;" },
});
const cliText = cli.outputFiles[0].text;
mkdirSync('dist', { recursive: true });
writeFileSync('dist/cli.cjs', `// sha256:${createHash('sha256').update(cliText).digest('hex')}\n${cliText}`);

// The action stays an ES module: the runner starts it once per job.
await build({
  ...common,
  entryPoints: { index: 'src/action/index.ts' },
  outdir: 'dist',
  format: 'esm',
  define: defines,
  // CommonJS dependencies (ajv) need require() inside an ESM bundle.
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});

// The RuleTester for custom-rule authors (`cilium-etcd-lint/testing`, package.json exports): an
// ES module; its dependencies (ajv, yaml) bundled, so a rule's tests need nothing but this package.
await build({
  ...common,
  entryPoints: { testing: 'src/testing/rule-tester.ts' },
  outdir: 'dist',
  format: 'esm',
  define: defines,
  banner: { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" },
});
