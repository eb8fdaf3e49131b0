/**
 * A JSON reader for payload templates: JSON text in which `${{ }}` expressions (and, in shell scripts,
 * `$VAR`s) stand for values or for parts of strings. It keeps every key's and value's offsets, which
 * JSON.parse cannot, so findings can point at the key in the workflow file.
 */
import { findClose } from '../expressions/template.js';
import { MAX_NESTING_DEPTH } from './limits.js';

interface Spanned {
  start: number;
  end: number;
}

export interface JsonEntry {
  key: string;
  keyStart: number;
  keyEnd: number;
  /** True when the key itself is (or contains) an expression: the payload's keys are then not all known. */
  keyIsTemplated: boolean;
  value: JsonNode;
}

export type JsonNode =
  | ({ type: 'object'; entries: JsonEntry[] } & Spanned)
  | ({ type: 'array'; items: JsonNode[] } & Spanned)
  /** `text` is the string's content with escapes decoded and any `${{ }}` kept as written. */
  | ({ type: 'string'; text: string; templated: boolean } & Spanned)
  | ({ type: 'number'; value: number } & Spanned)
  | ({ type: 'boolean'; value: boolean } & Spanned)
  | ({ type: 'null' } & Spanned)
  /** A bare `${{ expr }}` (source is the expression body) or a bare shell `$VAR` (source starts with `$`). */
  | ({ type: 'expression'; source: string; shell: boolean } & Spanned);

export type TemplatedJsonResult =
  | { ok: true; node: JsonNode }
  /** `tooDeep`: valid as far as it was read, but nested beyond MAX_NESTING_DEPTH, so it was not read further. */
  | { ok: false; error: string; offset: number; tooDeep?: true };

class JsonSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
    readonly tooDeep = false,
  ) {
    super(message);
  }
}

export function parseTemplatedJson(text: string, options: { shellVariables?: boolean } = {}): TemplatedJsonResult {
  const reader = new Reader(text, options.shellVariables ?? false);
  try {
    reader.skipBlank();
    const node = reader.value();
    reader.skipBlank();
    if (!reader.atEnd()) reader.fail(`unexpected ${reader.describeHere()} after the JSON value`);
    return { ok: true, node };
  } catch (error) {
    if (error instanceof JsonSyntaxError) return error.tooDeep ? { ok: false, error: error.message, offset: error.offset, tooDeep: true } : { ok: false, error: error.message, offset: error.offset };
    throw error;
  }
}

class Reader {
  private offset = 0;
  private depth = 0;

  constructor(
    private readonly text: string,
    private readonly shellVariables: boolean,
  ) {}

  atEnd(): boolean {
    return this.offset >= this.text.length;
  }

  fail(message: string): never {
    throw new JsonSyntaxError(message, this.offset);
  }

  describeHere(): string {
    if (this.atEnd()) return 'end of text';
    return `'${this.text.slice(this.offset, this.offset + 12).split('\n')[0]}'`;
  }

  skipBlank(): void {
    while (!this.atEnd() && /\s/.test(this.text[this.offset] as string)) this.offset++;
  }

