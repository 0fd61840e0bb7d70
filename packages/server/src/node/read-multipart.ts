import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import busboy from 'busboy';
import { MarshalError } from '@marshal/core/internal';
import type { BodyLimits, MultipartBody } from '../http/exchange.js';
import { consumedBefore, discard } from './read-body.js';
import { clip } from '../core/error-response.js';

/** The part that carries the JSON parameters, as the reference names it. */
export const jsonArgumentsPart = 'json_arguments';

/**
 * Reads a multipart/form-data body with busboy, streaming, within `limits`: `json_arguments` as
 * the JSON parameters (its bytes, under `limits.body`), every other part as the bytes of the
 * parameter it is named after (under `limits.file`), whether or not the part has a filename.
 * Nothing is handed on until the whole body has been read and found well-formed.
 */
export function readMultipart(request: IncomingMessage, response: ServerResponse, limits: BodyLimits, done: (failure: Error | undefined, body?: MultipartBody) => void): void {
  if (request.readableEnded || request.destroyed) return done(consumedBefore());
  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: request.headers,
      limits: { fileSize: Math.max(limits.body, limits.file), fieldSize: Math.max(limits.body, limits.file), parts: limits.parts, headerPairs: 64 },
      // A part without a filename is a "field", which busboy decodes as text. Read as latin1 it
      // maps byte to character, so its bytes come back exactly: a file keeps them, and
      // json_arguments is decoded as strictly as a JSON body.
      defCharset: 'latin1',
    });
  } catch (error) {
    // No multipart Content-Type, or no boundary in it.
    return done(malformed((error as Error).message));
  }
  if (request.headers.expect?.toLowerCase() === '100-continue') response.writeContinue();
  const files = new Map<string, Uint8Array>();
  let json: Uint8Array | undefined;
  let settled = false;
  const fail = (error: MarshalError): void => {
    if (settled) return;
    settled = true;
    request.unpipe(parser);
    discard(request, limits.discard);
    done(error);
  };
  const keep = (name: string, bytes: Uint8Array): void => {
    if (name === jsonArgumentsPart) {
      if (json !== undefined) return fail(malformed(`the part '${jsonArgumentsPart}' is sent twice`));
      json = bytes;
    } else {
      if (files.has(name)) return fail(malformed(`the part '${clip(name, 100)}' is sent twice`));
      files.set(name, bytes);
    }
  };
  parser.on('file', (name: string | undefined, stream: Readable) => {
    stream.on('error', (error: Error) => fail(malformed(error.message)));
    if (typeof name !== 'string' || name === '') {
      stream.resume();
      return fail(malformed('a part has no name'));
    }
    const chunks: Buffer[] = [];
    let size = 0;
    const limit = name === jsonArgumentsPart ? limits.body : limits.file;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) return fail(tooLargePart(name, limit));
      chunks.push(chunk);
    });
    stream.on('limit', () => fail(tooLargePart(name, limit)));
    stream.on('end', () => {
      if (!settled) keep(name, chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
  });
  parser.on('field', (name: string | undefined, value: string, info: busboy.FieldInfo) => {
    if (typeof name !== 'string' || name === '') return fail(malformed('a part has no name'));
    const limit = name === jsonArgumentsPart ? limits.body : limits.file;
    if (info.valueTruncated || value.length > limit) return fail(tooLargePart(name, limit));
    keep(name, Buffer.from(value, 'latin1'));
  });
  parser.on('partsLimit', () => fail(new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the multipart body has more than ${limits.parts} parts`)));
  parser.on('error', (error: Error) => fail(malformed(error.message)));
  parser.on('close', () => {
    if (settled) return;
    settled = true;
    done(undefined, { json, files });
  });
  // The client went away mid-body: busboy never hears of it.
  request.on('close', () => {
    if (!request.complete) fail(malformed('the request body ended early'));
  });
  request.pipe(parser);
}

function malformed(reason: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_MALFORMED_BODY', `the multipart body is malformed: ${clip(reason, 200)}`);
}

function tooLargePart(name: string, limit: number): MarshalError {
  return new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `the part '${clip(name, 100)}' is larger than the limit of ${limit} bytes`, { parameter: clip(name, 100) });
}
