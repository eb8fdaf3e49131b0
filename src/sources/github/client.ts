/**
 * The GitHub API client: @octokit/rest with the throttling plugin (primary and secondary rate limits: wait and
 * retry as GitHub asks) and the retry plugin (5xx and network faults), a timeout on every request, and a count
 * of requests sent. The token goes into the Authorization header and nowhere else: every error text that
 * leaves this module passes through `redact`.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';

export interface ClientOptions {
  baseUrl: string;
  token?: string;
  /** Milliseconds before a request is abandoned (and retried). */
  timeoutMs?: number;
  /** Retries of a failed request (5xx, timeout, network) before it counts as failed. */
  retries?: number;
  /** Requests in flight at once. */
  concurrency?: number;
  /** Told of each wait for a rate limit, for a progress line. */
  onWait?: (message: string) => void;
  /**
   * The unit of every wait, in milliseconds (default 1000): retries wait (attempt²) units, rate limits wait
   * the seconds GitHub names in units. Tests shrink it so a fault costs milliseconds.
   */
  waitUnitMs?: number;
}

export interface GitHubClient {
  octokit: Octokit;
  /** Requests sent so far (each attempt counts). */
  requestCount(): number;
  /** The error's text without the token, for messages. */
  describe(error: unknown): string;
}

const ThrottledOctokit = Octokit.plugin(throttling, retry);

/** Rate-limit waits longer than this are not waited for: the run fails with exit 2 instead of hanging. */
const MAX_RATE_LIMIT_WAIT_SECONDS = 15 * 60;

export function createClient(options: ClientOptions): GitHubClient {
  let requests = 0;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const concurrency = options.concurrency ?? 8;
  const limitedRetries = options.retries ?? 3;
  // (A token shorter than any real one would only garble words; real tokens are 40 characters or more.)
  const redact = (text: string) => (options.token && options.token.length >= 8 ? text.split(options.token).join('***') : text);

  const timedFetch: typeof fetch = (input, init) => {
    requests++;
    return fetch(input, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  };

  const octokit = new ThrottledOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.token ? { auth: options.token } : {}),
    userAgent: 'dispatch-lint',
    request: { fetch: timedFetch },
    retry: { retries: limitedRetries, doNotRetry: [400, 401, 403, 404, 410, 422, 451], retryAfterBaseValue: options.waitUnitMs ?? 1000 },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      retryAfterBaseValue: options.waitUnitMs ?? 1000,
      // GraphQL queries here only read, so they need not be spaced a second apart like writes; cap concurrency.
      // (Other requests share the plugin's global group: at most 10 in flight.)
      write: new Bottleneck.Group({ maxConcurrent: concurrency, minTime: 0 }),
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        options.onWait?.(`rate limit reached on ${request.method} ${request.url}; waiting ${retryAfter} s`);
        return retryCount < limitedRetries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        options.onWait?.(`secondary rate limit on ${request.method} ${request.url}; waiting ${retryAfter} s`);
        return retryCount < limitedRetries && retryAfter <= MAX_RATE_LIMIT_WAIT_SECONDS;
      },
    },
  });

  return {
    octokit,
    requestCount: () => requests,
    describe: (error) => redact(describeError(error)),
  };
}

function describeError(error: unknown): string {
  if (error && typeof error === 'object') {
    const { status, message, name } = error as { status?: number; message?: string; name?: string };
    // Octokit appends the documentation URL to GitHub's message; it says nothing about this run.
    const text = ((message ?? String(error)).split('\n')[0] ?? '').replace(/ - https:\/\/docs\.github\.com\S*$/, '');
    if (name === 'TimeoutError' || /aborted due to timeout/i.test(text)) return 'the request timed out';
    if (typeof status === 'number' && status > 0) return `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ''}`;
    return text.slice(0, 200);
  }
  return String(error);
}
