/**
 * What went wrong talking to the GitHub API, in words a user can act on. Every fault becomes a reason (which
 * request, what it answered or failed to) and a piece of advice; the caller says which repository or target it
 * concerns. Server text is masked for the token before it is cut, and every line is masked again as a whole.
 */

/** A request as a message names it (`GET /orgs/acme/repos`), and how it went. */
export interface RequestRecord {
  label: string;
  /** Attempts sent, counting retries. */
  attempts: number;
  /** Retries granted to @octokit/plugin-retry so far. */
  retries: number;
  /** The last rate limit met: seconds until it resets, and why it was not waited for. */
  rateLimit?: { retryAfterSeconds: number; declined?: 'deadline' | 'budget' | 'attempts' };
}

export interface Explanation {
  reason: string;
  advice: string;
}

/** What a fault's explanation needs to know about the run. */
export interface FaultContext {
  token: string | undefined;
  totalTimeoutMs: number;
  /** The record of the request an error came from, if it came from one. */
  recordOf(error: unknown): RequestRecord | undefined;
}

/** A fault found by dispatch-lint itself, worded where it is found. */
export class GitHubFault extends Error {
  constructor(
    readonly reason: string,
    readonly advice: string,
  ) {
    super(reason);
  }
}

export const API_ADVICE =
  'check --github-api-url: it must be the API (https://api.github.com, or https://HOST/api/v3 for GitHub Enterprise Server), and nothing on the way may answer in its place (a proxy sign-in page?)';
export const PAGINATION_ADVICE = "the API's pages do not end: check --github-api-url and any proxy on the way";
const NAME_ADVICE = 'check the name given to --github, and that the token can see it';

/** Pages that never end: a cursor or next link seen twice, or more pages than the listed total allows. */
export class PaginationFault extends GitHubFault {
  constructor(reason: string) {
    super(reason, PAGINATION_ADVICE);
  }
}

/** An answer that is JSON but not the shape the API promises. */
export class UnexpectedAnswer extends GitHubFault {
  constructor(reason: string) {
    super(reason, API_ADVICE);
  }
}

/** A user, organisation or repository the API says does not exist (or the token cannot see). */
export class NotOnGitHub extends GitHubFault {
  constructor(reason: string) {
    super(reason, NAME_ADVICE);
  }
}

/**
 * Faults the client detects in an answer. `status` and `request` make @octokit/plugin-retry retry them as it
 * retries a 5xx (it checks only those two fields); explain() words them from their own fields.
 */
export class RequestTimedOut extends Error {
  readonly status = 500;
  readonly request = { request: {} };
  constructor(readonly limitMs: number) {
    super(`no answer within ${seconds(limitMs)}`);
  }
}

export class NotJson extends Error {
  readonly status = 500;
  readonly request = { request: {} };
  constructor(
    readonly httpStatus: number,
    readonly contentType: string,
  ) {
    super(/json/i.test(contentType) ? `HTTP ${httpStatus} with JSON that does not parse (cut short?)` : `HTTP ${httpStatus} with ${contentType || 'no content type'}, not JSON`);
  }
}

/** The run's --github-timeout ran out before or during a request (never retried: it has no `request`). */
export class DeadlineExceeded extends Error {
  constructor(readonly lastFailure?: unknown) {
    super('the --github-timeout ran out');
  }
}

/** The run's retry budget is spent (never retried). */
export class RetriesSpent extends Error {
  constructor(
    readonly allowance: number,
    readonly lastFailure: unknown,
  ) {
    super('the retry budget is spent');
  }
}

// ---------------------------------------------------------------- explaining

