import type { IncomingMessage, ServerResponse } from 'node:http';
import { MarshalError } from '@marshal/core';
import type { BodyLimits } from '../http/exchange.js';

/** A MarshalError for the caller's faults (too large, cut short); any other Error is the server's. */
type BodyDone = (failure: Error | undefined, body?: Buffer) => void;

/**
 * Reads a whole request body, refusing more than `limits.body` bytes: a Content-Length above the
 * limit is refused before any byte is read, a chunked body as soon as it passes the limit.
 * `done` is called once: with the body, or with the error that stopped it.
 *
 * A refused body is not cut off at once: a client still sending would get a reset instead of the
 * 413. Up to `limits.discard` more bytes are read and thrown away while the 413 goes out, and
 * only a client that sends more than that has its connection closed. A client that waits for
 * `100 Continue` is never sent one for a body that is too large, and its connection is closed
 * after the 413, since the body will not come.
 */
export function readBody(request: IncomingMessage, response: ServerResponse, limits: BodyLimits, done: BodyDone): void {
  // A body parser mounted before Marshal (express.json()) has read it already: no event will come.
  if (request.readableEnded || request.destroyed) return done(new Error('the request body was read before Marshal got the request: mount Marshal before any body parser'));
  const expectsContinue = request.headers.expect?.toLowerCase() === '100-continue';
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limits.body) {
    if (expectsContinue) response.shouldKeepAlive = false;
    else discard(request, limits.discard);
    return done(tooLarge(limits.body));
  }
  if (expectsContinue) response.writeContinue();
  const chunks: Buffer[] = [];
  let size = 0;
  // Settled once: events after that are ignored. The listeners are not removed (the request is done
  // with), and they are anonymous: no per-call listener lookups for off(), no per-call names to set.
  let settled = false;
  request.on('data', (chunk: Buffer) => {
    if (settled) return;
    size += chunk.length;
    if (size > limits.body) {
      settled = true;
      chunks.length = 0;
      discard(request, limits.discard);
      done(tooLarge(limits.body));
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
    done(cutShort(size));
  });
  request.on('close', () => {
    if (settled) return;
    settled = true;
    done(cutShort(size));
  });
}

/** Reads and drops the rest of a refused body, up to `limit` bytes; past that the connection is closed. */
function discard(request: IncomingMessage, limit: number): void {
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) request.socket.destroy();
  });
  request.resume();
}

function cutShort(size: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `the request body ended early, after ${size} bytes`);
}

function tooLarge(limit: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the request body is larger than the limit of ${limit} bytes`);
}
