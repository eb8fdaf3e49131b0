/**
 * A partial evaluator for Actions expressions: it computes what can be known before the workflow runs
 * (`github.repository`, `env`, `matrix`, literals, `format()`...) and answers UNKNOWN for the rest
 * (`steps.*.outputs`, `secrets`, event data). GitHub's own Evaluator cannot be used here: it treats a
 * missing context value as null, where we must keep "not knowable" apart from "empty".
 */
import type { Expr } from '@actions/expressions';
import { Binary, ContextAccess, FunctionCall, Grouping, IndexAccess, Literal, Logical, Star, Unary } from '@actions/expressions/ast';
import { TokenType } from '@actions/expressions/lexer';
import type { ValueType } from '../model.js';

export const UNKNOWN: unique symbol = Symbol('unknown');
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Maybe = JsonValue | typeof UNKNOWN;

/** Known context data; a key that is absent evaluates to UNKNOWN, never to null. */
export type KnownContexts = Record<string, JsonValue>;

export function evaluate(expr: Expr, contexts: KnownContexts): Maybe {
  if (expr instanceof Literal) return literalValue(expr);
  if (expr instanceof Grouping) return evaluate(expr.group, contexts);
  if (expr instanceof ContextAccess) return lookup(contexts, expr.name.lexeme);
  if (expr instanceof IndexAccess) {
    if (expr.index instanceof Star) return UNKNOWN;
    const base = evaluate(expr.expr, contexts);
    const key = evaluate(expr.index, contexts);
    if (base === UNKNOWN || key === UNKNOWN) return UNKNOWN;
    if (Array.isArray(base)) return typeof key === 'number' ? (base[key] ?? null) : UNKNOWN;
    if (base !== null && typeof base === 'object') return lookup(base, coerceString(key));
    return null;
  }
  if (expr instanceof Unary) {
    const value = evaluate(expr.expr, contexts);
    return value === UNKNOWN ? UNKNOWN : !truthy(value);
  }
  if (expr instanceof Logical) return evaluateLogical(expr, contexts);
  if (expr instanceof Binary) return evaluateComparison(expr, contexts);
  if (expr instanceof FunctionCall) return evaluateCall(expr, contexts);
  return UNKNOWN;
}

function literalValue(literal: Literal): JsonValue {
  switch (literal.token.type) {
    case TokenType.NUMBER:
      return Number(literal.token.value);
    case TokenType.TRUE:
      return true;
    case TokenType.FALSE:
      return false;
    case TokenType.NULL:
      return null;
    default:
      return literal.literal.coerceString();
  }
}

/** Context property lookup ignores case, as the runner's dictionaries do. */
function lookup(object: { [key: string]: JsonValue }, key: string): Maybe {
  if (Object.hasOwn(object, key)) return object[key] as JsonValue;
  const lower = key.toLowerCase();
  for (const candidate of Object.keys(object)) {
    if (candidate.toLowerCase() === lower) return object[candidate] as JsonValue;
  }
  return UNKNOWN;
}

function evaluateLogical(expr: Logical, contexts: KnownContexts): Maybe {
  const isOr = expr.operator.type === TokenType.OR;
  let last: Maybe = null;
  for (const arg of expr.args) {
    last = evaluate(arg, contexts);
    if (last === UNKNOWN) return UNKNOWN;
    if (isOr ? truthy(last) : !truthy(last)) return last;
  }
  return last;
}

function evaluateComparison(expr: Binary, contexts: KnownContexts): Maybe {
  const left = evaluate(expr.left, contexts);
  const right = evaluate(expr.right, contexts);
  if (left === UNKNOWN || right === UNKNOWN) return UNKNOWN;
  switch (expr.operator.type) {
    case TokenType.EQUAL_EQUAL:
      return looselyEqual(left, right);
    case TokenType.BANG_EQUAL:
      return !looselyEqual(left, right);
    case TokenType.GREATER:
      return coerceNumber(left) > coerceNumber(right);
    case TokenType.GREATER_EQUAL:
      return coerceNumber(left) >= coerceNumber(right);
    case TokenType.LESS:
      return coerceNumber(left) < coerceNumber(right);
    case TokenType.LESS_EQUAL:
      return coerceNumber(left) <= coerceNumber(right);
    default:
      return UNKNOWN;
  }
}

function evaluateCall(expr: FunctionCall, contexts: KnownContexts): Maybe {
  const name = expr.functionName.lexeme.toLowerCase();
  const args = expr.args.map((arg) => evaluate(arg, contexts));
  if (args.some((arg) => arg === UNKNOWN)) return UNKNOWN;
  const known = args as JsonValue[];
  switch (name) {
    case 'format':
      return formatString(coerceString(known[0] ?? ''), known.slice(1)) ?? UNKNOWN;
    case 'contains': {
      const [haystack, needle] = known;
      if (Array.isArray(haystack)) return haystack.some((item) => looselyEqual(item, needle ?? null));
      return coerceString(haystack ?? '').toLowerCase().includes(coerceString(needle ?? '').toLowerCase());
    }
    case 'startswith':
      return coerceString(known[0] ?? '').toLowerCase().startsWith(coerceString(known[1] ?? '').toLowerCase());
    case 'endswith':
      return coerceString(known[0] ?? '').toLowerCase().endsWith(coerceString(known[1] ?? '').toLowerCase());
    case 'join': {
      const [items, separator] = known;
      if (!Array.isArray(items)) return coerceString(items ?? '');
      return items.map(coerceString).join(separator === undefined ? ',' : coerceString(separator));
    }
    case 'tojson':
      return JSON.stringify(known[0] ?? null, null, 2);
    case 'fromjson':
      try {
        return JSON.parse(coerceString(known[0] ?? '')) as JsonValue;
      } catch {
        return UNKNOWN;
      }
    default:
      return UNKNOWN;
  }
}

