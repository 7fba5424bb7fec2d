// The layers of the code (README "Development", ARCHITECTURE.md): a module imports only from its
// own layer or the layers below it, and no import cycle exists. `npm run lint` runs this
// (dependency-cruiser); test/architecture/layers.test.ts proves it fails on a violation.
const LAYERS = [
  ['surface', '^src/(cli|action|lsp)/'],
  ['report', '^src/report/'],
  ['lint', '^src/(lint|fix)/'],
  ['engine', '^(src/engine|rules)/'],
  ['argocd-config', '^src/(argocd|config)/'],
  ['render', '^src/render/'],
  ['yaml-schema', '^src/(yaml|schema)/'],
  ['model-util', '^src/(model|util)/'],
];

/** Layer i may not import layer j < i: one forbidden rule per layer, naming the layers above it. */
const upward = LAYERS.slice(1).map(([name, path], i) => ({
  name: `no-upward-import-from-${name}`,
  comment: `${name} may import only from itself and the layers below it`,
  severity: 'error',
  from: { path },
  to: { path: LAYERS.slice(0, i + 1).map(([, p]) => p) },
}));

module.exports = {
  forbidden: [
    {
      // A cycle of imports that exist at run time. A cycle that only a type-only import closes
      // (`import type`, erased by the compiler) has no load order to break and is allowed, as
      // typescript-eslint's import rules allow it; the layer rules below count type imports too.
      name: 'no-circular',
      comment: 'An import cycle (at run time) ties modules that should be layered',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    ...upward,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(node_modules|dist|test)/' },
  },
};
