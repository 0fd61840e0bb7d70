import { type CompiledEndpoint, type EndpointModel, ContractError, compileEndpoint } from '@marshal/core/internal';
import type { DecodeLimits } from '@marshal/serialization/internal';
import { Deadlines } from './deadlines.js';
import type { Middleware } from '../middleware/call.js';
import { type MiddlewareEntry, middlewareFor } from '../middleware/chain.js';

/** A compiled endpoint with the implementation's method bound to it: what a route leads to. */
export interface ServedEndpoint extends CompiledEndpoint {
  readonly invoke: (args: unknown[]) => unknown;
  /** How long a pending result may take, in ms; 0 for no limit. */
  readonly timeoutMs: number;
  /** The clock of its pending calls; undefined without a limit. */
  readonly deadlines: Deadlines | undefined;
  /** The middleware around its calls, outermost first; empty for none. */
  readonly middleware: readonly Middleware[];
  /** Whether its calls are made current (`currentCall()`), even without middleware. */
  readonly callContext: boolean;
}

export interface ServingOptions {
  readonly decodeLimits: DecodeLimits;
  /** The call timeout of endpoints that set none. */
  readonly callTimeoutMs: number;
  readonly middleware: readonly MiddlewareEntry[];
  readonly callContext: boolean;
}

export function serveEndpoint(model: EndpointModel, implementation: object, options: ServingOptions): ServedEndpoint {
  const compiled = compileEndpoint(model, options.decodeLimits);
  const method = (implementation as Record<string, unknown>)[model.methodName];
  if (typeof method !== 'function') throw new ContractError(`${compiled.label}: the implementation has no method ${model.methodName}`);
  // An upload as a stream takes as long as the client sends: only the endpoint's own timeout applies.
  const timeoutMs = model.timeoutMs ?? (compiled.bodyKind === 'byte-stream' ? 0 : options.callTimeoutMs);
  return {
    ...compiled,
    invoke: (args) => method.apply(implementation, args),
    timeoutMs,
    deadlines: timeoutMs > 0 ? new Deadlines(compiled.label, timeoutMs) : undefined,
    middleware: middlewareFor(options.middleware, model),
    callContext: options.callContext,
  };
}
