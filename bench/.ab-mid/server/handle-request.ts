import type { IncomingMessage, ServerResponse } from 'node:http';
import { MarshalError } from '@marshal/core';
import type { EndpointPlan } from './endpoint-plan.js';
import type { Route } from './route-table.js';
import { readBody, parseJsonObject } from './read-body.js';
import { decodeJsonArgs, decodePathArgs, decodeQueryArgs } from './decode-args.js';
import { sendError, type ErrorOptions } from './send-error.js';
import { writeResult } from './write-result.js';

export interface RequestContext extends ErrorOptions {
  readonly routes: ReadonlyMap<string, Route>;
  readonly bodyLimit: number;
}

const closeConnection = { connection: 'close' };
const heartbeatPaths = new Set(['/', '/heartbeat']);

/**
 * The pipeline for one HTTP call, and nothing else:
 * match the route → decode path and query → read and decode the JSON body → invoke → write.
 * Any throw along the way becomes an error response (send-error.ts).
 */
export async function handleRequest(context: RequestContext, request: IncomingMessage, response: ServerResponse): Promise<void> {
  try {
    const url = request.url ?? '/';
    const queryStart = url.indexOf('?');
    const pathname = queryStart < 0 ? url : url.slice(0, queryStart);
    // /service/endpoint/path-param/... : the route is the first two segments.
    const serviceEnd = pathname.indexOf('/', 1);
    const endpointEnd = serviceEnd < 0 ? -1 : pathname.indexOf('/', serviceEnd + 1);
    const route = context.routes.get(endpointEnd < 0 ? pathname : pathname.slice(0, endpointEnd));
    if (route === undefined) return answerUnrouted(context, request, response, pathname);

    const plan = request.method === 'POST' ? route.post : request.method === 'GET' || request.method === 'HEAD' ? route.get : undefined;
    if (plan === undefined) {
      const error = new MarshalError('MARSHAL_ERR_METHOD_NOT_ALLOWED', `${request.method} is not allowed here; use ${route.allow}`);
      return sendError(response, error, context, { allow: route.allow });
    }
    const args = plan.absentArgs.slice();
    decodePathArgs(plan, pathSegments(plan, endpointEnd < 0 ? '' : pathname.slice(endpointEnd + 1)), args);
    if (queryStart >= 0) decodeQueryArgs(plan, url.slice(queryStart + 1), args);
    if (plan.readsBody) decodeJsonArgs(plan, parseJsonObject(await readBody(request, context.bodyLimit)), args);

    let result = plan.invoke(args);
    if (isThenable(result)) result = await result;
    writeResult(response, plan, result);
  } catch (error) {
    const tooLarge = error instanceof MarshalError && error.code === 'MARSHAL_ERR_BODY_TOO_LARGE';
    // After a 413 the rest of the body is not worth reading: close instead of draining it.
    sendError(response, error, context, tooLarge ? closeConnection : undefined);
  }
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

function answerUnrouted(context: RequestContext, request: IncomingMessage, response: ServerResponse, pathname: string): void {
  if (heartbeatPaths.has(pathname) && (request.method === 'GET' || request.method === 'HEAD')) {
    response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    response.end('OK');
    return;
  }
  sendError(response, new MarshalError('MARSHAL_ERR_ROUTE_NOT_FOUND', `no endpoint at ${JSON.stringify(pathname.slice(0, 200))}`), context);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as PromiseLike<unknown>).then === 'function';
}
