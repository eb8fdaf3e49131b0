/**
 * Parses `${{ }}` expression bodies with GitHub's own parser (@actions/expressions) and caches the trees:
 * the same expressions recur across many workflows.
 */
import { Lexer, Parser, type Expr } from '@actions/expressions';
import type { Pos, Token } from '@actions/expressions/lexer';
import { ContextAccess, IndexAccess, Literal, Star } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import { ownCopy } from '../util/strings.js';

const CONTEXTS = ['github', 'env', 'vars', 'secrets', 'inputs', 'matrix', 'steps', 'needs', 'job', 'jobs', 'runner', 'strategy'];
const STATUS_AND_FILE_FUNCTIONS = [
  { name: 'success', description: '', minArgs: 0, maxArgs: 0 },
  { name: 'failure', description: '', minArgs: 0, maxArgs: 0 },
  { name: 'always', description: '', minArgs: 0, maxArgs: 0 },
  { name: 'cancelled', description: '', minArgs: 0, maxArgs: 0 },
  { name: 'hashFiles', description: '', minArgs: 1, maxArgs: 255 },
];

export type ParseResult = { ok: true; expr: Expr } | { ok: false; error: string };

const cache = new Map<string, ParseResult>();

export function parseExpression(source: string): ParseResult {
  let result = cache.get(source);
  if (!result) {
    // The cache outlives the file: its key, and the tree's tokens sliced from it, must not be slices of the file's
    // text, which V8 would keep whole for them.
    const own = ownCopy(source);
    result = parseUncached(own);
    if (cache.size > 50_000) cache.clear();
    cache.set(own, result);
  }
  return result;
}

function parseUncached(source: string): ParseResult {
  try {
    const tokens = new Lexer(source).lex().tokens;
    const expr = new Parser(tokens, CONTEXTS, STATUS_AND_FILE_FUNCTIONS as never).parse();
    if (!expr) return { ok: false, error: 'empty expression' };
    return { ok: true, expr };
  } catch (error) {
    return { ok: false, error: error instanceof Error ? error.message : String(error) };
  }
}

/** One step of a property chain: a literal key, or a dynamic index (`x[matrix.k]`, `x.*`). */
export type ChainKey = { key: string; token: Token } | { dynamic: Expr | 'star' };

/**
 * Flattens `a.b['c'][d]` into its root context name and keys; undefined for anything that is not a
 * property chain rooted at a context.
 */
export function flattenChain(expr: Expr): { root: string; keys: ChainKey[]; rootNode: ContextAccess } | undefined {
  const keys: ChainKey[] = [];
  let node: Expr = expr;
  while (node instanceof IndexAccess) {
    const index = node.index;
    if (index instanceof Star) keys.unshift({ dynamic: 'star' });
    else if (index instanceof Literal && isStringLiteral(index)) {
      keys.unshift({ key: index.literal.coerceString(), token: index.token });
    } else keys.unshift({ dynamic: index });
    node = node.expr;
  }
  if (!(node instanceof ContextAccess)) return undefined;
  return { root: node.name.lexeme.toLowerCase(), keys, rootNode: node };
}

function isStringLiteral(literal: Literal): boolean {
  return literal.token.type === TokenType.STRING || literal.token.type === TokenType.IDENTIFIER;
}

/** Turns a token position (0-based line and column within the expression source) into an offset. */
export function offsetOfPos(source: string, pos: Pos): number {
  let offset = 0;
  for (let line = 0; line < pos.line; line++) {
    const next = source.indexOf('\n', offset);
    if (next < 0) break;
    offset = next + 1;
  }
  return offset + pos.column;
}

/** The offsets a property chain spans in the expression source: from its root name to its last key. */
export function chainSpan(source: string, rootNode: ContextAccess, lastToken: Token | undefined): { start: number; end: number } {
  const start = offsetOfPos(source, rootNode.name.range.start);
  let end = offsetOfPos(source, (lastToken ?? rootNode.name).range.end);
  // `x['key']`: the closing bracket is not part of the key token, but it is part of the read.
  while (source[end] === ' ') end++;
  if (source[end] !== ']') end = offsetOfPos(source, (lastToken ?? rootNode.name).range.end);
  else end++;
  return { start, end };
}

/** Calls `visit` for every property chain rooted at a context in an expression (outermost chains only). */
export function forEachChain(expr: Expr, visit: (chain: NonNullable<ReturnType<typeof flattenChain>>) => void): void {
  const chain = expr instanceof IndexAccess || expr instanceof ContextAccess ? flattenChain(expr) : undefined;
  if (chain) {
    visit(chain);
    for (const key of chain.keys) if ('dynamic' in key && key.dynamic !== 'star') forEachChain(key.dynamic, visit);
    return;
  }
  for (const child of childrenOf(expr)) forEachChain(child, visit);
}

function childrenOf(expr: Expr): Expr[] {
  const node = expr as unknown as Record<string, unknown>;
  const children: Expr[] = [];
  for (const key of ['expr', 'index', 'left', 'right', 'group']) {
    const child = node[key];
    if (child && typeof child === 'object' && 'accept' in (child as object)) children.push(child as Expr);
  }
  for (const key of ['args']) {
    const list = node[key];
    if (Array.isArray(list)) children.push(...(list as Expr[]));
  }
  return children;
}

/** The literal keys of a chain, lower-cased, up to its first dynamic key. */
export function literalKeys(chain: NonNullable<ReturnType<typeof flattenChain>>): string[] {
  const keys: string[] = [];
  for (const key of chain.keys) {
    if (!('key' in key)) break;
    keys.push(key.key);
  }
  return keys;
}
