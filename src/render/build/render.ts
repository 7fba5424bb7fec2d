/**
 * One render: the top kustomization built (builder.ts), then the steps kustomize runs once, on
 * the whole build, after the recursion (kusttarget.go's makeCustomizedResMap): hash suffixes,
 * name references, vars, buildMetadata, local-config objects dropped, then the output finished
 * and sorted.
 */
import path from 'node:path';
import { UserError } from '../../model/errors.ts';
import { isObject } from '../../model/provenance.ts';
import type { FileSystem } from '../fs.ts';
import { addHashSuffixes } from '../generators.ts';
import { loadKustomization, type LoadedKustomization } from '../kustomization.ts';
import { findRoot, restrictFileSystem } from '../load-restrictor.ts';
import { legacySort } from '../order.ts';
import type { Resource } from '../resource.ts';
import { fixNameReferences } from '../transformers/name-reference.ts';
import { checkUndecodable } from '../transformers/replacements.ts';
import { defaultVarReferenceSpecs, resolveVars } from '../transformers/vars.ts';
import { applyBuildMetadata } from './build-metadata.ts';
import { Builder } from './builder.ts';
import type { RenderWarning } from './context.ts';
import { finishAnnotations, finishStrings } from './finish-output.ts';
import { checkUniqueIds } from './shared-transforms.ts';

export type { RenderWarning } from './context.ts';

export interface RenderResult {
  resources: Resource[];
  /** Every kustomization directory the build read, overlay first. */
  kustomizationDirs: string[];
  /** Every file the build read. */
  files: string[];
  /** Things kustomize accepts silently but a reviewer should hear about (e.g. a patch target that selects nothing). */
  warnings: RenderWarning[];
}

export interface RenderOptions {
  fs: FileSystem;
  /** Nothing outside this directory is read (default: the repository root, the nearest directory holding .git); see load-restrictor.ts. */
  root?: string;
  /** Edits the top kustomization after it is loaded, before it is built (ArgoCD's `spec.source.kustomize`). */
  editTop?: (k: LoadedKustomization) => LoadedKustomization;
  /**
   * A partial build, for a caller that needs only some of the objects: a `resources:` file for
   * which this returns true (given its absolute path) is not read and contributes no objects.
   * A strategic-merge patch by id that then finds no resource is skipped instead of failing (its
   * resource may be in a file left out); anything else that needs a left-out object still fails.
   */
  skipResourceFile?: (file: string) => boolean;
  /**
   * What to do with a generator plugin that would run a program (an exec, Go or container
   * plugin: a `generators:` configuration whose apiVersion is not `builtin`). `refuse` (the
   * default): the build fails on it. `skip`: the build goes on without that generator's output
   * and adds a RenderWarning on the `generators:` entry naming the plugin. A builtin generator
   * still runs; transformer and validator plugins (and helmCharts) are refused either way.
   */
  plugins?: 'refuse' | 'skip';
}

/** Renders the kustomization in `dir` in-process, keeping provenance on every field. */
export function renderKustomization(dir: string, opts: RenderOptions): RenderResult {
  const abs = path.resolve(dir);
  if (opts.fs.kind(abs) !== 'dir') throw new UserError(`${dir} is not a directory`);
  const fs = restrictFileSystem(opts.fs, opts.root ?? findRoot(opts.fs, abs));
  const b = new Builder(fs, opts.editTop, opts.skipResourceFile, opts.plugins);
  try {
    const meta = loadKustomization(fs, abs).k.buildMetadata ?? [];
    b.rebuildsAnnotations = meta.includes('originAnnotations') || meta.includes('transformerAnnotations');
    b.keepsBuildAnnotations = meta.length > 0;
    b.recordsTransformations = meta.includes('transformerAnnotations');
  } catch {
    /* the build reports it */
  }
  const resmap = b.build(abs, undefined);
  const top = loadKustomization(fs, abs);
  addHashSuffixes(resmap.items);
  fixNameReferences(resmap.items, b.config(resmap).nameReference);
  resolveVars(resmap.items, b.vars, [...defaultVarReferenceSpecs, ...b.config(resmap).varReference]);
  applyBuildMetadata(top, resmap.items);
  // Objects annotated config.kubernetes.io/local-config: "true" serve the build only (dropped last, as kustomize does).
  for (const r of [...resmap.items]) {
    const ann = isObject(r.object.metadata) ? r.object.metadata.annotations : undefined;
    if (isObject(ann) && ann['config.kubernetes.io/local-config'] === 'true') resmap.items.splice(resmap.items.indexOf(r), 1);
  }
  // kustomize rebuilds its resource map from the remaining objects last: two with one id (a
  // replacement into metadata.name can make them) fail it (a panic in v5.5.0).
  checkUniqueIds(resmap, top.at(), 'the build');
  for (const r of resmap.items) {
    checkUndecodable(r, 'output');
    finishAnnotations(r.object);
    finishStrings(r.object, r.location);
  }
  const sort = top.k.sortOptions;
  if (sort && sort.order === undefined) throw new UserError('sortOptions.order must be one of fifo, legacy', top.at('sortOptions'));
  if (sort?.order === 'fifo' && sort.legacySortOptions) {
    throw new UserError(
      "sortOptions.legacySortOptions is set but the order is 'fifo', not 'legacy'",
      top.at('sortOptions', 'legacySortOptions'),
    );
  }
  const resources =
    sort?.order === 'fifo'
      ? resmap.items
      : sort?.legacySortOptions
        ? legacySort(resmap.items, sort.legacySortOptions.orderFirst ?? [], sort.legacySortOptions.orderLast ?? [])
        : legacySort(resmap.items);
  return { resources, kustomizationDirs: b.dirs, files: [...b.files], warnings: b.warnings };
}
