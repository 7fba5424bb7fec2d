// Regenerates schemas/kubernetes/*.json: strict JSON Schemas for every Kubernetes kind, and for the
// ArgoCD Application and AppProject, derived mechanically from maintained npm packages that are
// themselves generated from the upstream definitions (no schema here is written by hand):
//
// - `kubernetes-types` (a dependency): TypeScript declarations generated from the Kubernetes
//   OpenAPI specification (swagger.json) of the release its version names;
// - `@kubernetes-models/argo-cd` (a dev dependency): declarations generated from the ArgoCD CRDs'
//   openAPIV3Schema.
//
// `ts-json-schema-generator` turns each declaration file into JSON Schema (draft-07) with
// `additionalProperties: false` on every object without an index signature, which is what makes
// an unknown field (`readOnlyRootFileSystem`) an error. A few aliases that TypeScript cannot
// express as the API server accepts them are widened below (Quantity is a string or a number).
//
//   node scripts/generate-schemas.mjs          # rewrite schemas/kubernetes/
//   node scripts/generate-schemas.mjs --check  # exit 1 when the committed files differ
//
// Output: one file per API group and version (`apps.v1.json`, `core.v1.json`, ...) holding the
// definitions of all its kinds, and `index.json` mapping `apiVersion/kind` to a file and a
// definition, so the linter loads and compiles only the files of the kinds it meets.
import { readFileSync, readdirSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGenerator } from 'ts-json-schema-generator';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = path.join(ROOT, 'schemas', 'kubernetes');
const check = process.argv.includes('--check');

const pkgVersion = (name) => JSON.parse(readFileSync(path.join(ROOT, 'node_modules', name, 'package.json'), 'utf8')).version;

/** Sources: [file name, apiVersion, declaration file, type pattern, package]. */
function sources() {
  const out = [];
  const typesDir = path.join(ROOT, 'node_modules', 'kubernetes-types');
  for (const group of readdirSync(typesDir).sort()) {
    const dir = path.join(typesDir, group);
    if (group === 'meta' || group === 'api' || !existsSync(dir) || !statIsDir(dir)) continue;
    for (const f of readdirSync(dir).sort()) {
      if (!f.endsWith('.d.ts')) continue;
      const version = f.slice(0, -'.d.ts'.length);
      const apiGroup = group === 'core' ? '' : groupName(group, path.join(dir, f), version);
      if (apiGroup === undefined) continue;
      const apiVersion = apiGroup ? `${apiGroup}/${version}` : version;
      out.push({ file: `${apiGroup || 'core'}.${version}.json`, apiVersion, decl: path.join(dir, f), type: '*', pkg: 'kubernetes-types' });
    }
  }
  const argo = path.join(ROOT, 'node_modules', '@kubernetes-models', 'argo-cd', 'argoproj.io', 'v1alpha1');
  out.push({
    file: 'argoproj.io.v1alpha1.json',
    apiVersion: 'argoproj.io/v1alpha1',
    decl: [path.join(argo, 'Application.d.ts'), path.join(argo, 'AppProject.d.ts')],
    type: ['IApplication', 'IAppProject'],
    pkg: '@kubernetes-models/argo-cd',
  });
  return out;
}

function statIsDir(p) {
  try {
    return readdirSync(p) && true;
  } catch {
    return false;
  }
}

/** The API group a kubernetes-types file declares (its `apiVersion` literals say it). */
function groupName(group, file, version) {
  const m = readFileSync(file, 'utf8').match(/apiVersion\?: ["']([^"']+)["']/);
  if (!m) return undefined;
  const v = m[1];
  return v.endsWith(`/${version}`) ? v.slice(0, -(version.length + 1)) : undefined;
}

/**
 * Widen what TypeScript narrows: a Quantity may be written as a YAML number (`cpu: 1`), and an
 * object type without declared fields (RawExtension, FieldsV1, a CRD's
 * x-kubernetes-preserve-unknown-fields) is free-form, not "no field allowed".
 */
