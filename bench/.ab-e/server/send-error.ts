import type { ServerResponse } from 'node:http';
import { type ErrorBody, MarshalError } from '@marshal/core';

export interface ErrorOptions {
  /** Include the stack of errors thrown by implementations. Off by default: stacks leak internals. */
  readonly debug: boolean;
}

/** Anything thrown while serving a call → its status and JSON error body. */
export function errorResponse(error: unknown, options: ErrorOptions): { status: number; body: ErrorBody } {
  if (error instanceof MarshalError) {
    const { parameter, issues, name } = error.details;
    return { status: error.status, body: { code: error.code, message: error.message, parameter, issues, name } };
  }
  const thrown = error instanceof Error ? error : new Error(String(error));
  return {
    status: 500,
    body: {
      code: 'MARSHAL_ERR_HANDLER',
      name: thrown.name,
      message: thrown.message,
      stack: options.debug ? thrown.stack : undefined,
    },
  };
}

export function sendError(response: ServerResponse, error: unknown, options: ErrorOptions, extraHeaders?: Record<string, string>): void {
  const { status, body } = errorResponse(error, options);
  sendJson(response, status, JSON.stringify(body), extraHeaders);
}

export function sendJson(response: ServerResponse, status: number, json: string, extraHeaders?: Record<string, string>): void {
  if (response.headersSent) {
    // Too late for a status: cut the connection so the client sees a failure, not a short body.
    response.destroy();
    return;
  }
  response.writeHead(status, extraHeaders ? { 'content-type': 'application/json; charset=utf-8', ...extraHeaders } : jsonHeaders);
  response.end(json);
}

const jsonHeaders = { 'content-type': 'application/json; charset=utf-8' };
