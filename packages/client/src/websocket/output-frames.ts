import { type CompiledEndpoint, parseErrorBody } from '@marshal/core/internal';
import { decodeResult } from '../decode-result.js';
import { RemoteError } from '../remote-error.js';
import { TransportError } from '../transport-error.js';

/** What the server's frames amount to, as the call hears it. */
export interface OutputListener {
  /** A single result (decoded), a `Bytes` result's bytes (whole), or one item of a streamed result (decoded). */
  item(value: unknown): void;
  /** The result is complete: `result`, or a stream's `end`. */
  complete(): void;
  /** An `error` frame (a RemoteError), or frames that break the protocol or the contract (a TransportError). */
  fail(error: Error): void;
}

interface Frame {
  readonly type?: unknown;
  readonly value?: unknown;
  readonly status?: unknown;
}

/**
 * Reads the server's frames of one call by its result form (docs/protocol.md 14.3): a single
 * result is `{"type":"result"}`; a `Bytes` or `stream(…)` result is `{"type":"stream"}`, binary
 * frames or `item` frames, then `{"type":"end"}`; an `error` frame may come at any point. A
 * `Bytes` result is put together here and handed over whole.
 */
export class OutputReader {
  readonly #endpoint: CompiledEndpoint;
  readonly #label: string;
  readonly #listener: OutputListener;
  #streaming = false;
  #chunks: Uint8Array[] | undefined;

  constructor(endpoint: CompiledEndpoint, label: string, listener: OutputListener) {
    this.#endpoint = endpoint;
    this.#label = label;
    this.#listener = listener;
  }

  read(data: string | Uint8Array): void {
    const form = this.#endpoint.resultForm;
    if (typeof data !== 'string') {
      if (!this.#streaming || (form !== 'bytes' && form !== 'byte-stream')) return this.#violation('a binary frame where none belongs');
      if (this.#chunks !== undefined) this.#chunks.push(data);
      else this.#listener.item(data);
      return;
    }
    let frame: Frame;
    try {
      frame = JSON.parse(data) as Frame;
    } catch {
      return this.#violation(`a text frame that is not JSON: ${JSON.stringify(data.slice(0, 80))}`);
    }
    if (frame === null || typeof frame !== 'object') return this.#violation(`a frame that is not an object: ${JSON.stringify(data.slice(0, 80))}`);
    switch (frame.type) {
      case 'error':
        return this.#error(frame, data);
      case 'result':
        if (form !== 'json' || this.#streaming) return this.#violation('a result frame where a stream was due');
        if (!this.#decoded(frame.value, 'result')) return;
        return this.#listener.complete();
      case 'stream':
        if (form === 'json' || this.#streaming) return this.#violation(form === 'json' ? 'a stream frame where a result was due' : 'a second stream frame');
        this.#streaming = true;
        if (form === 'bytes') this.#chunks = [];
        return;
      case 'item':
        if (!this.#streaming || (form !== 'text-lines' && form !== 'json-lines')) return this.#violation('an item frame where none belongs');
        this.#decoded(frame.value, 'item');
        return;
      case 'end':
        if (!this.#streaming) return this.#violation('an end frame before a stream frame');
        if (this.#chunks !== undefined) this.#listener.item(concat(this.#chunks));
        return this.#listener.complete();
      default:
        return this.#violation(`a frame of type ${JSON.stringify(frame.type)}`);
    }
  }

  /** An error frame is the HTTP error body with `type` and `status`; a reference server's carries only `message` (read as the implementation's failure). */
  #error(frame: Frame, text: string): void {
    const status = typeof frame.status === 'number' ? frame.status : 500;
    const message = (frame as { message?: unknown }).message;
    const body = parseErrorBody(text) ?? (typeof message === 'string' ? { code: 'MARSHAL_ERR_HANDLER', message } : undefined);
    if (body === undefined) return this.#violation(`an error frame without a code or message: ${JSON.stringify(text.slice(0, 80))}`);
    this.#listener.fail(new RemoteError(status, this.#label, body));
  }

  /** Hands over the value decoded by the result's codec, or fails the call; whether it did. */
  #decoded(json: unknown, part: 'result' | 'item'): boolean {
    let value: unknown;
    try {
      value = decodeResult(this.#endpoint, this.#label, json, part);
    } catch (error) {
      this.#listener.fail(error as Error);
      return false;
    }
    this.#listener.item(value);
    return true;
  }

  #violation(problem: string): void {
    this.#listener.fail(new TransportError(this.#label, `the server broke the WebSocket protocol: ${problem}`));
  }
}

function concat(chunks: readonly Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  let length = 0;
  for (const chunk of chunks) length += chunk.length;
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}
