/**
 * Resolves the text of a dispatch's inputs (`harmony-labs/${{ matrix.downstream }}`,
 * `"$GITHUB_REPOSITORY_OWNER/trivy-repo"`) to concrete values, where the workflow itself makes them knowable:
 * `github.repository`, `github.repository_owner`, `env` at workflow, job and step level, `matrix` values,
 * and values the user declared in the config for an expression.
 */
import { coerceString, evaluate, possibleValues, UNKNOWN, type JsonValue, type KnownContexts } from '../expressions/evaluate.js';
import { parseExpression } from '../expressions/parse.js';
import { findExpressions } from '../expressions/template.js';

/** Candidate values the config declares for an expression (normalised source) in a repository. */
export type DeclaredValues = (expressionSource: string) => string[] | undefined;

export interface Scope {
  contexts: KnownContexts;
  /** Environment variables a shell script sees, where known (unknown ones are absent). */
  shellEnv: Record<string, string>;
  declared: DeclaredValues;
}

/** Up to this many candidates per value; beyond it a value counts as unresolved. */
const MAX_CANDIDATES = 64;

/** The GitHub context known before a run, for a workflow in repository `owner/name`. */
export function githubContext(repository: string): JsonValue {
  const [owner = '', name = ''] = repository.split('/');
  return {
    repository,
    repository_owner: owner,
    server_url: 'https://github.com',
    api_url: 'https://api.github.com',
    graphql_url: 'https://api.github.com/graphql',
    event: { repository: { name, full_name: repository, owner: { login: owner } } },
  };
}

export function baseShellEnv(repository: string): Record<string, string> {
  const [owner = ''] = repository.split('/');
  return {
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: owner,
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SERVER_URL: 'https://github.com',
  };
}

export function normaliseExpression(source: string): string {
  return source.replace(/\s+/g, ' ').trim();
}

/**
 * Every value `text` can take, or undefined when some part of it is only known at run time.
 * With `shell`, `$VAR` and `${VAR}` are expanded after the `${{ }}` expressions, as bash would see them.
 * With `alternatives`, an expression that chooses between known values on a condition known only at run time
 * (`cond && env.A || env.B`) takes each of them (see possibleValues); without it, such an expression is unknown.
 */
export function resolveText(text: string, scope: Scope, options: { shell?: boolean; alternatives?: boolean } = {}): string[] | undefined {
  let candidates = [''];
  let from = 0;
  for (const expression of findExpressions(text)) {
    const literal = text.slice(from, expression.start);
    const values = options.alternatives ? expressionAlternatives(expression.source, scope) : expressionValues(expression.source, scope);
    if (!values) return undefined;
    candidates = combine(candidates, literal, values);
    if (candidates.length > MAX_CANDIDATES) return undefined;
    from = expression.end;
  }
  candidates = candidates.map((prefix) => prefix + text.slice(from));
  if (!options.shell) return dedupe(candidates);
  const expanded: string[] = [];
  for (const candidate of candidates) {
    const value = expandShellVariables(candidate, scope.shellEnv);
    if (value === undefined) return undefined;
    expanded.push(value);
  }
  return dedupe(expanded);
}

/** The value of one `${{ }}` body: declared in the config, or evaluated; undefined if unknown. */
export function expressionValues(source: string, scope: Scope): string[] | undefined {
  const declared = scope.declared(normaliseExpression(source));
  if (declared) return declared;
  const parsed = parseExpression(source);
  if (!parsed.ok) return undefined;
  const value = evaluate(parsed.expr, scope.contexts);
  if (value === UNKNOWN) return undefined;
  return [coerceString(value)];
}

/** Like expressionValues, but an unknown condition choosing between known values gives each of them. */
export function expressionAlternatives(source: string, scope: Scope): string[] | undefined {
  const declared = scope.declared(normaliseExpression(source));
  if (declared) return declared;
  const parsed = parseExpression(source);
  if (!parsed.ok) return undefined;
  const values = possibleValues(parsed.expr, scope.contexts);
  return values === undefined ? undefined : dedupe(values.map(coerceString));
}

function combine(prefixes: string[], literal: string, values: string[]): string[] {
  const out: string[] = [];
  for (const prefix of prefixes) for (const value of values) out.push(prefix + literal + value);
  return out;
}

function dedupe(values: string[]): string[] {
  return [...new Set(values)];
}

/**
 * Expands `$NAME` / `${NAME}`; undefined when a variable is unknown, the text runs a command, or it reads a
 * positional or special parameter (`$1`, `$@`: a function's arguments, only known at run time).
 */
export function expandShellVariables(text: string, env: Record<string, string>): string | undefined {
  if (/\$\(|`|\$[0-9@*#?!]/.test(text)) return undefined;
  let unknown = false;
  const out = text.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_match, braced?: string, bare?: string) => {
    const name = (braced ?? bare) as string;
    const value = env[name];
    if (value === undefined) unknown = true;
    return value ?? '';
  });
  if (unknown || /\$\{/.test(out)) return undefined;
  return out;
}

/**
 * Layers `env:` mappings (workflow, then job, then step) into the `env` context and the shell environment.
 * A value that cannot be resolved removes the name, so an inner unknown value hides an outer known one.
 */
export function layerEnv(
  outer: { contexts: KnownContexts; shellEnv: Record<string, string> },
  env: Record<string, string>,
  declared: DeclaredValues,
): { envContext: Record<string, JsonValue>; shellEnv: Record<string, string> } {
  const envContext: Record<string, JsonValue> = { ...((outer.contexts.env as Record<string, JsonValue> | undefined) ?? {}) };
  const shellEnv = { ...outer.shellEnv };
  const scope: Scope = { contexts: outer.contexts, shellEnv: outer.shellEnv, declared };
  for (const [name, raw] of Object.entries(env)) {
    const values = resolveText(raw, scope);
    if (values && values.length === 1) {
      envContext[name] = values[0] as string;
      shellEnv[name] = values[0] as string;
    } else {
      delete envContext[name];
      delete shellEnv[name];
    }
  }
  return { envContext, shellEnv };
}
