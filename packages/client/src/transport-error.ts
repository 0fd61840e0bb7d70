/**
 * A call that got no usable answer: the server could not be reached, the connection broke, the
 * timeout passed, an error status came without a Marshal error body (a proxy's page), a 200
 * came whose body is not JSON or does not fit the contract, a streamed answer ended before its
 * end (the server failed mid-stream: "the stream ended before its end"), a WebSocket call's
 * connection closed before its result or its stream's end, or its server broke the protocol, an
 * upload's own stream failed, or the caller aborted the call. `code` is the underlying error's code where it has one
 * (ECONNREFUSED, UND_ERR_HEADERS_TIMEOUT, …), and `ABORT_ERR` for a call aborted by its
 * `signal`; `cause` is that error (for an abort, the signal's `reason`: an `AbortError`
 * DOMException unless the caller gave another); `status` the HTTP status, when an answer came.
 */
export class TransportError extends Error {
  override name = 'TransportError';
  /** `POST /my-service/select/test`: which call failed. */
  readonly call: string;
  readonly code: string | undefined;
  readonly status: number | undefined;

  constructor(call: string, problem: string, cause?: unknown, status?: number, code?: string) {
    super(`${call}: ${problem}`, { cause });
    this.call = call;
    const causeCode = (cause as { code?: unknown } | undefined)?.code;
    this.code = code ?? (typeof causeCode === 'string' ? causeCode : undefined);
    this.status = status;
  }
}
