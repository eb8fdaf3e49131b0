/**
 * What a job's and step's `if:` conditions say about the events a step can run on: `github.event_name ==
 * 'schedule'` limits it to schedule, `!= 'pull_request'` rules pull_request out, and a condition that needs
 * `github.ref` to be a tag or branch rules out pull requests (whose ref is refs/pull/N/merge). Only terms
 * joined by `&&` at the top are used: anything else may or may not hold, so it constrains nothing.
 */
import type { Expr } from '@actions/expressions';
import { Binary, FunctionCall, Grouping, Literal, Logical } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import type { EventConstraint } from '../model.js';
import { flattenChain, literalKeys } from '../expressions/parse.js';

const PULL_REQUEST_EVENTS = ['pull_request', 'pull_request_target', 'merge_group'];

export function eventConstraintOf(conditions: Expr[]): EventConstraint | undefined {
  let only: string[] | undefined;
  const not = new Set<string>();
  for (const term of conditions.flatMap(conjuncts)) {
    const names = eventNamesRequired(term);
    if (names) only = only ? only.filter((name) => names.includes(name)) : names;
    const excluded = eventNameExcluded(term);
    if (excluded) not.add(excluded);
    if (requiresBranchOrTagRef(term)) for (const name of PULL_REQUEST_EVENTS) not.add(name);
  }
  if (!only && not.size === 0) return undefined;
  const constraint: EventConstraint = { not: [...not].sort() };
  if (only) constraint.only = only;
  return constraint;
}

/** Whether a step under this constraint can run on `event`. */
export function mayRunOn(constraint: EventConstraint | undefined, event: string): boolean {
  if (!constraint) return true;
  if (constraint.only && !constraint.only.includes(event)) return false;
  return !constraint.not.includes(event);
}

function conjuncts(expr: Expr): Expr[] {
  if (expr instanceof Grouping) return conjuncts(expr.group);
  if (expr instanceof Logical && expr.operator.type === TokenType.AND) return expr.args.flatMap(conjuncts);
  return [expr];
}

/** `github.event_name == 'a'`, or `a || b` of such terms: the event names it allows. */
function eventNamesRequired(expr: Expr): string[] | undefined {
  if (expr instanceof Grouping) return eventNamesRequired(expr.group);
  if (expr instanceof Logical && expr.operator.type === TokenType.OR) {
    const parts = expr.args.map(eventNamesRequired);
    return parts.every((part) => part !== undefined) ? [...new Set(parts.flat() as string[])] : undefined;
  }
  const compared = comparison(expr, TokenType.EQUAL_EQUAL);
  return compared && isGithub(compared.chain, ['event_name']) ? [compared.value.toLowerCase()] : undefined;
}

function eventNameExcluded(expr: Expr): string | undefined {
  const compared = comparison(expr, TokenType.BANG_EQUAL);
  return compared && isGithub(compared.chain, ['event_name']) ? compared.value.toLowerCase() : undefined;
}

/** `startsWith(github.ref, 'refs/tags/')`, `github.ref == 'refs/heads/main'`, `github.ref_type == 'tag'`. */
function requiresBranchOrTagRef(expr: Expr): boolean {
  if (expr instanceof Grouping) return requiresBranchOrTagRef(expr.group);
  if (expr instanceof FunctionCall && expr.functionName.lexeme.toLowerCase() === 'startswith') {
    const [subject, prefix] = expr.args;
    return !!subject && isGithub(subject, ['ref']) && prefix instanceof Literal && /^refs\/(?:tags|heads)\//.test(prefix.literal.coerceString());
  }
  const compared = comparison(expr, TokenType.EQUAL_EQUAL);
  if (!compared) return false;
  if (isGithub(compared.chain, ['ref'])) return /^refs\/(?:tags|heads)\//.test(compared.value);
  return isGithub(compared.chain, ['ref_type']) && compared.value === 'tag';
}

function comparison(expr: Expr, operator: TokenType): { chain: Expr; value: string } | undefined {
  if (!(expr instanceof Binary) || expr.operator.type !== operator) return undefined;
  if (expr.right instanceof Literal && expr.right.token.type === TokenType.STRING) return { chain: expr.left, value: expr.right.literal.coerceString() };
  if (expr.left instanceof Literal && expr.left.token.type === TokenType.STRING) return { chain: expr.right, value: expr.left.literal.coerceString() };
  return undefined;
}

function isGithub(expr: Expr, keys: string[]): boolean {
  const chain = flattenChain(expr);
  if (!chain || chain.root !== 'github') return false;
  const literal = literalKeys(chain).map((key) => key.toLowerCase());
  return literal.length === keys.length && literal.every((key, index) => key === keys[index]);
}
