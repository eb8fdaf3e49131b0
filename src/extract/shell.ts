/**
 * Finds repository_dispatch / workflow_dispatch sends in the bash script of a GitHub Actions `run:` step.
 *
 * The script is read the way bash reads it, far enough to know which words are in command position: quotes,
 * escapes, line continuations, comments, `$(...)` / backticks (whose commands are read too), pipelines and
 * lists, here-documents (their bodies are never mistaken for commands) and redirections. `${{ ... }}` is one
 * opaque run of word characters, because the runner substitutes it before bash runs.
 *
 * Three senders are recognised: `gh api .../dispatches`, `gh workflow run` and `curl .../dispatches`.
 *
 * Reserved words at the start of a command are followed into blocks (loop bodies, `if` branches, `case` arms,
 * groups, subshells), so that a send knows the shell variables its values read: a `for` list, the lines of a
 * `while read` loop, an array, a literal assigned once before it (shell-scope.ts decides which). They are
 * given back as `bindings`, resolved later in the step's scope: one concrete send per value.
 *
 * Everything here is linear in the script's length: a command knows the one before it in its pipeline, and
 * the reads of the event file are matched to commands by a binary search.
 *
 * A real shell parser was measured as the alternative (Node 20, 2 busy cores): sh-syntax 0.7 (the
 * WASM build of mvdan/sh) is async only, and its AST carries no words for commands; mvdan-sh 0.10 (GopherJS)
 * takes 84 ms to load (as long as `node -e 0`), 780 ms to parse a 16,000-command line, rejects every `${{ }}`
 * as a bad parameter expansion and stops at the first syntax error. Neither would save the sender reading
 * below, which is most of this file.
 *
 * Where raw-send.ts cannot say something, the nearest fit is used:
 * - RawSend has no HTTP method. A request to a dispatches endpoint that is not a POST (gh api with neither
 *   fields, `--input` nor `-X POST`; curl without data or `-X POST`; an explicit `-X GET`) dispatches nothing,
 *   so it is not reported as a send; a `problems` entry names it instead.
 * - A send's span runs from the command's first word through its last word or redirection (line continuations
 *   included). A here-document body it reads is not in that span: it has its own span in `body` / `payload`.
 * - `gh workflow run --json` reads the inputs object from stdin. When the script shows stdin (a heredoc, a
 *   here-string, `echo ... |`) the payload is `json-text` holding that inputs object; otherwise `unknown`.
 * - `authorization` also takes token evidence that is not literally an `Authorization:` header but is carried
 *   by the command itself: `GH_TOKEN=... gh ...` / `GITHUB_TOKEN=... gh ...` prefixes, and curl's
 *   `--oauth2-bearer TOKEN` and `-u USER:TOKEN` (the text after the colon).
 * - gh's `{owner}` / `{repo}` endpoint placeholders mean the current repository; they are given back as the
 *   `${{ }}` expressions for it, while the span stays on the placeholder text.
 */
import { findClose } from '../expressions/template.js';
import type {
  RawField,
  RawPayload,
  RawPayloadRead,
  RawSend,
  RawValue,
  RawValueType,
  ScriptFacts,
  Span,
} from './raw-send.js';
import { itemOf, referencedNames, ScriptScope, type Block, type Guard, type Loop, type Site, type ValueItem } from './shell-scope.js';
import type { RawValueFilter } from './raw-send.js';

type Problem = ScriptFacts['problems'][number];

// =============================================================================================================
// Words and commands, as bash splits them
// =============================================================================================================

/** A half-open range [from, to) of indexes into a word's text. */
interface TextRange {
  from: number;
  to: number;
}

interface Word {
  /** Where the word is spelt, quotes included. */
  span: Span;
  /** The word after quote removal. `$VAR`, `${VAR}`, `${{ }}`, `$(...)` and backticks stay as spelt. */
  text: string;
  /** offsets[i] is the script offset text[i] was read from. */
  offsets: number[];
  /** Parts of the text whose value only exists at run time: `$(...)`, backticks, `$((...))`. */
  dynamic: TextRange[];
  /** Index in text of the first character that came from quotes or an escape (text.length when none). */
  firstQuoted: number;
  /** `$VAR`, `${...}` and `${{ }}` in the text, and whether each stood inside quotes (then bash does not split it). */
  expansions: (TextRange & { quoted: boolean })[];
  /** An unquoted `*`, `?`, `[` or `{`: bash may expand the word into file names or several words. */
  pattern: boolean;
  /** `NAME=(a b c)`: the array's elements. */
  elements?: Word[];
}

interface Redirect {
  /** '<<', '<<-', '<<<', '<', '>', '>&', ... */
  operator: string;
  span: Span;
  target: Word | undefined;
  /** For `<<` / `<<-`: the here-document body, once the reader has passed the end of its line. */
  heredoc?: RawValue;
}

/** One simple command: its words (assignments included) and redirections. */
interface SimpleCommand {
  words: Word[];
  redirects: Redirect[];
  /** Commands joined by `|` share this number. */
  pipeline: number;
  /** The command before it in its pipeline. */
  previous: SimpleCommand | undefined;
  span: Span;
  site: Site;
  /** Preceded by `!`. */
  negated?: boolean;
}

/** A loop as the reader meets it: its header, then (while/until) its condition, then its `done`. */
interface LoopState {
  kind: 'for' | 'while' | 'until';
  /** for: the variable and its list (undefined: `for x; do` iterates over "$@", or `for ((...))`). */
  variable?: string;
  words?: Word[];
  site?: Site;
  /** while/until: the first command of the condition (`read -r repo`). */
  condition?: SimpleCommand;
  /** The redirections written after `done` (the loop's stdin), and where they are expanded. */
  done?: { redirects: Redirect[]; site: Site };
}

/** Where a command list read by `readCommandList` ends: a `$(...)` or backtick substitution, or the script. */
interface Closer {
  char: ')' | '`';
  opener: number;
}

