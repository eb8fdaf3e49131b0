/**
 * Positions in a parsed workflow file. `yaml` gives byte offsets per node; this turns them into the 1-based
 * line/column ranges findings carry, and maps offsets inside a scalar's *value* (after YAML unquoting and
 * block folding) back to offsets in the file, so a `${{ }}` inside a `run: |` block points at its own line.
 */
import { LineCounter, type Node, type Scalar } from 'yaml';
import type { Position } from '../model.js';

export class SourceFile {
  private readonly valueMappers = new WeakMap<Scalar, (offset: number) => number>();

  constructor(
    readonly text: string,
    readonly lineCounter: LineCounter,
  ) {}

  /** The position of a range of file offsets. */
  positionOfOffsets(start: number, end: number): Position {
    const from = this.lineCounter.linePos(start);
    const to = this.lineCounter.linePos(Math.max(start, end));
    return { line: from.line, column: from.col, endLine: to.line, endColumn: to.col };
  }

  /** The position of a node's value (for a block scalar: from its `|` / `>` header to the end of its text). */
  positionOf(node: Node | null | undefined, fallback?: Position): Position {
    const range = node?.range;
    if (!range) return fallback ?? { line: 1, column: 1, endLine: 1, endColumn: 1 };
    return this.positionOfOffsets(range[0], trimTrailingLineBreaks(this.text, range[0], range[1]));
  }

  /**
   * The position of `[start, end)` offsets inside a scalar's value. Falls back to the whole scalar when the
   * node has no range.
   */
  positionInScalar(node: Scalar, start: number, end: number): Position {
    if (!node.range) return this.positionOf(node);
    const map = this.valueMapper(node);
    const fileStart = map(start);
    const fileEnd = end > start ? map(end - 1) + 1 : fileStart;
    return this.positionOfOffsets(fileStart, Math.max(fileStart, fileEnd));
  }

  private valueMapper(node: Scalar): (offset: number) => number {
    let mapper = this.valueMappers.get(node);
    if (!mapper) {
      const [start, end] = node.range as [number, number, number];
      mapper = alignValueToSource(String(node.value ?? ''), this.text, start, end);
      this.valueMappers.set(node, mapper);
    }
    return mapper;
  }
}

function trimTrailingLineBreaks(text: string, start: number, end: number): number {
  let stop = end;
  while (stop > start && (text[stop - 1] === '\n' || text[stop - 1] === '\r')) stop--;
  return stop;
}

/**
 * Builds a map from offsets in a scalar's value to offsets in the file. The value's characters appear in the
 * source in the same order, with extra characters between them (quotes, indentation, line folding, escapes),
 * so a greedy walk aligns them. An escape (`\n` in a double-quoted string) has no literal twin; when a value
 * character cannot be found nearby, it is pinned to the current source offset and the walk goes on, so one
 * odd character never derails the rest.
 */
export function alignValueToSource(
  value: string,
  text: string,
  sourceStart: number,
  sourceEnd: number,
): (offset: number) => number {
  const offsets = new Int32Array(value.length + 1);
  // How many non-blank source characters may stand between two value characters (quotes, escapes, `\`).
  const maxSkipped = 8;
  let s = sourceStart;
  for (let v = 0; v < value.length; v++) {
    const ch = value[v];
    // Folded and plain multi-line scalars turn a line break (plus indentation) into one space or newline.
    const isJoiner = ch === ' ' || ch === '\n';
    let found = -1;
    let skipped = 0;
    for (let probe = s; probe < sourceEnd && skipped <= maxSkipped; probe++) {
      const here = text[probe];
      if (here === ch || (isJoiner && (here === '\n' || here === ' '))) {
        found = probe;
        break;
      }
      if (here !== ' ' && here !== '\t' && here !== '\n' && here !== '\r') skipped++;
    }
    if (found < 0) {
      offsets[v] = Math.min(s, sourceEnd);
      continue;
    }
    offsets[v] = found;
    s = found + 1;
  }
  offsets[value.length] = Math.min(s, sourceEnd);
  return (offset: number) => offsets[Math.max(0, Math.min(offset, value.length))] ?? sourceStart;
}

/**
 * Positions in a file that is not YAML (a JavaScript file a github-script step requires): offsets are into the
 * file's text itself, so "inside a scalar" is just "at these offsets". Lets the script readers locate values in
 * it exactly as they do in a workflow's `script:`.
 */
export class PlainTextFile extends SourceFile {
  constructor(text: string) {
    const lineCounter = new LineCounter();
    lineCounter.addNewLine(0);
    for (let at = text.indexOf('\n'); at >= 0; at = text.indexOf('\n', at + 1)) lineCounter.addNewLine(at + 1);
    super(text, lineCounter);
  }

  override positionInScalar(_node: Scalar, start: number, end: number): Position {
    return this.positionOfOffsets(start, Math.max(start, end));
  }

  override positionOf(_node: Node | null | undefined, fallback?: Position): Position {
    return fallback ?? this.positionOfOffsets(0, 0);
  }
}
