import { type DecodeLimits, defaultDecodeLimits } from '@marshal/serialization/internal';
import { defaultLimits } from '../limits.js';
import { buildRouteTable } from '../core/route-table.js';
import { contractOf } from '../core/contract-of.js';
import { buildDocumentationRoutes, type DocumentationOptions, securityOf } from './documentation-routes.js';
import { CorsPolicy, type CorsOptions } from './cors.js';
import type { HttpContext } from './handle-call.js';
import { type Logger, consoleLogger } from '../core/logger.js';
import type { MiddlewareEntry } from '../middleware/chain.js';
import type { CallMetrics } from '../middleware/metrics.js';

/** What serving a set of services over HTTP takes, wherever it is mounted. */
export interface HandlerOptions {
  /** Implementations: instances of classes that extend a @service contract. */
  readonly services: readonly object[];
  /** Largest JSON body accepted, in bytes (default 1 MiB); also the limit of a multipart body's `json_arguments`. */
  readonly bodyLimit?: number;
  /** Largest file accepted for a `Bytes` parameter, raw or as a multipart part, in bytes (default 64 MiB). Streams have none. */
  readonly fileLimit?: number;
  /** Most parts a multipart body may have (default 64). */
  readonly partsLimit?: number;
  /** After a 413, how many more body bytes are read and discarded so that the client sees the answer (default 4 MiB). */
  readonly discardLimit?: number;
  /** How long an implementation may take, in ms, before the caller gets 504 (default 60 s; 0: no limit). Endpoints may set their own `timeoutMs`. */
  readonly callTimeoutMs?: number;
  /** Send the message, name and stack of unexpected implementation errors (default false: a generic message). */
  readonly debug?: boolean;
  /** Where unexpected errors are logged in full; pino-compatible (default: stderr). */
  readonly logger?: Logger;
  /** Refuse implementations that do not override every endpoint (default true). */
  readonly verifyAbstract?: boolean;
  /** How deep and how large decoded values may be (default 64 levels, 100 000 entries per container). */
  readonly decodeLimits?: Partial<DecodeLimits>;
  /** Serve GET /openapi.json and GET /docs (default true); an object sets the OpenAPI title and version. */
  readonly documentation?: boolean | DocumentationOptions;
  /** Let browser pages from other origins call the server (default: none may); for WebSocket, which origins may connect. */
  readonly cors?: CorsOptions;
  /** Largest WebSocket message read, in bytes (default 1 MiB); files and streams travel in many. */
  readonly wsMessageLimit?: number;
  /** How long a WebSocket call waits for a frame it needs, in ms (default 60 s; 0: no limit). */
  readonly wsIdleTimeoutMs?: number;
  /** How often WebSocket connections are pinged, in ms (default 30 s; 0: never). */
  readonly wsPingIntervalMs?: number;
  /**
   * Code that runs around calls, outermost first (docs/design.md, "Middleware"): guards such as
   * `bearerAuth`, `logCalls`, `tracing`; `forService`/`forEndpoint` scope one to some endpoints.
   */
  readonly middleware?: readonly MiddlewareEntry[];
  /** Make each call readable through `currentCall()` (default false: AsyncLocalStorage costs on every promise). */
  readonly callContext?: boolean;
  /** Count and time every call with these metrics (`metrics()`), and serve them at GET /metrics. */
  readonly metrics?: CallMetrics;
}

/**
 * Compiles everything per endpoint (routes, decoders, encoders) and the documentation answers,
 * once, so that a broken contract or implementation fails here rather than at the first call.
 */
export function buildHttpContext(options: HandlerOptions): HttpContext {
  const routes = buildRouteTable(options.services, {
    verifyAbstract: options.verifyAbstract ?? true,
    callTimeoutMs: timeoutOption('callTimeoutMs', options.callTimeoutMs ?? defaultLimits.callTimeoutMs),
    decodeLimits: options.decodeLimits ? { ...defaultDecodeLimits, ...options.decodeLimits } : defaultDecodeLimits,
    middleware: options.metrics === undefined ? (options.middleware ?? []) : [options.metrics.middleware, ...(options.middleware ?? [])],
    callContext: options.callContext ?? false,
  });
  return {
    routes,
    // After the route table, so that a broken contract is reported by it first.
    documentation: buildDocumentationRoutes(options.services.map(contractOf), options.documentation ?? true, securityOf(routes)),
    cors: options.cors === undefined ? undefined : new CorsPolicy(options.cors),
    metrics: options.metrics,
    bodyLimits: {
      body: options.bodyLimit ?? defaultLimits.bodyLimit,
      file: options.fileLimit ?? defaultLimits.fileLimit,
      parts: options.partsLimit ?? defaultLimits.partsLimit,
      discard: options.discardLimit ?? defaultLimits.discardLimit,
    },
    debug: options.debug ?? false,
    logger: options.logger ?? consoleLogger,
  };
}

/** A timeout option: whole milliseconds that a timer can hold (about 24 days at most); 0 for none. */
export function timeoutOption(name: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0 || value > 2_147_483_647) throw new TypeError(`${name} must be a whole number of milliseconds from 0 to 2147483647, got ${value}`);
  return value;
}
