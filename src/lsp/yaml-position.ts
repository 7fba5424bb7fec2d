import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, type Node as YamlNode } from 'yaml';

/**
 * Where a cursor is in a YAML file, as a field path: which document, which keys and sequence
 * indexes lead to it, and where each step starts (1-based line and column, as the renderer's
 * provenance records them), so that a rendered field's provenance can be matched to a step.
 * Lenient: a document with errors still answers for the part the parser could make out.
 */

export interface PathStep {
  segment: string | number;
  /** Start of the step's span: a mapping entry's key, a sequence item. */
  line: number;
  column: number;
  /** The step's own value when it is a mapping (its `name`, for list items merged by name). */
  name?: string;
}

export interface CursorPath {
  docIndex: number;
  steps: PathStep[];
  /** The document's top-level kind and metadata.name, when it has them. */
  kind?: string;
  name?: string;
  /** The scalar under the cursor, when there is one. */
  scalar?: { value: unknown; line: number; column: number; endLine: number; endColumn: number };
  /** The cursor is on a mapping key (not its value). */
  onKey: boolean;
}

/** 0-based line and UTF-16 character to an offset into `text`. */
export function offsetAt(text: string, line: number, character: number): number {
  let off = 0;
  for (let l = 0; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  const eol = text.indexOf('\n', off);
  return Math.min(off + character, eol < 0 ? text.length : eol);
}

export function cursorPath(text: string, offset: number): CursorPath | undefined {
  const lc = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lc, uniqueKeys: false });
  const list = Array.isArray(docs) ? docs : [docs];
  const pos = (o: number) => lc.linePos(o);
  for (const [docIndex, doc] of list.entries()) {
    const [start, , end] = doc.range;
    if (offset < start || offset > end) continue;
    const root = doc.contents as YamlNode | null;
    const out: CursorPath = { docIndex, steps: [], onKey: false };
    if (isMap(root)) {
      const kind = root.get('kind');
      if (typeof kind === 'string') out.kind = kind;
      const md = root.get('metadata');
      if (isMap(md) && typeof md.get('name') === 'string') out.name = md.get('name') as string;
    }
    let node: unknown = root;
    for (;;) {
      if (isMap(node)) {
        const pair = node.items.find((p) => {
          if (!isPair(p) || !p.key) return false;
          const k = p.key as YamlNode;
          const v = p.value as YamlNode | null;
          const s = k.range?.[0] ?? 0;
          const e = v?.range?.[2] ?? k.range?.[2] ?? s;
          return offset >= s && offset <= e;
        });
        if (!pair) break;
        const k = pair.key as YamlNode;
        const seg = isScalar(k) ? k.value : undefined;
        if (typeof seg !== 'string' && typeof seg !== 'number') break;
        const p = pos(k.range![0]);
        const step: PathStep = { segment: String(seg), line: p.line, column: p.col };
        out.steps.push(step);
        if (offset <= k.range![1]) {
          out.onKey = true;
          const e = pos(k.range![1]);
          out.scalar = { value: seg, line: p.line, column: p.col, endLine: e.line, endColumn: e.col };
          break;
        }
        node = pair.value;
      } else if (isSeq(node)) {
        const i = node.items.findIndex((it) => {
          const r = (it as YamlNode | null)?.range;
          return !!r && offset >= r[0] && offset <= r[2];
        });
        if (i < 0) break;
        const item = node.items[i] as YamlNode;
        const p = pos(item.range![0]);
        const step: PathStep = { segment: i, line: p.line, column: p.col };
        if (isMap(item) && typeof item.get('name') === 'string') step.name = item.get('name') as string;
        out.steps.push(step);
        node = item;
      } else {
        if (isScalar(node) && node.range) {
          const s = pos(node.range[0]);
          const e = pos(node.range[1]);
          out.scalar = { value: node.value, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
        }
        break;
      }
    }
    return out;
  }
  return undefined;
}
