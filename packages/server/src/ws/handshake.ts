import { MarshalError } from '@marshal/core/internal';
import { decodePathArgs, decodeQueryArgs, isDecodingFailure } from '../core/decode-args.js';
import { requestProblems } from '../core/request-problems.js';
import { pathSegments, routeKeyEnd } from '../core/route-table.js';
import type { ServedEndpoint } from '../core/served-endpoint.js';
import { routeNotFound } from '../http/handle-call.js';
import type { HttpContext } from '../http/handle-call.js';
import { crossSiteRefusal, isCrossSite } from '../http/cross-site.js';
import type { HttpExchange } from '../http/exchange.js';

/** A handshake the server takes: its endpoint, and the arguments its URL carries. */
export interface AcceptedHandshake {
  readonly endpoint: ServedEndpoint;
  readonly args: unknown[];
  readonly segments: readonly string[];
  readonly query: string;
}

/** A handshake the server refuses, with an ordinary HTTP answer. */
export interface RefusedHandshake {
  readonly refusal: unknown;
  /** Set when no route matched: a mounted handler may leave such a request to its host. */
  readonly unrouted?: true;
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * The checks of docs/protocol.md 14.1 before a WebSocket is accepted, in their order: a route,
 * a WebSocket endpoint there, not a page of another site that CORS does not allow, the path and
 * query parameters. Nothing is accepted that the first frame would have to refuse.
 */
export function checkHandshake(context: HttpContext, request: Pick<HttpExchange, 'header' | 'url'>): AcceptedHandshake | RefusedHandshake {
  const url = request.url;
  const queryStart = url.indexOf('?');
  const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
  const endpointEnd = routeKeyEnd(pathname);
  const route = context.routes.get(endpointEnd < 0 ? pathname : pathname.slice(0, endpointEnd));
  if (route === undefined) return { refusal: routeNotFound(pathname), unrouted: true };
  const endpoint = route.webSocket;
  if (endpoint === undefined) {
    return { refusal: new MarshalError('MARSHAL_ERR_METHOD_NOT_ALLOWED', `this is an HTTP endpoint, not a WebSocket one; use ${route.allow}`), headers: { allow: route.allow } };
  }
  // Browsers open WebSockets to any site without asking: a page of another site gets in only if CORS allows its origin.
  if (isCrossSite(request)) {
    const origin = request.header('origin');
    if (origin === undefined || context.cors === undefined || !context.cors.allowsOrigin(origin)) return { refusal: crossSiteRefusal(request) };
  }
  const query = queryStart < 0 ? '' : url.slice(queryStart + 1);
  const args = endpoint.absentArgs.slice();
  let segments: string[] = [];
  try {
    segments = pathSegments(endpoint, endpointEnd < 0 ? '' : pathname.slice(endpointEnd + 1));
    decodePathArgs(endpoint, segments, args);
    if (query.length > 0) decodeQueryArgs(endpoint, query, args);
  } catch (error) {
    if (!isDecodingFailure(error)) return { refusal: error };
    return { refusal: requestProblems(endpoint, segments, query, undefined) ?? error };
  }
  return { endpoint, args, segments, query };
}
