import type { ErrorBody, ErrorIssue } from '@marshal/core';

/**
 * A call that the server answered with an error. `code` is from the server's error table
 * (MARSHAL_ERR_*), `remoteName` the name of the error the implementation threw, if it threw.
 */
export class RemoteError extends Error {
  override name = 'RemoteError';
  readonly status: number;
  readonly code: string;
  readonly remoteName: string | undefined;
  readonly parameter: string | undefined;
  readonly issues: readonly ErrorIssue[];
  /** `POST /my-service/select/test`: which call failed. */
  readonly call: string;

  constructor(status: number, call: string, body: ErrorBody | undefined, fallbackText: string) {
    const message = body?.message ?? (fallbackText.slice(0, 500) || `HTTP ${status}`);
    super(`${call} → ${status}: ${body?.name ? `${body.name}: ` : ''}${message}`);
    this.status = status;
    this.call = call;
    this.code = body?.code ?? `HTTP_${status}`;
    this.remoteName = body?.name;
    this.parameter = body?.parameter;
    this.issues = body?.issues ?? [];
  }
}