  value(): JsonNode {
    const start = this.offset;
    const ch = this.text[this.offset];
    if (ch === '{' || ch === '[') {
      if (++this.depth > MAX_NESTING_DEPTH) throw new JsonSyntaxError(`it nests more than ${MAX_NESTING_DEPTH} levels deep`, this.offset, true);
      const node = ch === '{' ? this.object() : this.array();
      this.depth--;
      return node;
    }
    if (ch === '"') return this.string();
    if (this.text.startsWith('${{', this.offset)) return this.expression();
    if (ch === '$' && this.shellVariables) return this.shellVariable();
    const word = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.offset, this.offset + 40));
    if (!word) this.fail(`expected a JSON value but found ${this.describeHere()}`);
    this.offset += word[0].length;
    const end = this.offset;
    if (word[0] === 'true' || word[0] === 'false') return { type: 'boolean', value: word[0] === 'true', start, end };
    if (word[0] === 'null') return { type: 'null', start, end };
    return { type: 'number', value: Number(word[0]), start, end };
  }

  private object(): JsonNode {
    const start = this.offset++;
    const entries: JsonEntry[] = [];
    this.skipBlank();
    if (this.text[this.offset] === '}') {
      this.offset++;
      return { type: 'object', entries, start, end: this.offset };
    }
    for (;;) {
      this.skipBlank();
      const keyStart = this.offset;
      let key: string;
      let keyIsTemplated: boolean;
      if (this.text[this.offset] === '"') {
        const keyNode = this.string();
        if (keyNode.type !== 'string') this.fail('expected a key');
        key = keyNode.text;
        keyIsTemplated = keyNode.templated;
      } else if (this.text.startsWith('${{', this.offset)) {
        key = this.expression().type === 'expression' ? this.text.slice(keyStart, this.offset) : '';
        keyIsTemplated = true;
      } else {
        this.fail(`expected a quoted key but found ${this.describeHere()}`);
      }
      const keyEnd = this.offset;
      this.skipBlank();
      if (this.text[this.offset] !== ':') this.fail(`expected ':' after key "${key}"`);
      this.offset++;
      this.skipBlank();
      entries.push({ key, keyStart, keyEnd, keyIsTemplated, value: this.value() });
      this.skipBlank();
      const next = this.text[this.offset];
      this.offset++;
      if (next === '}') return { type: 'object', entries, start, end: this.offset };
      if (next !== ',') {
        this.offset--;
        this.fail(`expected ',' or '}' but found ${this.describeHere()}`);
      }
    }
  }

  private array(): JsonNode {
    const start = this.offset++;
    const items: JsonNode[] = [];
    this.skipBlank();
    if (this.text[this.offset] === ']') {
      this.offset++;
      return { type: 'array', items, start, end: this.offset };
    }
    for (;;) {
      this.skipBlank();
      items.push(this.value());
      this.skipBlank();
      const next = this.text[this.offset];
      this.offset++;
      if (next === ']') return { type: 'array', items, start, end: this.offset };
      if (next !== ',') {
        this.offset--;
        this.fail(`expected ',' or ']' but found ${this.describeHere()}`);
      }
    }
  }

  private string(): JsonNode {
    const start = this.offset++;
    let text = '';
    let templated = false;
    while (!this.atEnd()) {
      const ch = this.text[this.offset] as string;
      if (ch === '"') {
        this.offset++;
        return { type: 'string', text, templated, start, end: this.offset };
      }
      if (this.text.startsWith('${{', this.offset)) {
        // An expression inside a string may itself contain quotes; it ends at its own `}}`.
        const close = findClose(this.text, this.offset + 3);
        if (close < 0) this.fail('unclosed ${{ in a string');
        text += this.text.slice(this.offset, close + 2);
        templated = true;
        this.offset = close + 2;
        continue;
      }
      if (ch === '\\') {
        text += decodeEscape(this.text[this.offset + 1] ?? '', this.text.slice(this.offset + 2, this.offset + 6));
        this.offset += this.text[this.offset + 1] === 'u' ? 6 : 2;
        continue;
      }
      if (ch === '\n') this.fail('a line break inside a JSON string');
      if (ch === '$' && this.shellVariables) templated = true;
      text += ch;
      this.offset++;
    }
    return this.fail('unclosed string');
  }

  private expression(): JsonNode {
    const start = this.offset;
    const close = findClose(this.text, this.offset + 3);
    if (close < 0) this.fail('unclosed ${{');
    this.offset = close + 2;
    return { type: 'expression', source: this.text.slice(start + 3, close).trim(), shell: false, start, end: this.offset };
  }

  private shellVariable(): JsonNode {
    const start = this.offset;
    const match = /^\$(?:\{[^}]*\}|[A-Za-z_][A-Za-z0-9_]*|\([^)]*\))/.exec(this.text.slice(this.offset));
    if (!match) this.fail(`expected a JSON value but found ${this.describeHere()}`);
    this.offset += match[0].length;
    return { type: 'expression', source: match[0], shell: true, start, end: this.offset };
  }
}

function decodeEscape(ch: string, hex: string): string {
  switch (ch) {
    case 'n':
      return '\n';
    case 't':
      return '\t';
    case 'r':
      return '\r';
    case 'b':
      return '\b';
    case 'f':
      return '\f';
    case 'u':
      return String.fromCharCode(parseInt(hex, 16) || 0);
    default:
      return ch;
  }
}
