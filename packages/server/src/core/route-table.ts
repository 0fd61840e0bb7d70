import { ContractError, MarshalError } from '@marshal/core/internal';
import { type ServedEndpoint, type ServingOptions, serveEndpoint } from './served-endpoint.js';
import { contractOf, verifyImplementation } from './contract-of.js';

/** One URL prefix (/service/endpoint) and the endpoint for each HTTP method it answers, or its WebSocket endpoint. */
export interface Route {
  readonly get: ServedEndpoint | undefined;
  readonly post: ServedEndpoint | undefined;
  readonly webSocket: ServedEndpoint | undefined;
  /** The value of an Allow header for a 405. */
  readonly allow: string;
}

export interface RouteTableOptions extends ServingOptions {
  readonly verifyAbstract: boolean;
}

/** Compiles every service into a lookup by `/service/endpoint`, once, when the server is built. */
export function buildRouteTable(services: readonly object[], options: RouteTableOptions): Map<string, Route> {
  const byRoute = new Map<string, { get?: ServedEndpoint; post?: ServedEndpoint; webSocket?: ServedEndpoint }>();
  const owners = new Map<string, string>();
  for (const implementation of services) {
    const model = contractOf(implementation);
    if (options.verifyAbstract) verifyImplementation(implementation, model);
    const owner = owners.get(model.name);
    if (owner) throw new ContractError(`two services are named '${model.name}': ${owner} and ${model.className}`);
    owners.set(model.name, model.className);
    for (const endpoint of model.endpoints) {
      const served = serveEndpoint(endpoint, implementation, options);
      byRoute.set(endpoint.route, { [endpoint.transport === 'websocket' ? 'webSocket' : endpoint.httpMethod === 'GET' ? 'get' : 'post']: served });
    }
  }
  const table = new Map<string, Route>();
  for (const [route, { get, post, webSocket }] of byRoute) {
    table.set(route, { get, post, webSocket, allow: [get && 'GET, HEAD', post && 'POST'].filter(Boolean).join(', ') });
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

/** The segments after /service/endpoint/; one trailing slash is allowed (/my-service/select/test/). */
export function pathSegments(endpoint: ServedEndpoint, rest: string): string[] {
  if (rest === '') return [];
  const segments = rest.split('/');
  const expected = endpoint.pathParams.length;
  // A trailing slash after all of them, or after only some (then the missing one is named, not the one after it).
  if (segments.length !== expected && segments[segments.length - 1] === '') segments.pop();
  if (segments.length > expected) {
    throw new MarshalError('MARSHAL_ERR_ROUTE_NOT_FOUND', `no endpoint at this path; expected ${endpoint.model.urlTemplate}`);
  }
  return segments;
}
