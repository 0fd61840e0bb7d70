import { MarshalError } from '@marshal/core/internal';
import type { Route } from '../core/route-table.js';
import { pathSegments, routeKeyEnd } from '../core/route-table.js';
import type { ServedEndpoint } from '../core/served-endpoint.js';
import { decodeJsonArgs, decodePathArgs, decodeQueryArgs, isDecodingFailure } from '../core/decode-args.js';
import { multipartFileProblem, requestProblems } from '../core/request-problems.js';
import { type ErrorOptions, errorResponse, logUnexpected } from '../core/error-response.js';
import { encodeBytesResult, encodeResult } from '../core/encode-result.js';
import { type Outcome, invoke } from '../core/invoke.js';
import type { BodyLimits, HttpExchange, MultipartBody } from './exchange.js';
import { acceptsEventStream, answerBytes, answerJson, errorHeaders, eventStreamHeaders, sendError, streamHeaders } from './answers.js';
import { encodeItem, itemsOf, streamedPieces } from '../core/streamed-result.js';
import { parseJsonObject } from './json-body.js';
import { type DocumentationResponse, serveDocumentation } from './documentation-routes.js';
import type { CorsPolicy } from './cors.js';
import { crossSiteRefusal, isCrossSite } from './cross-site.js';
import type { CallMetrics } from '../middleware/metrics.js';
import { CallRecord, withCall } from '../middleware/call-record.js';
import { type PendingOutcome, runChain } from '../middleware/chain.js';

/** What the pipeline needs, built once per server or mounted handler. */
export interface HttpContext extends ErrorOptions {
  readonly routes: ReadonlyMap<string, Route>;
  readonly bodyLimits: BodyLimits;
  /** GET /openapi.json and /docs, built once. */
  readonly documentation: ReadonlyMap<string, DocumentationResponse>;
  /** Cross-origin access for browser pages; undefined when the server allows none. */
  readonly cors: CorsPolicy | undefined;
  /** Served at GET /metrics when set. */
  readonly metrics: CallMetrics | undefined;
}

const heartbeatPaths = new Set(['/', '/heartbeat']);

/**
 * The pipeline for one HTTP call, on any adapter's exchange:
 * match the route → decode path and query → read and decode the JSON body → invoke → encode → answer.
 * Any throw along the way becomes an error answer; a parameter that does not fit sends the request
 * to request-problems.ts, for one 400 that lists every problem. `done` is called once the call is
 * over: its answer sent, or its error. Returns false, having answered nothing, when no route or
 * built-in path matches and `unrouted` is 'pass' (a mounted handler then lets the host app go on).
 *
 * Callbacks rather than async/await: only a promise returned by the implementation is awaited, so
 * a call makes no promises of its own.
 */
