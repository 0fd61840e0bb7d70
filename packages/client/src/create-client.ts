import { type CompiledEndpoint, compileEndpoint, serviceModelOf } from '@marshal/core/internal';
import { type ClientAuth, authenticated } from './auth-headers.js';
import { decodeResult } from './decode-result.js';
import { type EncodedCall, encodeCall } from './encode-call.js';
import { errorAnswer } from './error-answer.js';
import type { FileArgument } from './file-argument.js';
import { linesOf } from './read-lines.js';
import { RemoteError } from './remote-error.js';
import { type RetryOptions, type RetryPolicy, callRetryPolicy, replayable, retryPolicyOf, streamingAnswers, wholeAnswers, withRetries } from './retry.js';
import { CallSpan, type ClientTracing, clientTracing } from './tracing.js';
import { TransportError } from './transport-error.js';
import type { HttpTransport, StreamingResponse, TransportFactory, TransportOptions } from './transport/transport.js';
import { uploadSourceError } from './transport/upload-chunks.js';
import type { WebSocketConnector } from './websocket/socket.js';
import { webSocketMethod } from './websocket/websocket-method.js';

export interface ClientOptions extends TransportOptions {
  /** Headers sent with every call, e.g. authorization. */
  readonly headers?: Readonly<Record<string, string>>;
  /** A bearer token asked for before each request: `auth: { token: () => session.accessToken() }`. */
  readonly auth?: ClientAuth;
  /**
   * How calls to endpoints the contract marks `idempotent` are sent again after a connection
   * failure or a 429, 502, 503 or 504 (default: 3 attempts in all, waits of 100 ms to 2 s);
   * `false`: never. Other endpoints are never retried.
   */
  readonly retry?: RetryOptions | false;
  /**
   * An OpenTelemetry CLIENT span per call, its context sent in `traceparent` (default false). Spans
   * record once the application registers an OpenTelemetry SDK.
   */
  readonly tracing?: boolean;
  /** How requests are sent: undici in Node by default, `fetch` in browsers, workers, Deno and Bun. */
  readonly transport?: TransportFactory;
  /** How `@websocket` calls connect: the `ws` package in Node by default, the runtime's `WebSocket` in browsers, workers, Deno and Bun. */
  readonly webSocket?: WebSocketConnector;
}

/**
 * Options for one call, given without changing the method's signature:
 * `await api.single_file.with({ signal, onUploadProgress: (sent) => … })(bytes)`.
 */
export interface CallOptions {
  /**
   * Aborts the call: before the answer, mid-upload or mid-download (the connection is closed,
   * so the server's upload stream fails and its streamed result is stopped). The call rejects,
   * or the streamed result's iteration throws, with a TransportError whose `code` is `ABORT_ERR`
   * and whose `cause` is the signal's reason.
   */
  readonly signal?: AbortSignal;
  /**
   * Called with the number of body bytes handed to the transport so far, growing to the body's
   * size (a multipart body's boundaries and part headers included). Over undici, as each chunk is
   * taken for the socket (a buffer is handed over in 64 KiB pieces). Over fetch, chunk by chunk
   * for a stream argument where the runtime sends request streams; once, with the whole size,
   * when the answer's headers arrive, for bytes and Blobs (browsers cannot stream those
   * reliably: Chromium sends request streams only over HTTP/2). Over WebSocket, the bytes of
   * files and a byte stream, frame by frame as each is handed to the socket.
   */
  readonly onUploadProgress?: (sentBytes: number) => void;
  /** Headers for this call, over the client's own (names compared without case); a WebSocket call's go on its handshake. */
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * This call's timeout in ms, in place of the client's `timeoutMs` (the same kind of timeout; a
   * WebSocket call's is the time it may go without a frame sent or received, 300 s by default).
   */
  readonly timeoutMs?: number;
  /** This call's retries, over the client's `retry` value by value; `false`: none. Only for idempotent endpoints. */
  readonly retry?: RetryOptions | false;
}

/**
 * A parameter as a client takes it: a `Bytes` or `stream(Bytes)` parameter takes any FileArgument,
 * a stream of values (`@websocket`) an async iterable or an iterable (an array) of them.
 */
export type ClientArg<A> = A extends Uint8Array
  ? FileArgument
  : A extends AsyncIterable<Uint8Array>
    ? FileArgument
    : A extends AsyncIterable<infer I>
      ? AsyncIterable<I> | Iterable<I>
      : A;

/** An endpoint method of a client: the contract's method, taking any file form, with `.with(options)`. */
export type ClientMethod<F> = F extends (...args: infer A extends unknown[]) => infer R
  ? ((...args: { [I in keyof A]: ClientArg<A[I]> }) => R) & {
      /** This method with call options (signal, upload progress, headers, timeout); chains, later options winning. */
      with(options: CallOptions): ClientMethod<F>;
    }
  : never;

type EndpointKey<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => PromiseLike<unknown> | AsyncIterable<unknown> ? K : never }[keyof T];

