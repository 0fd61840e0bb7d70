import type { IncomingMessage } from 'node:http';
import { MarshalError } from '@marshal/core';

/**
 * Reads a whole request body, refusing more than `limit` bytes: a Content-Length above the
 * limit is refused before any byte is read, a chunked body as soon as it passes the limit.
 */
export function readBody(request: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = request.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    return Promise.reject(tooLarge(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        reject(tooLarge(limit));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    };
    // The client went away mid-body: a truncated body is bad input, not a failure of the implementation.
    const onCutShort = () => {
      cleanup();
      reject(new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `the request body ended early, after ${size} bytes`));
    };
    const cleanup = () => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onCutShort);
      request.off('close', onCutShort);
    };
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onCutShort);
    request.on('close', onCutShort);
  });
}

function tooLarge(limit: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the request body is larger than the limit of ${limit} bytes`);
}

/** Parses a JSON body that must be an object of parameters; an empty body is an empty object. */
export function parseJsonObject(body: Buffer): Record<string, unknown> {
  if (body.length === 0) return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (error) {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `the request body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', 'the request body must be a JSON object with one key per parameter');
  }
  return parsed as Record<string, unknown>;
}
