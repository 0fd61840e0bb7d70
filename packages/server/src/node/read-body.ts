import type { IncomingMessage, ServerResponse } from 'node:http';
import { MarshalError } from '@marshal/core/internal';

/** A MarshalError for the caller's faults (too large, cut short); any other Error is the server's. */
type BodyDone = (failure: Error | undefined, body?: Buffer) => void;

/**
 * Lets a body in, or refuses it before reading: a Content-Length above `limit` is a 413 at once.
 * A client that waits for `100 Continue` is sent it only for a body that will be read; one that is
 * refused is never asked for its body, and its connection is closed after the 413, since the body
 * will not come. A client that sends anyway has up to `discard` bytes read and dropped (see discard).
 */
export function admitBody(request: IncomingMessage, response: ServerResponse, limit: number, discardLimit: number): MarshalError | undefined {
  const expectsContinue = request.headers.expect?.toLowerCase() === '100-continue';
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    if (expectsContinue) response.shouldKeepAlive = false;
    else discard(request, discardLimit);
    return tooLarge(limit);
  }
  if (expectsContinue) response.writeContinue();
  return undefined;
}

/**
 * Reads a whole request body, refusing more than `limit` bytes: a Content-Length above the limit
 * is refused before any byte is read, a chunked body as soon as it passes the limit. `done` is
 * called once: with the body, or with the error that stopped it.
 */
export function readBody(request: IncomingMessage, response: ServerResponse, limit: number, discardLimit: number, shortCode: CutShortCode, done: BodyDone): void {
  // A body parser mounted before Marshal (express.json()) has read it already: no event will come.
  if (request.readableEnded || request.destroyed) return done(consumedBefore());
  const refusal = admitBody(request, response, limit, discardLimit);
  if (refusal !== undefined) return done(refusal);
  const chunks: Buffer[] = [];
  let size = 0;
  // Settled once: events after that are ignored. The listeners are not removed (the request is done
  // with), and they are anonymous: no per-call listener lookups for off(), no per-call names to set.
  let settled = false;
  request.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limit) {
      settled = true;
      chunks.length = 0;
      discard(request, discardLimit);
      done(tooLarge(limit));
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
  });
  // The client went away mid-body: a truncated body is bad input, not a failure of the implementation.
  request.on('error', () => {
    if (settled) return;
    settled = true;
    done(cutShort(shortCode, size));
  });
  request.on('close', () => {
    if (settled) return;
    settled = true;
    done(cutShort(shortCode, size));
  });
}

/**
 * Reads and drops the rest of a refused body, up to `limit` bytes, so that a client still sending
 * sees the 413 rather than a reset connection; past that the connection is closed.
 */
export function discard(request: IncomingMessage, limit: number): void {
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) request.socket.destroy();
  });
  request.resume();
}

export function consumedBefore(): Error {
  return new Error('the request body was read before Marshal got the request: mount Marshal before any body parser');
}

/** What a body that ends early is: bad JSON for a JSON body, a malformed body for a file. */
export type CutShortCode = 'MARSHAL_ERR_MALFORMED_JSON' | 'MARSHAL_ERR_MALFORMED_BODY';

function cutShort(code: CutShortCode, size: number): MarshalError {
  return new MarshalError(code, `the request body ended early, after ${size} bytes`);
}

export function tooLarge(limit: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the request body is larger than the limit of ${limit} bytes`);
}
