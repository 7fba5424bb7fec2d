/**
 * buildMetadata of the top kustomization: the records the transformers leave on the objects as
 * the build goes (`transformerAnnotations`), and the annotations and labels written from them at
 * the end of the build.
 */
import path from 'node:path';
import { isObject, setField, type JsonObject } from '../../model/provenance.ts';
import type { LoadedKustomization } from '../kustomization.ts';
import type { Resource } from '../resource.ts';
import { printKustomizeDocument } from '../../yaml/print.ts';
import type { BuildContext } from './context.ts';
import { forgetUndecodable } from '../transformers/replacements.ts';
import { stringifyValues } from '../untagged.ts';

/**
 * buildMetadata transformerAnnotations: a builtin transformer records itself on the objects it
 * ran over (for kustomize, every object of the build so far, changed or not). Called once the
 * transformer has run.
 *
 * Kustomize writes the record into each object's annotations there and then (resmap
 * AddTransformerAnnotation, through GetAnnotations/SetAnnotations), which makes every
 * annotation value a string of its text: an untagged "0644" a replacement created stays "0644"
 * through a later JSON6902 patch instead of becoming 420 (measured, fixtures
 * kustomize-regressions/transformer-annotations-*). Only with transformerAnnotations: origin
 * annotations alone leave the values as they are (measured).
 */
export function recordTransformation(
  ctx: Pick<BuildContext, 'recordsTransformations'>,
  resources: readonly Resource[],
  t: NonNullable<Resource['transformations']>[number],
): void {
  for (const r of resources) {
    (r.transformations ??= []).push(t);
    if (!ctx.recordsTransformations) continue;
    const meta = r.object.metadata;
    if (isObject(meta) && isObject(meta.annotations)) {
      stringifyValues(meta.annotations);
      forgetUndecodable(r, meta.annotations);
    }
  }
}

/** A string as kustomize's YAML encoder writes it in these annotations (quoted where YAML would read it otherwise: "yes", "1"). */
const str = (s: string): string => printKustomizeDocument({ v: s }).slice('v: '.length, -1);

/** A generator plugin configuration's namespace (the origin recorded for what it made). */
const namespaceOf = (o: object): string | undefined => ('namespace' in o && typeof o.namespace === 'string' ? o.namespace : undefined);

/**
 * `originAnnotations` records where each object came from (its file, or the generator that made
 * it, paths relative to the build root); `transformerAnnotations` the builtin transformers that
 * ran over it; `managedByLabel` labels every object as kubectl's kustomize does.
 */
export function applyBuildMetadata(top: LoadedKustomization, resources: readonly Resource[]): void {
  const options = top.k.buildMetadata ?? [];
  const at = top.at('buildMetadata');
  const rel = (file: string) => path.relative(top.dir, file).split(path.sep).join('/');
  for (const r of resources) {
    const meta = isObject(r.object.metadata) ? r.object.metadata : undefined;
    if (!meta) continue;
    if (options.includes('originAnnotations') && r.origin) {
      const o = r.origin;
      const text =
        'path' in o
          ? `path: ${str(rel(o.path))}\n`
          : `configuredIn: ${str(rel(o.configuredIn))}\nconfiguredBy:\n  apiVersion: builtin\n  kind: ${str(o.kind)}\n` +
            (o.name ? `  name: ${str(o.name)}\n` : '') +
            (namespaceOf(o) ? `  namespace: ${str(namespaceOf(o)!)}\n` : '');
      if (!isObject(meta.annotations)) setField(meta, 'annotations', {}, at);
      setField(meta.annotations as JsonObject, 'config.kubernetes.io/origin', text, r.location);
    }
    if (options.includes('transformerAnnotations') && r.transformations?.length) {
      const text = r.transformations
        .map(
          (t) =>
            `- configuredIn: ${str(rel(t.configuredIn))}\n  configuredBy:\n    apiVersion: builtin\n    kind: ${str(t.kind)}\n` +
            (t.name ? `    name: ${str(t.name)}\n` : '') +
            (t.namespace ? `    namespace: ${str(t.namespace)}\n` : ''),
        )
        .join('');
      if (!isObject(meta.annotations)) setField(meta, 'annotations', {}, at);
      setField(meta.annotations as JsonObject, 'alpha.config.kubernetes.io/transformations', text, at);
    }
    if (options.includes('managedByLabel')) {
      if (!isObject(meta.labels)) setField(meta, 'labels', {}, at);
      setField(meta.labels as JsonObject, 'app.kubernetes.io/managed-by', 'kustomize-(devel)', at);
    }
  }
}
