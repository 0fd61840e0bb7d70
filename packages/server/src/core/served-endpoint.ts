import { type CompiledEndpoint, type EndpointModel, ContractError, compileEndpoint } from '@marshal/core/internal';
import type { DecodeLimits } from '@marshal/serialization/internal';
import { Deadlines } from './deadlines.js';

/** A compiled endpoint with the implementation's method bound to it: what a route leads to. */
export interface ServedEndpoint extends CompiledEndpoint {
  readonly invoke: (args: unknown[]) => unknown;
  /** How long a pending result may take, in ms; 0 for no limit. */
  readonly timeoutMs: number;
  /** The clock of its pending calls; undefined without a limit. */
  readonly deadlines: Deadlines | undefined;
}

export interface ServingOptions {
  readonly decodeLimits: DecodeLimits;
  /** The call timeout of endpoints that set none. */
  readonly callTimeoutMs: number;
}

export function serveEndpoint(model: EndpointModel, implementation: object, options: ServingOptions): ServedEndpoint {
  const compiled = compileEndpoint(model, options.decodeLimits);
  const method = (implementation as Record<string, unknown>)[model.methodName];
  if (typeof method !== 'function') throw new ContractError(`${compiled.label}: the implementation has no method ${model.methodName}`);
  // An upload as a stream takes as long as the client sends: only the endpoint's own timeout applies.
  const timeoutMs = model.timeoutMs ?? (compiled.bodyKind === 'byte-stream' ? 0 : options.callTimeoutMs);
  return { ...compiled, invoke: (args) => method.apply(implementation, args), timeoutMs, deadlines: timeoutMs > 0 ? new Deadlines(compiled.label, timeoutMs) : undefined };
}