/** `error` as a reason and advice. `context` (e.g. "page 2 of the repository listing") follows the request's name. */
export function explain(error: unknown, run: FaultContext, context?: string): Explanation {
  if (error instanceof GitHubFault) return { reason: error.reason, advice: error.advice };
  const record = run.recordOf(error);
  const throttled = graphqlRateLimitErrors(error);
  const where = `${record?.label ?? (isGraphqlErrors(error) || throttled ? 'POST /graphql' : 'the request')}${context ? `, ${context},` : ''}`;
  const attempts = record && record.attempts > 1 ? `, ${record.attempts} attempts` : '';
  const limit = `the --github-timeout of ${seconds(run.totalTimeoutMs)}`;

  if (error instanceof DeadlineExceeded) {
    const last = error.lastFailure;
    const what = last === undefined ? `was not sent before ${limit} ran out` : last instanceof RequestTimedOut ? `gave no answer before ${limit} ran out` : `${answered(last, run)}, and ${limit} left no time to try again`;
    return { reason: `${where} ${what}${attempts}`, advice: 'raise --github-timeout, or check --github-api-url and the network' };
  }
  if (error instanceof RetriesSpent) {
    return {
      reason: `${where} ${answered(error.lastFailure, run)}${attempts}, and the run's ${error.allowance} retries are spent`,
      advice: 'GitHub or the network keeps failing: try again later',
    };
  }
  if (error instanceof RequestTimedOut) return { reason: `${where} gave ${error.message}${attempts}`, advice: 'check --github-api-url and the network, or try again later' };
  if (error instanceof NotJson) return { reason: `${where} answered ${error.message}${attempts}`, advice: API_ADVICE };
  const resets = record?.rateLimit
    ? `; it resets in ${record.rateLimit.retryAfterSeconds} s${record.rateLimit.declined === 'deadline' ? `, after ${limit} runs out` : ''}`
    : '';
  if (isGraphqlErrors(error)) return explainGraphqlErrors(error.errors, where, run);
  if (throttled) {
    const explained = explainGraphqlErrors(throttled, where, run);
    return { ...explained, reason: `${explained.reason}${resets}` };
  }

  const status = statusOf(error);
  if (status !== undefined && status > 0 && hasResponse(error)) {
    const reason = `${where} ${answered(error, run)}${attempts}`;
    if (isRateLimited(error)) {
      return { reason: `${reason}${resets}`, advice: 'wait for the rate limit to reset, or raise --github-timeout so that dispatch-lint can wait for it' };
    }
    return { reason, advice: adviceForStatus(status, run) };
  }
  // No answer at all: a refused connection, a DNS failure, a reset.
  const message = error instanceof Error ? error.message : String(error);
  return { reason: `${where} failed: ${serverText(message, run)}${attempts}`, advice: 'check --github-api-url and the network' };
}

/** GraphQL `errors` (GitHub answers them with HTTP 200): each type and message, and advice for the first. */
export function explainGraphqlErrors(errors: readonly GraphqlError[], where: string, run: FaultContext): Explanation {
  const listed = errors.map((entry) => `${entry.type ? `${entry.type}: ` : ''}${entry.message ?? ''}`).join('; ');
  const reason = `${where} answered GraphQL errors: ${serverText(listed, run, 400)}`;
  const type = errors.find((entry) => entry.type)?.type;
  if (type === 'INSUFFICIENT_SCOPES' || type === 'FORBIDDEN') return { reason, advice: 'give the token the access the error names' };
  if (type === 'NOT_FOUND') return { reason, advice: NAME_ADVICE };
  if (type === 'RATE_LIMITED') return { reason, advice: 'wait for the rate limit to reset, or raise --github-timeout so that dispatch-lint can wait for it' };
  return { reason, advice: 'check --github-api-url (an older GitHub Enterprise Server may lack what dispatch-lint asks for); if GitHub itself answers this, please report it' };
}

export interface GraphqlError {
  type?: string;
  message?: string;
  path?: (string | number)[];
}

/** @octokit/graphql's GraphqlResponseError: the `errors` GitHub answered, with any partial `data`. */
export function isGraphqlErrors(error: unknown): error is { errors: GraphqlError[]; data?: unknown } {
  return !!error && typeof error === 'object' && (error as { name?: unknown }).name === 'GraphqlResponseError' && Array.isArray((error as { errors?: unknown }).errors);
}

/** The errors of a GraphQL rate limit the throttling plugin gave up waiting for (it throws them in a plain Error). */
function graphqlRateLimitErrors(error: unknown): GraphqlError[] | undefined {
  if (!(error instanceof Error) || error.message !== 'GraphQL Rate Limit Exceeded') return undefined;
  const errors = (error as { data?: { errors?: unknown } }).data?.errors;
  return Array.isArray(errors) ? (errors as GraphqlError[]) : [{ type: 'RATE_LIMITED', message: error.message }];
}

/** "answered HTTP 403: Resource not accessible by integration", "answered HTTP 502 (an HTML page)". */
function answered(error: unknown, run: FaultContext): string {
  if (error instanceof RequestTimedOut) return `gave ${error.message}`;
  if (error instanceof NotJson) return `answered ${error.message}`;
  if (isGraphqlErrors(error)) return `answered GraphQL errors: ${serverText(error.errors.map((entry) => entry.message ?? '').join('; '), run)}`;
  const status = statusOf(error);
  if (status === undefined || !hasResponse(error)) return `failed: ${serverText(error instanceof Error ? error.message : String(error), run)}`;
  const data = (error as { response: { data?: unknown; headers?: Record<string, string> } }).response.data;
  const contentType = (error as { response: { headers?: Record<string, string> } }).response.headers?.['content-type'] ?? '';
  if (typeof data === 'string' || data instanceof ArrayBuffer) {
    if (/html/i.test(contentType) || (typeof data === 'string' && /^\s*</.test(data))) return `answered HTTP ${status} (an HTML page)`;
    const text = typeof data === 'string' ? data.trim() : '';
    return `answered HTTP ${status}${text ? `: ${serverText(text, run)}` : ''}`;
  }
  const message = data && typeof data === 'object' ? (data as { message?: unknown }).message : undefined;
  return `answered HTTP ${status}${typeof message === 'string' && message ? `: ${serverText(message, run)}` : ''}`;
}

