/**
 * Where a value a sender puts in a payload comes from, as far as the sending workflow shows it: text an
 * outsider can write (a pull request title, a commit message), a value forwarded from what the sender itself
 * received (its own client_payload or string inputs), something unknown, or values only trusted actors set
 * (literals, SHAs, refs, logins, secrets, what the sender's own steps compute). `payload-injection` uses it to
 * tell a real injection across repositories from hardening advice.
 *
 * The outsider-controlled paths are GitHub Security Lab's list ("Keeping your GitHub Actions and workflows secure:
 * untrusted input"), as actionlint has them (BuiltinUntrustedInputs), with discussions and workflow_run heads.
 */
import type { Expr } from '@actions/expressions';
import { FunctionCall } from '@actions/expressions/ast';
import type { ValueOrigin } from '../model.js';
import { flattenChain, forEachChain, literalKeys, parseExpression } from '../expressions/parse.js';
import { findExpressions } from '../expressions/template.js';
import type { ValueRef } from './senders/spec.js';
import { commandOrigin, jobOutputOrigin, stepOutputOrigin, type JobSource, type StepSource } from './step-outputs.js';

/** Paths below `github.` that an outsider can write; `*` is any key or index. */
const OUTSIDER_PATHS: string[][] = [
  ['event', 'issue', 'title'],
  ['event', 'issue', 'body'],
  ['event', 'pull_request', 'title'],
  ['event', 'pull_request', 'body'],
  ['event', 'pull_request', 'head', 'ref'],
  ['event', 'pull_request', 'head', 'label'],
  ['event', 'pull_request', 'head', 'repo', 'default_branch'],
  ['event', 'comment', 'body'],
  ['event', 'review', 'body'],
  ['event', 'review_comment', 'body'],
  ['event', 'pages', '*', 'page_name'],
  ['event', 'commits', '*', 'message'],
  ['event', 'commits', '*', 'author', 'email'],
  ['event', 'commits', '*', 'author', 'name'],
  ['event', 'head_commit', 'message'],
  ['event', 'head_commit', 'author', 'email'],
  ['event', 'head_commit', 'author', 'name'],
  ['event', 'discussion', 'title'],
  ['event', 'discussion', 'body'],
  ['event', 'workflow_run', 'head_branch'],
  ['event', 'workflow_run', 'display_title'],
  ['event', 'workflow_run', 'head_commit', 'message'],
  ['event', 'workflow_run', 'head_commit', 'author', 'email'],
  ['event', 'workflow_run', 'head_commit', 'author', 'name'],
  ['head_ref'],
];

/** Environment variables the runner sets from outsider text, and ones it sets from trusted values. */
const OUTSIDER_ENV = new Set(['GITHUB_HEAD_REF']);
const TRUSTED_ENV = /^(?:GITHUB_(?:SHA|REF|REF_NAME|REF_TYPE|REPOSITORY|REPOSITORY_OWNER|REPOSITORY_ID|RUN_ID|RUN_NUMBER|RUN_ATTEMPT|ACTOR|ACTOR_ID|TRIGGERING_ACTOR|WORKFLOW|WORKFLOW_REF|WORKFLOW_SHA|JOB|EVENT_NAME|SERVER_URL|API_URL|GRAPHQL_URL|BASE_REF|ACTION|ACTION_PATH)|RUNNER_[A-Z_]+)$/;

const RANK: Record<ValueOrigin['trust'], number> = { trusted: 0, unknown: 1, forwarded: 2, outsider: 3 };

export interface OriginContext {
  /** The sending step's environment as written (workflow, job and step `env:` merged). */
  rawEnv: Map<string, ValueRef>;
  /** The sending workflow's workflow_dispatch input types: a choice or boolean input is no free text. */
  inputTypes: Map<string, string>;
  /** The steps of the sending job (for `steps.X.outputs.Y`) and the workflow's jobs (for `needs.J.outputs.K`). */
  steps?: StepSource[];
  jobs?: Map<string, JobSource>;
  /** Inside a composite action or reusable workflow: `inputs.*` as the caller passes them (see StepContext). */
  callerInputs?: Map<string, ValueRef>;
}

export const TRUSTED_LITERAL: ValueOrigin = { trust: 'trusted', source: 'a literal' };

/** The least trusted of several origins (the first of equals). */
export function worstOrigin(origins: ValueOrigin[]): ValueOrigin {
  return origins.reduce((worst, origin) => (RANK[origin.trust] > RANK[worst.trust] ? origin : worst), origins[0] ?? TRUSTED_LITERAL);
}