function widen(defs) {
  for (const name of Object.keys(defs)) {
    if (name === 'Quantity' || name.endsWith('Quantity')) defs[name] = { type: ['string', 'number'] };
    // kubernetes-types declares these narrower than the API accepts: `JSON` (any JSON value) as an
    // empty interface, JSONSchemaProps without its `x-kubernetes-*` extensions (names TypeScript
    // identifiers cannot carry), and the admission rules without `resources`/`scope` (inherited
    // from an embedded Rule the declarations drop). Left open rather than rewritten by hand.
    if (name === 'JSON') defs[name] = {};
    if (name === 'JSONSchemaProps' || name === 'RuleWithOperations' || name === 'NamedRuleWithOperations') {
      delete defs[name].additionalProperties;
    }
  }
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (node.type === 'object' && !node.properties && node.additionalProperties === false) delete node.additionalProperties;
    for (const v of Object.values(node)) walk(v);
  };
  walk(defs);
  return defs;
}

function generate(src) {
  const paths = Array.isArray(src.decl) ? src.decl : [src.decl];
  const definitions = {};
  const kinds = {};
  const types = Array.isArray(src.type) ? src.type : paths.map(() => src.type);
  paths.forEach((p, i) => {
    const type = types[i];
    const gen = createGenerator({
      path: p,
      type,
      tsconfig: path.join(ROOT, 'scripts', 'schemas.tsconfig.json'),
      skipTypeCheck: true,
      additionalProperties: false,
      expose: 'export',
      topRef: true,
      jsDoc: 'none',
      sortProps: true,
    });
    const schema = gen.createSchema(type);
    Object.assign(definitions, schema.definitions);
  });
  for (const [name, def] of Object.entries(definitions)) {
    const kind = def?.properties?.kind?.const;
    const apiVersion = def?.properties?.apiVersion?.const;
    if (typeof kind === 'string' && apiVersion === src.apiVersion && def.properties.metadata && !kind.endsWith('List')) kinds[kind] = name;
  }
  return { definitions: widen(definitions), kinds };
}

const index = { $comment: 'Generated by scripts/generate-schemas.mjs; do not edit.', sources: {}, kinds: {} };
const files = new Map();
for (const src of sources()) {
  const { definitions, kinds } = generate(src);
  if (Object.keys(kinds).length === 0) continue;
  const sortedDefs = Object.fromEntries(
    Object.keys(definitions)
      .sort()
      .map((k) => [k, definitions[k]]),
  );
  const doc = {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: `https://cilium-etcd-lint.invalid/schemas/kubernetes/${src.file}`,
    $comment: `Generated by scripts/generate-schemas.mjs from ${src.pkg}@${pkgVersion(src.pkg)}; do not edit.`,
    definitions: sortedDefs,
  };
  files.set(src.file, `${JSON.stringify(doc)}\n`);
  index.sources[src.file] = `${src.pkg}@${pkgVersion(src.pkg)}`;
  for (const kind of Object.keys(kinds).sort()) index.kinds[`${src.apiVersion}/${kind}`] = { file: src.file, definition: kinds[kind] };
  process.stderr.write(`${src.file}: ${Object.keys(kinds).length} kinds\n`);
}
index.kinds = Object.fromEntries(
  Object.keys(index.kinds)
    .sort()
    .map((k) => [k, index.kinds[k]]),
);
files.set('index.json', `${JSON.stringify(index, null, 2)}\n`);

let stale = 0;
if (!check) mkdirSync(OUT, { recursive: true });
for (const [name, text] of files) {
  const target = path.join(OUT, name);
  if (check) {
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      process.stderr.write(`stale: schemas/kubernetes/${name}\n`);
      stale++;
    }
  } else writeFileSync(target, text);
}
if (check && stale) process.exit(1);
