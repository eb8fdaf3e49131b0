/**
 * YAML anchors and aliases, which GitHub accepts in workflows since 2025-09-18 (`types: *t`, `env: *shared`):
 * every alias in a parsed document is replaced by a copy of the node it names, so the rest of extraction reads
 * plain nodes. The copy carries the alias's range, so a finding about it points at the `*t` the reader sees in
 * this place, not at the anchor elsewhere in the file.
 *
 * Merge keys (`<<: *defaults`) are not part of that support: GitHub's workflow parser reads `<<` as a literal key
 * and rejects it (@actions/workflow-parser: "Unexpected value '<<'", "A mapping was not expected"). They are
 * reported, and read as their author meant (the keys merged in, where the mapping does not set them itself), so
 * one mistake gives one finding rather than a cascade.
 */
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node, type Pair, type YAMLMap } from 'yaml';

/** More copied nodes than this (a "billion laughs" of nested aliases) and expansion stops. */
export const MAX_COPIED_NODES = 10_000;

export interface AliasProblem {
  message: string;
  /** File offsets. */
  range: [number, number];
}

export interface AliasResolution {
  /** Merge keys used, each a problem; and an expansion past MAX_COPIED_NODES. */
  problems: AliasProblem[];
  /** True when expansion stopped at the budget: the document is then not read further. */
  exhausted: boolean;
}

export function resolveAliases(doc: Document): AliasResolution {
  const resolution: AliasResolution = { problems: [], exhausted: false };
  if (!doc.contents || !hasAliasOrMergeKey(doc.contents as Node)) return resolution;
  let copied = 0;

  /** A copy of `target` with every node at `range` and its own aliases resolved, or undefined past the budget. */
  const copyAt = (target: Node, range: [number, number, number], seen: Set<Node>): Node | undefined => {
    if (seen.has(target)) return undefined; // an alias inside its own anchor: infinite, not expanded
    const clone = target.clone() as Node;
    const stack: Node[] = [clone];
    while (stack.length > 0) {
      const node = stack.pop() as Node;
      if (++copied > MAX_COPIED_NODES) {
        resolution.exhausted = true;
        return undefined;
      }
      node.range = range;
      delete (node as { anchor?: string }).anchor;
      if (isMap(node) || isSeq(node)) {
        node.items = (node.items as unknown[]).map((item) => {
          if (isPair(item)) {
            if (isAlias(item.value)) item.value = expand(item.value, range, new Set([...seen, target]));
            if (item.value && typeof item.value === 'object') stack.push(item.value as Node);
            if (isAlias(item.key)) item.key = expand(item.key, range, new Set([...seen, target]));
            if (item.key && typeof item.key === 'object') stack.push(item.key as Node);
            return item;
          }
          const child = isAlias(item) ? expand(item, range, new Set([...seen, target])) : (item as Node);
          if (child) stack.push(child);
          return child;
        }) as never;
      }
    }
    return clone;
  };
  const anchors = anchoredNodes(doc.contents as Node);
  const expand = (alias: Alias, range: [number, number, number], seen: Set<Node>): Node | null => {
    const target = anchorOf(anchors, alias);
    return (target && !resolution.exhausted && copyAt(target, range, seen)) || null;
  };

  const stack: Node[] = [doc.contents as Node];
  while (stack.length > 0 && !resolution.exhausted) {
    const node = stack.pop() as Node;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isAlias(pair.value)) pair.value = expand(pair.value, pair.value.range as [number, number, number], new Set());
        if (isAlias(pair.key)) pair.key = expand(pair.key, pair.key.range as [number, number, number], new Set());
      }
      applyMergeKeys(node, resolution);
      for (const pair of node.items) for (const child of [pair.key, pair.value]) if (child && typeof child === 'object') stack.push(child as Node);
    } else if (isSeq(node)) {
      node.items = node.items.map((item) => (isAlias(item) ? expand(item, item.range as [number, number, number], new Set()) : item));
      for (const item of node.items) if (item && typeof item === 'object') stack.push(item as Node);
    }
  }
  if (resolution.exhausted) {
    resolution.problems.push({ message: `its aliases expand to more than ${MAX_COPIED_NODES} nodes, beyond what dispatch-lint reads`, range: [0, 0] });
  }
  return resolution;
}

/** `<<: *a` or `<<: [*a, *b]` (aliases already copied): report it, and merge in the keys the map lacks. */
function applyMergeKeys(map: YAMLMap, resolution: AliasResolution): void {
  const merges = map.items.filter(isMergePair);
  if (merges.length === 0) return;
  const own = new Set(map.items.filter((pair) => !merges.includes(pair)).map((pair) => keyText(pair)));
  const merged: Pair[] = [];
  for (const merge of merges) {
    const range = (merge.key as Node).range as [number, number, number];
    resolution.problems.push({
      message: 'GitHub Actions does not support YAML merge keys (`<<`): its workflow parser reads `<<` as a key and rejects the file (anchors and aliases are supported; repeat the keys, or use an alias for a whole value)',
      range: [range[0], range[1]],
    });
    const sources = isSeq(merge.value) ? merge.value.items : [merge.value];
    for (const source of sources) {
      if (!isMap(source)) continue;
      for (const pair of source.items) {
        const key = keyText(pair);
        if (own.has(key)) continue;
        own.add(key);
        merged.push(pair);
      }
    }
  }
  map.items = [...map.items.filter((pair) => !merges.includes(pair)), ...merged];
}

/**
 * The document's anchored nodes by name, in document order, found once: `alias.resolve(doc)` walks the whole
 * document for each alias, which made a 4 kB alias bomb take seconds.
 */
function anchoredNodes(root: Node): Map<string, Node[]> {
  const anchors = new Map<string, Node[]>();
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    const anchor = (node as { anchor?: string }).anchor;
    if (anchor && !isAlias(node)) anchors.set(anchor, [...(anchors.get(anchor) ?? []), node]);
    if (isMap(node)) for (const pair of node.items) for (const child of [pair.key, pair.value]) if (child && typeof child === 'object') stack.push(child as Node);
    if (isSeq(node)) for (const item of node.items) if (item && typeof item === 'object') stack.push(item as Node);
  }
  for (const nodes of anchors.values()) nodes.sort((a, b) => (a.range?.[0] ?? 0) - (b.range?.[0] ?? 0));
  return anchors;
}

/** What `alias.resolve(doc)` gives: the last node with its anchor that starts before the alias. */
function anchorOf(anchors: Map<string, Node[]>, alias: Alias): Node | undefined {
  const at = alias.range?.[0] ?? Infinity;
  let found: Node | undefined;
  for (const node of anchors.get(alias.source) ?? []) if ((node.range?.[0] ?? 0) <= at) found = node;
  return found;
}

/**
 * `<<: x`, or a key tagged `!!merge`: `yaml` reads the latter as a merge key (a Symbol), and its toJSON() throws on
 * a merge whose source is not a map, so both are taken out here.
 */
function isMergePair(pair: Pair): boolean {
  if (!isScalar(pair.key)) return false;
  const key = pair.key.value;
  return key === '<<' || (typeof key === 'symbol' && key.description === '<<');
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : JSON.stringify(pair.key);
}

function hasAliasOrMergeKey(root: Node): boolean {
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const node = stack.pop() as Node;
    if (isAlias(node)) return true;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (isMergePair(pair)) return true;
        for (const child of [pair.key, pair.value]) if (child && typeof child === 'object') stack.push(child as Node);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push(item as Node);
    }
  }
  return false;
}
