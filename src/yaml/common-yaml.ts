/**
 * A fast reader for the YAML most workflow files are written in: block mappings and sequences, one-line plain
 * and quoted scalars, `|` / `>` block scalars, flow lists and mappings (nested up to three deep, on one line or over
 * several), comments, a leading `---`. It builds
 * the same nodes `yaml`'s parseDocument builds (its own YAMLMap, YAMLSeq, Pair and Scalar classes, with the same
 * values, styles and ranges), about five times faster, because it knows nothing of the rest of YAML.
 *
 * Anything else (anchors and aliases, tags, multi-line plain or quoted scalars, explicit keys, tabs, CR line
 * ends, a second document, duplicate keys, anything `yaml` might report as an error) makes it give up, and the
 * caller parses the file with `yaml`, which stays the reference: test/yaml/common-yaml.test.ts requires both to
 * build identical trees on every fixture, corpus file and fuzz mutation the reader accepts.
 */
import { LineCounter, Scalar, YAMLMap, YAMLSeq, type Node, type Pair } from 'yaml';
import { mapNode, pairNode, scalarNode, seqNode } from './lean-nodes.js';

/** Thrown (without a stack: it is not an Error) where the text leaves the subset this reader knows. */
const OUTSIDE_SUBSET = Symbol('outside the common YAML subset');

function giveUp(): never {
  throw OUTSIDE_SUBSET;
}

/** Flow collections nested deeper than this are left to `yaml`; real workflows nest two. */
const MAX_FLOW_DEPTH = 3;
const SPACE = 32;
/** What cannot start a plain scalar read by inlineValue's plain branch: quotes, flow brackets, block indicators, anchors, tags, aliases, directives. */
const NOT_PLAIN_START = new Set([...'"\'[]{}|>&!*%@`#,?:-'].map((ch) => ch.charCodeAt(0)));
const HASH = 35;
const DASH = 45;
const COLON = 58;

/**
 * The root mapping of `text`, with `lineCounter` filled as `yaml` fills it, or undefined where the text is not in
 * the subset (then `lineCounter` is untouched, so the caller can hand it to `yaml`).
 */
export function parseCommonYaml(text: string, lineCounter: LineCounter): YAMLMap | undefined {
  if (text.includes('\r') || text.charCodeAt(0) === 0xfeff) return undefined;
  let root: YAMLMap;
  const reader = new CommonYamlReader(text);
  try {
    root = reader.document();
  } catch (error) {
    // A stack overflow (nesting deeper than any workflow) is for `yaml` and the nesting limits to report.
    if (error === OUTSIDE_SUBSET || error instanceof RangeError) return undefined;
    throw error;
  }
  // The reader's line starts are the ones yaml's lexer records (0, and each offset after a `\n`).
  lineCounter.lineStarts = reader.lineStarts();
  return root;
}

/** A node with the offset where it ends, trailing comment and line break included (yaml's `range[2]`). */
interface Parsed {
  node: Node;
  /** The first line after the node. */
  next: number;
  end: number;
}

class CommonYamlReader {
  private readonly starts: number[] = [];
  /** Offset of each line's `\n`, or the text's length for a last line without one. */
  private readonly ends: number[] = [];
  private readonly indents: number[] = [];
  private readonly lines: number;

  constructor(private readonly text: string) {
    let start = 0;
    while (start <= text.length) {
      let newline = text.indexOf('\n', start);
      if (newline < 0) newline = text.length;
      let indent = 0;
      while (text.charCodeAt(start + indent) === SPACE) indent++;
      this.starts.push(start);
      this.ends.push(newline);
      this.indents.push(indent);
      if (newline === text.length) break;
      start = newline + 1;
    }
    this.lines = this.starts.length;
  }

  lineStarts(): number[] {
    return this.starts;
  }