const BLANKS = new Set([' ', '\t', '\r']);
const WORD_BREAKS = new Set([' ', '\t', '\r', '\n', ';', '&', '|', '(', ')', '<', '>']);
/** Longest first, so that `&&` is not read as `&`. */
const CONTROL_OPERATORS = [';;&', ';;', ';&', '&&', '||', '|&', ';', '|', '&', '(', ')'];
const REDIRECT_OPERATOR = /(?:\d+|\{[A-Za-z_]\w*\})?(<<<|<<-|<<|<>|<&|>&|>>|>\||&>>|&>|<|>)/y;
const SHELL_PARAMETER = /\$(?:[A-Za-z_][A-Za-z0-9_]*|[0-9]|[@*#?$!-])/y;
const ANSI_C_ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  e: '\x1b',
  E: '\x1b',
  f: '\f',
  v: '\v',
  '\\': '\\',
  "'": "'",
  '"': '"',
};

/** Returns the index just after the `}}` closing the `${{` at `from`, or -1 (the runner's own rule: see findClose). */
function findExpressionEnd(text: string, from: number): number {
  const close = findClose(text, from + 3);
  return close < 0 ? -1 : close + 2;
}

/** Collects a word's text character by character, remembering where each character came from. */
class WordBuilder {
  text = '';
  private readonly offsets: number[] = [];
  private readonly dynamic: TextRange[] = [];
  private readonly expansions: Word['expansions'] = [];
  private firstQuoted = -1;
  pattern = false;

  get firstQuotedAt(): number {
    return this.firstQuoted;
  }
  elements: Word[] | undefined;

  append(ch: string, at: number, quoted: boolean): void {
    if (quoted && this.firstQuoted < 0) this.firstQuoted = this.text.length;
    this.text += ch;
    this.offsets.push(at);
  }

  /** Appends script text as spelt, one character per script offset. */
  appendSource(src: string, from: number, to: number, quoted: boolean, dynamic: boolean, expansion = false): void {
    const textStart = this.text.length;
    for (let at = from; at < to; at++) this.append(src.charAt(at), at, quoted);
    if (dynamic) this.dynamic.push({ from: textStart, to: this.text.length });
    if (expansion) this.expansions.push({ from: textStart, to: this.text.length, quoted });
  }

  build(span: Span): Word {
    const word: Word = {
      span,
      text: this.text,
      offsets: this.offsets,
      dynamic: this.dynamic,
      firstQuoted: this.firstQuoted < 0 ? this.text.length : this.firstQuoted,
      expansions: this.expansions,
      pattern: this.pattern,
    };
    if (this.elements) word.elements = this.elements;
    return word;
  }
}

interface CommandUnderConstruction {
  words: Word[];
  redirects: Redirect[];
  pipeline: number;
  previous: SimpleCommand | undefined;
  conditional: boolean;
  /** The words are not a command but the header of `for` / `select`, `case` or `function`. */
  header?: 'for' | 'case' | 'function';
  /** The command is the first of a while/until condition. */
  conditionOf?: LoopState;
  /** The command is `done`: its redirections are the loop's. */
  closes?: LoopState;
  /** After `time`: a `-p` is still part of the reserved word. */
  afterTime?: boolean;
  /** After `!`. */
  negated?: boolean;
}

/** An `if` being read: the guards of the conditions before, and the commands of the condition being read. */
interface IfState {
  conditions: { whenTrue: Guard[]; whenFalse: Guard[] }[];
  current: SimpleCommand[];
}

/** A `case` being read: its word, the patterns of the arm being read, those of the arms before. */
interface CaseState {
  subject: Word | undefined;
  patterns: Word[];
  /** Undefined once an arm ends with `;;&` (the next arm may run after it) or a pattern cannot be read. */
  previous: string[] | undefined;
  /** The arm before ended with `;&`, so this one also runs without its pattern matching. */
  fallsThrough: boolean;
}

/** Reserved words that open, continue or close a compound command, when they start a command. */
const STRUCTURE_WORDS = new Set(['if', 'then', 'elif', 'else', 'fi', 'for', 'select', 'while', 'until', 'do', 'done', 'case', 'esac', '{', '}', '!', 'time', 'function']);
const ARITHMETIC_ASSIGNMENT = /([A-Za-z_][A-Za-z0-9_]*)\s*(?:[-+*\/%&|^]|<<|>>)?=(?!=)|([A-Za-z_][A-Za-z0-9_]*)\s*(?:\+\+|--)|(?:\+\+|--)\s*([A-Za-z_][A-Za-z0-9_]*)/g;

/**
 * Splits a script into simple commands. Commands inside `$(...)` and backticks are read as well and listed
 * before the command that holds them. Here-document bodies are read at the end of their line, as bash does.
 * Reserved words at the start of a command are followed as far as blocks go (loops, branches, `case` arms,
 * groups, subshells), and each command's assignments are told to the ScriptScope.
 */
class ShellReader {
  readonly commands: SimpleCommand[] = [];
  readonly comments: Span[] = [];
  readonly problems: Problem[] = [];
  readonly scope = new ScriptScope();
  private pos = 0;
  private pendingHeredocs: Redirect[] = [];
  private pipelineCount = 0;
  private seq = 0;
  /** A loop whose header has been read and whose `do` has not. */
  private pendingLoop: LoopState | undefined;
  private readonly loopStates = new WeakMap<Block, LoopState>();
  private readonly ifStates = new WeakMap<Block, IfState>();
  private readonly caseStates = new WeakMap<Block, CaseState>();

  constructor(private readonly src: string) {}

  read(): void {
    this.readCommandList(undefined);
    for (const redirect of this.pendingHeredocs) {
      this.problem('here-document has no body (the script ends on its line)', redirect.span.start, redirect.span.end);
    }
    this.pendingHeredocs = [];
    this.scope.finish();
  }

  private problem(message: string, start: number, end: number): void {
    this.problems.push({ message, span: { start, end } });
  }

  private get atEnd(): boolean {
    return this.pos >= this.src.length;
  }

  private peek(ahead = 0): string {
    return this.src.charAt(this.pos + ahead);
  }

  private site(conditional: boolean): Site {
    return { seq: this.seq++, block: this.scope.current, conditional };
  }

  // ---- command lists --------------------------------------------------------------------------------------

  /** Reads commands until the end of the script, or until `closer` (which is consumed). */
  private readCommandList(closer: Closer | undefined): void {
    let current = this.startCommand(undefined, false);
    // Subshell parentheses inside `$(...)` must not be taken for its closing parenthesis.
    let parenDepth = 0;
    const finish = (operator: string | undefined): void => {
      const continuesPipeline = operator === '|' || operator === '|&';
      const nextConditional = continuesPipeline || operator === '&&' || operator === '||';
      if (operator === '&' || continuesPipeline) current.conditional = true;
      // An empty command (a blank line, a newline after `|` or `&&`) keeps its place in the pipeline.
      if (current.words.length === 0 && current.redirects.length === 0 && !current.header && !current.closes) {
        if (operator !== undefined && operator !== '|' && operator !== '|&') current.conditional = nextConditional;
        return;
      }
      const finished = this.finishCommand(current);
      current = this.startCommand(continuesPipeline ? current.pipeline : undefined, nextConditional, continuesPipeline ? finished : undefined);
    };

    for (;;) {
      this.skipBlanks();
      if (this.atEnd) {
        finish(undefined);
        if (closer) this.problem(`unterminated ${closer.char === ')' ? '$(' : '`'}`, closer.opener, this.src.length);
        return;
      }
      const ch = this.peek();
      if (this.scope.current.inPattern && !(closer?.char === '`' && ch === '`')) {
        this.readCasePattern(closer);
      } else if (ch === '#') {
        this.skipComment();
      } else if (ch === '\n') {
        finish(undefined);
        this.pos++;
        this.readHeredocBodies();
      } else if (closer && ch === closer.char && (ch === '`' || parenDepth === 0)) {
        finish(undefined);
        this.pos++;
        return;
      } else if (this.atProcessSubstitution()) {
        current.words.push(this.readWord(closer));
      } else if (this.src.startsWith('((', this.pos) && current.words.length === 0 && (current.header ?? 'for') === 'for' && this.readArithmeticCommand(current)) {
        continue;
      } else {
        const redirect = this.tryReadRedirect(closer);
        if (redirect) {
          current.redirects.push(redirect);
          continue;
        }
        const operator = this.tryReadControlOperator();
        if (operator === undefined) {
          const word = this.readWord(closer);
          if (!this.structureWord(word, current)) current.words.push(word);
          if (current.header === 'case' && current.words.length === 2) this.openCase(current, () => finish(undefined));
          else if (current.header === 'function' && current.words.length === 2 && current.words[1]?.text === '{') {
            current.words.pop();
            finish(undefined);
            this.scope.push('group');
          }
          continue;
        }
        if (operator === '(') {
          if (current.words.length > 0 && this.readFunctionParentheses()) {
            current.header = 'function';
            finish(undefined);
            continue;
          }
          parenDepth++;
          finish(undefined);
          this.scope.push('subshell');
          continue;
        }
        if (operator === ')') {
          finish(undefined);
          if (parenDepth > 0) parenDepth--;
          this.scope.pop('subshell');
          continue;
        }
        finish(operator);
        if (operator === ';;' || operator === ';&' || operator === ';;&') this.nextCaseArm(operator);
      }
    }
  }

  private startCommand(pipeline: number | undefined, conditional: boolean, previous?: SimpleCommand): CommandUnderConstruction {
    return { words: [], redirects: [], pipeline: pipeline ?? ++this.pipelineCount, previous, conditional };
  }

  private finishCommand(command: CommandUnderConstruction): SimpleCommand | undefined {
    const site = this.site(command.conditional);
    if (command.header === 'for') {
      this.readForHeader(command, site);
      return undefined;
    }
    if (command.header) return undefined;
    if (command.closes) {
      command.closes.done = { redirects: command.redirects, site };
      if (command.words.length === 0) return undefined;
    }
    const spans = [...command.words.map((w) => w.span), ...command.redirects.map((r) => r.span)];
    if (spans.length === 0) return undefined;
    const finished: SimpleCommand = {
      words: command.words,
      redirects: command.redirects,
      pipeline: command.pipeline,
      previous: command.previous,
      span: spanOfAll(spans),
      site,
    };
    if (command.negated) finished.negated = true;
    this.commands.push(finished);
    if (this.scope.current.kind === 'if') this.ifStates.get(this.scope.current)?.current.push(finished);
    if (command.conditionOf && !command.conditionOf.condition) command.conditionOf.condition = finished;
    recordAssignments(finished, this.scope);
    return finished;
  }

  // ---- reserved words and blocks ---------------------------------------------------------------------------

  /** Follows a reserved word that starts a command; returns true when the word is consumed by it. */
  private structureWord(word: Word, current: CommandUnderConstruction): boolean {
    if (current.afterTime && word.text === '-p') {
      current.afterTime = false;
      return true;
    }
    if (!atCommandStart(current) || !isUnquotedLiteral(word) || !STRUCTURE_WORDS.has(word.text)) return false;
    const scope = this.scope;
    const top = scope.current;
    switch (word.text) {
      case 'if':
        this.ifStates.set(scope.push('if'), { conditions: [], current: [] });
        break;
      case 'then': {
        const state = this.ifStates.get(top);
        if (!state) {
          scope.broken = true;
          break;
        }
        const condition = conditionGuards(state.current);
        state.current = [];
        scope.push('branch').guards = [...condition.whenTrue, ...state.conditions.flatMap((c) => c.whenFalse)];
        state.conditions.push(condition);
        break;
      }
      case 'elif':
        scope.pop('branch');
        break;
      case 'else': {
        const state = scope.pop('branch') ? this.ifStates.get(scope.current) : undefined;
        if (state) scope.push('branch').guards = state.conditions.flatMap((c) => c.whenFalse);
        break;
      }
      case 'fi':
        if (top.kind === 'branch') scope.pop('branch');
        scope.pop('if');
        break;
      case 'while':
      case 'until':
        this.pendingLoop = { kind: word.text };
        current.conditionOf = this.pendingLoop;
        break;
      case 'for':
      case 'select':
        current.header = 'for';
        break;
      case 'do': {
        const state = this.pendingLoop ?? { kind: 'while' };
        this.pendingLoop = undefined;
        this.loopStates.set(scope.push('loop', this.loopOf(state)), state);
        break;
      }
      case 'done': {
        const state = this.loopStates.get(top);
        if (scope.pop('loop') && state) current.closes = state;
        break;
      }
      case 'case':
        current.header = 'case';
        break;
      case 'esac':
        if (top.kind === 'branch') scope.pop('branch');
        scope.pop('case');
        break;
      case '{':
        scope.push('group');
        break;
      case '}':
        scope.pop('group');
        break;
      case 'time':
        current.afterTime = true;
        break;
      case 'function':
        current.header = 'function';
        break;
      default: // '!'
        current.negated = !current.negated;
        break;
    }
    return true;
  }

  /** `case WORD in`: the words after it are patterns up to `)`. */
  private openCase(current: CommandUnderConstruction, finish: () => void): void {
    const [subject, keyword] = current.words;
    finish();
    if (!keyword || keyword.text !== 'in') {
      this.scope.broken = true;
      return;
    }
    const block = this.scope.push('case');
    block.inPattern = true;
    this.caseStates.set(block, { subject, patterns: [], previous: [], fallsThrough: false });
  }

  /** Reads `a|b)` (or `esac`) in a case: patterns are not commands. */
  private readCasePattern(closer: Closer | undefined): void {
    const ch = this.peek();
    if (ch === '#') return this.skipComment();
    if (ch === '\n') {
      this.pos++;
      this.readHeredocBodies();
      return;
    }
    if (ch === ')') {
      this.pos++;
      const block = this.scope.current;
      block.inPattern = false;
      const state = this.caseStates.get(block);
      this.scope.push('branch').guards = state ? caseArmGuards(state) : [];
      return;
    }
    if (ch === '(' || ch === '|' || ch === ';' || ch === '&') {
      this.pos++;
      return;
    }
    const word = this.readWord(closer);
    if (isUnquotedLiteral(word) && word.text === 'esac') this.scope.pop('case');
    else this.caseStates.get(this.scope.current)?.patterns.push(word);
  }

  /** After `;;`, `;&` or `;;&` the arm ends and the next pattern starts. */
  private nextCaseArm(operator: string): void {
    if (this.scope.current.kind === 'branch' && this.scope.current.parent?.kind === 'case') {
      this.scope.pop('branch');
      this.scope.current.inPattern = true;
      const state = this.caseStates.get(this.scope.current);
      if (state && operator === ';&') state.fallsThrough = true;
      if (state && operator === ';;&') state.previous = undefined;
    } else {
      this.scope.broken = true;
    }
  }

  /** `name ()` of a function definition: consumes the `)` when only blanks stand before it. */
  private readFunctionParentheses(): boolean {
    let at = this.pos;
    while (BLANKS.has(this.src.charAt(at))) at++;
    if (this.src.charAt(at) !== ')') return false;
    this.pos = at + 1;
    return true;
  }

  /** `(( ... ))` as a command (or a C-style `for` header): the names it assigns become unknown. */
  private readArithmeticCommand(current: CommandUnderConstruction): boolean {
    let depth = 0;
    let at = this.pos;
    for (; at < this.src.length; at++) {
      const ch = this.src.charAt(at);
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
      else if (ch === '\n' && depth < 2) return false;
    }
    if (at >= this.src.length || this.src.charAt(at - 1) !== ')') return false;
    const body = this.src.slice(this.pos + 2, at - 1);
    this.pos = at + 1;
    const site = this.site(current.conditional);
    for (const match of body.matchAll(ARITHMETIC_ASSIGNMENT)) {
      this.scope.assign((match[1] ?? match[2] ?? match[3]) as string, site, { kind: 'other' });
    }
    if (current.header === 'for') {
      current.header = undefined;
      this.pendingLoop = { kind: 'for', site };
    }
    return true;
  }

  /** `for NAME in WORDS` (or `for NAME` alone, which iterates over "$@"). */
  private readForHeader(command: CommandUnderConstruction, site: Site): void {
    const [name, keyword, ...list] = command.words;
    const state: LoopState = { kind: 'for', site };
    if (name && isUnquotedLiteral(name) && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name.text)) {
      state.variable = name.text;
      if (keyword && isUnquotedLiteral(keyword) && keyword.text === 'in') state.words = list;
      else if (keyword) this.scope.broken = true;
      this.scope.assign(name.text, site, { kind: 'other' });
    } else {
      this.scope.broken = true;
    }
    this.pendingLoop = state;
  }

  /** What the scope needs of a loop: the names it binds and, lazily, its values. */
  private loopOf(state: LoopState): Loop {
    // Read once, when the first send asks (every send in the body shares the one list).
    const once = (read: (scope: ScriptScope) => ValueItem[] | undefined): Loop['values'] => {
      let values: { items: ValueItem[] | undefined } | undefined;
      return (scope) => (values ??= { items: read(scope) }).items;
    };
    if (state.kind === 'for') {
      return { binds: state.variable ? [state.variable] : [], values: once((scope) => forListValues(state, scope)) };
    }
    const read = state.kind === 'while' && state.condition ? readCommandOf(state.condition) : undefined;
    return { binds: read?.names ?? [], values: once((scope) => (read?.plain ? whileReadValues(state, scope) : undefined)) };
  }

  /** Skips spaces, tabs and line continuations (backslash-newline). */
  private skipBlanks(): void {
    while (!this.atEnd) {
      if (BLANKS.has(this.peek())) this.pos++;
      else if (this.peek() === '\\' && this.peek(1) === '\n') this.pos += 2;
      else return;
    }
  }

  private skipComment(): void {
    const start = this.pos;
    const newline = this.src.indexOf('\n', this.pos);
    this.pos = newline < 0 ? this.src.length : newline;
    this.comments.push({ start, end: this.pos });
  }

  private tryReadControlOperator(): string | undefined {
    const operator = CONTROL_OPERATORS.find((op) => this.src.startsWith(op, this.pos));
    if (operator !== undefined) this.pos += operator.length;
    return operator;
  }

  private atProcessSubstitution(): boolean {
    return (this.peek() === '<' || this.peek() === '>') && this.peek(1) === '(';
  }

  // ---- redirections and here-documents ---------------------------------------------------------------------

  private tryReadRedirect(closer: Closer | undefined): Redirect | undefined {
    REDIRECT_OPERATOR.lastIndex = this.pos;
    const match = REDIRECT_OPERATOR.exec(this.src);
    if (!match) return undefined;
    const start = this.pos;
    const operator = match[1] ?? '';
    this.pos = REDIRECT_OPERATOR.lastIndex;
    this.skipBlanks();
    const next = this.peek();
    const target = this.atEnd || next === '\n' || (WORD_BREAKS.has(next) && !this.atProcessSubstitution())
      ? undefined
      : this.readWord(closer);
    if (!target) this.problem(`redirection ${operator} has no target`, start, this.pos);
    const redirect: Redirect = { operator, span: { start, end: target?.span.end ?? this.pos }, target };
    if ((operator === '<<' || operator === '<<-') && target) this.pendingHeredocs.push(redirect);
    return redirect;
  }

  /** Called just after a newline: reads the bodies of the here-documents opened on the line before it. */
  private readHeredocBodies(): void {
    const pending = this.pendingHeredocs;
    this.pendingHeredocs = [];
    for (const redirect of pending) this.readHeredocBody(redirect);
  }

  private readHeredocBody(redirect: Redirect): void {
    const delimiterWord = redirect.target;
    if (!delimiterWord) return;
    const delimiter = delimiterWord.text;
    const stripTabs = redirect.operator === '<<-';
    const bodyStart = this.pos;
    let body = '';
    while (!this.atEnd) {
      const lineStart = this.pos;
      const newline = this.src.indexOf('\n', lineStart);
      const lineEnd = newline < 0 ? this.src.length : newline;
      const line = this.src.slice(lineStart, lineEnd);
      const compared = (stripTabs ? line.replace(/^\t+/, '') : line).replace(/\r$/, '');
      this.pos = newline < 0 ? this.src.length : newline + 1;
      if (compared === delimiter) {
        redirect.heredoc = this.heredocValue(body, { start: bodyStart, end: lineStart }, delimiterWord);
        return;
      }
      body += (stripTabs ? line.replace(/^\t+/, '') : line) + (newline < 0 ? '' : '\n');
    }
    this.problem(`here-document is not closed by a line "${delimiter}"`, redirect.span.start, redirect.span.end);
    redirect.heredoc = this.heredocValue(body, { start: bodyStart, end: this.src.length }, delimiterWord);
  }

  /**
   * With a quoted delimiter (`<<'EOF'`) the body is literal. Unquoted, bash still expands it: `\$`, `` \` ``,
   * `\\` and backslash-newline are unescaped here, `$VAR` is left for the caller, and `$(...)` makes it inexact.
   */
  private heredocValue(body: string, span: Span, delimiter: Word): RawValue {
    const literal = delimiter.firstQuoted < delimiter.text.length;
    if (literal) return { text: body, span, exact: true };
    const text = body.replace(/\\([$`\\])/g, '$1').replace(/\\\n/g, '');
    return { text, span, exact: !/\$\(|`/.test(body) };
  }

  // ---- words ----------------------------------------------------------------------------------------------

  private readWord(closer: Closer | undefined): Word {
    const start = this.pos;
    const word = new WordBuilder();
    if (this.atProcessSubstitution()) this.readSubstitution(word, 2, ')', false);
    while (!this.atEnd) {
      const ch = this.peek();
      if (ch === '(' && word.firstQuotedAt < 0 && ARRAY_ASSIGNMENT.test(word.text)) {
        this.readArrayElements(word, closer);
        break;
      }
      if (WORD_BREAKS.has(ch)) break;
      if (ch === '`') {
        if (closer?.char === '`') break;
        this.readSubstitution(word, 1, '`', false);
      } else if (ch === '\\') {
        this.readUnquotedEscape(word);
      } else if (ch === "'") {
        this.readSingleQuoted(word);
      } else if (ch === '"') {
        this.readDoubleQuoted(word);
      } else if (ch === '$') {
        this.readDollar(word, false);
      } else {
        if (ch === '*' || ch === '?' || ch === '[' || ch === '{') word.pattern = true;
        word.append(ch, this.pos, false);
        this.pos++;
      }
    }
    if (this.pos === start) {
      // Never stall: whatever stopped us becomes a one-character word.
      word.append(this.peek(), this.pos, false);
      this.pos++;
    }
    return word.build({ start, end: this.pos });
  }

  private readUnquotedEscape(word: WordBuilder): void {
    const next = this.peek(1);
    if (next === '\n') {
      this.pos += 2; // line continuation
    } else if (next === '') {
      word.append('\\', this.pos, false);
      this.pos++;
    } else {
      word.append(next, this.pos + 1, true);
      this.pos += 2;
    }
  }

  private readSingleQuoted(word: WordBuilder): void {
    const open = this.pos++;
    while (!this.atEnd) {
      const ch = this.peek();
      if (ch === "'") {
        this.pos++;
        return;
      }
      // `${{ }}` is substituted before bash runs, so quotes inside it do not close ours.
      if (this.src.startsWith('${{', this.pos) && this.tryReadExpression(word, true)) continue;
      word.append(ch, this.pos, true);
      this.pos++;
    }
    this.problem('unterminated single quote', open, this.src.length);
  }

  private readDoubleQuoted(word: WordBuilder): void {
    const open = this.pos++;
    while (!this.atEnd) {
      const ch = this.peek();
      if (ch === '"') {
        this.pos++;
        return;
      }
      if (ch === '\\') {
        this.readDoubleQuotedEscape(word);
      } else if (ch === '$') {
        this.readDollar(word, true);
      } else if (ch === '`') {
        this.readSubstitution(word, 1, '`', true);
      } else {
        word.append(ch, this.pos, true);
        this.pos++;
      }
    }
    this.problem('unterminated double quote', open, this.src.length);
  }

  /** Inside double quotes a backslash only escapes `$`, a backtick, `"`, `\` and newline. */
  private readDoubleQuotedEscape(word: WordBuilder): void {
    const next = this.peek(1);
    if (next === '\n') {
      this.pos += 2;
    } else if (next !== '' && '$`"\\'.includes(next)) {
      word.append(next, this.pos + 1, true);
      this.pos += 2;
    } else {
      word.append('\\', this.pos, true);
      this.pos++;
    }
  }

  private readDollar(word: WordBuilder, quoted: boolean): void {
    const at = (s: string): boolean => this.src.startsWith(s, this.pos);
    if (at('${{') && this.tryReadExpression(word, quoted)) return;
    if (at('$((')) return this.readArithmetic(word, quoted);
    if (at('$(')) return this.readSubstitution(word, 2, ')', quoted);
    if (at('${')) return this.readParameterExpansion(word, quoted);
    if (!quoted && at("$'")) return this.readAnsiCQuoted(word);
    if (!quoted && at('$"')) {
      this.pos++; // a locale-translated string reads like a double-quoted one
      return this.readDoubleQuoted(word);
    }
    SHELL_PARAMETER.lastIndex = this.pos;
    const parameter = SHELL_PARAMETER.exec(this.src);
    const end = parameter ? SHELL_PARAMETER.lastIndex : this.pos + 1;
    word.appendSource(this.src, this.pos, end, quoted, false, parameter !== null);
    this.pos = end;
  }

  /** `${{ ... }}` is kept as spelt. Returns false (and notes a problem) when it is never closed. */
  private tryReadExpression(word: WordBuilder, quoted: boolean): boolean {
    const end = findExpressionEnd(this.src, this.pos);
    if (end < 0) {
      this.problem('unterminated ${{ expression', this.pos, this.src.length);
      return false;
    }
    word.appendSource(this.src, this.pos, end, quoted, false, true);
    this.pos = end;
    return true;
  }

  /** `$(...)`, `<(...)`, `>(...)` or backticks: the commands inside are read; the word keeps the source text. */
  private readSubstitution(word: WordBuilder, openerLength: number, closer: ')' | '`', quoted: boolean): void {
    const start = this.pos;
    this.pos += openerLength;
    // Its commands run in a subshell: a loop or block opened outside does not continue inside, nor back.
    const outerLoop = this.pendingLoop;
    this.pendingLoop = undefined;
    const block = this.scope.push('substitution');
    this.readCommandList({ char: closer, opener: start });
    this.scope.unwindTo(block);
    this.scope.pop('substitution');
    this.pendingLoop = outerLoop;
    word.appendSource(this.src, start, this.pos, quoted, true);
  }

  /** `NAME=(a "b c" $D)`: the elements are words of their own; the assignment word keeps the source text. */
  private readArrayElements(word: WordBuilder, closer: Closer | undefined): void {
    const start = this.pos;
    const elements: Word[] = [];
    this.pos++;
    for (;;) {
      this.skipBlanks();
      if (this.atEnd) {
        this.problem('unterminated array (', start, this.src.length);
        break;
      }
      const ch = this.peek();
      if (ch === ')') {
        this.pos++;
        break;
      }
      if (ch === '\n') this.pos++;
      else if (ch === '#') this.skipComment();
      else elements.push(this.readWord(closer));
    }
    word.appendSource(this.src, start, this.pos, false, false);
    word.elements = elements;
  }

  private readArithmetic(word: WordBuilder, quoted: boolean): void {
    const start = this.pos;
    let depth = 0;
    for (this.pos += 1; !this.atEnd; this.pos++) {
      const ch = this.peek();
      if (ch === '(') depth++;
      else if (ch === ')' && --depth === 0) break;
    }
    if (this.atEnd) this.problem('unterminated $((', start, this.src.length);
    else this.pos++;
    word.appendSource(this.src, start, this.pos, quoted, true);
  }

  /** `${VAR}`, `${VAR:-default}`, ...: kept as spelt for the caller; inexact if it runs a command. */
  private readParameterExpansion(word: WordBuilder, quoted: boolean): void {
    const start = this.pos;
    let depth = 0;
    for (this.pos += 1; !this.atEnd; this.pos++) {
      const ch = this.peek();
      if (ch === '\\') this.pos++;
      else if (ch === '{') depth++;
      else if (ch === '}' && --depth === 0) break;
    }
    if (this.atEnd) this.problem('unterminated ${', start, this.src.length);
    else this.pos++;
    const spelt = this.src.slice(start, this.pos);
    word.appendSource(this.src, start, this.pos, quoted, /\$\(|`/.test(spelt), true);
  }

  private readAnsiCQuoted(word: WordBuilder): void {
    const open = this.pos;
    this.pos += 2;
    while (!this.atEnd) {
      const ch = this.peek();
      if (ch === "'") {
        this.pos++;
        return;
      }
      const escaped = ch === '\\' ? ANSI_C_ESCAPES[this.peek(1)] : undefined;
      if (escaped !== undefined) {
        word.append(escaped, this.pos + 1, true);
        this.pos += 2;
      } else {
        word.append(ch, this.pos, true);
        this.pos++;
      }
    }
    this.problem("unterminated $'", open, this.src.length);
  }
}

// =============================================================================================================
// Slices of words and the values made from them
// =============================================================================================================

/** Part of a word's text: an option's attached value, the `value` of `key=value`, a URL's repository. */
interface WordSlice {
  word: Word;
  from: number;
  to: number;
}

function wholeWord(word: Word): WordSlice {
  return { word, from: 0, to: word.text.length };
}

function subSlice(slice: WordSlice, from: number, to = slice.to - slice.from): WordSlice {
  return { word: slice.word, from: slice.from + from, to: slice.from + to };
}

function sliceText(slice: WordSlice): string {
  return slice.word.text.slice(slice.from, slice.to);
}

/**
 * The script span of a slice. It reaches out to the neighbouring characters of the word, so quotes around
 * the slice are included: in `ref="main"` the value's span is `"main"`, in `'k=v'` it is `v'`.
 */
function sliceSpan(slice: WordSlice): Span {
  const { word, from, to } = slice;
  const start = from === 0 ? word.span.start : (word.offsets[from - 1] ?? word.span.start) + 1;
  const end = to >= word.text.length ? word.span.end : (word.offsets[to] ?? word.span.end);
  return { start, end: Math.max(start, end) };
}

function sliceIsExact(slice: WordSlice): boolean {
  return !slice.word.dynamic.some((range) => range.from < slice.to && range.to > slice.from);
}

function rawValue(slice: WordSlice, text = sliceText(slice)): RawValue {
  return { text, span: sliceSpan(slice), exact: sliceIsExact(slice) };
}

/** Index of the first `char` in text that is not inside a `${{ }}` expression, or -1. */
function indexOutsideExpressions(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith('${{', i)) {
      const end = findExpressionEnd(text, i);
      if (end < 0) return -1;
      i = end - 1;
    } else if (text.charAt(i) === char) {
      return i;
    }
  }
  return -1;
}

/** The smallest span covering all of `spans` (which must not be empty). */
function spanOfAll(spans: Span[]): Span {
  return spans.reduce((all, s) => ({ start: Math.min(all.start, s.start), end: Math.max(all.end, s.end) }));
}

// =============================================================================================================
// Command position: which word names the command
// =============================================================================================================

/** Commands that run the command named after them (and the options of theirs that take a value). */
const WRAPPERS: Record<string, { valueOptions: string[]; takesAssignments?: boolean; operands?: number }> = {
  command: { valueOptions: [] },
  exec: { valueOptions: ['-a'] },
  nohup: { valueOptions: [] },
  env: { valueOptions: ['-u', '--unset', '-C', '--chdir'], takesAssignments: true },
  sudo: { valueOptions: ['-u', '-g', '-C', '-h', '-p', '-U', '-r', '-t', '-D'] },
  timeout: { valueOptions: ['-s', '--signal', '-k', '--kill-after'], operands: 1 },
  nice: { valueOptions: ['-n', '--adjustment'] },
};

const ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*(?:\[[^\]]*\])?\+?=/;
const ARRAY_ASSIGNMENT = /^[A-Za-z_][A-Za-z0-9_]*\+?=$/;

function isUnquotedLiteral(word: Word): boolean {
  return word.firstQuoted === word.text.length && word.dynamic.length === 0;
}

/** `NAME=value` where the `NAME=` part is unquoted (`"A=b"` is a plain word). */
function isAssignment(word: Word): boolean {
  const match = ASSIGNMENT.exec(word.text);
  return match !== null && match[0].length <= word.firstQuoted;
}

interface CommandHead {
  /** Index in the command's words of the command name. */
  nameIndex: number;
  /** `NAME=value` words that set the command's environment (before it, or given to `env`). */
  assignments: Word[];
  /** Where the command proper starts: its first assignment or wrapper, else its name. */
  start: number;
}

/** The reader has already taken reserved words (`then`, `do`, `!`, ...) off the front of a command. */
function locateCommandName(words: Word[]): CommandHead | undefined {
  const assignments: Word[] = [];
  let start: number | undefined;
  let i = 0;
  while (i < words.length) {
    const word = words[i]!;
    start ??= word.span.start;
    if (isAssignment(word)) {
      assignments.push(word);
      i++;
      continue;
    }
    const afterWrapper = skipWrapper(words, i, assignments);
    if (afterWrapper === undefined) return { nameIndex: i, assignments, start };
    i = afterWrapper;
  }
  return undefined;
}

/** When words[i] is a wrapper (`env`, `timeout 60`, ...), returns the index of the command it runs. */
function skipWrapper(words: Word[], i: number, assignments: Word[]): number | undefined {
  const name = commandName(words[i]!);
  const wrapper = name === undefined ? undefined : WRAPPERS[name];
  if (!wrapper) return undefined;
  // `command -v gh` looks gh up; it does not run it.
  if (name === 'command' && /^-[vV]$/.test(words[i + 1]?.text ?? '')) return undefined;
  let j = i + 1;
  while (j < words.length) {
    const word = words[j]!;
    if (word.text === '--') {
      j++;
      break;
    }
    if (word.text.startsWith('-') && word.text.length > 1) {
      j += wrapper.valueOptions.includes(word.text) ? 2 : 1;
    } else if (wrapper.takesAssignments && isAssignment(word)) {
      assignments.push(word);
      j++;
    } else {
      break;
    }
  }
  return j + (wrapper.operands ?? 0);
}

/** The program a word names (`/usr/bin/curl` names curl), or undefined when it is computed at run time. */
function commandName(word: Word): string | undefined {
  if (word.dynamic.length > 0 || word.text.includes('$')) return undefined;
  return word.text.slice(word.text.lastIndexOf('/') + 1);
}

function assignmentValue(assignments: Word[], name: string): WordSlice | undefined {
  const word = [...assignments].reverse().find((w) => w.text.startsWith(`${name}=`));
  return word ? { word, from: name.length + 1, to: word.text.length } : undefined;
}

// =============================================================================================================
// Variables the script sets (what the ScriptScope is told)
// =============================================================================================================

function atCommandStart(command: CommandUnderConstruction): boolean {
  return command.words.length === 0 && command.redirects.length === 0 && command.header === undefined;
}

/** Tells the scope which shell variables a command assigns, and how. */
function recordAssignments(command: SimpleCommand, scope: ScriptScope): void {
  const site = command.site;
  const head = locateCommandName(command.words);
  if (!head) {
    // Nothing but assignments: they set shell variables (with a command name they only set its environment).
    for (const word of command.words) if (isAssignment(word)) assignWord(word, site, scope, false);
    return;
  }
  const name = commandName(command.words[head.nameIndex]!);
  const args = command.words.slice(head.nameIndex + 1);
  const other = (variable: string | undefined): void => {
    if (variable !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(variable)) scope.assign(variable, site, { kind: 'other' });
  };
  switch (name) {
    case 'export':
    case 'readonly':
    case 'declare':
    case 'typeset':
    case 'local': {
      let options = '';
      for (const word of args) {
        if (/^[-+][A-Za-z]+$/.test(word.text)) options += word.text;
        else if (isAssignment(word)) assignWord(word, site, scope, /[Ain]/.test(options));
        // `local x` / `declare x` empties x; `export x` / `readonly x` leave its value alone.
        else if (name !== 'export' && name !== 'readonly') other(word.text);
      }
      return;
    }
    case 'read':
      for (const variable of readOperands(args).names) other(variable);
      return;
    case 'mapfile':
    case 'readarray':
      assignMapfile(command, args, scope);
      return;
    case 'unset':
      for (const word of args) if (!word.text.startsWith('-')) other(word.text);
      return;
    case 'printf': {
      const at = args.findIndex((word) => word.text === '-v');
      if (at >= 0) other(args[at + 1]?.text);
      return;
    }
    case 'getopts':
      other(args[1]?.text);
      return;
    default:
      return;
  }
}

function assignWord(word: Word, site: Site, scope: ScriptScope, otherwise: boolean): void {
  const match = /^([A-Za-z_][A-Za-z0-9_]*)(\[[^\]]*\])?(\+?)=/.exec(word.text);
  if (!match) return;
  const name = match[1] as string;
  if (otherwise || match[2] !== undefined || match[3] === '+') {
    scope.assign(name, site, { kind: 'other' });
  } else if (word.elements) {
    const elements = word.elements.map((element) => listItem(element, site));
    scope.assign(name, site, { kind: 'array', elements });
  } else {
    const value = { word, from: match[0].length, to: word.text.length };
    scope.assign(name, site, { kind: 'value', value: itemOf(sliceText(value), sliceSpan(value), site, { split: 'none', exact: sliceIsExact(value) }) });
  }
}

/** A word of a `for` list or an array: bash splits what an unquoted expansion gives; globs are not followed. */
function listItem(word: Word, site: Site): ValueItem {
  const split = word.expansions.some((expansion) => !expansion.quoted) ? 'words' : 'none';
  return itemOf(word.text, word.span, site, { split, exact: word.dynamic.length === 0 && !word.pattern });
}

/** `mapfile -t NAME <<< "$LINES"`: an array of the lines; any other form is only known at run time. */
function assignMapfile(command: SimpleCommand, args: Word[], scope: ScriptScope): void {
  const operands = args.filter((word) => !word.text.startsWith('-'));
  const name = operands.at(-1)?.text ?? 'MAPFILE';
  const onlyTrim = args.every((word) => !word.text.startsWith('-') || word.text === '-t');
  const redirect = lastStdinRedirect(command.redirects);
  const lines = onlyTrim && operands.length <= 1 && redirect ? stdinItems(redirect, command.site) : undefined;
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) return;
  scope.assign(name, command.site, lines ? { kind: 'array', elements: lines } : { kind: 'other' });
}

/** The variables `read` assigns, and whether it reads one plain line into one of them. */
function readOperands(args: Word[]): { names: string[]; plain: boolean } {
  const names: string[] = [];
  let plain = true;
  for (let i = 0; i < args.length; i++) {
    const text = args[i]!.text;
    if (!text.startsWith('-') || text === '-') {
      names.push(text);
      continue;
    }
    for (let j = 1; j < text.length; j++) {
      const letter = text.charAt(j);
      if (letter === 'p' || letter === 't') {
        if (j === text.length - 1) i++; // its value is the next word
        break;
      }
      // -a (array), -d (delimiter), -n/-N (counts), -u (another file), -i, -e...: not one plain line.
      if (letter !== 'r' && letter !== 's') plain = false;
    }
  }
  if (names.length === 0) names.push('REPLY');
  return { names, plain: plain && names.length === 1 };
}

/** A loop condition that starts with `read`: the names it binds. */
function readCommandOf(condition: SimpleCommand): { names: string[]; plain: boolean } | undefined {
  const head = locateCommandName(condition.words);
  if (!head || commandName(condition.words[head.nameIndex]!) !== 'read') return undefined;
  const operands = readOperands(condition.words.slice(head.nameIndex + 1));
  // `read x < file` in a condition re-opens the file on every turn: not a list of lines.
  return lastStdinRedirect(condition.redirects) ? { names: operands.names, plain: false } : operands;
}

function forListValues(state: LoopState, scope: ScriptScope): ValueItem[] | undefined {
  const site = state.site;
  if (!state.words || !site) return undefined;
  const items: ValueItem[] = [];
  for (const word of state.words) {
    const array = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\[([@*])\]\}$/.exec(word.text);
    const expansion = word.expansions[0];
    if (array && expansion && word.expansions.length === 1) {
      // "${a[@]}" gives each element as it is, ${a[@]} splits them further; "${a[*]}" joins them (not followed).
      if (expansion.quoted && array[2] === '*') return undefined;
      const elements = scope.arrayElements(array[1] as string, site);
      if (!elements) return undefined;
      items.push(...elements.map((element): ValueItem => (expansion.quoted ? element : { ...element, split: 'words' })));
      continue;
    }
    if (/\[[@*]\]/.test(word.text)) return undefined;
    items.push(listItem(word, site));
  }
  if (scope.splitsUnknown && items.some((item) => item.split === 'words')) return undefined;
  return items;
}

/** The lines a `while read` loop reads: from `done <<< ...`, `done <<EOF`, or `echo ... | while read`. */
function whileReadValues(state: LoopState, scope: ScriptScope): ValueItem[] | undefined {
  const done = state.done;
  if (!done) return undefined;
  const redirect = lastStdinRedirect(done.redirects);
  if (redirect) return stdinItems(redirect, done.site);
  const previous = state.condition?.previous;
  const items = previous ? printedItems(previous) : undefined;
  if (scope.splitsUnknown && items?.some((item) => item.split === 'words')) return undefined;
  return items;
}

const STDIN_REDIRECT_OPERATORS = new Set(['<<', '<<-', '<<<', '<']);

function lastStdinRedirect(redirects: Redirect[]): Redirect | undefined {
  for (let i = redirects.length - 1; i >= 0; i--) if (STDIN_REDIRECT_OPERATORS.has(redirects[i]!.operator)) return redirects[i];
  return undefined;
}

/** Lines given on stdin by a here-string or a here-document; a file is only known at run time. */
function stdinItems(redirect: Redirect, site: Site): ValueItem[] | undefined {
  const target = redirect.target;
  if (!target) return undefined;
  if (redirect.operator === '<<<') return [itemOf(target.text, target.span, site, { split: 'lines', exact: target.dynamic.length === 0 })];
  if (!redirect.heredoc) return undefined;
  const literal = target.firstQuoted < target.text.length;
  const body = redirect.heredoc;
  return redirect.operator === '<' ? undefined : [itemOf(body.text, body.span, site, { split: 'lines', expand: !literal, exact: body.exact })];
}

/** What `echo WORD`, `printf '%s\n' WORDS` or `cat <<EOF` print, line by line. */
function printedItems(command: SimpleCommand): ValueItem[] | undefined {
  const head = locateCommandName(command.words);
  if (!head) return undefined;
  const name = commandName(command.words[head.nameIndex]!);
  const args = command.words.slice(head.nameIndex + 1);
  const exact = (word: Word): boolean => word.dynamic.length === 0 && !word.pattern;
  if (name === 'echo') {
    // An unquoted expansion is split and joined again with spaces; -e would read escapes.
    const word = args[0];
    if (args.length !== 1 || !word || /^-/.test(word.text) || word.expansions.some((e) => !e.quoted)) return undefined;
    return [itemOf(word.text, word.span, command.site, { split: 'lines', exact: exact(word) })];
  }
  if (name === 'printf' && args.length >= 2 && args[0]!.text === '%s\\n') {
    return args.slice(1).map((word) => itemOf(word.text, word.span, command.site, { split: word.expansions.some((e) => !e.quoted) ? 'words' : 'lines', exact: exact(word) }));
  }
  const redirect = lastStdinRedirect(command.redirects);
  if (name === 'cat' && args.length === 0 && redirect) return stdinItems(redirect, command.site);
  return undefined;
}

// ---- what a branch requires of the variables --------------------------------------------------------------

/** The variable a word is nothing but: `$r`, `"$r"`, `${r}`. */
function soleVariable(word: Word): string | undefined {
  const expansion = word.expansions[0];
  if (word.expansions.length !== 1 || !expansion || expansion.from !== 0 || expansion.to !== word.text.length) return undefined;
  return /^\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?$/.exec(word.text)?.[1];
}

function isPlainText(word: Word): boolean {
  return word.expansions.length === 0 && word.dynamic.length === 0;
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, '\\$&');
}

