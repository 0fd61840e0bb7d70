import type { EndpointModel } from '@marshal/core/internal';
import type { StreamingResponse, TransportResponse, UploadBody } from './transport/transport.js';

/**
 * How calls to endpoints the contract marks `idempotent` are sent again. Never used for other
 * endpoints: a call that may have been carried out is sent twice only when the contract says
 * that twice is the same as once.
 */
export interface RetryOptions {
  /** Attempts in all, the first one included (default 3); 1 sends each call once. */
  readonly attempts?: number;
  /** The shortest wait before a retry, in ms (default 100). */
  readonly minDelayMs?: number;
  /** The longest wait before a retry, in ms, a server's Retry-After included (default 2000). */
  readonly maxDelayMs?: number;
}

/** RetryOptions with every value filled in and checked. */
export interface RetryPolicy {
  readonly attempts: number;
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
}

const defaultPolicy: RetryPolicy = { attempts: 3, minDelayMs: 100, maxDelayMs: 2000 };

/**
 * The client's policy from its `retry` option: undefined for `false`. A TypeError names a value
 * that cannot be a policy, when the client is made.
 */
export function retryPolicyOf(options: RetryOptions | false | undefined, base: RetryPolicy = defaultPolicy): RetryPolicy | undefined {
  if (options === false) return undefined;
  if (options === undefined) return base;
  const policy = { ...base, ...definedValues(options) };
  const { attempts, minDelayMs, maxDelayMs } = policy;
  if (!Number.isSafeInteger(attempts) || attempts < 1) throw new TypeError(`retry.attempts must be a whole number ≥ 1, got ${String(attempts)}`);
  for (const [name, value] of [['minDelayMs', minDelayMs], ['maxDelayMs', maxDelayMs]] as const) {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new TypeError(`retry.${name} must be a number of milliseconds ≥ 0, got ${String(value)}`);
  }
  if (minDelayMs > maxDelayMs) throw new TypeError(`retry.minDelayMs (${minDelayMs}) is more than retry.maxDelayMs (${maxDelayMs})`);
  return policy;
}

function definedValues(options: RetryOptions): RetryOptions {
  const values: { -readonly [K in keyof RetryOptions]: RetryOptions[K] } = {};
  if (options.attempts !== undefined) values.attempts = options.attempts;
  if (options.minDelayMs !== undefined) values.minDelayMs = options.minDelayMs;
  if (options.maxDelayMs !== undefined) values.maxDelayMs = options.maxDelayMs;
  return values;
}

/**
 * The policy of one call: none unless the endpoint is idempotent and retries are on. A call's
 * own `retry` (from `.with()`) overrides the client's, value by value; `false` turns them off.
 */
export function callRetryPolicy(endpoint: EndpointModel, client: RetryPolicy | undefined, call: RetryOptions | false | undefined): RetryPolicy | undefined {
  if (!endpoint.idempotent) return undefined;
  if (call === undefined) return client;
  return retryPolicyOf(call, client ?? defaultPolicy);
}

/**
 * A body that can be sent again as it was: none, JSON text, or bytes and Blobs. A stream is read
 * once, as it is sent, so a call that uploads one is never retried.
 */
export function replayable(body: string | UploadBody | undefined): boolean {
  if (body === undefined || typeof body === 'string') return true;
  return body.parts.every((part) => part instanceof Uint8Array || part instanceof Blob);
}

/** Answers that say "not now" rather than "no": the server or a proxy in front of it is overloaded, restarting or unreachable. */
const retryableStatuses = new Set([429, 502, 503, 504]);

/**
 * Codes of a connection that failed before any answer: refused, reset, closed by the server
 * before the response (a keep-alive connection it had just closed, a server restarting), or not
 * made in time. A timeout waiting for the answer is not among them: the server may still be
 * working on the call.
 */
const connectionFailures = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT', 'EAI_AGAIN']);

/** A transport's failure that left the call unanswered. `fetch` wraps the socket's error in a TypeError's `cause`. */
export function isConnectionFailure(error: unknown): boolean {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  return connectionFailures.has(code as string) || (error instanceof TypeError && connectionFailures.has(cause?.code as string));
}

/**
 * The wait before retry number `retry` (1 for the first): uniformly random between minDelayMs
 * and an upper bound that doubles with each retry, from 2 × minDelayMs up to maxDelayMs ("full
 * jitter", so clients that failed together do not come back together). A Retry-After header
 * (seconds, or an HTTP date) is the wait instead, up to maxDelayMs.
 */
export function retryDelay(policy: RetryPolicy, retry: number, retryAfter: string | string[] | undefined): number {
  const asked = retryAfterMs(retryAfter);
  if (asked !== undefined) return Math.min(Math.max(asked, policy.minDelayMs), policy.maxDelayMs);
  const bound = Math.min(policy.maxDelayMs, policy.minDelayMs * 2 ** retry);
  return policy.minDelayMs + Math.random() * (bound - policy.minDelayMs);
}

function retryAfterMs(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  if (value === undefined) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/** How the retry loop reads one kind of answer. */
export interface Answers<R> {
  status(response: R): number;
  retryAfter(response: R): string | string[] | undefined;
  /** Lets go of an answer that will not be the call's. */
  discard(response: R): void;
}

/** A whole answer of the JSON path (`transport.send`): read already, nothing to let go of. */
export const wholeAnswers: Answers<TransportResponse> = {
  status: (response) => response.status,
  retryAfter: (response) => response.headers?.['retry-after'],
  discard: () => {},
};

/** An answer whose body is still to come (`transport.open`): its connection is dropped. */
export const streamingAnswers: Answers<StreamingResponse> = {
  status: (response) => response.status,
  retryAfter: (response) => response.header('retry-after'),
  discard: (response) => response.cancel(),
};

/**
 * Sends a request up to `policy.attempts` times: again after a connection failure before any
 * answer, or after an answer with a retryable status (429, 502, 503, 504), which is discarded;
 * the last attempt's answer or failure is the call's. `signal` ends a wait at once, with its
 * reason.
 */
export async function withRetries<R>(policy: RetryPolicy, signal: AbortSignal | undefined, send: () => Promise<R>, answers: Answers<R>): Promise<R> {
  for (let attempt = 1; ; attempt++) {
    let response: R;
    try {
      response = await send();
    } catch (error) {
      if (attempt >= policy.attempts || signal?.aborted || !isConnectionFailure(error)) throw error;
      await wait(retryDelay(policy, attempt, undefined), signal);
      continue;
    }
    if (attempt >= policy.attempts || !retryableStatuses.has(answers.status(response))) return response;
    const retryAfter = answers.retryAfter(response);
    answers.discard(response);
    await wait(retryDelay(policy, attempt, retryAfter), signal);
  }
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it fires. */
function wait(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
