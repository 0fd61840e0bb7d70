import { ContractError } from '@marshal/core/internal';
import { type ServedEndpoint, type ServingOptions, serveEndpoint } from './served-endpoint.js';
import { contractOf, verifyImplementation } from './contract-of.js';

/** One URL prefix (/service/endpoint) and the endpoint for each HTTP method it answers. */
export interface Route {
  readonly get: ServedEndpoint | undefined;
  readonly post: ServedEndpoint | undefined;
  /** The value of an Allow header for a 405. */
  readonly allow: string;
}

export interface RouteTableOptions extends ServingOptions {
  readonly verifyAbstract: boolean;
}

/** Compiles every service into a lookup by `/service/endpoint`, once, when the server is built. */
export function buildRouteTable(services: readonly object[], options: RouteTableOptions): Map<string, Route> {
  const byRoute = new Map<string, { get?: ServedEndpoint; post?: ServedEndpoint }>();
  const owners = new Map<string, string>();
  for (const implementation of services) {
    const model = contractOf(implementation);
    if (options.verifyAbstract) verifyImplementation(implementation, model);
    const owner = owners.get(model.name);
    if (owner) throw new ContractError(`two services are named '${model.name}': ${owner} and ${model.className}`);
    owners.set(model.name, model.className);
    for (const endpoint of model.endpoints) {
      const served = serveEndpoint(endpoint, implementation, options);
      byRoute.set(endpoint.route, { [endpoint.httpMethod === 'GET' ? 'get' : 'post']: served });
    }
  }
  const table = new Map<string, Route>();
  for (const [route, { get, post }] of byRoute) {
    table.set(route, { get, post, allow: [get && 'GET, HEAD', post && 'POST'].filter(Boolean).join(', ') });
  }
  return table;
}

/**
 * The route of a path (`/service/endpoint/path-params…`): its first two segments. `endpointEnd`
 * is where the path parameters start, or -1 when there are none.
 */
export function routeKeyEnd(pathname: string): number {
  const serviceEnd = pathname.indexOf('/', 1);
  return serviceEnd < 0 ? -1 : pathname.indexOf('/', serviceEnd + 1);
}
