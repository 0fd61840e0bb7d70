import { type DecodeLimits, defaultDecodeLimits } from '@marshal/serialization';
import { defaultLimits } from '../limits.js';
import { buildRouteTable } from '../core/route-table.js';
import { contractOf } from '../core/contract-of.js';
import { buildDocumentationRoutes, type DocumentationOptions } from './documentation-routes.js';
import { CorsPolicy, type CorsOptions } from './cors.js';
import type { HttpContext } from './handle-call.js';

/** What serving a set of services over HTTP takes, wherever it is mounted. */
export interface HandlerOptions {
  /** Implementations: instances of classes that extend a @service contract. */
  readonly services: readonly object[];
  /** Largest JSON body accepted, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Put stacks of implementation errors into error bodies (default false). */
  readonly debug?: boolean;
  /** Refuse implementations that do not override every endpoint (default true). */
  readonly verifyAbstract?: boolean;
  /** How deep and how large decoded values may be (default 64 levels, 100 000 entries per container). */
  readonly decodeLimits?: Partial<DecodeLimits>;
  /** Serve GET /openapi.json and GET /docs (default true); an object sets the OpenAPI title and version. */
  readonly documentation?: boolean | DocumentationOptions;
  /** Let browser pages from other origins call the server (default: none may). */
  readonly cors?: CorsOptions;
}

/**
 * Compiles everything per endpoint (routes, decoders, encoders) and the documentation answers,
 * once, so that a broken contract or implementation fails here rather than at the first call.
 */
export function buildHttpContext(options: HandlerOptions): HttpContext {
  const routes = buildRouteTable(options.services, {
    verifyAbstract: options.verifyAbstract ?? true,
    decodeLimits: options.decodeLimits ? { ...defaultDecodeLimits, ...options.decodeLimits } : defaultDecodeLimits,
  });
  return {
    routes,
    // After the route table, so that a broken contract is reported by it first.
    documentation: buildDocumentationRoutes(options.services.map(contractOf), options.documentation ?? true),
    cors: options.cors === undefined ? undefined : new CorsPolicy(options.cors),
    bodyLimit: options.bodyLimit ?? defaultLimits.bodyLimit,
    debug: options.debug ?? false,
  };
}
