/**
 * Transformer operations that a kustomization field and its builtin plugin configuration both
 * run (`labels:` / `commonAnnotations:` and LabelTransformer / AnnotationsTransformer,
 * `replacements:` and ReplacementTransformer, `namespace:` and NamespaceTransformer, the count
 * of `replicas:` and ReplicaCountTransformer), kept in
 * one place so that the two forms cannot drift apart.
 */
import { UserError } from '../../model/errors.ts';
import type { SourceLocation } from '../../model/location.ts';
import { isObject, setField, type Json, type JsonObject } from '../../model/provenance.ts';
import { linkPlaces, syncLinks } from '../links.ts';
import { describeId, idOf, sameId, type ResMap, type Resource } from '../resource.ts';
import { mergeStringMap, type FieldSpec } from '../transformers/field-specs.ts';
import { applyReplacement, type Replacement } from '../transformers/replacements.ts';
import { isPlainString, untaggedText, untaggedValue } from '../untagged.ts';
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

/**
 * A replica count written where a fieldSpec reaches (`replicas:` and ReplicaCountTransformer):
 * kustomize's SetScalar, which fails on a map or a list ("wrong node kind") and keeps the style
 * of the scalar it overwrites: a quoted string stays a string ("5"), anything plain (a number, a
 * null, a plain string, an untagged node) becomes the number, as does a field it creates.
 * The renderer keeps no styles: a string that does not read as itself unquoted must have been
 * quoted (as for setScalarText in untagged.ts), while one that does (`abc`) may have been either,
 * and is refused rather than guessed.
 */
export function writeReplicaCount(
  parent: JsonObject,
  key: string,
  count: number,
  loc: SourceLocation,
  where: { transformer: string; path: string; res: Resource; at: SourceLocation },
): void {
  const cur = parent[key];
  if (cur !== undefined && cur !== null && typeof cur === 'object')
    throw notScalar(where.transformer, where.path, where.res.object, cur, where.at);
  // A replacement that wrote text the field's type does not read as kept the node, and its style
  // (see replacements.ts): the style is that of the value it had.
  const earlier = where.res.undecodable?.find((u) => u.map === parent && u.key === key && u.map[u.key] === u.text);
  const v = earlier ? earlier.was : cur;
  if (typeof v === 'string' && (earlier || (untaggedText(parent, key) === undefined && !isPlainString(parent, key)))) {
    if (untaggedValue(v) === v)
      throw new UserError(
        `${where.transformer}: ${where.path} of ${describeId(idOf(where.res.object))} holds the string ${JSON.stringify(v)}, which kustomize overwrites keeping its quoting (quoted, the count stays a string; plain, it becomes a number); the built-in renderer does not keep how a string was quoted and declines to guess: write the value as a number or quote it, or use --renderer kustomize`,
        where.at,
      );
    // It reads as something else unquoted: it was quoted, and the count stays a string.
    setField(parent, key, String(count), loc);
    return;
  }
  setField(parent, key, count, loc);
}

/** A fieldSpec reaching a map or a list where a scalar belongs fails in kustomize ("wrong node kind"). */
export function notScalar(transformer: string, path: string, obj: JsonObject, v: Json, loc: SourceLocation): UserError {
  return new UserError(
    `${transformer}: ${path} of ${describeId(idOf(obj))} is a ${Array.isArray(v) ? 'list' : 'map'}, not a scalar (kustomize: "wrong node kind: expected ScalarNode")`,
    loc,
  );
}