/**
 * What `createClient` returns: the contract's type (it is `instanceof` the contract class and
 * assignable to it), whose endpoint methods also take every file form and have `.with(options)`.
 */
export type Client<T> = T & { [K in EndpointKey<T>]: ClientMethod<T[K]> };

type Contract<T> = abstract new (...args: never[]) => T;

export type CreateClient = <T extends object>(contract: Contract<T>, baseUrl: string, options?: ClientOptions) => Client<T>;

const transports = new WeakMap<object, HttpTransport>();

/**
 * `createClient` with a default transport and WebSocket connector: each entry point of the
 * package (Node's, the browser's) picks its own, and nothing else differs.
 */
export function clientFactory(defaultTransport: TransportFactory, defaultWebSocket: WebSocketConnector): CreateClient {
  return (contract, baseUrl, options = {}) => buildClient(contract, baseUrl, options, defaultTransport, defaultWebSocket);
}

/**
 * A remote implementation of a contract: an object that is `instanceof` the contract class and
 * whose endpoint methods call the server at `baseUrl`. Endpoints are compiled here, once; a call
 * only encodes its arguments, sends them and decodes the answer. A method whose result is JSON
 * returns a promise; one whose result is `Bytes` a promise of a Uint8Array; one whose result is
 * `stream(…)` an async iterable of its items, whose request starts when the iteration does. A
 * `@websocket` endpoint's method is the same, over a connection of its own per call
 * (websocket/websocket-method.ts).
 */
function buildClient<T extends object>(contract: Contract<T>, baseUrl: string, options: ClientOptions, defaultTransport: TransportFactory, defaultWebSocket: WebSocketConnector): Client<T> {
  const model = serviceModelOf(contract);
  const endpoints = model.endpoints.map((endpoint) => compileEndpoint(endpoint));
  const url = new URL(baseUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`base URL must be http(s)://…, got ${baseUrl}`);
  let transport = (options.transport ?? defaultTransport)(url.origin, options);
  if (options.auth !== undefined) transport = authenticated(transport, options.auth, options.headers);
  const link: Link = {
    transport,
    origin: url.origin,
    basePath: url.pathname.replace(/\/+$/, ''),
    headers: { ...options.headers },
    jsonHeaders: { ...options.headers, 'content-type': 'application/json' },
    lowerCaseHeaders: lowerCaseNames({}, options.headers),
    retry: retryPolicyOf(options.retry),
    tracing: options.tracing ? clientTracing(url) : undefined,
    webSocket: options.webSocket ?? defaultWebSocket,
    timeoutMs: options.timeoutMs,
    auth: options.auth,
  };
  const client = Object.create(contract.prototype) as Record<string, unknown>;
  for (const endpoint of endpoints) {
    const name = endpoint.model.methodName;
    Object.defineProperty(client, name, { value: clientMethod(link, endpoint, undefined), enumerable: false, writable: true, configurable: true });
  }
  transports.set(client, transport);
  return client as Client<T>;
}

/** What every call of one client shares. */
interface Link {
  readonly transport: HttpTransport;
  readonly origin: string;
  readonly basePath: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly jsonHeaders: Readonly<Record<string, string>>;
  /** The client's headers with lower-case names, for calls that add headers of their own. */
  readonly lowerCaseHeaders: Readonly<Record<string, string>>;
  /** The client's retries of idempotent calls, or undefined for none. */
  readonly retry: RetryPolicy | undefined;
  /** Where calls' spans are started, for a client with `tracing`. */
  readonly tracing: ClientTracing | undefined;
  /** Connects `@websocket` calls (`ws(s)://` on the same host, with `lowerCaseHeaders` on the handshake). */
  readonly webSocket: WebSocketConnector;
  /** The client's `timeoutMs`, for WebSocket calls (HTTP transports keep their own). */
  readonly timeoutMs: number | undefined;
  /** The client's token provider, for WebSocket handshakes (HTTP requests get it through the transport). */
  readonly auth: ClientAuth | undefined;
}

const noOptions: CallOptions = {};

/**
 * One endpoint's method, with `.with(options)`. A JSON call without options takes the fast path
 * (`call`, over the transport's `send`), unless the client traces its calls; uploads, streamed
 * and byte results, calls with options and traced calls go through the transport's `open`.
 */
