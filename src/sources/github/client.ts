/**
 * The GitHub API client: @octokit/rest with the throttling plugin (primary and secondary rate limits: wait and
 * retry as GitHub asks) and the retry plugin (5xx, timeouts, answers that are not JSON), under one budget for the
 * whole run:
 * - a deadline (--github-timeout): no request is sent, and no wait begins, that would end after it; a request in
 *   flight when it passes is abandoned;
 * - a timeout on every attempt (a quarter of the deadline, at most 30 s), so that a server that never answers
 *   leaves time for a retry;
 * - a retry budget shared by every request of the run (10 retries, plus one for every 10 requests), so that a
 *   failing endpoint is not retried for each of a thousand repositories.
 * The token goes into the Authorization header and nowhere else: every text that leaves this module is masked.
 */
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import Bottleneck from 'bottleneck';
import {
  DeadlineExceeded,
  explain,
  isRateLimited,
  maskToken,
  NotJson,
  RequestTimedOut,
  RetriesSpent,
  type Explanation,
  type FaultContext,
  type RequestRecord,
} from './faults.js';

export interface ClientOptions {
  baseUrl: string;
  token?: string;
  /** The whole run's deadline for GitHub requests, in milliseconds from the client's creation (default 600 s). */
  totalTimeoutMs?: number;
  /** Retries of one request (5xx, timeout, not JSON, rate limit) before it counts as failed. */
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
  /** Whether the deadline has passed (nothing more will be sent). */
  expired(): boolean;
  /** The error as a reason and advice, without the token; `context` says which query or page it was. */
  explain(error: unknown, context?: string): Explanation;
  /** One line: `SUBJECT: could not ACTION (reason); advice`, without the token. */
  failure(subject: string, action: string, error: unknown, context?: string): string;
  /** `text` with every form of the token masked. */
  mask(text: string): string;
  /** What explanations need to know about the run (the token, to mask it; the deadline, to name it). */
  faultContext: FaultContext;
}

export const DEFAULT_TOTAL_TIMEOUT_MS = 600_000;
const MAX_REQUEST_TIMEOUT_MS = 30_000;
const RETRIES_PER_REQUEST = 3;
const RETRY_BUDGET_BASE = 10;
const RETRY_BUDGET_PER_REQUEST = 0.1;
/** Statuses no retry can mend; 403 and 429 rate limits are the throttling plugin's to retry, not the retry plugin's. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451];

/** The deadline and the retries every request of one run draws on. */
class RunBudget {
  private readonly deadline: number;
  private requests = 0;
  private retriesUsed = 0;

  constructor(readonly totalMs: number) {
    this.deadline = Date.now() + totalMs;
  }

  remainingMs(): number {
    return this.deadline - Date.now();
  }

  countRequest(): void {
    this.requests++;
  }

  allowance(): number {
    return RETRY_BUDGET_BASE + Math.floor(this.requests * RETRY_BUDGET_PER_REQUEST);
  }

  takeRetry(): boolean {
    if (this.retriesUsed >= this.allowance()) return false;
    this.retriesUsed++;
    return true;
  }
}

/** The options object Octokit's hooks pass along, the same object for every attempt of one request. */
type HookOptions = object;
type Plugin = Parameters<typeof Octokit.plugin>[0];

