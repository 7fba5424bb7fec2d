/**
 * Transformer operations that a kustomization field and its builtin plugin configuration both
 * run (`labels:` / `commonAnnotations:` and LabelTransformer / AnnotationsTransformer,
 * `replacements:` and ReplacementTransformer, `namespace:` and NamespaceTransformer), kept in
 * one place so that the two forms cannot drift apart.
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { isObject, type JsonObject } from '../../model/provenance.ts';
import { linkPlaces, syncLinks } from '../links.ts';
import { describeId, idOf, sameId, type ResMap, type Resource } from '../resource.ts';
import { mergeStringMap, type FieldSpec } from '../transformers/field-specs.ts';
import { applyReplacement, type Replacement } from '../transformers/replacements.ts';
import type { BuildContext, Locator } from './context.ts';

/** Labels or annotations (`pairs`) into every place `specs` reach, sharing value nodes as kustomize does (links.ts). */
export function applyStringMap(ctx: BuildContext, resmap: ResMap, pairs: Record<string, unknown>, specs: FieldSpec[], at: Locator): void {
  const entries = Object.keys(pairs).map((key) => ({ key, value: String(pairs[key] ?? ''), loc: at(key) }));
  // An empty map (`commonLabels: {}`) adds nothing, not even an empty labels map.
  if (entries.length === 0) return;
  for (const r of resmap.items) {
    const created = new Map<string, { map: JsonObject; key: string }[]>();
    mergeStringMap(r.object, specs, entries, at(), (map, key) => {
      const list = created.get(key) ?? [];
      // One place per map (a fieldSpec listed twice writes the same map twice).
      if (!list.some((p) => p.map === map)) list.push({ map, key });
      created.set(key, list);
    });
    syncLinks(r);
    // With buildMetadata origin or transformer annotations, kustomize rewrites every
    // object's metadata.annotations map as it builds, so values there share no node.
    const meta = isObject(r.object.metadata) ? r.object.metadata : undefined;
    const ownAnnotations = ctx.rebuildsAnnotations && meta && isObject(meta.annotations) ? meta.annotations : undefined;
    for (const e of entries)
      linkPlaces(
        r,
        (created.get(e.key) ?? []).filter((p) => p.map !== ownAnnotations),
        e.value,
      );
  }
}

/** A replacement writes values in place: shared value nodes follow (see links.ts). */
export function replaceAndSync(resmap: ResMap, rep: Replacement, at: Locator): void {
  applyReplacement(resmap.items, rep, at);
  for (const r of resmap.items) syncLinks(r);
}

/** Two objects may not end up with one id (kustomize: "namespace transformation produces ID conflict"). */
export function checkUniqueIds(
  resmap: ResMap,
  at: SourceLocation,
  by: string,
  kustomizeSays = 'transformation produces ID conflict',
): void {
  const seen: Resource[] = [];
  for (const r of resmap.items) {
    const id = idOf(r.object);
    const twin = seen.find((s) => sameId(idOf(s.object), id));
    if (twin)
      throw new UserError(
        `${by} gives two objects one id: ${describeId(id)} (from ${twin.location.file}:${twin.location.line} and ${r.location.file}:${r.location.line}; kustomize: "${kustomizeSays}")`,
        at,
      );
    seen.push(r);
  }
}
