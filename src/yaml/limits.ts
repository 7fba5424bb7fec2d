import {
  Composer,
  Parser,
  isAlias,
  visit,
  type CST,
  type Document,
  type DocumentOptions,
  type LineCounter,
  type Node as YamlNode,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';

/**
 * Bounds on the work one YAML text may ask for. The input is untrusted (a pull request from a
 * fork), so each limit fails fast with a message naming it instead of exhausting memory, the
 * call stack or the CI job's time. Real manifests stay far below every one of them.
 */
export const YAML_LIMITS = {
  /** Characters in one file or inline text (about 8 MiB). */
  maxChars: 8 * 1024 * 1024,
  /** Documents in one file. */
  maxDocuments: 10_000,
  /** Nested collections (mappings and sequences) in one document. */
  maxDepth: 200,
  /** Nodes one document may produce, aliases expanded. */
  maxNodes: 1_000_000,
  /** Nodes produced by expanding aliases, per document (billion-laughs bombs stop here). */
  maxAliasNodes: 100_000,
} as const;

/** A limit was exceeded at `offset` of the text; the loader turns it into a UserError with a location. */
export class YamlLimitError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
    this.name = 'YamlLimitError';
  }
}

/**
 * parseAllDocuments, streamed: the concrete syntax tree of each document is checked for depth
 * before it is composed (the composer recurses, so a deep document would otherwise overflow the
 * stack), and the count of documents is checked as they come.
 */
export function parseDocumentsBounded(
  src: string,
  options: ParseOptions & DocumentOptions & SchemaOptions,
  lineCounter: LineCounter,
): Document[] {
  if (src.length > YAML_LIMITS.maxChars) {
    throw new YamlLimitError(`file too large: ${src.length} characters, more than the limit of ${YAML_LIMITS.maxChars}`, 0);
  }
  const parser = new Parser(lineCounter.addNewLine);
  const composer = new Composer(options);
  const docs: Document[] = [];
  const add = (d: Document): void => {
    if (docs.length >= YAML_LIMITS.maxDocuments) {
      throw new YamlLimitError(`more than ${YAML_LIMITS.maxDocuments} YAML documents in one file`, d.range?.[0] ?? 0);
    }
    docs.push(d);
  };
  for (const token of parser.parse(src)) {
    checkDepth(token);
    for (const d of composer.next(token)) add(d as Document);
  }
  for (const d of composer.end(false, -1)) add(d as Document);
  return docs;
}

/** Walks a CST token without recursion, failing on collections nested deeper than the limit. */
function checkDepth(root: CST.Token): void {
  const stack: [CST.Token, number][] = [[root, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [tok, depth] = top;
    if (tok.type === 'document') {
      if (tok.value) stack.push([tok.value, depth]);
    } else if (tok.type === 'block-map' || tok.type === 'block-seq' || tok.type === 'flow-collection') {
      if (depth + 1 > YAML_LIMITS.maxDepth) {
        throw new YamlLimitError(`YAML nesting deeper than ${YAML_LIMITS.maxDepth} levels`, tok.offset);
      }
      for (const item of tok.items as CST.CollectionItem[]) {
        if (item.key) stack.push([item.key, depth + 1]);
        if (item.value) stack.push([item.value, depth + 1]);
      }
    }
  }
}

/**
 * The node each alias of `doc` refers to: the last node with its anchor before the alias, in
 * document order. One walk of the document, where `Alias.resolve` walks it once per alias
 * (quadratic on a file of many aliases).
 */
export function aliasTargets(doc: Document): Map<YamlNode, YamlNode | undefined> {
  const anchors = new Map<string, YamlNode>();
  const out = new Map<YamlNode, YamlNode | undefined>();
  visit(doc, {
    Node(_key, node) {
      if (isAlias(node)) out.set(node, anchors.get(node.source));
      else if (node.anchor) anchors.set(node.anchor, node);
    },
  });
  return out;
}

/**
 * The offset of the opening bracket of the last flow collection (`open` is `[` or `{`) that
 * starts before `pos` and is not closed, or undefined: the parser reports such a collection
 * where it gave up, often lines later.
 */
export function unclosedFlowStart(doc: Document, src: string, pos: number, open: '[' | '{'): number | undefined {
  const close = open === '[' ? ']' : '}';
  let found: number | undefined;
  visit(doc, {
    Collection(_key, node) {
      const r = node.range;
      if (!node.flow || !r || r[0] > pos || src[r[0]] !== open) return;
      if (src.slice(r[0], r[1]).trimEnd().endsWith(close)) return;
      if (found === undefined || r[0] > found) found = r[0];
    },
  });
  return found;
}
