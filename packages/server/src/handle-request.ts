import type { IncomingMessage, ServerResponse } from 'node:http';
import { MarshalError } from '@marshal/core';
import type { EndpointPlan } from './endpoint-plan.js';
import type { Route } from './route-table.js';
import { readBody, parseJsonObject } from './read-body.js';
import { decodeJsonArgs, decodePathArgs, decodeQueryArgs, isParameterProblem } from './decode-args.js';
import { requestProblems } from './request-problems.js';
import { sendError, type ErrorOptions } from './send-error.js';
import { writeResult } from './write-result.js';
import { type DocumentationResponse, serveDocumentation } from './documentation-routes.js';
import type { CorsPolicy } from './cors.js';

export interface RequestContext extends ErrorOptions {
  readonly routes: ReadonlyMap<string, Route>;
  readonly bodyLimit: number;
  /** GET /openapi.json and /docs, built once. */
  readonly documentation: ReadonlyMap<string, DocumentationResponse>;
  /** Cross-origin access for browser pages; undefined when the server allows none. */
  readonly cors: CorsPolicy | undefined;
}

const closeConnection = { connection: 'close' };
const heartbeatPaths = new Set(['/', '/heartbeat']);

/**
 * The pipeline for one HTTP call, and nothing else:
 * match the route → decode path and query → read and decode the JSON body → invoke → write.
 * Any throw along the way becomes an error response (send-error.ts); a parameter that does not
 * fit sends the request to request-problems.ts, for one 400 that lists every problem. `done` is
 * called once the call is over: its answer written, or its error sent.
 *
 * Callbacks rather than async/await: only a promise returned by the implementation is awaited, so
 * a call makes no promises of its own, and no closures beyond the body reader's.
 */
export function handleRequest(context: RequestContext, request: IncomingMessage, response: ServerResponse, done: () => void): void {
  let call: Call | undefined;
  try {
    call = prepare(context, request, response);
  } catch (error) {
    return fail(context, response, error, done);
  }
  if (call === undefined) return done();
  const { plan, args } = call;
  // Set at the first parameter that does not fit; from then on nothing is decoded, only read.
  let invalid = false;
  try {
    decodePathArgs(plan, call.segments, args);
    if (call.query.length > 0) decodeQueryArgs(plan, call.query, args);
  } catch (error) {
    if (!isParameterProblem(error)) return fail(context, response, error, done);
    // The body is still read, so that the one 400 can name its problems too.
    invalid = true;
  }
  if (!plan.readsBody) return invalid ? failParameters(context, response, call, undefined, done) : invoke(context, response, plan, args, done);
  readBody(request, context.bodyLimit, (failure, text) => {
    if (failure !== undefined) return fail(context, response, failure.error, done);
    let body: Record<string, unknown> | undefined;
    try {
      body = parseJsonObject(text!);
      if (!invalid) decodeJsonArgs(plan, body, args);
    } catch (error) {
      if (!isParameterProblem(error)) return fail(context, response, error, done);
      invalid = true;
    }
    if (invalid) return failParameters(context, response, call, body, done);
    invoke(context, response, plan, args, done);
  });
}

interface Call {
  readonly plan: EndpointPlan;
  readonly args: unknown[];
  /** The path segments after /service/endpoint/, still percent-encoded. */
  readonly segments: readonly string[];
  /** The query string without '?'; '' if there is none. */
  readonly query: string;
}