/** The origin of a value as written: its `${{ }}` expressions and, in a shell script, its `$VAR`s. */
export function originOfText(text: string, shell: boolean, context: OriginContext, depth = 0): ValueOrigin {
  const origins: ValueOrigin[] = [];
  for (const expression of findExpressions(text)) origins.push(originOfExpressionSource(expression.source, context, depth));
  if (shell) {
    const withoutExpressions = findExpressions(text).reduceRight((rest, expression) => rest.slice(0, expression.start) + rest.slice(expression.end), text);
    if (/\$\(|`/.test(withoutExpressions)) origins.push(commandOrigin(withoutExpressions));
    for (const match of withoutExpressions.matchAll(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)[^}]*\}|([A-Za-z_][A-Za-z0-9_]*))/g)) {
      origins.push(originOfVariable((match[1] ?? match[2]) as string, context, depth));
    }
  }
  return worstOrigin(origins);
}

/** The origin of a value that is not literal text we could read (a JavaScript variable, a command's output). */
export function unreadableOrigin(text: string): ValueOrigin {
  return { trust: 'unknown', source: `\`${text.length > 40 ? `${text.slice(0, 37)}...` : text}\`` };
}

export function originOfExpressionSource(source: string, context: OriginContext, depth = 0): ValueOrigin {
  const parsed = parseExpression(source);
  return parsed.ok ? originOfExpression(parsed.expr, context, depth) : { trust: 'unknown', source: `\${{ ${source} }}` };
}

export function originOfExpression(expr: Expr, context: OriginContext, depth = 0): ValueOrigin {
  const origins: ValueOrigin[] = [];
  forEachChain(expr, (chain) => origins.push(originOfChain(chain, context, depth)));
  // toJSON(github.event) and the like: the chain itself says what it holds; a bare function result of no chain is computed from literals.
  if (origins.length === 0 && expr instanceof FunctionCall) return TRUSTED_LITERAL;
  return worstOrigin(origins);
}

function originOfChain(chain: NonNullable<ReturnType<typeof flattenChain>>, context: OriginContext, depth: number): ValueOrigin {
  const keys = literalKeys(chain);
  const lowered = keys.map((key) => key.toLowerCase());
  const allLiteral = keys.length === chain.keys.length;
  const written = [chain.root, ...keys].join('.') + (allLiteral ? '' : '[...]');
  switch (chain.root) {
    case 'github': {
      if (lowered[0] === 'event' && lowered[1] === 'client_payload') return { trust: 'forwarded', source: written, forwards: { kind: 'client_payload', path: keys.slice(2) } };
      if (lowered[0] === 'event' && lowered[1] === 'inputs') return inputOrigin(keys[2], written, context);
      if (OUTSIDER_PATHS.some((path) => covers(path, lowered, allLiteral))) return { trust: 'outsider', source: written };
      // The whole event (or an object that holds outsider text below it) passed on at once.
      if (OUTSIDER_PATHS.some((path) => path.length > lowered.length && covers(path.slice(0, lowered.length), lowered, allLiteral))) {
        return { trust: 'outsider', source: `${written} (which holds ${['github', ...(OUTSIDER_PATHS.find((path) => covers(path.slice(0, lowered.length), lowered, allLiteral)) ?? [])].join('.')})` };
      }
      return { trust: 'trusted', source: written };
    }
    case 'inputs': {
      const passed = keys[0] === undefined ? undefined : [...(context.callerInputs ?? [])].find(([name]) => name.toLowerCase() === lowered[0])?.[1];
      if (!passed) return inputOrigin(keys[0], written, context);
      // The caller's text is read in the caller's terms: its own `inputs` are its workflow's.
      const { callerInputs: _callerInputs, ...callerContext } = context;
      const origin = passed.exact ? originOfText(passed.text, passed.shell, callerContext, depth + 1) : unreadableOrigin(passed.text);
      return origin.trust === 'trusted' ? origin : { ...origin, source: `${origin.source}, through ${written}` };
    }
    case 'env': {
      const name = keys[0];
      return name === undefined ? { trust: 'unknown', source: written } : originOfVariable(name, context, depth, written);
    }
    case 'steps': {
      const traced = keys.length >= 3 && lowered[1] === 'outputs' ? stepOutputOrigin(context.steps ?? [], keys[0] as string, keys[2] as string, context, depth) : undefined;
      return traced ?? { trust: 'trusted', source: written };
    }
    case 'needs': {
      const traced = keys.length >= 3 && lowered[1] === 'outputs' && context.jobs ? jobOutputOrigin(context.jobs, keys[0] as string, keys[2] as string, context, depth) : undefined;
      return traced ?? { trust: 'trusted', source: written };
    }
    default:
      // secrets, vars, matrix, strategy, runner, job: set by the repository's own maintainers or the runner.
      return { trust: 'trusted', source: written };
  }
}

function inputOrigin(name: string | undefined, written: string, context: OriginContext): ValueOrigin {
  const type = name === undefined ? undefined : [...context.inputTypes].find(([input]) => input.toLowerCase() === name.toLowerCase())?.[1];
  if (type === 'choice' || type === 'boolean' || type === 'number' || type === 'environment') return { trust: 'trusted', source: written };
  return { trust: 'forwarded', source: written, forwards: { kind: 'inputs', path: name === undefined ? [] : [name] } };
}

function originOfVariable(name: string, context: OriginContext, depth: number, written = `$${name}`): ValueOrigin {
  if (OUTSIDER_ENV.has(name)) return { trust: 'outsider', source: written };
  const value = context.rawEnv.get(name);
  if (value && depth < 4) {
    if (!value.exact) return { trust: 'unknown', source: written };
    const origin = originOfText(value.text, false, context, depth + 1);
    return origin.trust === 'trusted' ? origin : { ...origin, source: `${origin.source}, through ${written}` };
  }
  if (TRUSTED_ENV.test(name)) return { trust: 'trusted', source: written };
  return { trust: 'unknown', source: written };
}

/** Whether a path pattern (with `*`) matches literal keys; a dynamic key matches `*` only. */
function covers(pattern: string[], keys: string[], allLiteral: boolean): boolean {
  if (keys.length < pattern.length) {
    // `github.event.commits[i].message` with i dynamic: the literal keys stop early at the index.
    return !allLiteral && pattern.slice(0, keys.length).every((part, index) => part === '*' || part === keys[index]) && pattern[keys.length] === '*';
  }
  return pattern.every((part, index) => part === '*' || part === keys[index]);
}
