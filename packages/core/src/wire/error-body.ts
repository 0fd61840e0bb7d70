import { type ErrorCode, type ErrorIssue, errorTable } from '../errors.js';

/**
 * The JSON body of every error response (docs/protocol.md, "Errors"):
 *   {"code": "MARSHAL_ERR_BAD_PARAMETER", "message": "…", "parameter": "count", "issues": [{"path": "count", "message": "…"}]}
 * `name` is set for errors thrown by the implementation, `stack` only when the server runs with debug on.
 */
export interface ErrorBody {
  readonly code: string;
  readonly message: string;
  readonly parameter?: string;
  readonly issues?: readonly ErrorIssue[];
  /** How many issues were left out to keep the answer small (docs/errors.md, "Bounds"). */
  readonly issuesOmitted?: number;
  /** What the implementation sent with a MarshalError. */
  readonly data?: unknown;
  readonly name?: string;
  readonly stack?: string;
}

export function isErrorCode(code: unknown): code is ErrorCode {
  return typeof code === 'string' && Object.hasOwn(errorTable, code);
}

/** Reads an error body from a response text; anything else yields undefined. */
export function parseErrorBody(text: string): ErrorBody | undefined {
  try {
    const body = JSON.parse(text) as Partial<ErrorBody> | null;
    if (body && typeof body === 'object' && typeof body.code === 'string' && typeof body.message === 'string') return body as ErrorBody;
  } catch {
    // not JSON: the caller falls back to the status line
  }
  return undefined;
}