/** Commands whose success depends on the text of their arguments rather than on the outside world. */
const VALUE_TESTS = new Set(['[', '[[', 'test', 'grep', 'egrep', 'fgrep', 'expr', 'echo', 'printf']);

/** Every variable the words read, each with no filter: a test the reader does not follow. */
function opaqueGuards(words: Word[]): Guard[] {
  return [...new Set(words.flatMap((word) => referencedNames(word.text)))].map((name) => ({ name }));
}

function negate(filter: RawValueFilter): RawValueFilter | undefined {
  if (filter.anyOf && filter.noneOf) return undefined;
  if (filter.anyOf) return { noneOf: filter.anyOf };
  return filter.noneOf ? { anyOf: filter.noneOf } : undefined;
}

/**
 * The guards of an `if` condition, when it is true and when it is false. Followed: one `[ ]`, `[[ ]]` or
 * `test` comparing one variable with a literal (`=`, `==`, `!=`) or testing it with `-n` / `-z`. Any other
 * condition that reads a variable leaves that variable unknown inside the branches.
 */
function conditionGuards(commands: SimpleCommand[]): { whenTrue: Guard[]; whenFalse: Guard[] } {
  const words = commands.flatMap((command) => [...command.words, ...command.redirects.flatMap((r) => (r.target ? [r.target] : []))]);
  const test = commands.length === 1 ? testFilter(commands[0]!) : undefined;
  if (!test) {
    // `if gh api ...; then`: any value may get through, as any send may happen. A test of the value itself
    // (`[[ $r =~ ^a ]]`, `echo "$r" | grep -q a`) decides which values do: then they are not guessed.
    const testsValues = commands.some((command) => {
      const head = locateCommandName(command.words);
      return head !== undefined && VALUE_TESTS.has(commandName(command.words[head.nameIndex]!) ?? '');
    });
    const opaque = testsValues ? opaqueGuards(words) : [];
    return { whenTrue: opaque, whenFalse: opaque };
  }
  const negated = negate(test.filter);
  const whenTrue: Guard = { name: test.name, filter: test.filter };
  const whenFalse: Guard = negated ? { name: test.name, filter: negated } : { name: test.name };
  return commands[0]!.negated ? { whenTrue: [whenFalse], whenFalse: [whenTrue] } : { whenTrue: [whenTrue], whenFalse: [whenFalse] };
}

