import type { UploadBody, UploadPart } from './transport.js';

/** With progress wanted, a large buffer is handed over in views of this size (not copies). */
const progressStep = 64 * 1024;

/**
 * A failure of an upload's own source: a stream that throws, or gives something that is not
 * bytes. It is the request's failure, not the network's; `cause` is what the source threw.
 */
export class UploadSourceError extends Error {
  override name = 'UploadSourceError';
}

/**
 * An upload body as the chunks a transport writes one after another, its streams read only as
 * the transport asks for more. `onProgress` hears the bytes handed over so far, after each chunk
 * is taken. When `signal` fires, a read still waiting on a stream is given up (the iteration
 * throws the signal's reason) and that stream is stopped (`return()`): a source that never
 * answers cannot hold the request open.
 */
export async function* uploadChunks(body: UploadBody, signal: AbortSignal, onProgress: ((sentBytes: number) => void) | undefined): AsyncGenerator<Uint8Array> {
  let sent = 0;
  for (const part of body.parts) {
    if (part instanceof Uint8Array) {
      const step = onProgress === undefined ? part.length : progressStep;
      for (let offset = 0; offset < part.length; offset += step) {
        const chunk = offset === 0 && step >= part.length ? part : part.subarray(offset, offset + step);
        yield chunk;
        sent += chunk.length;
        onProgress?.(sent);
      }
      continue;
    }
    const source = sourceIterator(part);
    let finished = false;
    try {
      for (;;) {
        const step = await nextOrAbort(source, signal);
        if (step.done) {
          finished = true;
          break;
        }
        const chunk = step.value;
        if (!(chunk instanceof Uint8Array)) throw new UploadSourceError(`a file argument's stream gave ${describe(chunk)}, not bytes (a Uint8Array)`);
        if (chunk.length === 0) continue;
        yield chunk;
        sent += chunk.length;
        onProgress?.(sent);
      }
    } finally {
      if (!finished) stopSource(source);
    }
  }
}

/** The upload's chunks as a ReadableStream (for `fetch`), read only when the stream is pulled. */
export function readableFrom(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const step = await chunks.next();
        if (step.done) controller.close();
        else controller.enqueue(step.value);
      },
      async cancel() {
        await chunks.return(undefined);
      },
    },
    { highWaterMark: 0 },
  );
}

/** An upload body whose every part is bytes or a Blob, as one Blob (a disk-backed Blob stays on disk). */
export async function uploadBlob(body: UploadBody, signal: AbortSignal): Promise<Blob> {
  const pieces: (Uint8Array | Blob)[] = [];
  for (const part of body.parts) {
    if (part instanceof Uint8Array || part instanceof Blob) pieces.push(part);
    else {
      // A stream, where the runtime cannot send one: read whole first.
      const chunks: Uint8Array[] = [];
      for await (const chunk of uploadChunks({ contentType: body.contentType, parts: [part], length: undefined }, signal, undefined)) chunks.push(chunk);
      pieces.push(new Blob(chunks));
    }
  }
  return new Blob(pieces, { type: body.contentType });
}

/** Whether every part's size is known (bytes or Blobs): the body's length, else undefined. */
export function knownLength(parts: readonly UploadPart[]): number | undefined {
  let length = 0;
  for (const part of parts) {
    if (part instanceof Uint8Array) length += part.length;
    else if (part instanceof Blob) length += part.size;
    else return undefined;
  }
  return length;
}

/** The error of an upload's source, if `error` is one or was caused by one. */
export function uploadSourceError(error: unknown): UploadSourceError | undefined {
  for (let depth = 0; depth < 4 && error !== null && typeof error === 'object'; depth++) {
    if (error instanceof UploadSourceError) return error;
    error = (error as { cause?: unknown }).cause;
  }
  return undefined;
}

function sourceIterator(part: Blob | AsyncIterable<Uint8Array>): AsyncIterator<unknown> {
  // A Blob through its reader: ReadableStream is not async-iterable in every browser.
  if (part instanceof Blob) return readerIterator(part.stream());
  try {
    return part[Symbol.asyncIterator]();
  } catch (error) {
    throw new UploadSourceError(`a file argument's stream could not be read: ${(error as Error)?.message ?? String(error)}`, { cause: error });
  }
}

export function readerIterator(stream: ReadableStream<Uint8Array>): AsyncIterator<Uint8Array> {
  const reader = stream.getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

/**
 * The source's next chunk (or item), or the signal's reason as soon as it fires; a source's own
 * failure is an UploadSourceError naming `what` failed.
 */
export function nextOrAbort(source: AsyncIterator<unknown> | Iterator<unknown>, signal: AbortSignal, what = "a file argument's stream"): Promise<IteratorResult<unknown>> {
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    let next: Promise<IteratorResult<unknown>>;
    try {
      next = Promise.resolve(source.next());
    } catch (error) {
      next = Promise.reject(error);
    }
    next.then(
      (step) => {
        signal.removeEventListener('abort', onAbort);
        resolve(step);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(new UploadSourceError(`${what} failed: ${(error as Error)?.message ?? String(error)}`, { cause: error }));
      },
    );
  });
}

/** Stops a source that will not be read to its end; it is not waited for (it may never answer). */
export function stopSource(source: AsyncIterator<unknown> | Iterator<unknown>): void {
  try {
    Promise.resolve(source.return?.()).catch(() => {});
  } catch {
    // A source whose return() throws has nothing more to stop.
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return 'a string';
  if (value === null) return 'null';
  return typeof value === 'object' ? `a ${(value as object).constructor?.name ?? 'object'}` : `a ${typeof value}`;
}
