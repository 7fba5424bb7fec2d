/*
 * Property-based tests (issue 6): whatever the input, the YAML loader, the renderer and the
 * lint of a target either succeed or throw a UserError (never another exception: that would be
 * an "internal error" and a stack trace), each within the time bound; and every kustomization
 * graph with a cycle is caught as a cycle.
 *
 * The default run is small (CI); FUZZ_RUNS=10000 runs each property 10,000 times, and
 * FUZZ_SEED=<seed> replays a failure fast-check reported:
 *
 *   FUZZ_RUNS=10000 npx vitest run test/fuzz
 */
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { builtinRules } from '../../rules/index.ts';
import { lintTarget } from '../../src/lint/lint-target.ts';
import { UserError } from '../../src/model/errors.ts';
import { renderKustomization } from '../../src/render/build.ts';
import { parseRenderedStream } from '../../src/render/kustomize-binary.ts';
import { loadYamlDocuments } from '../../src/yaml/load.ts';
import { graphs, graphTree, mutated, params, runs, seeds, treeFs, yamlish, yamlTexts } from './arbitraries.ts';

/** Per input: the bad-input table's bound. */
const TIME_LIMIT_MS = 2000;
/** Vitest's own limit per property grows with the number of runs. */
const timeout = (defaultRuns: number, msPerRun: number) => Math.max(60_000, runs(defaultRuns) * msPerRun);

const SEEDS = seeds();
const TEXTS = yamlTexts(SEEDS);

/** Runs `fn`; anything thrown but a UserError fails the property, and so does a slow input. */
function onlyUserErrors(fn: () => unknown): UserError | undefined {
  const started = performance.now();
  let caught: UserError | undefined;
  try {
    fn();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    // A UserError always says where (file:line), and never leaks a JavaScript error text.
    expect(e.location, e.message).toBeDefined();
    expect(e.location!.line).toBeGreaterThan(0);
    expect(e.message).not.toMatch(/undefined|\[object Object\]|Cannot read prop|is not a function|Maximum call stack/);
    caught = e;
  }
  const ms = performance.now() - started;
  if (ms > TIME_LIMIT_MS) throw new Error(`took ${ms.toFixed(0)} ms (limit ${TIME_LIMIT_MS} ms)`);
  return caught;
}

const MODES = [undefined, 'kustomize', 'yaml11'] as const;

describe('the YAML loader', () => {
  it(
    'random YAML-ish text: a value or a UserError',
    () => {
      fc.assert(
        fc.property(yamlish, fc.constantFrom(...MODES), (text, scalars) => {
          onlyUserErrors(() => loadYamlDocuments(text, { file: '/fuzz/x.yaml' }, scalars ? { scalars } : {}));
        }),
        params(500),
      );
    },
    timeout(500, 5),
  );

  it(
    'mutated fixture YAML: a value or a UserError',
    () => {
      const arb = fc.constantFrom(...TEXTS).chain((t) => mutated(t));
      fc.assert(
        fc.property(arb, fc.constantFrom(...MODES), (text, scalars) => {
          onlyUserErrors(() => loadYamlDocuments(text, { file: '/fuzz/x.yaml' }, scalars ? { scalars } : {}));
        }),
        params(500),
      );
    },
    timeout(500, 10),
  );

  it(
    'a rendered stream on stdin: resources or a UserError',
    () => {
      const arb = fc.oneof(
        yamlish,
        fc.constantFrom(...TEXTS).chain((t) => mutated(t)),
      );
      fc.assert(
        fc.property(arb, (text) => {
          onlyUserErrors(() => parseRenderedStream(text, '<stdin>'));
        }),
        params(300),
      );
    },
    timeout(300, 10),
  );
});

/** A seed tree with one of its files mutated, and the kustomization directory to build. */
const mutatedTree = fc
  .constantFrom(...SEEDS)
  .chain((seed) =>
    fc
      .tuple(fc.constant(seed), fc.constantFrom(...Object.keys(seed.tree).sort()), fc.constantFrom(...seed.roots))
      .chain(([s, file, root]) => mutated(s.tree[file]!).map((text) => ({ name: s.name, root, file, tree: { ...s.tree, [file]: text } }))),
  );

describe('the renderer', () => {
  it(
    'a fixture with a mutated file: resources or a UserError',
    () => {
      fc.assert(
        fc.property(mutatedTree, ({ root, tree }) => {
          const fs = treeFs(tree);
          onlyUserErrors(() => renderKustomization(path.join('/fuzz/repo', root), { fs }));
        }),
        params(300),
      );
    },
    timeout(300, 20),
  );

  it(
    'the lint of a fixture with a mutated file (renderer and rules): findings or a UserError',
    () => {
      fc.assert(
        fc.property(mutatedTree, ({ root, tree }) => {
          const fs = treeFs(tree);
          onlyUserErrors(() =>
            lintTarget(path.join('/fuzz/repo', root), { fs, rules: builtinRules, renderer: 'builtin', readStdin: () => '', argocd: false }),
          );
        }),
        params(300),
      );
    },
    timeout(300, 30),
  );
});

describe('kustomization graphs', () => {
  it(
    'every graph with a cycle fails as a cycle, naming the directory it returns to',
    () => {
      fc.assert(
        fc.property(graphs(true), (g) => {
          const fs = treeFs(graphTree(g));
          const e = onlyUserErrors(() => renderKustomization('/fuzz/repo/n0', { fs }));
          expect(e?.message).toMatch(/^kustomization cycle: /);
          // The cycle names a directory it returns to, and the entry that closes it.
          expect(e?.message).toMatch(/\/fuzz\/repo\/n\d+ -> .*\/fuzz\/repo\/n\d+$/);
          expect(e?.location?.file).toMatch(/^\/fuzz\/repo\/n\d+\/kustomization\.yaml$/);
        }),
        params(300),
      );
    },
    timeout(300, 10),
  );

  it(
    'the same graphs without their back edges render every ConfigMap',
    () => {
      fc.assert(
        fc.property(graphs(false), (g) => {
          const fs = treeFs(graphTree(g));
          const r = renderKustomization('/fuzz/repo/n0', { fs });
          expect(r.resources.length).toBe(g.parent.length);
        }),
        params(100),
      );
    },
    timeout(100, 10),
  );
});