function testFilter(command: SimpleCommand): { name: string; filter: RawValueFilter } | undefined {
  const head = locateCommandName(command.words);
  if (!head || head.nameIndex !== 0 || command.redirects.length > 0) return undefined;
  const program = command.words[0]!.text;
  let args = command.words.slice(1);
  if (program === '[' || program === '[[') {
    if (args.at(-1)?.text !== (program === '[' ? ']' : ']]')) return undefined;
    args = args.slice(0, -1);
  } else if (program !== 'test') {
    return undefined;
  }
  const [first, second, third] = args;
  if (args.length === 1 && first) {
    const name = soleVariable(first);
    return name ? { name, filter: { noneOf: [''] } } : undefined;
  }
  if (args.length === 2 && first && second && (first.text === '-n' || first.text === '-z') && isUnquotedLiteral(first)) {
    const name = soleVariable(second);
    return name ? { name, filter: first.text === '-n' ? { noneOf: [''] } : { anyOf: [''] } } : undefined;
  }
  if (args.length !== 3 || !first || !second || !third || !['=', '==', '!='].includes(second.text)) return undefined;
  // In [[ ]] the right side is a pattern where unquoted; in [ ] and test it is a string.
  const pattern = (word: Word): string => (program === '[[' && word.pattern ? word.text : escapeGlob(word.text));
  let name = soleVariable(first);
  let other = third;
  if (!name && program !== '[[') {
    name = soleVariable(third);
    other = first;
  }
  if (!name || !isPlainText(other)) return undefined;
  const glob = pattern(other);
  return { name, filter: second.text === '!=' ? { noneOf: [glob] } : { anyOf: [glob] } };
}

