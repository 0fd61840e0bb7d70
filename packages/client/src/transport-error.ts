/**
 * A call that got no usable answer: the server could not be reached, the connection broke, the
 * timeout passed, or a 200 came with a body that is not JSON. `code` is the underlying error's
 * code where it has one (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …); `cause` is that error.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  /** `POST /my-service/select/test`: which call failed. */
  readonly call: string;
  readonly code: string | undefined;

  constructor(call: string, problem: string, cause?: unknown) {
    super(`${call}: ${problem}`, { cause });
    this.call = call;
    const code = (cause as { code?: unknown } | undefined)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}