function adviceForStatus(status: number, run: FaultContext): string {
  if (status === 401) return run.token ? 'the API refused the token in GITHUB_TOKEN / GH_TOKEN: check that it is valid and not expired' : 'set GITHUB_TOKEN or GH_TOKEN: this API needs a token';
  if (status === 403 || status === 404) return 'check the name, and that the token may read it';
  if (status >= 500) return 'GitHub (or a proxy) is failing: try again later';
  return 'if GitHub itself answers this, please report it';
}

/** A rate limit GitHub announced (403 with no requests remaining or a rate-limit message, or 429). */
export function isRateLimited(error: unknown): boolean {
  const status = statusOf(error);
  if (status === 429) return true;
  if (status !== 403 || !hasResponse(error)) return false;
  const response = (error as { response: { headers?: Record<string, string>; data?: unknown } }).response;
  if (response.headers?.['x-ratelimit-remaining'] === '0' || response.headers?.['retry-after'] !== undefined) return true;
  const message = response.data && typeof response.data === 'object' ? (response.data as { message?: unknown }).message : undefined;
  return typeof message === 'string' && /rate limit/i.test(message);
}

/** A refusal to show something to this token (or to no token), rather than a fault of the API. */
export function isPermissionDenied(error: unknown): boolean {
  const status = statusOf(error);
  return (status === 401 || status === 403 || status === 404) && hasResponse(error) && !isRateLimited(error);
}

export function statusOf(error: unknown): number | undefined {
  if (error instanceof RequestTimedOut || error instanceof NotJson) return undefined;
  const status = error && typeof error === 'object' ? (error as { status?: unknown }).status : undefined;
  return typeof status === 'number' ? status : undefined;
}

function hasResponse(error: unknown): boolean {
  return !!error && typeof error === 'object' && !!(error as { response?: unknown }).response;
}

// ---------------------------------------------------------------- the token

/** Server text for a message: the token masked first, then one line, then cut to `max` characters. */
export function serverText(text: string, run: { token: string | undefined }, max = 200): string {
  const line = maskToken(text, run.token)
    .replace(/ - https:\/\/docs\.github\.com\S*/g, '') // Octokit appends the documentation URL; it says nothing about this run
    .replace(/\s+/g, ' ')
    .trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The shortest piece of a token that is masked wherever it appears. */
const PIECE = 8;

/**
 * `text` with every appearance of the token masked as `***`: whole, URL-encoded, or any piece of 8 or more
 * characters (a token cut short by a server, or by whoever shortened the text before). Tokens shorter than 8
 * characters are not real tokens (they are 40 or more) and are left alone rather than garble words.
 */
export function maskToken(text: string, token: string | undefined): string {
  if (!token || token.length < PIECE || text.length < PIECE) return text;
  const ranges: [number, number][] = [];
  const encoded = encodeURIComponent(token);
  for (const form of encoded === token ? [token] : [token, encoded]) {
    for (let at = text.indexOf(form); at >= 0; at = text.indexOf(form, at + 1)) ranges.push([at, at + form.length]);
  }
  // Every appearance of a piece of 8+ characters contains an appearance of one of the token's 8-character windows.
  for (let start = 0; start + PIECE <= token.length; start++) {
    const piece = token.slice(start, start + PIECE);
    for (let at = text.indexOf(piece); at >= 0; at = text.indexOf(piece, at + 1)) ranges.push([at, at + PIECE]);
  }
  if (ranges.length === 0) return text;
  ranges.sort((a, b) => a[0] - b[0]);
  const merged: [number, number][] = [];
  for (const [start, end] of ranges) {
    const last = merged[merged.length - 1];
    if (last && start <= last[1]) last[1] = Math.max(last[1], end);
    else merged.push([start, end]);
  }
  let masked = '';
  let copied = 0;
  for (const [start, end] of merged) {
    masked += `${text.slice(copied, start)}***`;
    copied = end;
  }
  return masked + text.slice(copied);
}

export function seconds(ms: number): string {
  const value = ms / 1000;
  return `${Number.isInteger(value) ? value : Number(value.toFixed(2))} s`;
}