  document(): YAMLMap {
    const first = this.nextContent(this.afterDocumentStart());
    if (first >= this.lines || this.indents[first] !== 0) giveUp();
    const parsed = this.blockMap(first, 0);
    if (this.nextContent(parsed.next) < this.lines) giveUp();
    return parsed.node as YAMLMap;
  }

  /**
   * The line after an explicit document start (`---` alone on its line, or with a comment), where it comes before
   * any content; otherwise 0. Any other marker, and a `---` anywhere later (a second document), is outside the subset.
   */
  private afterDocumentStart(): number {
    for (let line = 0; line < this.lines; line++) {
      const first = this.starts[line]! + this.indents[line]!;
      const ch = this.text.charCodeAt(first);
      if (first === this.ends[line] || ch === HASH) continue;
      return this.indents[line] === 0 && /^---(?: +(?:#.*)?)?$/.test(this.text.slice(first, this.ends[line])) ? line + 1 : 0;
    }
    return 0;
  }

  // ---- lines

  /** Only spaces (or nothing) on the line. */
  private isBlank(line: number): boolean {
    return this.starts[line]! + this.indents[line]! === this.ends[line];
  }

  /**
   * The first line from `line` on that holds content: blank lines and comment lines are skipped. A tab before a
   * line's content, or a document marker or directive, is outside the subset.
   */
  private nextContent(line: number): number {
    for (; line < this.lines; line++) {
      const first = this.starts[line]! + this.indents[line]!;
      const ch = this.text.charCodeAt(first);
      if (ch === 9) giveUp();
      if (first === this.ends[line] || ch === HASH) continue;
      if (this.indents[line] === 0 && (ch === DASH || ch === 46 || ch === 37)) {
        const head = this.text.slice(first, first + 4);
        if (ch === 37 || /^(?:---|\.\.\.)(?:\s|$)/.test(head)) giveUp();
      }
      // A tab anywhere in a line of structure may be indentation or separation `yaml` reads its own way.
      if (this.text.slice(first, this.ends[line]).includes('\t')) giveUp();
      return line;
    }
    return line;
  }

  private afterLine(line: number): number {
    return Math.min(this.ends[line]! + 1, this.text.length);
  }

  // ---- block collections

  /** The block node starting at the content line `line` (a value on the lines under its key or `-`). */
  private blockNode(line: number, scalarColumn?: number): Parsed {
    const at = this.starts[line]! + this.indents[line]!;
    if (this.isSeqItem(at)) return this.blockSeq(line, this.indents[line]!);
    if (this.keyColon(at, this.ends[line]!) !== undefined) return this.blockMap(line, this.indents[line]!);
    // `run:` with its command on the next line: a one-line plain scalar, which yaml ends as it ends one on the
    // key's line (a more-indented line after it would continue it: inlineValue gives up on that).
    if (scalarColumn !== undefined && !NOT_PLAIN_START.has(this.text.charCodeAt(at))) return this.inlineValue(line, at, scalarColumn);
    // prettier's way of a long flow list: `needs:` and the list from the next line on.
    const ch = this.text.charCodeAt(at);
    if (scalarColumn !== undefined && (ch === 91 || ch === 123)) return this.inlineValue(line, at, scalarColumn);
    return giveUp();
  }

  private isSeqItem(at: number): boolean {
    if (this.text.charCodeAt(at) !== DASH) return false;
    const after = this.text.charCodeAt(at + 1);
    return after === SPACE || at + 1 >= this.text.length || after === 10;
  }

  /**
   * The next content line from `line` on that continues a block collection at `column`, or undefined where the
   * collection ends (a less indented line, or the end). A more indented line is outside the subset.
   */
  private nextEntryLine(line: number, column: number): number | undefined {
    const next = this.nextContent(line);
    if (next >= this.lines || this.indents[next]! < column) return undefined;
    if (this.indents[next]! > column) giveUp();
    return next;
  }

  /**
   * A block mapping whose first key starts at column `column` of `line` (after a `- ` when the mapping is a list
   * item); its other keys start lines indented exactly `column`.
   */
  private blockMap(line: number, column: number): Parsed {
    const map = mapNode();
    const keys = new KeysSeen();
    return this.blockCollection(map, line, column, () => true, (current) => {
      const entry = this.mapEntry(current, this.starts[current]! + column, column);
      keys.add(map, entry.key.value);
      map.items.push(pairNode(entry.key, entry.value.node));
      return entry.value;
    });
  }

  /**
   * The entries of a block mapping or list at `column`, from `line` on, read by `entry` while `continues` accepts
   * the next line at that column; then the collection's range, trailing comments as yaml ends them.
   */
  private blockCollection(collection: YAMLMap | YAMLSeq, line: number, column: number, continues: (line: number) => boolean, entry: (line: number) => Parsed): Parsed {
    const start = this.starts[line]! + column;
    let current = line;
    for (;;) {
      const parsed = entry(current);
      current = parsed.next;
      const next = this.nextEntryLine(current, column);
      if (next === undefined || !continues(next)) {
        const trailing = this.trailingEnd(current, this.nextContent(current), column, parsed.end);
        collection.range = [start, parsed.end, trailing];
        return { node: collection, next: current, end: trailing };
      }
      current = next;
    }
  }

  private mapEntry(line: number, keyAt: number, column: number): { key: Scalar; value: Parsed } {
    const lineEnd = this.ends[line]!;
    const colon = this.keyColon(keyAt, lineEnd);
    if (colon === undefined) giveUp();
    const key = this.keyScalar(keyAt, colon, lineEnd);
    let at = colon + 1;
    while (this.text.charCodeAt(at) === SPACE) at++;
    if (at >= lineEnd || this.text.charCodeAt(at) === HASH) {
      const below = this.nextContent(line + 1);
      if (below < this.lines && (this.indents[below]! > column || (this.indents[below] === column && this.isSeqItem(this.starts[below]! + column)))) {
        // A scalar on the next line only right under a bare `key:` (comments or blank lines between: not modelled).
        return { key, value: this.blockNode(below, at >= lineEnd && below === line + 1 ? column : undefined) };
      }
      // An empty value: at the end of its line, or at the comment there (`key: # comment`), where yaml ends it at the
      // next token. Comment lines after an empty value belong to it (to the next token); after `key: # comment`, or at
      // the top level, yaml ends it differently, which is not modelled.
      let end = at < lineEnd ? this.tokenOffset(below) : at;
      if (this.hasComment(line + 1, below)) end = at < lineEnd || column === 0 ? giveUp() : this.tokenOffset(below);
      const node = emptyScalar(at);
      (node.range as [number, number, number])[2] = end;
      return { key, value: { node, next: line + 1, end } };
    }
    return { key, value: this.inlineValue(line, at, column) };
  }

  /** The `:` ending the implicit key that starts at `at`, or undefined when the line holds no key there. */
  private keyColon(at: number, lineEnd: number): number | undefined {
    const text = this.text;
    const ch = text.charCodeAt(at);
    if (ch === 34 || ch === 39) {
      const close = this.quoteEnd(at, lineEnd);
      if (close === undefined) return undefined;
      let colon = close + 1;
      while (text.charCodeAt(colon) === SPACE) colon++;
      if (text.charCodeAt(colon) !== COLON || !isSeparator(text.charCodeAt(colon + 1), colon + 1, lineEnd)) return undefined;
      // yaml wants an implicit key's `:` within 1024 characters of its start, quoted or not.
      return colon - at > 1000 ? giveUp() : colon;
    }
    if (!isKeyStart(ch)) return undefined;
    for (let index = at + 1; index < lineEnd; index++) {
      const c = text.charCodeAt(index);
      if (c === COLON && isSeparator(text.charCodeAt(index + 1), index + 1, lineEnd)) return index - at > 1000 ? giveUp() : index;
      if (c === HASH && text.charCodeAt(index - 1) === SPACE) return undefined;
    }
    return undefined;
  }

  private keyScalar(at: number, colon: number, lineEnd: number): Scalar {
    const ch = this.text.charCodeAt(at);
    if (ch === 34 || ch === 39) return this.quoted(at, lineEnd).scalar;
    let stop = colon;
    while (this.text.charCodeAt(stop - 1) === SPACE) stop--;
    return plainScalar(this.text.slice(at, stop), at, stop, stop);
  }

  /** A block sequence whose items start lines at column `column` with `- `. */
  private blockSeq(line: number, column: number): Parsed {
    const seq = seqNode();
    // A line at the list's column without `- ` is the next key of the mapping the list is a value of.
    return this.blockCollection(seq, line, column, (next) => this.isSeqItem(this.starts[next]! + column), (current) => {
      const item = this.seqItem(current, this.starts[current]! + column, column);
      seq.items.push(item.node);
      return item;
    });
  }

  private seqItem(line: number, dash: number, column: number): Parsed {
    const lineEnd = this.ends[line]!;
    let at = dash + 1;
    while (this.text.charCodeAt(at) === SPACE) at++;
    if (at >= lineEnd || this.text.charCodeAt(at) === HASH) {
      const below = this.nextContent(line + 1);
      if (below < this.lines && this.indents[below]! > column) return this.blockNode(below, at >= lineEnd && below === line + 1 ? column : undefined);
      return giveUp(); // an empty item
    }
    if (this.isSeqItem(at)) giveUp(); // `- - x`
    if (this.keyColon(at, lineEnd) !== undefined) return this.blockMap(line, at - this.starts[line]!);
    return this.inlineValue(line, at, column);
  }

  /**
   * Where yaml ends a block collection (its `range[2]`, which becomes its parent's `range[1]` when it is the
   * parent's last value): comment lines after its last item stay with it, up to the next token, unless every one
   * of them is less indented than the collection (or it is at column 0): then they go to its parent.
   */
  private trailingEnd(from: number, to: number, column: number, end: number): number {
    if (column === 0) return end;
    for (let line = from; line < to; line++) {
      if (!this.isBlank(line) && this.indents[line]! >= column) return this.tokenOffset(to);
    }
    return end;
  }

  private hasComment(from: number, to: number): boolean {
    for (let line = from; line < to; line++) if (!this.isBlank(line)) return true;
    return false;
  }

  /** The offset of the first token on `line` (after its indentation), or the end of the text. */
  private tokenOffset(line: number): number {
    return line < this.lines ? this.starts[line]! + this.indents[line]! : this.text.length;
  }

  // ---- values on the key's or dash's line

  /** The value starting at `at` on `line`, in a collection indented `column`. */
  private inlineValue(line: number, at: number, column: number): Parsed {
    const text = this.text;
    let lineEnd = this.ends[line]!;
    const ch = text.charCodeAt(at);
    if (ch === 124 || ch === 62) return this.blockScalar(line, at, column);
    let node: Node;
    let valueEnd: number;
    if (ch === 91 || ch === 123) {
      this.flow = { line, column, depth: 0, closer: ch === 91 ? 93 : 125 };
      const flow = this.flowCollection(at);
      node = flow.node;
      valueEnd = flow.end;
      // A collection over several lines: what follows it is judged on the line of its closing bracket.
      line = this.flow.line;
      lineEnd = this.ends[line]!;
    } else if (ch === 34 || ch === 39) {
      const quoted = this.quoted(at, lineEnd);
      node = quoted.scalar;
      valueEnd = quoted.end;
    } else {
      if (!isPlainStart(text, at, lineEnd, false)) giveUp();
      let stop = at;
      for (let index = at; index < lineEnd; index++) {
        const c = text.charCodeAt(index);
        if (c === HASH && text.charCodeAt(index - 1) === SPACE) break;
        if (c === COLON && isSeparator(text.charCodeAt(index + 1), index + 1, lineEnd)) giveUp(); // a nested mapping
        if (c !== SPACE) stop = index + 1;
      }
      node = plainScalar(text.slice(at, stop), at, stop, this.afterLine(line));
      valueEnd = stop;
    }
    // After the value: spaces, then the end of the line or a comment.
    let after = valueEnd;
    while (text.charCodeAt(after) === SPACE) after++;
    if (after < lineEnd && !(text.charCodeAt(after) === HASH && after > valueEnd)) giveUp();
    // A more-indented line after it would continue a multi-line scalar (or be an error).
    const below = this.nextContent(line + 1);
    if (below < this.lines && this.indents[below]! > column) giveUp();
    // yaml ends the value after the comment lines under it indented more than its collection (blank lines between
    // them included), up to the first comment that is not.
    let last = line;
    for (let comment = line + 1; comment < below; comment++) {
      if (this.isBlank(comment)) continue;
      if (this.indents[comment]! <= column) break;
      last = comment;
    }
    const end = this.afterLine(last);
    (node.range as [number, number, number])[2] = end;
    return { node, next: last + 1, end };
  }

  /** The offset of the quote closing the one-line quoted scalar opened at `at`, or undefined. */
  private quoteEnd(at: number, lineEnd: number): number | undefined {
    const quote = this.text.charCodeAt(at);
    for (let index = at + 1; index < lineEnd; index++) {
      const c = this.text.charCodeAt(index);
      if (quote === 34 && c === 92) index++;
      else if (c === quote) {
        if (quote === 39 && this.text.charCodeAt(index + 1) === 39) index++;
        else return index;
      }
    }
    return undefined;
  }

  private quoted(at: number, lineEnd: number): { scalar: Scalar; end: number } {
    const close = this.quoteEnd(at, lineEnd);
    if (close === undefined) giveUp(); // a quoted scalar over several lines
    const body = this.text.slice(at + 1, close);
    const double = this.text.charCodeAt(at) === 34;
    const scalar = scalarNode(double ? unescapeDouble(body) : body.replaceAll("''", "'"), double ? Scalar.QUOTE_DOUBLE : Scalar.QUOTE_SINGLE, [at, close + 1, close + 1]);
    return { scalar, end: close + 1 };
  }

  /**
   * Where a flow collection being read has got to: the line it is on, and the column of the block collection it
   * is a value in (a line it continues on must be indented more, or yaml reports it).
   */
  private flow = { line: 0, column: 0, depth: 0, closer: 0 };

  /**
   * `[a, "b"]` or `{ a: b }`, of scalars and of flow collections nested up to MAX_FLOW_DEPTH (a matrix
   * `include: [{os: linux}, …]`), on one line or over several (prettier's `needs:\n  [\n    a,\n    b,\n  ]`).
   * Keys are scalars; every scalar is on one line.
   */
  private flowCollection(at: number, depth = 1): { node: YAMLMap | YAMLSeq; end: number } {
    const text = this.text;
    const isMap = text.charCodeAt(at) === 123;
    const close = isMap ? 125 : 93;
    const collection = isMap ? mapNode(true) : seqNode(true);
    const keys = new KeysSeen();
    this.flow.depth = depth;
    const closed = (bracket: number) => {
      collection.range = [at, bracket + 1, bracket + 1];
      this.flow.depth = depth - 1;
      return { node: collection, end: bracket + 1 };
    };
    let index = this.flowSpace(at + 1);
    if (text.charCodeAt(index) === close) return closed(index);
    for (;;) {
      if (isMap) {
        const key = this.flowScalar(index, true);
        index = skipSpaces(text, key.end);
        if (text.charCodeAt(index) !== COLON || text.charCodeAt(index + 1) !== SPACE) giveUp();
        const value = this.flowItem(skipSpaces(text, index + 1), depth);
        keys.add(collection as YAMLMap, key.scalar.value);
        (collection as YAMLMap).items.push(pairNode(key.scalar, value.node));
        index = this.flowSpace(value.end);
      } else {
        const item = this.flowItem(index, depth);
        (collection as YAMLSeq).items.push(item.node);
        index = this.flowSpace(item.end);
      }
      let c = text.charCodeAt(index);
      if (c === 44) {
        // A trailing comma before the closing bracket is allowed (and changes no range).
        index = this.flowSpace(index + 1);
        c = text.charCodeAt(index);
        if (c === 44) giveUp(); // an empty entry
        if (c !== close) continue;
      }
      if (c !== close) giveUp();
      return closed(index);
    }
  }

  /**
   * The offset of the next token in a flow collection from `at`: past spaces, and past line breaks onto the next
   * line that holds one. A comment, a tab, or a line not indented past the block collection the flow one is in (but
   * for the outermost collection's closing bracket, which may stand at that column) is outside the subset.
   */
  private flowSpace(at: number): number {
    const text = this.text;
    at = skipSpaces(text, at);
    while (at === this.ends[this.flow.line]) {
      const line = ++this.flow.line;
      if (line >= this.lines) giveUp();
      if (this.isBlank(line)) {
        at = this.ends[line]!;
        continue;
      }
      // The line's first character that is not a space (a blank line was skipped above).
      at = this.starts[line]! + this.indents[line]!;
      const indent = this.indents[line]!;
      if (indent < this.flow.column || (indent === this.flow.column && !(this.flow.depth === 1 && text.charCodeAt(at) === this.flow.closer))) giveUp();
      if (text.slice(at, this.ends[line]).includes('\t')) giveUp();
    }
    if (text.charCodeAt(at) === HASH) giveUp();
    return at;
  }

  /** A list item or mapping value inside a flow collection: a scalar, or a nested flow collection. */
  private flowItem(at: number, depth: number): { node: Node; end: number } {
    const ch = this.text.charCodeAt(at);
    if (ch !== 91 && ch !== 123) {
      const item = this.flowScalar(at, false);
      return { node: item.scalar, end: item.end };
    }
    if (depth >= MAX_FLOW_DEPTH) giveUp();
    const nested = this.flowCollection(at, depth + 1);
    // Inside a flow collection, yaml ends a nested one's range at the next token, as it does a scalar's.
    (nested.node.range as [number, number, number])[2] = this.peekFlowSpace(nested.end);
    return nested;
  }

  /** flowSpace's answer without moving to its line (the caller reads on from `at` itself). */
  private peekFlowSpace(at: number): number {
    const line = this.flow.line;
    const next = this.flowSpace(at);
    this.flow.line = line;
    return next;
  }

  /** A scalar inside a flow collection, on one line: quoted, or plain up to `,`, `]`, `}` (or `:` after a key). */
  private flowScalar(at: number, isKey: boolean): { scalar: Scalar; end: number } {
    const text = this.text;
    const lineEnd = this.ends[this.flow.line]!;
    const ch = text.charCodeAt(at);
    if (ch === 34 || ch === 39) {
      const quoted = this.quoted(at, lineEnd);
      quoted.scalar.range = [at, quoted.end, isKey ? skipSpaces(text, quoted.end) : this.peekFlowSpace(quoted.end)];
      return quoted;
    }
    if (!isPlainStart(text, at, lineEnd, true)) giveUp();
    let stop = at;
    let index = at;
    for (; index < lineEnd; index++) {
      const c = text.charCodeAt(index);
      if (c === 44 || c === 93 || c === 125 || c === 91 || c === 123) break;
      if (c === HASH && text.charCodeAt(index - 1) === SPACE) giveUp();
      if (c === COLON) {
        const next = text.charCodeAt(index + 1);
        if (next === SPACE || next === 44 || next === 93 || next === 125 || index + 1 >= lineEnd) {
          if (isKey && next === SPACE) break;
          giveUp();
        }
      }
      if (c !== SPACE) stop = index + 1;
    }
    // A key ends on its line; a value at the line's end ends there, its range at the next token.
    if (index >= lineEnd && isKey) giveUp();
    return { scalar: plainScalar(text.slice(at, stop), at, stop, index >= lineEnd ? this.peekFlowSpace(index) : index), end: stop };
  }

  // ---- block scalars

  /**
   * `|`, `|-`, `>` or `>-` at `at`, its text on the lines under it, indented more than `column`. The value is made
   * as `yaml` makes it (resolve-block-scalar.js); the cases it treats specially (keep chomping, an indentation
   * indicator, blank lines indented more than the text) are left to it.
   */
  private blockScalar(line: number, at: number, column: number): Parsed {
    const text = this.text;
    const header = text.slice(at, this.ends[line]);
    if (!/^[|>]-?(?: +#.*| *)$/.test(header)) giveUp();
    const folded = header[0] === '>';
    const strip = header[1] === '-';
    let first = line + 1;
    while (first < this.lines && this.isBlank(first)) first++;
    if (first >= this.lines || this.indents[first]! <= column) giveUp(); // an empty block scalar
    const indent = this.indents[first]!;
    for (let blank = line + 1; blank < first; blank++) if (this.indents[blank]! > indent) giveUp();
    if (text.charCodeAt(this.starts[first]! + indent) === 9) giveUp();
    let last = first;
    let current = first + 1;
    for (; current < this.lines; current++) {
      if (this.isBlank(current)) {
        // Spaces past the indentation on a blank line are text of a literal scalar (folding them is left to yaml).
        if (this.indents[current]! > indent) {
          if (folded) giveUp();
          last = current;
        }
        continue;
      }
      if (this.indents[current]! < indent) break;
      last = current;
    }
    // yaml reads a tab after too little indentation into the scalar (to report it): leave that to it.
    if (current < this.lines && text.charCodeAt(this.starts[current]! + this.indents[current]!) === 9) giveUp();

    let value = '\n'.repeat(first - line - 1);
    if (!folded) {
      for (let index = first; index <= last; index++) {
        if (index > first) value += '\n';
        // A blank line indented less than the text slices to nothing.
        value += text.slice(this.starts[index]! + indent, this.ends[index]);
      }
    } else {
      let separator = '';
      let previousMoreIndented = false;
      for (let index = first; index <= last; index++) {
        const content = this.isBlank(index) ? '' : text.slice(this.starts[index]! + this.indents[index]!, this.ends[index]);
        const lineIndent = this.indents[index]!;
        if (lineIndent > indent || content[0] === '\t') {
          if (separator === ' ') separator = '\n';
          else if (!previousMoreIndented && separator === '\n') separator = '\n\n';
          value += separator + ' '.repeat(lineIndent - indent) + content;
          separator = '\n';
          previousMoreIndented = true;
        } else if (content === '') {
          if (separator === '\n') value += '\n';
          else separator = '\n';
        } else {
          value += separator + content;
          separator = ' ';
          previousMoreIndented = false;
        }
      }
    }
    if (!strip) value += '\n';
    const end = this.afterLine(last);
    const scalar = scalarNode(value, folded ? Scalar.BLOCK_FOLDED : Scalar.BLOCK_LITERAL, [at, end, end]);
    return { node: scalar, next: last + 1, end };
  }
}

/**
 * A mapping's keys so far, to give up on a duplicate (yaml reports it). Most mappings have a few keys, looked up by
 * a scan of the items (a Set per mapping was 1 % of all a lint allocated); a long one gets a Set.
 */
class KeysSeen {
  private set: Set<unknown> | undefined;

  add(map: YAMLMap, key: unknown): void {
    const items = map.items as Pair<Scalar, unknown>[];
    if (this.set === undefined && items.length < 16) {
      for (const pair of items) if (pair.key.value === key) giveUp();
      return;
    }
    this.set ??= new Set(items.map((pair) => pair.key.value));
    if (this.set.has(key)) giveUp();
    this.set.add(key);
  }
}

// ---- scalars

/** A plain scalar typed as `yaml`'s core schema types it; the forms it reads in ways not worth copying give up. */
function plainScalar(source: string, start: number, valueEnd: number, nodeEnd: number): Scalar {
  return scalarNode(plainValue(source), Scalar.PLAIN, [start, valueEnd, nodeEnd]);
}

function plainValue(source: string): unknown {
  switch (source) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const ch = source.charCodeAt(0);
  if ((ch >= 48 && ch <= 57) || ch === 43 || ch === DASH || ch === 46) {
    if (/^[0-9]+$/.test(source)) return parseInt(source, 10);
    if (/^[0-9]+\.[0-9]*$/.test(source)) return parseFloat(source);
    // Signs, exponents, .inf, .nan, 0o and 0x: numbers to the core schema, left to yaml.
    if (/^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$|^[-+]?\.(?:inf|Inf|INF)$|^\.(?:nan|NaN|NAN)$|^0[ox]/.test(source)) giveUp();
  }
  return source;
}

function emptyScalar(at: number): Scalar {
  return scalarNode(null, Scalar.PLAIN, [at, at, at]);
}

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', '"': '"', '/': '/', '0': '\0', r: '\r', ' ': ' ', e: '\x1b', a: '\x07', b: '\b', f: '\f', v: '\v' };

function unescapeDouble(body: string): string {
  if (!body.includes('\\')) return body;
  let value = '';
  for (let index = 0; index < body.length; index++) {
    const ch = body[index]!;
    if (ch !== '\\') {
      value += ch;
      continue;
    }
    const code = body[++index] ?? giveUp();
    const simple = ESCAPES[code];
    if (simple !== undefined) value += simple;
    else if (code === 'x' || code === 'u') {
      const length = code === 'x' ? 2 : 4;
      const hex = body.slice(index + 1, index + 1 + length);
      if (!/^[0-9a-fA-F]+$/.test(hex) || hex.length !== length) giveUp();
      value += String.fromCharCode(parseInt(hex, 16));
      index += length;
    } else giveUp();
  }
  return value;
}

/** Where a plain key may start: a word character (keys like `on`, `runs-on`, `2`, `_x`). */
function isKeyStart(ch: number): boolean {
  return (ch >= 48 && ch <= 57) || (ch >= 65 && ch <= 90) || (ch >= 97 && ch <= 122) || ch === 95;
}

/** Plain scalars may not start with an indicator; `-`, `?` and `:` only when a non-space follows. */
function isPlainStart(text: string, at: number, lineEnd: number, inFlow: boolean): boolean {
  const ch = text.charCodeAt(at);
  if (ch === DASH || ch === 63 || ch === COLON) {
    const next = text.charCodeAt(at + 1);
    return at + 1 < lineEnd && next !== SPACE && !(inFlow && (next === 44 || next === 91 || next === 93 || next === 123 || next === 125));
  }
  // , [ ] { } # & * ! | > ' " % @ `
  return !(ch === 44 || ch === 91 || ch === 93 || ch === 123 || ch === 125 || ch === HASH || ch === 38 || ch === 42 || ch === 33 || ch === 124 || ch === 62 || ch === 39 || ch === 34 || ch === 37 || ch === 64 || ch === 96);
}

/** After a `:`, what makes it a key's indicator: a space or the end of the line. */
function isSeparator(ch: number, at: number, lineEnd: number): boolean {
  return at >= lineEnd || ch === SPACE;
}

function skipSpaces(text: string, at: number): number {
  while (text.charCodeAt(at) === SPACE) at++;
  return at;
}
