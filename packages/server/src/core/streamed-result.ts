import { MarshalError } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { type ErrorOptions, errorResponse } from './error-response.js';
import type { ServedEndpoint } from './served-endpoint.js';

/**
 * The implementation's streamed result as an iterator, or a RESULT_ENCODING error when it is not
 * one. An async iterable is what contracts promise; a sync iterable (an array, a generator) is
 * taken too.
 */
export function itemsOf(endpoint: ServedEndpoint, value: unknown): AsyncIterator<unknown> | Iterator<unknown> {
  if (value !== null && typeof value === 'object') {
    const asyncIterate = (value as AsyncIterable<unknown>)[Symbol.asyncIterator];
    if (typeof asyncIterate === 'function') return asyncIterate.call(value);
    const iterate = (value as Iterable<unknown>)[Symbol.iterator];
    if (typeof iterate === 'function' && !(value instanceof Uint8Array)) return iterate.call(value);
  }
  throw new MarshalError('MARSHAL_ERR_RESULT_ENCODING', `${endpoint.label} returned a value that is not an async iterable, for its stream result`);
}

/** How the items go out: as the endpoint's own form, or as Server-Sent Events (what `Accept: text/event-stream` asks for). */
export type Framing = 'own' | 'event-stream';

/**
 * The pieces of a streamed answer, from the implementation's items (the first already taken and
 * encoded, `undefined` for an empty stream, so that a failure there is an ordinary error answer): raw bytes, UTF-8 lines, JSON lines, or
 * Server-Sent Events (`data:` per item, then `event: end`; a failure is an `event: error` with
 * the JSON error body). In the other forms a failure is thrown on, and the transport cuts the
 * connection so the client sees a failure rather than a short answer. When the consumer stops
 * early (the client went away), the implementation's iterator is stopped too, so its `finally`
 * runs.
 */
export async function* streamedPieces(
  endpoint: ServedEndpoint,
  first: string | Uint8Array | undefined,
  items: AsyncIterator<unknown> | Iterator<unknown>,
  framing: Framing,
  options: ErrorOptions,
): AsyncGenerator<string | Uint8Array> {
  let step: IteratorResult<unknown> = { done: first === undefined, value: undefined };
  try {
    if (first !== undefined) {
      yield framing === 'event-stream' ? eventData(first as string) : first;
      step = await items.next();
    }
    while (!step.done) {
      const piece = encodeItem(endpoint, step.value);
      yield framing === 'event-stream' ? eventData(piece as string) : piece;
      step = await items.next();
    }
    if (framing === 'event-stream') yield 'event: end\ndata:\n\n';
  } catch (error) {
    if (framing !== 'event-stream') throw error;
    yield `event: error\ndata: ${errorResponse(error, options).json}\n\n`;
  } finally {
    if (!step.done) await items.return?.();
  }
}

/** One item in the endpoint's form; a Server-Sent Event's data is the same text without its line break. */
export function encodeItem(endpoint: ServedEndpoint, item: unknown): string | Uint8Array {
  if (endpoint.resultForm === 'byte-stream') return itemBytes(endpoint, item);
  try {
    if (endpoint.resultForm !== 'text-lines') return `${JSON.stringify(endpoint.result.encode(item) ?? null)}\n`;
    const text = endpoint.result.encode(item) as string;
    // A line break inside would read as two items on the other side.
    if (/[\r\n]/.test(text)) throw new SerializationError('an item of a text stream cannot contain a line break; declare stream(T) of a DTO or use Json lines');
    return `${text}\n`;
  } catch (error) {
    throw itemEncodingError(endpoint, error);
  }
}

/** One item of a stream of values as JSON text (a WebSocket item frame's value). */
export function itemJson(endpoint: ServedEndpoint, item: unknown): string {
  try {
    return JSON.stringify(endpoint.result.encode(item) ?? null);
  } catch (error) {
    throw itemEncodingError(endpoint, error);
  }
}

/** One chunk of a `stream(Bytes)` result. */
export function itemBytes(endpoint: ServedEndpoint, item: unknown): Uint8Array {
  if (item instanceof Uint8Array) return item;
  throw itemEncodingError(endpoint, new SerializationError(`expected a Uint8Array, got a ${typeof item}`));
}

function itemEncodingError(endpoint: ServedEndpoint, error: unknown): MarshalError {
  const problem = error instanceof SerializationError ? error.message : String(error);
  return new MarshalError('MARSHAL_ERR_RESULT_ENCODING', `${endpoint.label} yielded an item that does not fit its type: ${problem}`);
}

function eventData(line: string): string {
  return `data: ${line.slice(0, -1)}\n\n`;
}