export function handleHttpCall(context: HttpContext, exchange: HttpExchange, done: () => void, unrouted: 'answer' | 'pass' = 'answer'): boolean {
  const url = exchange.url;
  const queryStart = url.indexOf('?');
  const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
  const endpointEnd = routeKeyEnd(pathname);
  const route = context.routes.get(endpointEnd < 0 ? pathname : pathname.slice(0, endpointEnd));
  if (route === undefined && unrouted === 'pass' && !isBuiltInPath(context, pathname)) return false;
  const cors = context.cors;
  let allowedOrigin = false;
  if (cors !== undefined) {
    if (cors.isPreflight(exchange)) {
      answerPreflight(context, cors, exchange, route?.allow, pathname);
      done();
      return true;
    }
    allowedOrigin = cors.allow(exchange);
  }
  if (route === undefined) {
    answerUnrouted(context, exchange, pathname);
    done();
    return true;
  }
  const method = exchange.method;
  const endpoint = method === 'POST' ? route.post : method === 'GET' || method === 'HEAD' ? route.get : undefined;
  if (endpoint === undefined) {
    if (route.webSocket !== undefined) {
      sendError(context, exchange, upgradeRequired(route.webSocket), upgradeWebSocket);
      done();
      return true;
    }
    const error = new MarshalError('MARSHAL_ERR_METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${route.allow}`);
    sendError(context, exchange, error, { allow: route.allow });
    done();
    return true;
  }
  // A POST can change things: a browser page of another site may make one only if CORS allows its origin.
  if (method === 'POST' && !allowedOrigin && isCrossSite(exchange)) {
    sendError(context, exchange, crossSiteRefusal(exchange), undefined);
    done();
    return true;
  }
  new HttpCall(context, exchange, endpoint, done).run(endpointEnd < 0 ? '' : pathname.slice(endpointEnd + 1), queryStart < 0 ? '' : url.slice(queryStart + 1));
  return true;
}

const emptyJson = new Uint8Array(0);

/** One call to an endpoint, from its URL's parameters to its answer. */
class HttpCall implements Outcome {
  readonly #context: HttpContext;
  readonly #exchange: HttpExchange;
  readonly #endpoint: ServedEndpoint;
  readonly #done: () => void;
  readonly #args: unknown[];
  #segments: readonly string[] = [];
  #query = '';
  /** Set at the first parameter that does not fit; from then on nothing is decoded, only read. */
  #invalid = false;
  /** Set once the call is answered: a result after a timeout's answer is dropped. */
  #over = false;
  /** The call as middleware and `currentCall()` see it; only for endpoints with either. */
  #call: CallRecord | undefined;
  /** While middleware wait on `next()`: where the implementation's outcome goes. */
  #next: PendingOutcome | undefined;
  /** Set once the body is being read: before that, an error answer refuses it. */
  #bodyTouched = false;
  #status = 200;
  #code: string | undefined;
  #failure: unknown;
  /** The connection's byte counts when the call began. */
  #bytesRead = 0;
  #bytesWritten = 0;

  constructor(context: HttpContext, exchange: HttpExchange, endpoint: ServedEndpoint, done: () => void) {
    this.#context = context;
    this.#exchange = exchange;
    this.#endpoint = endpoint;
    this.#done = done;
    this.#args = endpoint.absentArgs.slice();
  }

  run(pathRest: string, query: string): void {
    const endpoint = this.#endpoint;
    if (endpoint.middleware.length === 0 && !endpoint.callContext) return this.#decode(pathRest, query);
    const exchange = this.#exchange;
    const call = (this.#call = new CallRecord(endpoint, 'http', exchange));
    this.#bytesRead = exchange.bytesRead;
    this.#bytesWritten = exchange.bytesWritten;
    const next = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        this.#next = { resolve, reject };
        this.#decode(pathRest, query);
      });
    // In the call's context, so that a streamed result's items are made in it too.
    if (endpoint.callContext) withCall(call, () => this.#runChain(call, next));
    else this.#runChain(call, next);
  }

  /** The call is over: its middleware's onEnd listeners learn how, then the server's accounting. */
  #end(): void {
    const call = this.#call;
    if (call !== undefined) {
      const exchange = this.#exchange;
      // A body that came with the headers was read before the call began: its declared length says more.
      const read = exchange.bytesRead - this.#bytesRead;
      const bytesIn = this.#bodyTouched ? Math.max(Number(exchange.header('content-length') ?? 0), read) : read;
      call.end(this.#status, this.#code, bytesIn, exchange.bytesWritten - this.#bytesWritten, this.#failure);
    }
    this.#done();
  }

  #runChain(call: CallRecord, next: () => Promise<unknown>): void {
    runChain(this.#endpoint.middleware, call, next).then(
      (value) => this.#answer(value),
      (error: unknown) => this.#answerError(error),
    );
  }

  #decode(pathRest: string, query: string): void {
    const endpoint = this.#endpoint;
    this.#query = query;
    try {
      this.#segments = pathSegments(endpoint, pathRest);
      decodePathArgs(endpoint, this.#segments, this.#args);
      if (query.length > 0) decodeQueryArgs(endpoint, query, this.#args);
    } catch (error) {
      if (!isDecodingFailure(error)) return this.error(error);
      // The body is still read, so that the one 400 can name its problems too.
      this.#invalid = true;
    }
    switch (endpoint.bodyKind) {
      case 'none':
        if (this.#invalid) return this.#failParameters(undefined);
        return this.#invoke();
      case 'json':
        this.#bodyTouched = true;
        return this.#exchange.readBody('json', this.#context.bodyLimits, (failure, text) => this.#jsonRead(failure, text));
      case 'file':
        // A file is not worth reading for a call that cannot be made.
        if (this.#invalid) return this.#failParameters(undefined);
        this.#bodyTouched = true;
        return this.#exchange.readBody('file', this.#context.bodyLimits, (failure, bytes) => this.#fileRead(failure, bytes));
      case 'byte-stream':
        if (this.#invalid) return this.#failParameters(undefined);
        try {
          this.#bodyTouched = true;
          this.#args[endpoint.streamParam!.index] = this.#exchange.bodyStream();
        } catch (error) {
          return this.error(error);
        }
        return this.#invoke();
      case 'multipart':
        this.#bodyTouched = true;
        return this.#exchange.readMultipart(this.#context.bodyLimits, (failure, body) => this.#multipartRead(failure, body));
    }
  }

  #fileRead(failure: Error | undefined, bytes: Uint8Array | undefined): void {
    if (failure !== undefined) return this.error(failure);
    this.#args[this.#endpoint.fileParams[0].index] = bytes;
    this.#invoke();
  }

  #multipartRead(failure: Error | undefined, body: MultipartBody | undefined): void {
    if (failure !== undefined) return this.error(failure);
    const { json, files } = body!;
    let filesProblem: MarshalError | undefined;
    try {
      filesProblem = multipartFileProblem(this.#endpoint, files);
    } catch (error) {
      return this.error(error);
    }
    if (filesProblem !== undefined) return this.error(filesProblem);
    for (const param of this.#endpoint.fileParams) {
      const bytes = files.get(param.name);
      if (bytes !== undefined) this.#args[param.index] = bytes;
    }
    this.#jsonRead(undefined, json ?? emptyJson);
  }

  #jsonRead(failure: Error | undefined, text: Uint8Array | undefined): void {
    if (failure !== undefined) return this.error(failure);
    let body: Record<string, unknown> | undefined;
    try {
      body = parseJsonObject(text!);
      if (!this.#invalid) decodeJsonArgs(this.#endpoint, body, this.#args);
    } catch (error) {
      if (!isDecodingFailure(error)) return this.error(error);
      this.#invalid = true;
    }
    if (this.#invalid) return this.#failParameters(body);
    this.#invoke();
  }

  /** The 400 naming every parameter problem of the call (request-problems.ts). */
  #failParameters(body: Record<string, unknown> | undefined): void {
    let error: unknown;
    try {
      error = requestProblems(this.#endpoint, this.#segments, this.#query, body);
    } catch (thrown) {
      error = thrown;
    }
    this.error(error ?? new Error('decoding failed, but no parameter problem was found'));
  }

  #invoke(): void {
    if (this.#call !== undefined && this.#endpoint.callContext) withCall(this.#call, invoke, this.#endpoint, this.#args, this);
    else invoke(this.#endpoint, this.#args, this);
  }

  /** The implementation's result, or a failure on the way to it: to the middleware waiting on `next()`, or answered. */
  result(value: unknown): void {
    const next = this.#next;
    if (next === undefined) return this.#answer(value);
    this.#next = undefined;
    next.resolve(value);
  }

  error(error: unknown): void {
    const next = this.#next;
    if (next === undefined) return this.#answerError(error);
    this.#next = undefined;
    this.#call?.abortOnTimeout(error);
    next.reject(error);
  }

  #answer(value: unknown): void {
    if (this.#over) return;
    const form = this.#endpoint.resultForm;
    if (form !== 'json' && form !== 'bytes') return this.#stream(value);
    let body: string | Uint8Array;
    try {
      body = form === 'json' ? encodeResult(this.#endpoint, value) : encodeBytesResult(this.#endpoint, value);
    } catch (error) {
      return this.error(error);
    }
    this.#over = true;
    if (form === 'json') answerJson(this.#exchange, 200, body as string);
    else answerBytes(this.#exchange, body as Uint8Array);
    this.#end();
  }

  #answerError(error: unknown): void {
    if (this.#over) return;
    this.#over = true;
    // A client that went away mid-upload makes the implementation's stream throw: that is not the
    // implementation's failure, and there is nobody to answer.
    if (this.#exchange.clientGone) {
      // 499: the status proxies log for a client that closed first.
      this.#status = 499;
      return this.#end();
    }
    if (!this.#bodyTouched && this.#endpoint.bodyKind !== 'none') this.#exchange.refuseBody(this.#context.bodyLimits.discard);
    const response = errorResponse(error, this.#context);
    this.#status = response.status;
    this.#code = response.body.code;
    this.#failure = error;
    answerJson(this.#exchange, response.status, response.json, errorHeaders(error));
    this.#end();
  }

  /**
   * A streamed result: its first item is taken before anything is sent, so that a failure there is
   * an ordinary error answer (as the reference does); then the items stream as they come.
   */
  #stream(value: unknown): void {
    let items: AsyncIterator<unknown> | Iterator<unknown>;
    try {
      items = itemsOf(this.#endpoint, value);
    } catch (error) {
      return this.error(error);
    }
    this.#over = true;
    Promise.resolve()
      .then(() => items.next())
      .then(
        (first) => this.#startStream(first, items),
        (error: unknown) => {
          this.#over = false;
          this.error(error);
        },
      );
  }

  #startStream(first: IteratorResult<unknown>, items: AsyncIterator<unknown> | Iterator<unknown>): void {
    const endpoint = this.#endpoint;
    let firstPiece: string | Uint8Array | undefined;
    try {
      if (!first.done) firstPiece = encodeItem(endpoint, first.value);
    } catch (error) {
      // Nothing is sent yet: the item that does not fit is an ordinary error answer.
      void Promise.resolve(items.return?.()).catch(() => {});
      this.#over = false;
      return this.error(error);
    }
    const framing = endpoint.resultForm !== 'byte-stream' && acceptsEventStream(this.#exchange) ? 'event-stream' : 'own';
    const headers = framing === 'event-stream' ? eventStreamHeaders : streamHeaders[endpoint.resultForm]!;
    try {
      this.#exchange.answerStream(200, headers, streamedPieces(endpoint, firstPiece, items, framing, this.#context), (error) => {
        // A client that went away is no failure of the implementation's.
        if (error !== undefined && (error as { code?: unknown }).code !== 'ERR_STREAM_PREMATURE_CLOSE') logUnexpected(error, this.#context);
        this.#end();
      });
    } catch {
      this.#exchange.abort();
      this.#end();
    }
  }
}

function isBuiltInPath(context: HttpContext, pathname: string): boolean {
  return heartbeatPaths.has(pathname) || context.documentation.has(pathname) || (pathname === metricsPath && context.metrics !== undefined);
}

const metricsPath = '/metrics';

/** GET /metrics: the metrics' text, read when asked (prom-client collects asynchronously). */
function answerMetrics(context: HttpContext, metrics: CallMetrics, exchange: HttpExchange): void {
  metrics.text().then(
    (text) => exchange.answer(200, { 'content-type': metrics.contentType, 'content-length': Buffer.byteLength(text) }, text),
    (error: unknown) => sendError(context, exchange, error, undefined),
  );
}

/** A preflight for a route or a GET-only path (heartbeat, documentation); any other path is a 404. */
function answerPreflight(context: HttpContext, cors: CorsPolicy, exchange: HttpExchange, routeMethods: string | undefined, pathname: string): void {
  const methods = routeMethods ?? (isBuiltInPath(context, pathname) ? 'GET, HEAD' : undefined);
  if (methods !== undefined) return cors.answerPreflight(exchange, methods);
  sendError(context, exchange, routeNotFound(pathname), undefined);
}

const upgradeWebSocket = { upgrade: 'websocket' };

function upgradeRequired(endpoint: ServedEndpoint): MarshalError {
  return new MarshalError('MARSHAL_ERR_UPGRADE_REQUIRED', `${endpoint.label} is a WebSocket endpoint: connect to ${endpoint.model.urlTemplate} with a WebSocket client`);
}

export function routeNotFound(pathname: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_ROUTE_NOT_FOUND', `no endpoint at ${JSON.stringify(pathname.slice(0, 200))}`);
}

function answerUnrouted(context: HttpContext, exchange: HttpExchange, pathname: string): void {
  if (serveDocumentation(context.documentation, exchange, pathname)) return;
  if (pathname === metricsPath && context.metrics !== undefined && (exchange.method === 'GET' || exchange.method === 'HEAD')) return answerMetrics(context, context.metrics, exchange);
  if (heartbeatPaths.has(pathname) && (exchange.method === 'GET' || exchange.method === 'HEAD')) {
    exchange.answer(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' }, 'OK');
    return;
  }
  sendError(context, exchange, routeNotFound(pathname), undefined);
}
