import { ContractError } from '@marshal/core';
import type { DecodeLimits } from '@marshal/serialization';
import { type EndpointPlan, buildEndpointPlan } from './endpoint-plan.js';
import { contractOf, verifyImplementation } from './verify-implementation.js';

/** One URL prefix (/service/endpoint) and the plan for each HTTP method it answers. */
export interface Route {
  readonly get: EndpointPlan | undefined;
  readonly post: EndpointPlan | undefined;
  /** The value of an Allow header for a 405. */
  readonly allow: string;
}

export interface RouteTableOptions {
  readonly verifyAbstract: boolean;
  readonly decodeLimits: DecodeLimits;
}

/** Compiles every service into a lookup by `/service/endpoint`, once, when the server is built. */
export function buildRouteTable(services: readonly object[], options: RouteTableOptions): Map<string, Route> {
  const plans = new Map<string, { get?: EndpointPlan; post?: EndpointPlan }>();
  const owners = new Map<string, string>();
  for (const implementation of services) {
    const model = contractOf(implementation);
    if (options.verifyAbstract) verifyImplementation(implementation, model);
    const owner = owners.get(model.name);
    if (owner) throw new ContractError(`two services are named '${model.name}': ${owner} and ${model.className}`);
    owners.set(model.name, model.className);
    for (const endpoint of model.endpoints) {
      const plan = buildEndpointPlan(endpoint, implementation, options.decodeLimits);
      const entry = { [endpoint.httpMethod === 'GET' ? 'get' : 'post']: plan };
      plans.set(endpoint.route, entry);
    }
  }
  const table = new Map<string, Route>();
  for (const [route, { get, post }] of plans) {
    table.set(route, { get, post, allow: [get && 'GET, HEAD', post && 'POST'].filter(Boolean).join(', ') });
  }
  return table;
}