/** The guards of a `case` arm: its word matches one of the arm's patterns and none of the arms' before. */
function caseArmGuards(state: CaseState): Guard[] {
  const patterns = state.patterns;
  state.patterns = [];
  const subject = state.subject;
  if (!subject) return [];
  const name = soleVariable(subject);
  const readable = patterns.every(isPlainText);
  const globs = patterns.map((word) => (word.pattern ? word.text : escapeGlob(word.text)));
  const fallsThrough = state.fallsThrough;
  state.fallsThrough = false;
  const previous = state.previous;
  if (readable && previous) previous.push(...globs);
  else state.previous = undefined;
  if (!name || !readable || fallsThrough || !previous) return opaqueGuards([subject]);
  const before = previous.slice(0, previous.length - globs.length);
  const filter: RawValueFilter = before.length > 0 ? { anyOf: globs, noneOf: before } : { anyOf: globs };
  return [{ name, filter }];
}

/** The bindings of the script variables a send reads. */
function attachBindings(send: RawSend, command: SimpleCommand, scope: ScriptScope): void {
  const texts: string[] = [];
  for (const value of [send.repository, send.owner, send.repo, send.eventType, send.workflow, send.ref, send.body]) {
    if (value) texts.push(value.text);
  }
  if (send.payload?.kind === 'json-text') texts.push(send.payload.text.text);
  if (send.payload?.kind === 'fields') for (const field of send.payload.fields) texts.push(field.value.text);
  const bindings = scope.bindingsFor(texts, command.site);
  if (bindings.length > 0) send.bindings = bindings;
}

