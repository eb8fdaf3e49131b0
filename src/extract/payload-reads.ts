/**
 * Finds what an expression reads of `github.event.client_payload`, and how: a read that tolerates an
 * absent field (`x || 'default'`, `x != ''`, `if: x`) is optional, and a payload used whole
 * (`toJSON(github.event.client_payload)`, `toJSON(github.event)`, a dynamic key) makes every read unknown.
 */
import type { Expr } from '@actions/expressions';
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Unary } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import type { PayloadRead } from '../model.js';
import { chainSpan, flattenChain } from '../expressions/parse.js';

export interface ExpressionRead {
  path: string[];
  start: number;
  end: number;
  optional: boolean;
  usage?: PayloadRead['usage'];
}

export interface ExpressionReads {
  reads: ExpressionRead[];
  /** Spans where the payload (or the whole event) is used whole or with a key only known at run time. */
  whole: { start: number; end: number; payload: boolean }[];
}

/** Where in its parent an expression sits; it decides whether a read tolerates an absent field. */
type Role = 'value' | 'test' | 'fallback' | 'compared-with-empty';

export function payloadReadsIn(expr: Expr, source: string, isCondition: boolean): ExpressionReads {
  const found: ExpressionReads = { reads: [], whole: [] };
  visit(expr, isCondition ? 'test' : 'value', undefined, source, found);
  return found;
}

function visit(expr: Expr, role: Role, comparedWith: PayloadRead['usage'], source: string, found: ExpressionReads): void {
  if (expr instanceof Grouping) return visit(expr.group, role, comparedWith, source, found);
  if (expr instanceof IndexAccess || expr instanceof ContextAccess) return visitChain(expr, role, comparedWith, source, found);
  if (expr instanceof Logical) {
    const isOr = expr.operator.type === TokenType.OR;
    expr.args.forEach((arg, index) => {
      const last = index === expr.args.length - 1;
      // `a || b`: `a` may be absent (b is the fallback). In a condition every operand is tested for truth.
      const argRole: Role = role === 'test' ? 'test' : isOr && !last ? 'fallback' : 'value';
      visit(arg, argRole, undefined, source, found);
    });
    return;
  }
  if (expr instanceof Unary) return visit(expr.expr, 'test', undefined, source, found);
  if (expr instanceof Binary) {
    const leftLiteral = literalKind(expr.right);
    const rightLiteral = literalKind(expr.left);
    visit(expr.left, leftLiteral === 'empty' ? 'compared-with-empty' : 'value', usageOf(leftLiteral), source, found);
    visit(expr.right, rightLiteral === 'empty' ? 'compared-with-empty' : 'value', usageOf(rightLiteral), source, found);
    return;
  }
  if (expr instanceof FunctionCall) {
    for (const arg of expr.args) visit(arg, 'value', undefined, source, found);
  }
}

function visitChain(expr: IndexAccess | ContextAccess, role: Role, comparedWith: PayloadRead['usage'], source: string, found: ExpressionReads): void {
  const chain = flattenChain(expr);
  if (!chain) {
    // An index into something that is not a context (`fromJSON(x).y`): look inside.
    if (expr instanceof IndexAccess) {
      visit(expr.expr, 'value', undefined, source, found);
      visit(expr.index, 'value', undefined, source, found);
    }
    return;
  }
  for (const key of chain.keys) {
    if ('dynamic' in key && key.dynamic !== 'star') visit(key.dynamic, 'value', undefined, source, found);
  }
  if (chain.root !== 'github') return;
  const names: string[] = [];
  for (const key of chain.keys) {
    if (!('key' in key)) break;
    names.push(key.key);
  }
  const lowered = names.map((name) => name.toLowerCase());
  const keysAreAllLiteral = names.length === chain.keys.length;
  const lastLiteral = [...chain.keys].reverse().find((key): key is Extract<typeof key, { key: string }> => 'key' in key);
  const span = chainSpan(source, chain.rootNode, lastLiteral?.token);

  // `github`, `github.event`: the whole event (and so the payload) leaves our sight, e.g. in toJSON().
  const usesEventWhole = lowered.length === 0 || (lowered.length === 1 && lowered[0] === 'event');
  if (usesEventWhole) {
    if (role === 'value') found.whole.push({ ...span, payload: false });
    return;
  }
  if (lowered[0] !== 'event' || lowered[1] !== 'client_payload') return;
  const path = names.slice(2);
  if (path.length === 0 || !keysAreAllLiteral) {
    // `if: github.event.client_payload` only tests that a payload exists; anything else uses it whole.
    if (role !== 'test' || !keysAreAllLiteral) found.whole.push({ ...span, payload: true });
    if (path.length === 0) return;
  }
  const read: ExpressionRead = { path, start: span.start, end: span.end, optional: role !== 'value' };
  const usage = role === 'test' ? 'truthy' : comparedWith;
  if (usage) read.usage = usage;
  found.reads.push(read);
}

type LiteralKind = 'empty' | 'string' | 'number' | 'boolean' | 'null' | undefined;

function literalKind(expr: Expr): LiteralKind {
  if (!(expr instanceof Literal)) return undefined;
  switch (expr.token.type) {
    case TokenType.STRING:
      return expr.literal.coerceString() === '' ? 'empty' : 'string';
    case TokenType.NUMBER:
      return 'number';
    case TokenType.TRUE:
    case TokenType.FALSE:
      return 'boolean';
    case TokenType.NULL:
      return 'null';
    default:
      return undefined;
  }
}

function usageOf(kind: LiteralKind): PayloadRead['usage'] {
  return kind === 'string' || kind === 'number' || kind === 'boolean' ? kind : undefined;
}

/**
 * The event types a condition limits its job or step to, from `github.event.action == 'x'` terms joined by
 * `&&` (all must hold) or `||` (any may); undefined when the condition does not limit the type.
 */
export function eventTypesOfCondition(expr: Expr): string[] | undefined {
  if (expr instanceof Grouping) return eventTypesOfCondition(expr.group);
  if (expr instanceof Binary && expr.operator.type === TokenType.EQUAL_EQUAL) {
    const literal = isEventAction(expr.left) ? expr.right : isEventAction(expr.right) ? expr.left : undefined;
    if (literal instanceof Literal && literal.token.type === TokenType.STRING) return [literal.literal.coerceString()];
    return undefined;
  }
  if (expr instanceof Logical) {
    const parts = expr.args.map(eventTypesOfCondition);
    if (expr.operator.type === TokenType.AND) {
      const limiting = parts.filter((part): part is string[] => part !== undefined);
      if (limiting.length === 0) return undefined;
      return limiting.reduce((kept, part) => kept.filter((type) => part.some((other) => other.toLowerCase() === type.toLowerCase())));
    }
    if (parts.some((part) => part === undefined)) return undefined;
    return [...new Set(parts.flat() as string[])];
  }
  return undefined;
}

function isEventAction(expr: Expr): boolean {
  const chain = flattenChain(expr);
  if (!chain || chain.root !== 'github' || chain.keys.length !== 2) return false;
  const [first, second] = chain.keys;
  return !!first && !!second && 'key' in first && 'key' in second && first.key.toLowerCase() === 'event' && second.key.toLowerCase() === 'action';
}
