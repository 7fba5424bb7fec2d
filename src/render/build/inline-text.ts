/**
 * Text written inline in a kustomization (an inline patch, an inline plugin configuration, a
 * patchesStrategicMerge entry): whether an entry is such text, and where its lines really are.
 * Its own module because src/render/dependencies.ts needs `isInlineResource` without the rest of
 * the renderer.
 */
import type { SourceLocation } from '../../model/location.ts';
import { isObject } from '../../model/provenance.ts';
import { loadYamlDocuments, type TextOrigin } from '../../yaml/load.ts';

/** Whether a patchesStrategicMerge / generators / transformers entry is YAML objects written inline (kustomize tries that before a path). */
export function isInlineResource(text: string): boolean {
  try {
    const docs = loadYamlDocuments(text, { file: '<inline>' });
    return docs.length > 0 && docs.every((d) => isObject(d.value));
  } catch {
    return false;
  }
}

/**
 * Maps positions inside an inline patch back to the kustomization file. A literal block scalar
 * (`patch: |`) keeps its lines one-to-one, shifted by the indentation; anything else collapses
 * to the `patch:` entry itself.
 */
export function embeddedOrigin(fileText: string, file: string, pairLoc: SourceLocation): TextOrigin {
  const lines = fileText.split(/\r?\n/);
  const header = lines[pairLoc.line - 1] ?? '';
  if (!/(:|-)\s*\|[-+0-9]*\s*(#.*)?$/.test(header)) return { file, collapseTo: pairLoc };
  for (let l = pairLoc.line; l < lines.length && l < pairLoc.endLine; l++) {
    const text = lines[l] ?? '';
    if (!text.trim()) continue;
    const indent = text.length - text.trimStart().length;
    return { file, lineOffset: pairLoc.line, columnOffset: indent };
  }
  return { file, collapseTo: pairLoc };
}