// =============================================================================================================
// Options
// =============================================================================================================

interface OptionSpec {
  /** Short letter → the long name it stands for. */
  short: Record<string, string>;
  /** Long names of the options that take a value. */
  takesValue: Set<string>;
  /** pflag (gh) accepts `--name=value` and `-n=value`; curl does not. */
  equalsForm: boolean;
}

interface ParsedOption {
  /** The long name (or the letter, for a short option with no long name in the spec). */
  name: string;
  value: WordSlice | undefined;
  span: Span;
}

interface ParsedArgs {
  options: ParsedOption[];
  positionals: WordSlice[];
}

const GH_API_OPTIONS: OptionSpec = {
  short: { f: 'raw-field', F: 'field', H: 'header', X: 'method', q: 'jq', t: 'template', p: 'preview', i: 'include' },
  takesValue: new Set(['raw-field', 'field', 'header', 'method', 'jq', 'template', 'preview', 'input', 'hostname', 'cache']),
  equalsForm: true,
};

const GH_WORKFLOW_RUN_OPTIONS: OptionSpec = {
  short: { r: 'ref', f: 'raw-field', F: 'field', R: 'repo' },
  takesValue: new Set(['ref', 'raw-field', 'field', 'repo']),
  equalsForm: true,
};

const CURL_OPTIONS: OptionSpec = {
  short: {
    d: 'data', H: 'header', X: 'request', o: 'output', u: 'user', A: 'user-agent', e: 'referer', b: 'cookie',
    c: 'cookie-jar', F: 'form', T: 'upload-file', w: 'write-out', m: 'max-time', x: 'proxy', K: 'config',
    r: 'range', E: 'cert', C: 'continue-at', U: 'proxy-user', Y: 'speed-limit', y: 'speed-time', z: 'time-cond',
    D: 'dump-header', P: 'ftp-port', Q: 'quote', t: 'telnet-option', G: 'get', I: 'head',
  },
  takesValue: new Set([
    'data', 'data-raw', 'data-binary', 'data-ascii', 'data-urlencode', 'json', 'header', 'request', 'url',
    'output', 'user', 'user-agent', 'referer', 'cookie', 'cookie-jar', 'form', 'form-string', 'upload-file',
    'write-out', 'max-time', 'connect-timeout', 'proxy', 'config', 'range', 'cert', 'cacert', 'capath', 'key',
    'continue-at', 'proxy-user', 'speed-limit', 'speed-time', 'time-cond', 'dump-header', 'ftp-port', 'quote',
    'telnet-option', 'retry', 'retry-delay', 'retry-max-time', 'limit-rate', 'max-filesize', 'max-redirs',
    'oauth2-bearer', 'resolve', 'connect-to', 'interface', 'output-dir', 'stderr', 'trace', 'trace-ascii',
    'unix-socket', 'variable', 'url-query', 'aws-sigv4', 'netrc-file', 'pass', 'proxy-header', 'request-target',
    'expect100-timeout', 'keepalive-time', 'cert-type', 'key-type',
  ]),
  equalsForm: false,
};

function parseOptions(words: Word[], spec: OptionSpec): ParsedArgs {
  const parsed: ParsedArgs = { options: [], positionals: [] };
  let optionsEnded = false;
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const text = word.text;
    if (optionsEnded || !text.startsWith('-') || text === '-') {
      parsed.positionals.push(wholeWord(word));
    } else if (text === '--') {
      optionsEnded = true;
    } else {
      const next = words[i + 1];
      const usedNext = text.startsWith('--')
        ? readLongOption(word, next, spec, parsed.options)
        : readShortOptions(word, next, spec, parsed.options);
      if (usedNext) i++;
    }
  }
  return parsed;
}

/** Reads `--name`, `--name value` or (pflag) `--name=value`. Returns true when it used the next word. */
function readLongOption(word: Word, next: Word | undefined, spec: OptionSpec, into: ParsedOption[]): boolean {
  const equals = spec.equalsForm ? word.text.indexOf('=') : -1;
  const name = word.text.slice(2, equals < 0 ? undefined : equals);
  if (!spec.takesValue.has(name)) {
    into.push({ name, value: undefined, span: word.span });
    return false;
  }
  if (equals >= 0) {
    into.push({ name, value: { word, from: equals + 1, to: word.text.length }, span: word.span });
    return false;
  }
  into.push({ name, value: next && wholeWord(next), span: next ? spanOfAll([word.span, next.span]) : word.span });
  return next !== undefined;
}

/** Reads a cluster such as `-sSf`, `-XPOST`, `-X POST`, (pflag) `-f=k=v`. Returns true when it used the next word. */
function readShortOptions(word: Word, next: Word | undefined, spec: OptionSpec, into: ParsedOption[]): boolean {
  const text = word.text;
  for (let j = 1; j < text.length; j++) {
    const letter = text.charAt(j);
    const name = spec.short[letter] ?? letter;
    if (!spec.takesValue.has(name)) {
      into.push({ name, value: undefined, span: word.span });
      continue;
    }
    let from = j + 1;
    if (spec.equalsForm && text.charAt(from) === '=') from++;
    if (from < text.length) {
      into.push({ name, value: { word, from, to: text.length }, span: word.span });
      return false;
    }
    into.push({ name, value: next && wholeWord(next), span: next ? spanOfAll([word.span, next.span]) : word.span });
    return next !== undefined;
  }
  return false;
}

function lastOption(args: ParsedArgs, ...names: string[]): ParsedOption | undefined {
  return [...args.options].reverse().find((o) => names.includes(o.name));
}

function optionsNamed(args: ParsedArgs, ...names: string[]): ParsedOption[] {
  return args.options.filter((o) => names.includes(o.name));
}

// =============================================================================================================
// Dispatch endpoints in API paths and URLs
// =============================================================================================================

interface DispatchEndpoint {
  kind: RawSend['kind'];
  /** Text ranges, in the path's text, of `OWNER/REPO` and (workflow_dispatch) of the workflow. */
  repository: TextRange;
  workflow?: TextRange;
}

/** Splits a URL path on `/`, keeping `${{ }}` and `${...}` whole, and stopping at a query or fragment. */
function pathSegments(text: string): TextRange[] {
  const segments: TextRange[] = [];
  let from = 0;
  let i = 0;
  for (; i < text.length; i++) {
    if (text.startsWith('${', i)) {
      const end = text.startsWith('${{', i) ? findExpressionEnd(text, i) : text.indexOf('}', i);
      if (end < 0) break;
      i = (text.startsWith('${{', i) ? end : end + 1) - 1;
      continue;
    }
    const ch = text.charAt(i);
    if (ch === '?' || ch === '#') break;
    if (ch === '/') {
      segments.push({ from, to: i });
      from = i + 1;
    }
  }
  segments.push({ from, to: i });
  return segments;
}

/**
 * Matches `.../repos/OWNER/REPO/dispatches` and `.../repos/OWNER/REPO/actions/workflows/W/dispatches`, with any
 * prefix (a host, `$GITHUB_API_URL`, a leading `/`). The repository may also be one segment that expands to
 * `owner/repo` at run time (`$GITHUB_REPOSITORY`, `${{ github.repository }}`).
 */
function matchDispatchEndpoint(text: string): DispatchEndpoint | undefined {
  const segments = pathSegments(text);
  const names = segments.map((s) => text.slice(s.from, s.to));
  const reposAt = names.indexOf('repos');
  if (reposAt < 0) return undefined;
  const canBeWholeRepository = (index: number): boolean => (names[index] ?? '').includes('$');
  for (const repositorySegments of [2, 1]) {
    const first = reposAt + 1;
    const last = first + repositorySegments - 1;
    if (repositorySegments === 1 && !canBeWholeRepository(first)) continue;
    const repoNames = names.slice(first, last + 1);
    if (repoNames.length !== repositorySegments || repoNames.some((n) => n === '')) continue;
    const repository = { from: segments[first]!.from, to: segments[last]!.to };
    const rest = names.slice(last + 1);
    if (rest.length === 1 && rest[0] === 'dispatches') return { kind: 'repository_dispatch', repository };
    if (rest.length === 4 && rest[0] === 'actions' && rest[1] === 'workflows' && rest[2] !== '' && rest[3] === 'dispatches') {
      const workflow = segments[last + 3]!;
      return { kind: 'workflow_dispatch', repository, workflow: { from: workflow.from, to: workflow.to } };
    }
  }
  return undefined;
}

/** gh fills `{owner}` and `{repo}` in from the current repository. */
function resolveGhPlaceholders(repository: string): string {
  if (repository === '{owner}/{repo}') return '${{ github.repository }}';
  return repository
    .replaceAll('{owner}', '${{ github.repository_owner }}')
    .replaceAll('{repo}', '${{ github.event.repository.name }}');
}

// =============================================================================================================
// What a command reads on stdin
// =============================================================================================================

type StdinSource =
  | { kind: 'text'; value: RawValue }
  | { kind: 'file'; name: string }
  | { kind: 'unknown'; reason: string }
  | { kind: 'none' };

