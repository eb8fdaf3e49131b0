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

/**
 * Texts kept in facts for messages (a send's target, event type or token as written) are cut here. A step of
 * thousands of sends each naming one 100 kB value holds it once in memory, but once per send in the facts cache
 * and between threads: 200 MB of JSON from a 220 kB file (fuzz seed 3, case 76778).
 */
export const MAX_FACT_TEXT = 1000;

export function clipText(text: string): string {
  return text.length <= MAX_FACT_TEXT ? text : `${text.slice(0, MAX_FACT_TEXT)}…`;
}

export interface FileProblem {
  message: string;
  position: { line: number; column: number; endLine: number; endColumn: number };
}

/**
 * The first MAX_PROBLEMS_PER_FILE problems, and one more, at the first one left out, that says how many were
 * left out. `omitted` counts problems the caller never built (a parser's millionth error), and `countIsLowerBound`
 * says the caller stopped counting; a list already capped is returned as it is.
 */
export function capProblems<T extends FileProblem>(problems: T[], what: string, omitted = 0, countIsLowerBound = false): T[] {
  const total = problems.length + omitted;
  if (total <= MAX_PROBLEMS_PER_FILE || summarised.has(problems)) return problems;
  const kept = problems.slice(0, MAX_PROBLEMS_PER_FILE);
  // At the first one left out, so the line sorts after the ones listed.
  const firstLeftOut = (problems[MAX_PROBLEMS_PER_FILE] ?? problems[problems.length - 1]) as T;
  kept.push({ ...firstLeftOut, message: `and ${countIsLowerBound ? 'at least ' : ''}${total - MAX_PROBLEMS_PER_FILE} more ${what} in this file, not listed (fix the first ones and lint again)` });
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
  // Two stacks side by side, not a [node, depth] pair per node: this runs over every node of every file.
  const nodes: Node[] = root ? [root] : [];
  const depths: number[] = root ? [1] : [];
  while (nodes.length > 0) {
    const node = nodes.pop() as Node;
    const depth = depths.pop() as number;
    if (depth > limit) return node;
    if (isMap(node)) {
      for (const pair of node.items) {
        if (pair.key && typeof pair.key === 'object') {
          nodes.push(pair.key as Node);
          depths.push(depth + 1);
        }
        if (pair.value && typeof pair.value === 'object') {
          nodes.push(pair.value as Node);
          depths.push(depth + 1);
        }
      }
    } else if (isSeq(node)) {
      for (const item of node.items) {
        if (item && typeof item === 'object') {
          nodes.push(item as Node);
          depths.push(depth + 1);
        }
      }
    }
  }
  return undefined;
}


/**
 * Nesting no parser may be asked to read: `yaml` and js-yaml recurse per level, and where they run out of stack
 * depends on the thread and on how warm the JIT is (a `- - -` list 2,000 deep overflows cold and parses warm), so a
 * verdict left to them would change from run to run. Files past this are judged on their text alone. No real
 * workflow comes near it; MAX_NESTING_DEPTH is what extraction reads.
 */
export const MAX_PARSED_DEPTH = 200;

/**
 * The offset of the first line whose YAML nesting may exceed `limit`, or undefined: an upper bound from the text,
 * without parsing. It counts the block indentation levels open at the line, the `- `, `? ` and `: ` indicators
 * that open nodes on it, and the open flow brackets. What no parser nests into is skipped: a block scalar's lines
 * (`run: |`), quoted text on a line, comments. Elsewhere it may overcount (a multi-line quoted scalar), never
 * undercount.
 */
/** A line that opens a block scalar ends in one of these (`|`, `>-`, `|2+`). */
const BLOCK_SCALAR_END = /[|>+\-0-9]/;

export function textNestingBeyond(text: string, limit: number): number | undefined {
  const indents: number[] = [];
  let brackets = 0;
  // A block scalar's text: the lines indented at least as its first non-blank line, which is indented more than the
  // line that opened it (`- run: |` at 6, text at 10: a line at 8 is the step's next key, not text).
  let blockScalarOpener: number | undefined;
  let blockScalarIndent: number | undefined;
  let lineStart = 0;
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart);
    if (lineEnd < 0) lineEnd = text.length;
    let at = lineStart;
    while (at < lineEnd && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
    const indent = at - lineStart;
    const blank = at >= lineEnd || text.charCodeAt(at) === 13;
    if (blockScalarOpener !== undefined) {
      if (!blank && blockScalarIndent === undefined && indent > blockScalarOpener) blockScalarIndent = indent;
      if (blank || (blockScalarIndent !== undefined && indent >= blockScalarIndent)) {
        lineStart = lineEnd + 1;
        continue;
      }
    }
    blockScalarOpener = undefined;
    blockScalarIndent = undefined;
    if (!blank && text.charCodeAt(at) !== 35) {
      while (indents.length > 0 && (indents[indents.length - 1] as number) > indent) indents.pop();
      if (indents.length === 0 || (indents[indents.length - 1] as number) < indent) indents.push(indent);
      let indicators = 0;
      // `- - - x`, `? - x`, `- : x`: each indicator followed by a blank opens one more node on this line.
      while (at + 1 < lineEnd && (text[at] === '-' || text[at] === '?' || text[at] === ':') && (text.charCodeAt(at + 1) === 32 || text.charCodeAt(at + 1) === 9)) {
        if (indents.length + ++indicators + brackets > limit) return at;
        at += 2;
        while (at < lineEnd && (text.charCodeAt(at) === 32 || text.charCodeAt(at) === 9)) at++;
      }
      if (indents.length + indicators + brackets > limit) return at;
      let last = -1; // the line's last character outside quotes and comments
      for (let i = at; i < lineEnd; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 34 || ch === 39) {
          // A quoted scalar: its brackets are text. Unclosed on this line: the rest of the line is text too.
          let close = i + 1;
          while (close < lineEnd && (text.charCodeAt(close) !== ch || (ch === 34 && text.charCodeAt(close - 1) === 92))) close++;
          i = close;
          last = close;
        } else if (ch === 35 && (i === at || text.charCodeAt(i - 1) === 32 || text.charCodeAt(i - 1) === 9)) {
          break;
        } else if (ch === 91 || ch === 123) {
          if (indents.length + indicators + ++brackets > limit) return i;
          last = i;
        } else if ((ch === 93 || ch === 125) && brackets > 0) {
          brackets--;
          last = i;
        } else if (ch !== 32 && ch !== 9 && ch !== 13) last = i;
      }
      // `key: |`, `- >-`, `run: |2`: the lines after are the scalar's text.
      if (last >= 0 && BLOCK_SCALAR_END.test(text[last] as string) && /(?:^|[\s:-])[|>][-+0-9]{0,3}$/.test(text.slice(Math.max(at, last - 4), last + 1))) blockScalarOpener = indent;
    }
    lineStart = lineEnd + 1;
  }
  return undefined;
}
