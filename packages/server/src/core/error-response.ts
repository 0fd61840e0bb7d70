import { type ErrorBody, MarshalError } from '@marshal/core';

export interface ErrorOptions {
  /** Include the stack of errors thrown by implementations. Off by default: stacks leak internals. */
  readonly debug: boolean;
}

export interface ErrorResponse {
  readonly status: number;
  readonly body: ErrorBody;
}

/** Anything thrown while serving a call → its status and JSON error body, whatever the transport. */
export function errorResponse(error: unknown, options: ErrorOptions): ErrorResponse {
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