const STDIN_REDIRECTS = new Set(['<<', '<<-', '<<<', '<']);

function stdinOf(command: SimpleCommand, previousInPipeline: SimpleCommand | undefined): StdinSource {
  const redirect = [...command.redirects].reverse().find((r) => STDIN_REDIRECTS.has(r.operator));
  if (redirect?.heredoc) return { kind: 'text', value: redirect.heredoc };
  if (redirect?.operator === '<<<' && redirect.target) return { kind: 'text', value: rawValue(wholeWord(redirect.target)) };
  if (redirect?.operator === '<' && redirect.target) return { kind: 'file', name: redirect.target.text };
  if (redirect) return { kind: 'unknown', reason: 'a here-document the script does not close' };
  if (!previousInPipeline) return { kind: 'none' };
  return printedText(previousInPipeline) ?? { kind: 'unknown', reason: 'the output of the command piped into it' };
}

/** `echo WORD |` or `printf '%s' WORD |` print one word the script spells out. */
function printedText(command: SimpleCommand): StdinSource | undefined {
  const head = locateCommandName(command.words);
  if (!head) return undefined;
  const name = commandName(command.words[head.nameIndex]!);
  let args = command.words.slice(head.nameIndex + 1);
  if (name === 'echo') {
    while (args.length > 1 && /^-[neE]+$/.test(args[0]!.text)) args = args.slice(1);
  } else if (name === 'printf' && args.length === 2 && /^%s(\\n)?$/.test(args[0]!.text)) {
    args = args.slice(1);
  } else if (name !== 'printf' || args.length !== 1 || args[0]!.text.includes('%')) {
    return undefined;
  }
  return args.length === 1 ? { kind: 'text', value: rawValue(wholeWord(args[0]!)) } : undefined;
}

// =============================================================================================================
// Senders
// =============================================================================================================

interface CommandContext {
  head: CommandHead;
  /** The whole script, to quote what a send spells. */
  script: string;
  /** The words after the program and its subcommand (`gh api` / `gh workflow run` / `curl`). */
  args: Word[];
  stdin: StdinSource;
  /** The send's span: the command proper, without reserved words before it. */
  span: Span;
  problems: Problem[];
}

/** `-f key=value` split at the first `=` (gh does the same). */
interface FieldArgument {
  key: WordSlice;
  value: WordSlice;
  /** `-F` / `--field` rather than `-f` / `--raw-field`. */
  typed: boolean;
  span: Span;
}

function fieldArguments(args: ParsedArgs, context: CommandContext): FieldArgument[] {
  const fields: FieldArgument[] = [];
  for (const option of optionsNamed(args, 'raw-field', 'field')) {
    if (!option.value) continue;
    const equals = indexOutsideExpressions(sliceText(option.value), '=');
    if (equals < 0) {
      context.problems.push({ message: `field "${sliceText(option.value)}" has no "=value"`, span: option.span });
      continue;
    }
    fields.push({
      key: subSlice(option.value, 0, equals),
      value: subSlice(option.value, equals + 1),
      typed: option.name === 'field',
      span: option.span,
    });
  }
  return fields;
}

/** `client_payload[a][b]` → root 'client_payload', path ['a', 'b']; a trailing `[]` marks an array. */
function parseFieldKey(key: string): { root: string; path: string[]; array: boolean } {
  const match = /^([^[\]]+)((?:\[[^[\]]*\])*)$/.exec(key);
  if (!match) return { root: key, path: [], array: false };
  const path = [...(match[2] ?? '').matchAll(/\[([^[\]]*)\]/g)].map((m) => m[1] ?? '');
  const arrayAt = path.indexOf('');
  return arrayAt < 0
    ? { root: match[1] ?? key, path, array: false }
    : { root: match[1] ?? key, path: path.slice(0, arrayAt), array: true };
}

/** The JSON type gh api `-F` gives a value: true/false, null and integers are converted; `@file` is read. */
function typedFieldType(value: WordSlice): RawValueType {
  const text = sliceText(value);
  if (!sliceIsExact(value) || text.includes('$') || text.startsWith('@')) return 'unknown';
  if (text === 'true' || text === 'false') return 'boolean';
  if (text === 'null') return 'null';
  if (/^[-+]?\d+$/.test(text)) return 'number';
  return 'string';
}

/**
 * The client_payload (root 'client_payload') or inputs (root 'inputs') that gh api builds from `-f` / `-F`.
 * `-f client_payload='{...}'` sends one string, which GitHub refuses with 422 "is not an object".
 */
function ghApiPayload(fields: FieldArgument[], root: string): RawPayload | undefined {
  const mine = fields.filter((f) => parseFieldKey(sliceText(f.key)).root === root);
  if (mine.length === 0) return undefined;
  const whole = mine.find((f) => parseFieldKey(sliceText(f.key)).path.length === 0);
  if (whole) {
    const sentAs = parseFieldKey(sliceText(whole.key)).array ? 'array' : whole.typed ? typedFieldType(whole.value) : 'string';
    return {
      kind: 'not-object',
      span: whole.span,
      reason: `${root} is given as one field, so gh sends it as ${sentAs === 'unknown' ? 'a scalar' : `a ${sentAs}`}; GitHub answers 422 "is not an object"`,
    };
  }
  const rawFields: RawField[] = [];
  const arrays = new Set<string>();
  for (const field of mine) {
    const key = parseFieldKey(sliceText(field.key));
    if (key.array) {
      const path = key.path.join('\0');
      if (arrays.has(path)) continue; // further elements of the same array
      arrays.add(path);
    }
    rawFields.push({
      path: key.path,
      value: rawValue(field.value),
      valueType: key.array ? 'array' : field.typed ? typedFieldType(field.value) : 'string',
      keySpan: sliceSpan(field.key),
    });
  }
  return { kind: 'fields', fields: rawFields, span: spanOfAll(mine.map((f) => f.span)) };
}

/** The credential in an `Authorization: token X` / `Bearer X` header, or undefined for another header. */
function credentialInHeader(header: WordSlice): RawValue | undefined {
  const match = /^\s*authorization\s*:\s*(?:(?:token|bearer)\s+)?/i.exec(sliceText(header));
  if (!match) return undefined;
  return rawValue(subSlice(header, match[0].length));
}

function authorizationFromHeaders(args: ParsedArgs): RawValue | undefined {
  const headers = optionsNamed(args, 'header').flatMap((o) => (o.value ? [o.value] : []));
  return headers.map(credentialInHeader).filter((v) => v !== undefined).pop();
}

/** gh takes its token from GH_TOKEN, then GITHUB_TOKEN; a prefix assignment on the command carries it. */
function authorizationFromGhEnvironment(head: CommandHead): RawValue | undefined {
  const token = assignmentValue(head.assignments, 'GH_TOKEN') ?? assignmentValue(head.assignments, 'GITHUB_TOKEN');
  return token && rawValue(token);
}

function isPost(method: ParsedOption | undefined, sendsBody: boolean): boolean {
  if (!method?.value) return sendsBody;
  const text = sliceText(method.value);
  // A method computed at run time may well be POST: give it the benefit of the doubt.
  if (!sliceIsExact(method.value) || text.includes('$')) return true;
  return text.toUpperCase() === 'POST';
}

function notPostProblem(context: CommandContext, form: string, method: ParsedOption | undefined): Problem {
  const how = method?.value ? `with method ${sliceText(method.value)}` : 'without a request body, so as GET';
  return { message: `${form} to a dispatches endpoint is sent ${how}: it dispatches nothing`, span: context.span };
}

function readGhApi(context: CommandContext): RawSend | undefined {
  const args = parseOptions(context.args, GH_API_OPTIONS);
  const endpointSlice = args.positionals[0];
  const endpoint = endpointSlice && matchDispatchEndpoint(sliceText(endpointSlice));
  if (!endpointSlice || !endpoint) return undefined;

  const fields = fieldArguments(args, context);
  const input = lastOption(args, 'input');
  const method = lastOption(args, 'method');
  // gh api sends GET unless -X says otherwise or there are fields or an --input.
  if (!isPost(method, fields.length > 0 || input !== undefined)) {
    context.problems.push(notPostProblem(context, 'gh api', method));
    return undefined;
  }

  const repository = subSlice(endpointSlice, endpoint.repository.from, endpoint.repository.to);
  const send: RawSend = {
    kind: endpoint.kind,
    form: 'gh api',
    span: context.span,
    repository: rawValue(repository, resolveGhPlaceholders(sliceText(repository))),
  };
  if (endpoint.workflow) send.workflow = rawValue(subSlice(endpointSlice, endpoint.workflow.from, endpoint.workflow.to));
  const authorization = authorizationFromHeaders(args) ?? authorizationFromGhEnvironment(context.head);
  if (authorization) send.authorization = authorization;

  // With --input the fields go into the query string, not the body.
  if (input) applyGhInput(send, input, context);
  else applyGhApiFields(send, fields);
  return send;
}

function applyGhApiFields(send: RawSend, fields: FieldArgument[]): void {
  const named = (key: string): FieldArgument | undefined => [...fields].reverse().find((f) => sliceText(f.key) === key);
  // `-F key=@file` reads the value from a file.
  const valueOf = (field: FieldArgument): RawValue => {
    const value = rawValue(field.value);
    if (field.typed && value.text.startsWith('@')) value.exact = false;
    return value;
  };
  if (send.kind === 'repository_dispatch') {
    const eventType = named('event_type');
    if (eventType) send.eventType = valueOf(eventType);
  } else {
    const ref = named('ref');
    if (ref) send.ref = valueOf(ref);
  }
  const payload = ghApiPayload(fields, send.kind === 'repository_dispatch' ? 'client_payload' : 'inputs');
  if (payload) send.payload = payload;
}

function applyGhInput(send: RawSend, input: ParsedOption, context: CommandContext): void {
  const file = input.value ? sliceText(input.value) : '';
  if (file !== '-') {
    unseenBody(send, input.span, `the request body is read from the file ${file}`, context);
    return;
  }
  const stdin = context.stdin;
  if (stdin.kind === 'text') send.body = stdin.value;
  else unseenBody(send, input.span, describeUnseenStdin(stdin, 'the request body'), context);
}

/**
 * A request body the script does not show: its payload is unknown, and so is a repository dispatch's event
 * type (unresolved, at the option that names the body), never empty.
 */
function unseenBody(send: RawSend, span: Span, reason: string, context: CommandContext): void {
  send.payload = { kind: 'unknown', span, reason };
  if (send.kind === 'repository_dispatch') send.eventType = { text: context.script.slice(span.start, span.end), span, exact: false };
}

function describeUnseenStdin(stdin: StdinSource, what: string): string {
  if (stdin.kind === 'file') return `${what} is read from stdin, redirected from the file ${stdin.name}`;
  if (stdin.kind === 'unknown') return `${what} is read from stdin: ${stdin.reason}`;
  return `${what} is read from stdin, which the script does not show`;
}