function clientMethod(link: Link, endpoint: CompiledEndpoint, options: CallOptions | undefined): (...args: unknown[]) => unknown {
  const name = endpoint.model.methodName;
  const form = endpoint.resultForm;
  const callOptions = options ?? noOptions;
  const retry = callRetryPolicy(endpoint.model, link.retry, options?.retry);
  // Named methods, so stack traces read IMyService.select.
  let method: (...args: unknown[]) => unknown;
  if (endpoint.model.transport === 'websocket') {
    method = webSocketMethod(link, endpoint, callOptions);
  } else if (options === undefined && link.tracing === undefined && form === 'json' && (endpoint.bodyKind === 'none' || endpoint.bodyKind === 'json')) {
    method = { [name]: (...args: unknown[]) => call(link, endpoint, args, retry) }[name];
  } else if (form === 'json' || form === 'bytes') {
    method = { [name]: (...args: unknown[]) => wholeCall(link, endpoint, args, callOptions, retry) }[name];
  } else {
    // Arguments are encoded (and refused) at the call; the request starts with the iteration.
    method = { [name]: (...args: unknown[]) => streamedCall(link, endpoint, encodeCall(endpoint, args), callOptions, retry) }[name];
  }
  Object.defineProperty(method, 'with', { value: (more: CallOptions) => clientMethod(link, endpoint, mergeOptions(options, more)) });
  return method;
}

function mergeOptions(options: CallOptions | undefined, more: CallOptions): CallOptions {
  if (options === undefined) return { ...more };
  const headers = options.headers && more.headers ? { ...options.headers, ...more.headers } : (more.headers ?? options.headers);
  return { ...options, ...more, headers };
}

/**
 * One call: its result decoded from a 200's JSON; a RemoteError for any other answer; a
 * TransportError when there is no usable answer.
 */
async function call(link: Link, endpoint: CompiledEndpoint, args: readonly unknown[], retry: RetryPolicy | undefined): Promise<unknown> {
  const { method, path, body } = encodeCall(endpoint, args);
  const fullPath = link.basePath + path;
  const label = `${method} ${fullPath}`;
  const request = { method, path: fullPath, headers: body === undefined ? link.headers : link.jsonHeaders, body: body as string | undefined };
  let status: number;
  let text: string;
  try {
    ({ status, text } = await (retry === undefined ? link.transport.send(request) : withRetries(retry, undefined, () => link.transport.send(request), wholeAnswers)));
  } catch (error) {
    throw new TransportError(label, `no answer from ${link.origin}: ${(error as Error).message}`, error);
  }
  if (status !== 200) throw errorAnswer(label, status, text);
  return jsonResult(label, endpoint, status, text);
}

