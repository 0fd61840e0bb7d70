import type { UploadPart } from './transport/transport.js';
import { readerIterator } from './transport/upload-chunks.js';

/**
 * What a client takes for a `Bytes` or `stream(Bytes)` parameter:
 * - bytes: a `Uint8Array` (a Node `Buffer` is one) or an `ArrayBuffer`;
 * - a `Blob` or `File` (a browser's file input), sent with its size;
 * - a file on disk: `await fileFrom(path)` from `@marshal/client` in Node, a Blob read from disk
 *   only while it is sent;
 * - a stream of bytes, read only while it is sent: a Node `Readable` (without an encoding), any
 *   `AsyncIterable<Uint8Array>` (an async generator), or a web `ReadableStream<Uint8Array>`.
 *
 * A `Bytes` parameter is read whole on the server and a `stream(Bytes)` one handed over while it
 * arrives, but the client sends every form the same way. A stream can be sent once: a call
 * reads it to its end, or stops it (`return()`, which destroys a `Readable`) when the call fails.
 */
export type FileArgument = Uint8Array | ArrayBuffer | Blob | AsyncIterable<Uint8Array> | ReadableStream<Uint8Array>;

/** A file argument as an upload part, or undefined when the value is none of the forms above. */
export function uploadPartOf(value: unknown): UploadPart | undefined {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  if (typeof Blob === 'function' && value instanceof Blob) return value;
  if (typeof ReadableStream === 'function' && value instanceof ReadableStream) {
    const stream = value as ReadableStream<Uint8Array>;
    return { [Symbol.asyncIterator]: () => readerIterator(stream) };
  }
  if (value !== null && typeof value === 'object' && typeof (value as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
    return value as AsyncIterable<Uint8Array>;
  }
  return undefined;
}
