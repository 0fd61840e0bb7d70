import { type ErrorBody, type ErrorCode, type ErrorIssue, MarshalError } from '@marshal/core/internal';

/**
 * A call that the server answered with a Marshal error. It is a MarshalError, as the
 * implementation would have thrown it in process: `error instanceof MarshalError` and
 * `error.code === 'MARSHAL_ERR_NOT_FOUND'` read the same either way. `code` may be one this
 * version does not list, from a newer server.
 */
export class RemoteError extends MarshalError {
  override name = 'RemoteError';
  /** `POST /my-service/select/test`: which call failed. */
  readonly call: string;
  /** The name of the error the implementation threw, when the server sends it (debug servers). */
  readonly remoteName: string | undefined;
  readonly parameter: string | undefined;
  readonly issues: readonly ErrorIssue[];
  /** The implementation's data, when it sent some with its error. */
  readonly data: unknown;

  constructor(status: number, call: string, body: ErrorBody) {
    super(body.code as ErrorCode, `${call} → ${status}: ${body.name ? `${body.name}: ` : ''}${body.message}`, body, status);
    this.call = call;
    this.remoteName = body.name;
    this.parameter = body.parameter;
    this.issues = body.issues ?? [];
    this.data = body.data;
  }
}
