/**
 * Every error a Marshal server answers with, in one table: its HTTP status and what it means.
 * docs/errors.md has one anchor per code (a test keeps the two in step).
 */
export const errorTable = {
  MARSHAL_ERR_BAD_REQUEST: { status: 400, summary: 'The request is not well-formed HTTP (refused by the HTTP parser).' },
  MARSHAL_ERR_ROUTE_NOT_FOUND: { status: 404, summary: 'No endpoint is served at this path.' },
  MARSHAL_ERR_METHOD_NOT_ALLOWED: { status: 405, summary: 'The endpoint exists but takes another HTTP method.' },
  MARSHAL_ERR_MALFORMED_JSON: { status: 400, summary: 'The request body is not valid JSON, or not a JSON object.' },
  MARSHAL_ERR_MALFORMED_BODY: { status: 400, summary: 'A file or multipart body ended early, or a multipart body is malformed.' },
  MARSHAL_ERR_MISSING_PARAMETER: { status: 400, summary: 'A required parameter was not sent.' },
  MARSHAL_ERR_UNKNOWN_PARAMETER: { status: 400, summary: 'The JSON body names a parameter the endpoint does not have.' },
  MARSHAL_ERR_BAD_PARAMETER: { status: 400, summary: 'A parameter value does not fit its declared type.' },
  MARSHAL_ERR_REQUEST_TIMEOUT: { status: 408, summary: 'The request did not arrive in time (headers or body; over WebSocket, the next frame the call waits for).' },
  MARSHAL_ERR_BODY_TOO_LARGE: { status: 413, summary: 'The request body is larger than the server allows.' },
  MARSHAL_ERR_HEADERS_TOO_LARGE: { status: 431, summary: 'The request line or headers are larger than the server allows.' },
  MARSHAL_ERR_MESSAGE_TOO_LARGE: { status: 413, summary: 'A WebSocket message is larger than the server allows.', webSocketOnly: true },
  MARSHAL_ERR_PROTOCOL: { status: 400, summary: 'A WebSocket frame out of order, of an unknown type, or not of the shape its type needs.', webSocketOnly: true },
  MARSHAL_ERR_UPGRADE_REQUIRED: { status: 426, summary: 'The endpoint is a WebSocket endpoint: connect with a WebSocket handshake.', webSocketOnly: true },
  MARSHAL_ERR_CROSS_SITE: { status: 403, summary: 'A browser request from another site that the server’s CORS policy does not allow.' },
  MARSHAL_ERR_INVALID: { status: 422, summary: 'The implementation refuses the arguments as invalid (it threw this code).' },
  MARSHAL_ERR_UNAUTHORIZED: { status: 401, summary: 'The call needs a caller the server can identify: an authentication guard found no valid credentials (the answer carries WWW-Authenticate), or the implementation threw this code.' },
  MARSHAL_ERR_FORBIDDEN: { status: 403, summary: 'The caller is known but may not make this call (middleware or the implementation refused it).' },
  MARSHAL_ERR_NOT_FOUND: { status: 404, summary: 'The implementation reports that what was asked for does not exist (it threw this code).' },
  MARSHAL_ERR_CONFLICT: { status: 409, summary: 'The implementation reports a conflict with the current state (it threw this code).' },
  MARSHAL_ERR_TOO_MANY_REQUESTS: { status: 429, summary: 'The implementation asks the caller to slow down (it threw this code).' },
  MARSHAL_ERR_HANDLER: { status: 500, summary: 'The implementation failed; the message is generic unless the server runs with debug on.' },
  MARSHAL_ERR_RESULT_ENCODING: { status: 500, summary: 'The implementation returned a value that does not fit the declared return type.' },
  MARSHAL_ERR_UNAVAILABLE: { status: 503, summary: 'The server is shutting down and takes no new calls.' },
  MARSHAL_ERR_TIMEOUT: { status: 504, summary: 'The implementation did not answer within the call timeout.' },
} as const;

export type ErrorCode = keyof typeof errorTable;

/** One problem of an error answer's `issues` (docs/errors.md), as the server sends it. */
export interface ErrorIssue extends ErrorIssueInput {
  /** The same place as `path`, as segments for code to read: `['data', 2, 'text']`. */
  readonly segments: readonly (string | number)[];
}

/** An issue as an implementation puts it in a MarshalError: without `segments`, the server reads them from `path`. */
export interface ErrorIssueInput {
  /** Where the problem is, as text: `data[2].text` (a parameter's issues start with its name); '' for a result as a whole. */
  readonly path: string;
  readonly segments?: readonly (string | number)[];
  /** The problem, without the path. */
  readonly message: string;
  /** For a value of the wrong kind: what it should have been (`an ISO-8601 date string`). */
  readonly expected?: string;
  /** For a value of the wrong kind: a short description of what came (`42`, `"soon"`, `an object`). */
  readonly received?: string;
}

export interface MarshalErrorDetails {
  /** The parameter the error is about, for 400s. */
  readonly parameter?: string;
  readonly issues?: readonly ErrorIssueInput[];
  /** How many problems were found beyond `issues`: counted, not listed (docs/errors.md, "Bounds"). */
  readonly issuesOmitted?: number;
  /** For MARSHAL_ERR_HANDLER: the name of the error the implementation threw. */
  readonly name?: string;
  /** JSON data for the caller, sent with the error (at most 4 KiB of JSON; more is left out). */
  readonly data?: unknown;
  readonly cause?: unknown;
  /**
   * Response headers the answer carries besides the JSON body (a 401's `www-authenticate`), names
   * in lower case; never part of the body.
   */
  readonly headers?: Readonly<Record<string, string>>;
}

/**
 * An error with a code from the table. An implementation throws it to answer with that status,
 * its message and its data (`throw new MarshalError('MARSHAL_ERR_NOT_FOUND', 'no user 42', { data: { id: 42 } })`);
 * the client rejects with one too (a RemoteError, a subclass), so `catch` reads the same in
 * process and remotely. Anything else an implementation throws is a 500 with a generic message.
 */
export class MarshalError extends Error {
  override name = 'MarshalError';
  readonly code: ErrorCode;
  readonly status: number;
  readonly details: MarshalErrorDetails;

  /** `status` is the code's, unless given: a client rebuilding a remote error keeps the status it got. */
  constructor(code: ErrorCode, message: string, details: MarshalErrorDetails = {}, status: number = errorTable[code]?.status ?? 500) {
    super(message, details.cause === undefined ? undefined : { cause: details.cause });
    this.code = code;
    this.status = status;
    this.details = details;
  }
}
