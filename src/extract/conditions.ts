/**
 * What a job's and step's `if:` conditions say about the events a step can run on: `github.event_name ==
 * 'schedule'` limits it to schedule, `!= 'pull_request'` rules pull_request out, and a condition that needs
 * `github.ref` to be a branch, a tag or a pull request's ref says which kind of ref it can run with (so a branch
 * check rules out pull_request, whose ref is refs/pull/N/merge, and, in a workflow that runs on tags alone, everything). Only terms
 * joined by `&&` at the top are used: anything else may or may not hold, so it constrains nothing.
 */
import type { Expr } from '@actions/expressions';
import { Binary, FunctionCall, Grouping, Literal, Logical } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import type { EventConstraint, RefKind } from '../model.js';
import { flattenChain, literalKeys } from '../expressions/parse.js';


export function eventConstraintOf(conditions: Expr[], sources: string[] = []): EventConstraint | undefined {
  let only: string[] | undefined;
  let refKinds: RefKind[] | undefined;
  let refCondition: string | undefined;
  const not = new Set<string>();
  for (const term of conditions.flatMap(conjuncts)) {
    const names = eventNamesRequired(term);
    if (names) only = only ? only.filter((name) => names.includes(name)) : names;
    const excluded = eventNameExcluded(term);
    if (excluded) not.add(excluded);
    const kinds = refKindsRequired(term);
    if (kinds) {
      refKinds = refKinds ? refKinds.filter((kind) => kinds.includes(kind)) : kinds;
      refCondition ??= sources.find((source) => source.includes('ref')) ?? sources[0];
      // pull_request runs on refs/pull/N/merge; pull_request_target on its base branch; merge_group on a queue branch.
      if (!kinds.includes('pull')) not.add('pull_request');
      if (!kinds.includes('branch')) for (const name of ['pull_request_target', 'merge_group']) not.add(name);
    }
  }
  if (!only && not.size === 0 && !refKinds) return undefined;
  const constraint: EventConstraint = { not: [...not].sort() };
  if (only) constraint.only = only;
  if (refKinds) constraint.refKinds = refKinds;
  if (refKinds && refCondition !== undefined) constraint.refCondition = refCondition;
  return constraint;
}

/**
 * Whether a step under this constraint can run at all, given the ref kinds each trigger runs with: false when every
 * trigger is ruled out by event name or by the kind of github.ref its `if:` needs (a branch check in a workflow
 * that runs on tag pushes alone).
 */
export function canRunOnAnyTrigger(constraint: EventConstraint | undefined, triggers: string[], triggerRefKinds: Record<string, RefKind[]> | undefined): boolean {
  if (!constraint || triggers.length === 0) return true;
  return triggers.some((trigger) => {
    if (!mayRunOn(constraint, trigger)) return false;
    const possible = triggerRefKinds?.[trigger];
    return !constraint.refKinds || !possible || possible.some((kind) => constraint.refKinds?.includes(kind));
  });
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

/**
 * The kinds of github.ref a term holds for: `github.ref == 'refs/heads/main'`, `github.ref ==
 * format('refs/heads/{0}', ...)` and `startsWith(github.ref, 'refs/heads/')` need a branch; the same with
 * `refs/tags/` a tag, `refs/pull/` a pull request's ref; `github.ref_type == 'tag'` or `'branch'` says so.
 */
function refKindsRequired(expr: Expr): RefKind[] | undefined {
  if (expr instanceof Grouping) return refKindsRequired(expr.group);
  if (expr instanceof FunctionCall && expr.functionName.lexeme.toLowerCase() === 'startswith') {
    const [subject, prefix] = expr.args;
    return subject && isGithub(subject, ['ref']) && prefix instanceof Literal ? kindOfRefPrefix(prefix.literal.coerceString()) : undefined;
  }
  if (!(expr instanceof Binary) || expr.operator.type !== TokenType.EQUAL_EQUAL) return undefined;
  for (const [subject, other] of [[expr.left, expr.right], [expr.right, expr.left]] as const) {
    if (isGithub(subject, ['ref'])) {
      const prefix = other instanceof Literal && other.token.type === TokenType.STRING ? other.literal.coerceString() : formatPrefix(other);
      if (prefix !== undefined) return kindOfRefPrefix(prefix);
    }
    if (isGithub(subject, ['ref_type']) && other instanceof Literal && other.token.type === TokenType.STRING) {
      const value = other.literal.coerceString().toLowerCase();
      if (value === 'tag') return ['tag'];
      if (value === 'branch') return ['branch'];
    }
  }
  return undefined;
}

/** `format('refs/heads/{0}', x)`: the literal text before its first placeholder. */
function formatPrefix(expr: Expr): string | undefined {
  if (!(expr instanceof FunctionCall) || expr.functionName.lexeme.toLowerCase() !== 'format') return undefined;
  const [template] = expr.args;
  if (!(template instanceof Literal) || template.token.type !== TokenType.STRING) return undefined;
  const text = template.literal.coerceString();
  const placeholder = text.indexOf('{');
  return placeholder < 0 ? text : text.slice(0, placeholder);
}

function kindOfRefPrefix(prefix: string): RefKind[] | undefined {
  if (prefix.startsWith('refs/heads/')) return ['branch'];
  if (prefix.startsWith('refs/tags/')) return ['tag'];
  if (prefix.startsWith('refs/pull/')) return ['pull'];
  return undefined;
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
