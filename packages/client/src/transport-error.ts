/**
 * A call that got no usable answer: the server could not be reached, the connection broke, the
 * timeout passed, an error status came without a Marshal error body (a proxy's page), or a 200
 * came whose body is not JSON or does not fit the contract. `code` is the underlying error's code
 * where it has one (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …); `cause` is that error; `status`
 * the HTTP status, when an answer came.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  /** `POST /my-service/select/test`: which call failed. */
  readonly call: string;
  readonly code: string | undefined;
  readonly status: number | undefined;

  constructor(call: string, problem: string, cause?: unknown, status?: number) {
    super(`${call}: ${problem}`, { cause });
    this.call = call;
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
    this.status = status;
  }
}