function readGhWorkflowRun(context: CommandContext): RawSend | undefined {
  const args = parseOptions(context.args, GH_WORKFLOW_RUN_OPTIONS);
  const workflow = args.positionals[0];
  if (!workflow) {
    context.problems.push({ message: 'gh workflow run names no workflow (it would ask interactively)', span: context.span });
    return undefined;
  }
  const send: RawSend = { kind: 'workflow_dispatch', form: 'gh workflow run', span: context.span, workflow: rawValue(workflow) };
  const repository = lastOption(args, 'repo')?.value ?? assignmentValue(context.head.assignments, 'GH_REPO');
  if (repository) send.repository = rawValue(repository);
  const ref = lastOption(args, 'ref')?.value;
  if (ref) send.ref = rawValue(ref);
  const authorization = authorizationFromGhEnvironment(context.head);
  if (authorization) send.authorization = authorization;

  const fields = fieldArguments(args, context);
  const json = lastOption(args, 'json');
  if (json) {
    if (fields.length > 0) context.problems.push({ message: 'gh workflow run refuses --json together with -f/-F', span: context.span });
    send.payload = context.stdin.kind === 'text'
      ? { kind: 'json-text', text: context.stdin.value }
      : { kind: 'unknown', span: json.span, reason: describeUnseenStdin(context.stdin, 'the inputs (--json)') };
  } else if (fields.length > 0) {
    send.payload = { kind: 'fields', fields: fields.map(workflowRunField), span: spanOfAll(fields.map((f) => f.span)) };
  }
  return send;
}

/** gh workflow run sends every input as a string; `-F k=@file` reads the string from a file. */
function workflowRunField(field: FieldArgument): RawField {
  const value = rawValue(field.value);
  if (field.typed && value.text.startsWith('@')) value.exact = false;
  return { path: [sliceText(field.key)], value, valueType: 'string', keySpan: sliceSpan(field.key) };
}

const CURL_DATA_OPTIONS = ['data', 'data-raw', 'data-binary', 'data-ascii', 'json'];
const CURL_OTHER_BODY_OPTIONS = ['data-urlencode', 'form', 'form-string', 'upload-file'];

function readCurl(context: CommandContext): RawSend | undefined {
  const args = parseOptions(context.args, CURL_OPTIONS);
  const urls = [...args.positionals, ...optionsNamed(args, 'url').flatMap((o) => (o.value ? [o.value] : []))];
  const target = urls
    .map((url) => ({ url, endpoint: matchDispatchEndpoint(sliceText(url)) }))
    .find((candidate) => candidate.endpoint !== undefined);
  if (!target?.endpoint) return undefined;
  const { url, endpoint } = target;

  const data = optionsNamed(args, ...CURL_DATA_OPTIONS);
  const method = lastOption(args, 'request');
  const forcedGet = lastOption(args, 'get', 'head') !== undefined;
  const sendsBody = data.length > 0 || optionsNamed(args, 'data-urlencode', 'form', 'form-string').length > 0;
  if (forcedGet || !isPost(method, sendsBody)) {
    context.problems.push(notPostProblem(context, 'curl', forcedGet ? undefined : method));
    return undefined;
  }

  const send: RawSend = {
    kind: endpoint.kind,
    form: 'curl',
    span: context.span,
    repository: rawValue(subSlice(url, endpoint.repository.from, endpoint.repository.to)),
  };
  if (endpoint.workflow) send.workflow = rawValue(subSlice(url, endpoint.workflow.from, endpoint.workflow.to));
  const authorization = authorizationFromHeaders(args) ?? curlCredentialOption(args);
  if (authorization) send.authorization = authorization;
  if (data.length > 1) {
    context.problems.push({ message: 'curl joins several data options into one body; only the first is read', span: context.span });
  }
  if (data[0]) applyCurlData(send, data[0], context);
  // A body the JSON readers do not take (url-encoded, a form, an uploaded file) is still a body.
  const otherBody = data[0] ? undefined : lastOption(args, ...CURL_OTHER_BODY_OPTIONS);
  if (otherBody) unseenBody(send, otherBody.span, `the request body is sent with --${otherBody.name}`, context);
  return send;
}

/** `--oauth2-bearer TOKEN`, or the password of `-u USER:TOKEN`. */
function curlCredentialOption(args: ParsedArgs): RawValue | undefined {
  const bearer = lastOption(args, 'oauth2-bearer')?.value;
  if (bearer) return rawValue(bearer);
  const user = lastOption(args, 'user')?.value;
  const colon = user ? indexOutsideExpressions(sliceText(user), ':') : -1;
  return user && colon >= 0 ? rawValue(subSlice(user, colon + 1)) : undefined;
}

/** `-d '{...}'` is the body; `-d @-` reads it from stdin and `-d @file` from a file (`--data-raw` takes `@` literally). */
function applyCurlData(send: RawSend, data: ParsedOption, context: CommandContext): void {
  if (!data.value) return;
  const text = sliceText(data.value);
  if (data.name === 'data-raw' || !text.startsWith('@')) {
    send.body = rawValue(data.value);
    return;
  }
  const file = text.slice(1);
  if (file !== '-') {
    unseenBody(send, data.span, `the request body is read from the file ${file}`, context);
  } else if (context.stdin.kind === 'text') {
    send.body = context.stdin.value;
  } else {
    unseenBody(send, data.span, describeUnseenStdin(context.stdin, 'the request body'), context);
  }
}

/** Recognises a send in one simple command, or returns undefined. */
function readSend(command: SimpleCommand, script: string, problems: Problem[]): RawSend | undefined {
  const head = locateCommandName(command.words);
  if (!head) return undefined;
  const words = command.words;
  const name = commandName(words[head.nameIndex]!);
  const context = (subcommandLength: number): CommandContext => ({
    head,
    args: words.slice(head.nameIndex + subcommandLength),
    stdin: stdinOf(command, command.previous),
    script,
    span: { start: head.start, end: command.span.end },
    problems,
  });
  const wordAfter = (n: number): string | undefined => words[head.nameIndex + n]?.text;
  if (name === 'gh' && wordAfter(1) === 'api') return readGhApi(context(2));
  if (name === 'gh' && wordAfter(1) === 'workflow' && wordAfter(2) === 'run') return readGhWorkflowRun(context(3));
  if (name === 'curl') return readCurl(context(1));
  return undefined;
}

// =============================================================================================================
// Reads of the event file
// =============================================================================================================

const EVENT_FILE_MENTION = /(?<![A-Za-z0-9_])(?:GITHUB_EVENT_PATH|github\.event_path)(?![A-Za-z0-9_])/g;
const JQ_CLIENT_PAYLOAD_PATH = /(?<![A-Za-z0-9_\])])\.client_payload((?:\.[A-Za-z_][A-Za-z0-9_]*|\.?\["(?:[^"\\]|\\.)*"\])*)/g;
const JQ_PATH_STEP = /\.([A-Za-z_][A-Za-z0-9_]*)|\.?\["((?:[^"\\]|\\.)*)"\]/g;

function inside(span: Span, offset: number): boolean {
  return offset >= span.start && offset < span.end;
}

/**
 * A script that reads the event file can read any of client_payload, so each mention of it is a whole read.
 * A jq path `.client_payload.a.b` in a pipeline that mentions the file adds a read of ['a', 'b'].
 */
function findEventFileReads(script: string, reader: ShellReader): RawPayloadRead[] {
  const comments = reader.comments; // in script order
  const mentions: Span[] = [];
  let comment = 0;
  for (const match of script.matchAll(EVENT_FILE_MENTION)) {
    while (comment < comments.length && comments[comment]!.end <= match.index) comment++;
    const inComment = comment < comments.length && inside(comments[comment]!, match.index);
    if (!inComment) mentions.push({ start: match.index, end: match.index + match[0].length });
  }
  const reads: RawPayloadRead[] = mentions.map((span) => ({ path: [], span, whole: true }));
  if (mentions.length === 0) return reads;

  const pipelines = new Map<number, SimpleCommand[]>();
  for (const command of reader.commands) {
    const list = pipelines.get(command.pipeline);
    if (list) list.push(command);
    else pipelines.set(command.pipeline, [command]);
  }
  for (const commands of pipelines.values()) {
    if (!commands.some((c) => mentionInside(mentions, c.span))) continue;
    const words = commands.flatMap((c) => [...c.words, ...c.redirects.flatMap((r) => (r.target ? [r.target] : []))]);
    reads.push(...words.flatMap(jqPayloadPaths));
  }
  return reads;
}

/** Whether a mention (sorted by start) starts inside span: a binary search, so that many pipelines stay linear. */
function mentionInside(mentions: Span[], span: Span): boolean {
  let low = 0;
  let high = mentions.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (mentions[middle]!.start < span.start) low = middle + 1;
    else high = middle;
  }
  return low < mentions.length && inside(span, mentions[low]!.start);
}

function jqPayloadPaths(word: Word): RawPayloadRead[] {
  const reads: RawPayloadRead[] = [];
  for (const match of word.text.matchAll(JQ_CLIENT_PAYLOAD_PATH)) {
    const slice = { word, from: match.index, to: match.index + match[0].length };
    // Inside `$(...)` the path belongs to the inner command, which is read on its own.
    if (!sliceIsExact(slice)) continue;
    const steps = [...(match[1] ?? '').matchAll(JQ_PATH_STEP)].map((step) => step[1] ?? step[2] ?? '');
    if (steps.length === 0) continue; // the whole payload: already covered by the whole read
    reads.push({ path: steps, span: sliceSpan(slice), whole: false });
  }
  return reads;
}

// =============================================================================================================
// Entry point
// =============================================================================================================

/** Finds the dispatches a `run:` script sends and its reads of the event file. Never throws. */
export function parseShellScript(script: string): ScriptFacts {
  const facts: ScriptFacts = { sends: [], payloadReads: [], problems: [] };
  try {
    const reader = new ShellReader(script);
    reader.read();
    facts.problems.push(...reader.problems);
    for (const command of reader.commands) {
      const send = readSend(command, script, facts.problems);
      if (!send) continue;
      attachBindings(send, command, reader.scope);
      facts.sends.push(send);
    }
    facts.payloadReads.push(...findEventFileReads(script, reader));
  } catch (error) {
    // A script deep enough to exhaust the stack, or a bug: report it rather than fail the whole lint.
    facts.problems.push({
      message: `the script could not be read: ${error instanceof Error ? error.message : String(error)}`,
      span: { start: 0, end: script.length },
    });
  }
  const byStart = (a: { span: Span }, b: { span: Span }): number => a.span.start - b.span.start;
  facts.sends.sort(byStart);
  facts.payloadReads.sort(byStart);
  facts.problems.sort(byStart);
  return facts;
}
