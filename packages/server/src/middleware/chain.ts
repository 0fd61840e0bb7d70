import { type EndpointModel, serviceModelOf } from '@marshal/core/internal';
import type { Call, Middleware } from './call.js';

/** Where the implementation's outcome goes while middleware wait on `next()`: the two ends of its promise. */
export interface PendingOutcome {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

/** Middleware for some endpoints only: those of one service, or one endpoint. */
export interface ScopedMiddleware {
  readonly appliesTo: (endpoint: EndpointModel) => boolean;
  readonly middleware: readonly Middleware[];
}

/** What a server's `middleware` option lists: middleware for every endpoint, or scoped. */
export type MiddlewareEntry = Middleware | ScopedMiddleware;

/** Middleware for the endpoints of one contract: `forService(ITelemetry, bearerAuth(…))`. */
export function forService(contract: Function, ...middleware: Middleware[]): ScopedMiddleware {
  const className = serviceModelOf(contract).className;
  return { appliesTo: (endpoint) => endpoint.className === className, middleware };
}

/** Middleware for one endpoint of a contract, named by its method: `forEndpoint(ITelemetry, 'ingest', …)`. */
export function forEndpoint(contract: Function, methodName: string, ...middleware: Middleware[]): ScopedMiddleware {
  const model = serviceModelOf(contract);
  if (!model.endpoints.some((endpoint) => endpoint.methodName === methodName)) throw new TypeError(`${model.className} has no endpoint ${methodName}`);
  return { appliesTo: (endpoint) => endpoint.className === model.className && endpoint.methodName === methodName, middleware };
}

/** The middleware that run around calls of `endpoint`, in the order the entries list them; built once per endpoint. */
export function middlewareFor(entries: readonly MiddlewareEntry[], endpoint: EndpointModel): Middleware[] {
  const chain: Middleware[] = [];
  for (const entry of entries) {
    if (typeof entry === 'function') chain.push(entry);
    else if (entry.appliesTo(endpoint)) chain.push(...entry.middleware);
  }
  return chain;
}

/**
 * Runs `chain` around `innermost` (which reads the arguments and calls the implementation).
 * Whatever a middleware throws, synchronously or not, is the call's failure; a `next` called
 * twice fails the second time rather than running the call twice.
 */
export function runChain(chain: readonly Middleware[], call: Call, innermost: () => Promise<unknown>): Promise<unknown> {
  const step = (index: number): Promise<unknown> => {
    if (index === chain.length) return innermost();
    let called = false;
    const next = (): Promise<unknown> => {
      if (called) return Promise.reject(new Error('a middleware called next() twice'));
      called = true;
      return step(index + 1);
    };
    try {
      return Promise.resolve(chain[index](call, next));
    } catch (error) {
      return Promise.reject(error);
    }
  };
  return step(0);
}
