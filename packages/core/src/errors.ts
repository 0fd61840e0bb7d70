/**
 * Every error a Marshal server answers with, in one table: its HTTP status and what it means.
 * docs/errors.md has one anchor per code (a test keeps the two in step).
 */
export const errorTable = {
  MARSHAL_ERR_ROUTE_NOT_FOUND: { status: 404, summary: 'No endpoint is served at this path.' },
  MARSHAL_ERR_METHOD_NOT_ALLOWED: { status: 405, summary: 'The endpoint exists but takes another HTTP method.' },
  MARSHAL_ERR_MALFORMED_JSON: { status: 400, summary: 'The request body is not valid JSON, or not a JSON object.' },
  MARSHAL_ERR_MISSING_PARAMETER: { status: 400, summary: 'A required parameter was not sent.' },
  MARSHAL_ERR_UNKNOWN_PARAMETER: { status: 400, summary: 'The JSON body names a parameter the endpoint does not have.' },
  MARSHAL_ERR_BAD_PARAMETER: { status: 400, summary: 'A parameter value does not fit its declared type.' },
  MARSHAL_ERR_BODY_TOO_LARGE: { status: 413, summary: 'The request body is larger than the server allows.' },
  MARSHAL_ERR_NOT_FOUND: { status: 404, summary: 'The implementation reports that what was asked for does not exist (it threw this code).' },
  MARSHAL_ERR_HANDLER: { status: 500, summary: 'The implementation threw; the body carries the error name and message.' },
  MARSHAL_ERR_RESULT_ENCODING: { status: 500, summary: 'The implementation returned a value that does not fit the declared return type.' },
  MARSHAL_ERR_UNAVAILABLE: { status: 503, summary: 'The server is shutting down and takes no new calls.' },
} as const;

export type ErrorCode = keyof typeof errorTable;

export interface ErrorIssue {
  /** Where in the parameter the problem is, e.g. `data[2].text`; '' for the parameter as a whole. */
  readonly path: string;
  readonly message: string;
}

export interface MarshalErrorDetails {
  /** The parameter the error is about, for 400s. */
  readonly parameter?: string;
  readonly issues?: readonly ErrorIssue[];
  /** For MARSHAL_ERR_HANDLER: the name of the error the implementation threw. */
  readonly name?: string;
  readonly cause?: unknown;
}

/** An error with a code from the table; the server turns it into a response as it is. */
export class MarshalError extends Error {
  override name = 'MarshalError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: MarshalErrorDetails;

  constructor(code: ErrorCode, message: string, details: MarshalErrorDetails = {}) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = errorTable[code].status;
    this.details = details;
  }
}
