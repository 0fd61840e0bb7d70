import type { IncomingMessage } from 'node:http';
import { MarshalError } from '@marshal/core';

/**
 * Reads a whole request body, refusing more than `limit` bytes: a Content-Length above the
 * limit is refused before any byte is read, a chunked body as soon as it passes the limit.
 * `done` is called once: with the body, or with a MarshalError if there is none.
 */
export function readBody(request: IncomingMessage, limit: number, done: (failure: MarshalError | undefined, body?: Buffer) => void): void {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return done(tooLarge(limit));
  }
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
    done(cutShort(size));
  });
  request.on('close', () => {
    if (settled) return;
    settled = true;
    done(cutShort(size));
  });
}

function cutShort(size: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `the request body ended early, after ${size} bytes`);
}

function tooLarge(limit: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the request body is larger than the limit of ${limit} bytes`);
}