function jsonResult(label: string, endpoint: CompiledEndpoint, status: number, text: string): unknown {
  let json: unknown;
  if (text.length > 0) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new TransportError(label, `the answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, error, status);
    }
  }
  return decodeResult(endpoint, label, json, 'result', status);
}

/** One exchange through the transport's `open`: its request, its abort controller, its end. */
class Exchange {
  readonly label: string;
  readonly #link: Link;
  readonly #encoded: EncodedCall;
  readonly #options: CallOptions;
  readonly #controller = new AbortController();
  readonly #forward: (() => void) | undefined;
  readonly #retry: RetryPolicy | undefined;
  readonly #span: CallSpan | undefined;

  constructor(link: Link, endpoint: CompiledEndpoint, encoded: EncodedCall, options: CallOptions, retry: RetryPolicy | undefined) {
    this.#link = link;
    this.#encoded = encoded;
    this.#options = options;
    this.#retry = retry;
    if (link.tracing !== undefined) this.#span = new CallSpan(link.tracing, endpoint.model);
    this.label = `${encoded.method} ${link.basePath}${encoded.path}`;
    const signal = options.signal;
    if (signal?.aborted) this.#controller.abort(signal.reason);
    else if (signal !== undefined) {
      const forward = (): void => this.#controller.abort(signal.reason);
      signal.addEventListener('abort', forward, { once: true });
      this.#forward = forward;
    }
  }

  async open(): Promise<StreamingResponse> {
    const { method, path, body } = this.#encoded;
    const options = this.#options;
    const headers = options.headers === undefined ? { ...this.#link.lowerCaseHeaders } : lowerCaseNames({ ...this.#link.lowerCaseHeaders }, options.headers);
    if (typeof body === 'string') headers['content-type'] = 'application/json';
    else if (body !== undefined) headers['content-type'] = body.contentType;
    this.#span?.inject(headers);
    const request = { method, path: this.#link.basePath + path, headers, body, signal: this.#controller.signal, timeoutMs: options.timeoutMs, onUploadProgress: options.onUploadProgress };
    const transport = this.#link.transport;
    try {
      const response = await (this.#retry !== undefined && replayable(body)
        ? withRetries(this.#retry, request.signal, () => transport.open(request), streamingAnswers)
        : transport.open(request));
      this.#span?.answered(response.status);
      return response;
    } catch (error) {
      throw this.failure(error, 'request');
    }
  }

  /** A failure as the caller sees it: an abort, an upload's source failing, no answer, or a stream cut short. */
  failure(error: unknown, phase: 'request' | 'stream'): Error {
    if (error instanceof TransportError || error instanceof RemoteError) return error;
    const signal = this.#options.signal;
    if (signal?.aborted) {
      const reason = signal.reason as { message?: unknown } | undefined;
      return new TransportError(this.label, `aborted by the caller${typeof reason?.message === 'string' && reason.message ? `: ${reason.message}` : ''}`, signal.reason, undefined, 'ABORT_ERR');
    }
    const source = uploadSourceError(error);
    if (source !== undefined) return new TransportError(this.label, `the upload failed: ${source.message}`, source.cause ?? source);
    const message = (error as Error)?.message ?? String(error);
    if (phase === 'request') return new TransportError(this.label, `no answer from ${this.#link.origin}: ${message}`, error);
    return new TransportError(this.label, `the stream ended before its end: the server failed mid-stream, or the connection broke (${message})`, error, 200);
  }

  /**
   * The call is over: `complete` when its answer was read to the end (otherwise the exchange is
   * stopped); `failure`, what the call failed with.
   */
  end(complete: boolean, failure: unknown): void {
    if (this.#forward !== undefined) this.#options.signal!.removeEventListener('abort', this.#forward);
    if (!complete) this.#controller.abort();
    this.#span?.end(failure);
  }
}

/** A call whose answer is read whole: a JSON result, or a `Bytes` result's raw bytes. */
async function wholeCall(link: Link, endpoint: CompiledEndpoint, args: readonly unknown[], options: CallOptions, retry: RetryPolicy | undefined): Promise<unknown> {
  const exchange = new Exchange(link, endpoint, encodeCall(endpoint, args), options, retry);
  let complete = false;
  let failure: unknown;
  try {
    const response = await exchange.open();
    const { status } = response;
    let bytes: Uint8Array | undefined;
    let text: string;
    try {
      if (status === 200 && endpoint.resultForm === 'bytes') bytes = await response.bytes();
      text = bytes === undefined ? await response.text() : '';
    } catch (error) {
      throw exchange.failure(error, 'request');
    }
    complete = true;
    if (status !== 200) throw errorAnswer(exchange.label, status, text);
    return bytes ?? jsonResult(exchange.label, endpoint, status, text);
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    exchange.end(complete, failure);
  }
}

/**
 * A call whose result streams: its items as they arrive (byte chunks, text lines, or JSON lines
 * decoded to typed values). An error status before the stream is a RemoteError; a stream that
 * ends before its end is a TransportError. Leaving the iteration early closes the connection.
 */
async function* streamedCall(link: Link, endpoint: CompiledEndpoint, encoded: EncodedCall, options: CallOptions, retry: RetryPolicy | undefined): AsyncGenerator<unknown> {
  const exchange = new Exchange(link, endpoint, encoded, options, retry);
  let response: StreamingResponse | undefined;
  let complete = false;
  let failure: unknown;
  try {
    response = await exchange.open();
    if (response.status !== 200) {
      let text: string;
      try {
        text = await response.text();
      } catch (error) {
        throw exchange.failure(error, 'request');
      }
      complete = true;
      throw errorAnswer(exchange.label, response.status, text);
    }
    try {
      yield* itemsOf(endpoint, exchange.label, response.body);
    } catch (error) {
      throw exchange.failure(error, 'stream');
    }
    complete = true;
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    if (!complete) response?.cancel();
    exchange.end(complete, failure);
  }
}

function itemsOf(endpoint: CompiledEndpoint, label: string, body: AsyncIterable<Uint8Array>): AsyncIterable<unknown> {
  switch (endpoint.resultForm) {
    case 'byte-stream':
      return body;
    case 'text-lines':
      return linesOf(body);
    default:
      return jsonLines(endpoint, label, body);
  }
}

async function* jsonLines(endpoint: CompiledEndpoint, label: string, body: AsyncIterable<Uint8Array>): AsyncGenerator<unknown> {
  for await (const line of linesOf(body)) {
    if (line.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch (error) {
      throw new TransportError(label, `an item of the stream is not JSON: ${JSON.stringify(line.slice(0, 80))}`, error, 200);
    }
    yield decodeResult(endpoint, label, json, 'item', 200);
  }
}

function lowerCaseNames(into: Record<string, string>, headers: Readonly<Record<string, string>> | undefined): Record<string, string> {
  if (headers !== undefined) for (const name of Object.keys(headers)) into[name.toLowerCase()] = headers[name];
  return into;
}

/** Closes the client's connections; later calls fail. */
export async function closeClient(client: object): Promise<void> {
  const transport = transports.get(client);
  if (!transport) throw new TypeError('not a client made by createClient');
  transports.delete(client);
  await transport.close();
}
