/**
 * Bounds on what extraction follows, so that one odd file costs one finding and never the whole report:
 * every recursive walk (YAML nodes, JSON payloads, JavaScript) stops at MAX_NESTING_DEPTH, and a file's own
 * problems are listed up to MAX_PROBLEMS_PER_FILE, then summarised in one line, as compilers do.
 *
 * Real workflows nest YAML about 10 levels deep and payloads 3 or 4; GitHub's expression parser itself stops
 * at 50 (@actions/expressions MAX_PARSER_DEPTH).
 */
import { isMap, isSeq, type Node } from 'yaml';

export const MAX_NESTING_DEPTH = 64;
export const MAX_PROBLEMS_PER_FILE = 10;

export interface FileProblem {
  message: string;
  position: { line: number; column: number; endLine: number; endColumn: number };
}

/**
 * The first MAX_PROBLEMS_PER_FILE problems, and one more, at the first one left out, that says how many were
 * left out. `omitted` counts problems the caller never built (a parser's millionth error); a list already capped
 * is returned as it is.
 */
export function capProblems<T extends FileProblem>(problems: T[], what: string, omitted = 0): T[] {
  const total = problems.length + omitted;
  if (total <= MAX_PROBLEMS_PER_FILE || summarised.has(problems)) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_FILE);
  // At the first one left out, so the line sorts after the ones listed.
  const firstLeftOut = (problems[MAX_PROBLEMS_PER_FILE] ?? problems[problems.length - 1]) as T;
  kept.push({ ...firstLeftOut, message: `and ${total - MAX_PROBLEMS_PER_FILE} more ${what} in this file, not listed (fix the first ones and lint again)` });
  summarised.add(kept);
  return kept;
}

const summarised = new WeakSet<object>();

/**
 * The offset of the first bracket that opens more than `limit` levels deep, counting `(`, `[` and `{` and
 * their closers as they come, or undefined. A parser's own stack overflow happens at a depth that depends on
 * the machine; this gives the same place everywhere, for the message.
 */
export function firstBracketDeeperThan(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    if (ch === 40 || ch === 91 || ch === 123) {
      if (++depth > limit) return i;
    } else if ((ch === 41 || ch === 93 || ch === 125) && depth > 0) depth--;
  }
  return undefined;
}

/** True for the error a too-deep recursion throws (V8's "Maximum call stack size exceeded", acorn's own check). */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof Error && /call stack|stack space/i.test(error.message);
}

/** The first node found below `root` at more than `limit` levels of nesting, without recursion. */
export function nodeDeeperThan(root: Node | null, limit: number): Node | undefined {
  const stack: [Node, number][] = root ? [[root, 1]] : [];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [Node, number];
    if (depth > limit) return node;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.key && typeof pair.key === 'object') stack.push([pair.key as Node, depth + 1]);
        if (pair.value && typeof pair.value === 'object') stack.push([pair.value as Node, depth + 1]);
      }
    } else if (isSeq(node)) {
      for (const item of node.items) if (item && typeof item === 'object') stack.push([item as Node, depth + 1]);
    }
  }
  return undefined;
}