/** Route → plan, and where its arguments are; undefined if the request has been answered already. */
function prepare(context: RequestContext, request: IncomingMessage, response: ServerResponse): Call | undefined {
  const url = request.url ?? '/';
  const queryStart = url.indexOf('?');
  const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
  // /service/endpoint/path-param/... : the route is the first two segments.
  const serviceEnd = pathname.indexOf('/', 1);
  const endpointEnd = serviceEnd < 0 ? -1 : pathname.indexOf('/', serviceEnd + 1);
  const route = context.routes.get(endpointEnd < 0 ? pathname : pathname.slice(0, endpointEnd));
  if (context.cors !== undefined) {
    if (context.cors.isPreflight(request)) {
      answerPreflight(context, context.cors, request, response, route?.allow, pathname);
      return undefined;
    }
    context.cors.allow(request, response);
  }
  if (route === undefined) {
    answerUnrouted(context, request, response, pathname);
    return undefined;
  }
  const plan = request.method === 'POST' ? route.post : request.method === 'GET' || request.method === 'HEAD' ? route.get : undefined;
  if (plan === undefined) {
    const error = new MarshalError('MARSHAL_ERR_METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${route.allow}`);
    sendError(response, error, context, { allow: route.allow });
    return undefined;
  }
  return {
    plan,
    args: plan.absentArgs.slice(),
    segments: pathSegments(plan, endpointEnd < 0 ? '' : pathname.slice(endpointEnd + 1)),
    query: queryStart < 0 ? '' : url.slice(queryStart + 1),
  };
}

/** The 400 naming every parameter problem of the call (request-problems.ts). */
function failParameters(context: RequestContext, response: ServerResponse, call: Call, body: Record<string, unknown> | undefined, done: () => void): void {
  let error: unknown;
  try {
    error = requestProblems(call.plan, call.segments, call.query, body);
  } catch (thrown) {
    error = thrown;
  }
  fail(context, response, error ?? new Error('decoding failed, but no parameter problem was found'), done);
}

/** Calls the implementation and writes what it returns, after awaiting it if it is a promise (or any thenable). */
function invoke(context: RequestContext, response: ServerResponse, plan: EndpointPlan, args: unknown[], done: () => void): void {
  let result: unknown;
  let later: boolean;
  try {
    result = plan.invoke(args);
    later = isThenable(result);
    if (!later) writeResult(response, plan, result);
  } catch (error) {
    return fail(context, response, error, done);
  }
  if (!later) return done();
  // Promise.resolve takes up a foreign thenable as `await` would, and returns a native promise as it is.
  Promise.resolve(result).then(
    (value) => {
      try {
        writeResult(response, plan, value);
      } catch (error) {
        return fail(context, response, error, done);
      }
      done();
    },
    (error: unknown) => fail(context, response, error, done),
  );
}

function fail(context: RequestContext, response: ServerResponse, error: unknown, done: () => void): void {
  const tooLarge = error instanceof MarshalError && error.code === 'MARSHAL_ERR_BODY_TOO_LARGE';
  // After a 413 the rest of the body is not worth reading: close instead of draining it.
  sendError(response, error, context, tooLarge ? closeConnection : undefined);
  done();
}

/** The segments after /service/endpoint/; one trailing slash is allowed (/my-service/select/test/). */
function pathSegments(plan: EndpointPlan, rest: string): string[] {
  if (rest === '') return [];
  const segments = rest.split('/');
  const expected = plan.pathParams.length;
  // A trailing slash after all of them, or after only some (then the missing one is named, not the one after it).
  if (segments.length !== expected && segments[segments.length - 1] === '') segments.pop();
  if (segments.length > expected) {
    throw new MarshalError('MARSHAL_ERR_ROUTE_NOT_FOUND', `no endpoint at this path; expected ${plan.model.urlTemplate}`);
  }
  return segments;
}

/** A preflight for a route or a GET-only path (heartbeat, documentation); any other path is a 404. */
function answerPreflight(
  context: RequestContext,
  cors: CorsPolicy,
  request: IncomingMessage,
  response: ServerResponse,
  routeMethods: string | undefined,
  pathname: string,
): void {
  const methods = routeMethods ?? (heartbeatPaths.has(pathname) || context.documentation.has(pathname) ? 'GET, HEAD' : undefined);
  if (methods !== undefined) return cors.answerPreflight(request, response, methods);
  sendError(response, routeNotFound(pathname), context);
}

function routeNotFound(pathname: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_ROUTE_NOT_FOUND', `no endpoint at ${JSON.stringify(pathname.slice(0, 200))}`);
}

function answerUnrouted(context: RequestContext, request: IncomingMessage, response: ServerResponse, pathname: string): void {
  if (serveDocumentation(context.documentation, request, response, pathname)) return;
  if (heartbeatPaths.has(pathname) && (request.method === 'GET' || request.method === 'HEAD')) {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': '2' });
    response.end('OK');
    return;
  }
  sendError(response, routeNotFound(pathname), context);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
