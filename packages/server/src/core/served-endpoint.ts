import { type CompiledEndpoint, type EndpointModel, ContractError, compileEndpoint } from '@marshal/core';
import type { DecodeLimits } from '@marshal/serialization';

/** A compiled endpoint with the implementation's method bound to it: what a route leads to. */
export interface ServedEndpoint extends CompiledEndpoint {
  readonly invoke: (args: unknown[]) => unknown;
}

export function serveEndpoint(model: EndpointModel, implementation: object, limits: DecodeLimits): ServedEndpoint {
  const compiled = compileEndpoint(model, limits);
  const method = (implementation as Record<string, unknown>)[model.methodName];
  if (typeof method !== 'function') throw new ContractError(`${compiled.label}: the implementation has no method ${model.methodName}`);
  return { ...compiled, invoke: (args) => method.apply(implementation, args) };
}