export function createClient(options: ClientOptions): GitHubClient {
  const token = options.token;
  const totalMs = options.totalTimeoutMs ?? DEFAULT_TOTAL_TIMEOUT_MS;
  // Each attempt may take a quarter of the deadline (at most 30 s), so one that never answers leaves time for retries.
  const requestTimeoutMs = Math.min(MAX_REQUEST_TIMEOUT_MS, totalMs / 4);
  const retriesPerRequest = options.retries ?? RETRIES_PER_REQUEST;
  const waitUnitMs = options.waitUnitMs ?? 1000;
  const concurrency = options.concurrency ?? 8;
  const budget = new RunBudget(totalMs);
  let attemptsSent = 0;

  // One record per request (the options object the plugins pass along unchanged from attempt to attempt), and
  // the record of each error that left a request, for messages.
  const records = new WeakMap<object, RequestRecord>();
  const errorRecords = new WeakMap<object, RequestRecord>();
  const link = <E>(error: E, record: RequestRecord): E => {
    if (error && typeof error === 'object') errorRecords.set(error as object, record);
    return error;
  };

  let labeller: Pick<Octokit, 'request'> | undefined; // the client, once the guard plugin is applied to it
  const recordOf = (hookOptions: HookOptions): RequestRecord => {
    let record = records.get(hookOptions);
    if (!record) {
      record = { label: labeller ? labelOf(labeller, hookOptions) : 'a request', attempts: 0, retries: 0 };
      records.set(hookOptions, record);
      budget.countRequest();
    }
    return record;
  };

  /** A plugin that runs innermost, around each attempt: the deadline, the attempt's timeout, the JSON check, retries. */
  const guard: Plugin = (octokit) => {
    labeller = octokit;
    octokit.hook.wrap('request', async (request, hookOptions) => {
      const record = recordOf(hookOptions);
      record.attempts++;
      const remaining = budget.remainingMs();
      if (remaining <= 0) throw link(new DeadlineExceeded(), record);
      const limitMs = Math.min(requestTimeoutMs, remaining);
      const signal = AbortSignal.timeout(limitMs);
      hookOptions.request = { ...hookOptions.request, signal };
      attemptsSent++;
      let failure: unknown;
      try {
        const response = await request(hookOptions);
        // An answer whose body the timeout cut off comes back as an empty string.
        failure = signal.aborted ? new RequestTimedOut(limitMs) : notJson(response);
        // (The throttling plugin throws GraphQL rate limits in an error of its own that holds this response.)
        if (!failure) return link(response, record);
      } catch (error) {
        failure = signal.aborted ? new RequestTimedOut(limitMs) : error;
      }
      throw decide(failure, record);
    });
  };

  /** Whether @octokit/plugin-retry may retry this failure: it does so for what it would retry, while the budget lasts. */
  const decide = (failure: unknown, record: RequestRecord): unknown => {
    link(failure, record);
    if (budget.remainingMs() <= 0) return link(new DeadlineExceeded(failure), record);
    if (isRateLimited(failure) || !retriedByPlugin(failure)) return failure; // rate limits: onRateLimit decides
    if (record.retries >= retriesPerRequest) return failure;
    if ((record.retries + 1) ** 2 * waitUnitMs >= budget.remainingMs()) return link(new DeadlineExceeded(failure), record);
    if (!budget.takeRetry()) return link(new RetriesSpent(budget.allowance(), failure), record);
    record.retries++;
    return failure;
  };

  /** The throttling plugin's question: wait `retryAfter` seconds for a rate limit, and retry? */
  const onRateLimit = (kind: string) => (retryAfter: number, hookOptions: HookOptions, _octokit: unknown, retryCount: number) => {
    const record = recordOf(hookOptions);
    const limited: NonNullable<RequestRecord['rateLimit']> = { retryAfterSeconds: retryAfter };
    record.rateLimit = limited;
    if (retryCount >= retriesPerRequest) limited.declined = 'attempts';
    else if (retryAfter * waitUnitMs >= budget.remainingMs()) limited.declined = 'deadline';
    else if (!budget.takeRetry()) limited.declined = 'budget';
    if (limited.declined) return false;
    options.onWait?.(`${kind} on ${record.label}; waiting ${retryAfter} s`);
    return true;
  };

  const ThrottledOctokit = Octokit.plugin(guard, throttling, retry);
  const octokit = new ThrottledOctokit({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(token ? { auth: token } : {}),
    userAgent: 'dispatch-lint',
    retry: { retries: retriesPerRequest, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: waitUnitMs },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
    throttle: {
      retryAfterBaseValue: waitUnitMs,
      // GraphQL queries here only read, so they need not be spaced a second apart like writes; cap concurrency.
      // (Other requests share the plugin's global group: at most 10 in flight.)
      write: new Bottleneck.Group({ maxConcurrent: concurrency, minTime: 0 }),
      onRateLimit: onRateLimit('rate limit reached'),
      onSecondaryRateLimit: onRateLimit('secondary rate limit'),
    },
  });

  const recordOfError = (error: unknown): RequestRecord | undefined => {
    if (!error || typeof error !== 'object') return undefined;
    const response = (error as { response?: unknown }).response;
    return errorRecords.get(error) ?? (response && typeof response === 'object' ? errorRecords.get(response) : undefined);
  };
  const faultContext: FaultContext = { token, totalTimeoutMs: totalMs, recordOf: recordOfError };
  const mask = (text: string) => maskToken(text, token);
  const explainMasked = (error: unknown, context?: string): Explanation => {
    const { reason, advice } = explain(error, faultContext, context);
    return { reason: mask(reason), advice: mask(advice) };
  };
  return {
    octokit,
    requestCount: () => attemptsSent,
    expired: () => budget.remainingMs() <= 0,
    explain: explainMasked,
    failure: (subject, action, error, context) => {
      const { reason, advice } = explainMasked(error, context);
      return mask(`${subject}: could not ${action} (${reason}); ${advice}`);
    },
    mask,
    faultContext,
  };
}

/** What @octokit/plugin-retry retries: an error with a request and a status of 400 or more not in DO_NOT_RETRY. */
function retriedByPlugin(error: unknown): boolean {
  if (!error || typeof error !== 'object') return false;
  const { status, request } = error as { status?: unknown; request?: { request?: unknown } };
  return typeof status === 'number' && status >= 400 && !DO_NOT_RETRY.includes(status) && !!request?.request;
}

/** A successful answer that is not JSON (a proxy's page, a body cut short), or undefined if it is JSON. */
function notJson(response: { status: number; headers: Record<string, string | number | undefined>; data: unknown }): NotJson | undefined {
  if (response.status === 204 || response.status === 205 || response.status === 304) return undefined;
  const data = response.data;
  if (data !== null && typeof data === 'object' && !(data instanceof ArrayBuffer)) return undefined;
  return new NotJson(response.status, String(response.headers['content-type'] ?? '').split(';')[0]?.trim() ?? '');
}

/** `GET /repos/acme/api/contents/.github/workflows`: the method and path, never the host, query or token. */
function labelOf(octokit: Pick<Octokit, 'request'>, hookOptions: HookOptions): string {
  const { method, url: template } = hookOptions as { method?: unknown; url?: unknown };
  try {
    const { method, url } = octokit.request.endpoint.parse(hookOptions as Parameters<typeof octokit.request.endpoint.parse>[0]);
    const path = new URL(url, 'http://api.test').pathname;
    let decoded = path;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      // keep the encoded path
    }
    return `${method} ${decoded}`;
  } catch {
    return `${String(method ?? 'GET')} ${String(template ?? '')}`;
  }
}