/** `format('{0}-{1}', a, b)`, with `{{` and `}}` as escaped braces; undefined for a malformed format string. */
export function formatString(format: string, args: JsonValue[]): string | undefined {
  let out = '';
  for (let i = 0; i < format.length; i++) {
    const ch = format[i];
    if (ch === '{' && format[i + 1] === '{') {
      out += '{';
      i++;
    } else if (ch === '}' && format[i + 1] === '}') {
      out += '}';
      i++;
    } else if (ch === '{') {
      const close = format.indexOf('}', i);
      const index = Number(format.slice(i + 1, close));
      if (close < 0 || !Number.isInteger(index) || index >= args.length) return undefined;
      out += coerceString(args[index] ?? null);
      i = close;
    } else out += ch;
  }
  return out;
}

export function truthy(value: JsonValue): boolean {
  if (value === null || value === false || value === '' || value === 0) return false;
  return !(typeof value === 'number' && Number.isNaN(value));
}

export function coerceString(value: JsonValue): string {
  if (value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return typeof value === 'object' && !Array.isArray(value) ? 'Object' : 'Array';
}

function coerceNumber(value: JsonValue): number {
  if (value === null || value === false || value === '') return 0;
  if (value === true) return 1;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return Number.NaN;
}

/** `==` as the runner does it: case-insensitive for strings, numeric coercion across types. */
function looselyEqual(left: JsonValue, right: JsonValue): boolean {
  if (typeof left === 'string' && typeof right === 'string') return left.toLowerCase() === right.toLowerCase();
  if (typeof left === typeof right && (left === null || typeof left !== 'object')) return left === right;
  if (typeof left === 'object' || typeof right === 'object') return left === right;
  return coerceNumber(left) === coerceNumber(right);
}

/**
 * The JSON type an expression produces when its result is spliced bare into JSON text
 * (`"flag": ${{ contains(...) }}`); 'unknown' where that depends on run-time data.
 */
export function splicedJsonType(expr: Expr): ValueType {
  if (expr instanceof Grouping) return splicedJsonType(expr.group);
  if (expr instanceof Literal) {
    const value = literalValue(expr);
    return value === null ? 'null' : typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'unknown';
  }
  if (expr instanceof Unary || expr instanceof Binary) return 'boolean';
  if (expr instanceof FunctionCall) {
    const name = expr.functionName.lexeme.toLowerCase();
    if (['contains', 'startswith', 'endswith', 'success', 'failure', 'always', 'cancelled'].includes(name)) return 'boolean';
  }
  return 'unknown';
}

/**
 * What an expression evaluates to when a condition in it is only known at run time, but the values it chooses
 * between are known: `cond && env.A || env.B` is A or B. Each outcome is a value, or UNKNOWN with what is
 * known of its truth (an unknown condition that `&&` returns is falsy, or `&&` would have gone on). Undefined
 * when some outcome is an unknown value the expression could return (`inputs.x || 'a'` may be any input).
 */
export function possibleValues(expr: Expr, contexts: KnownContexts): JsonValue[] | undefined {
  const outcomes = outcomesOf(expr, contexts);
  if (outcomes.some((outcome) => outcome.value === UNKNOWN)) return undefined;
  return outcomes.map((outcome) => outcome.value as JsonValue);
}

interface Outcome {
  value: Maybe;
  /** For an UNKNOWN value: whether it is known to be truthy or falsy. */
  truthy?: boolean;
}

function outcomesOf(expr: Expr, contexts: KnownContexts): Outcome[] {
  if (expr instanceof Grouping) return outcomesOf(expr.group, contexts);
  if (!(expr instanceof Logical)) return [{ value: evaluate(expr, contexts) }];
  const isOr = expr.operator.type === TokenType.OR;
  const results: Outcome[] = [];
  // The outcomes of the arguments so far that let evaluation go on to the next argument.
  let goesOn = true;
  expr.args.forEach((arg, index) => {
    if (!goesOn) return;
    const last = index === expr.args.length - 1;
    goesOn = false;
    for (const outcome of outcomesOf(arg, contexts)) {
      if (last) {
        results.push(outcome);
        continue;
      }
      const truth = outcome.value === UNKNOWN ? outcome.truthy : truthy(outcome.value);
      // `||` returns a truthy argument and goes on past a falsy one; `&&` the reverse.
      if (truth === undefined) {
        results.push({ value: UNKNOWN, truthy: isOr });
        goesOn = true;
      } else if (truth === isOr) results.push(outcome);
      else goesOn = true;
    }
  });
  return results;
}
