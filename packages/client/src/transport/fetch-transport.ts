import type { HttpTransport, StreamingRequest, StreamingResponse, TransportFactory, TransportRequest, TransportResponse, UploadBody } from './transport.js';
import { IdleTimer } from './idle-timer.js';
import { readableFrom, readerIterator, uploadBlob, uploadChunks } from './upload-chunks.js';

const defaultTimeoutMs = 300_000;

/**
 * A transport on the global `fetch`: browsers, Deno, Bun, workers, and Node too. Connections are
 * the runtime's to pool; close() has nothing to close.
 *
 * A JSON call's timeout covers the whole exchange. A streaming one's (`open`) is a time without
 * progress: until the answer's headers, and then between chunks of the answer; an upload that
 * streams counts as progress chunk by chunk, one sent as a Blob as one step.
 *
 * Uploads: bytes and Blobs (a browser `File`, a file from `fileFrom`) go as one Blob, with its
 * length, so every runtime can send them. A stream argument is sent as a streamed request body
 * (`duplex: 'half'`) where the runtime can send one (Node, Deno, Chromium; Chromium only over
 * HTTP/2 and later), and is read whole into a Blob first where it cannot (Firefox, Safari).
 * Uploads are sent with `redirect: 'error'`, so that the runtime keeps no copy of the body.
 */
export const fetchTransport: TransportFactory = (origin, options) => {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const response = await fetch(origin + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, text: await response.text(), headers: Object.fromEntries(response.headers) };
    },
    open: (request) => openExchange(origin + request.path, request, request.timeoutMs ?? timeoutMs),
    close: async () => {},
  } satisfies HttpTransport;
};

async function openExchange(url: string, request: StreamingRequest, timeoutMs: number): Promise<StreamingResponse> {
  // Aborted by the caller's signal (the call is given up), by the idle timer, or by cancel().
  const controller = new AbortController();
  const forward = (): void => controller.abort(request.signal.reason);
  if (request.signal.aborted) forward();
  else request.signal.addEventListener('abort', forward, { once: true });
  const timer = new IdleTimer(timeoutMs, controller);
  const finish = (): void => {
    timer.stop();
    request.signal.removeEventListener('abort', forward);
  };
  try {
    const upload = request.body;
    let body: string | Uint8Array | Blob | ReadableStream<Uint8Array> | undefined;
    let streamed = false;
    let reportOnce: number | undefined;
    if (upload === undefined || typeof upload === 'string') body = upload;
    else if (upload.length === undefined && sendsRequestStreams()) {
      const progress = request.onUploadProgress;
      body = readableFrom(
        uploadChunks(upload, controller.signal, (sent) => {
          timer.touch();
          progress?.(sent);
        }),
      );
      streamed = true;
    } else {
      body = singleBuffer(upload) ?? (await uploadBlob(upload, controller.signal));
      reportOnce = body instanceof Blob ? body.size : body.length;
    }
    const response = await fetch(url, {
      method: request.method,
      headers: request.headers,
      body,
      signal: controller.signal,
      ...(streamed ? { duplex: 'half' } : {}),
      // A fetch that may follow a redirect keeps a copy of the body to send again: Node's tees the
      // whole upload into memory. An upload is not sent again; a redirect fails the call instead.
      ...(upload !== undefined && typeof upload !== 'string' ? { redirect: 'error', window: null } : {}),
    } as RequestInit);
    timer.touch();
    if (reportOnce !== undefined) request.onUploadProgress?.(reportOnce);
    return streamingResponse(response, controller, timer, finish);
  } catch (error) {
    finish();
    throw error;
  }
}

function streamingResponse(response: Response, controller: AbortController, timer: IdleTimer, finish: () => void): StreamingResponse {
  const whole = async <T>(read: Promise<T>): Promise<T> => {
    try {
      return await read;
    } finally {
      finish();
    }
  };
  return {
    status: response.status,
    header: (name) => response.headers.get(name) ?? undefined,
    body: {
      async *[Symbol.asyncIterator]() {
        if (response.body === null) return finish();
        const chunks = readerIterator(response.body);
        let done = false;
        try {
          for (;;) {
            const step = await chunks.next();
            if (step.done) {
              done = true;
              return;
            }
            timer.touch();
            yield step.value;
          }
        } finally {
          finish();
          if (!done) controller.abort();
        }
      },
    },
    text: () => whole(response.text()),
    bytes: () => whole(response.arrayBuffer().then((buffer) => new Uint8Array(buffer))),
    cancel: () => {
      finish();
      controller.abort();
    },
  };
}

/** Bytes that are the whole body already, sent as they are. */
function singleBuffer(upload: UploadBody): Uint8Array | undefined {
  const [first] = upload.parts;
  return upload.parts.length === 1 && first instanceof Uint8Array ? first : undefined;
}

let requestStreams: boolean | undefined;

/**
 * Whether this runtime's fetch sends a ReadableStream body (the check web.dev gives): it reads
 * `duplex`, and does not turn the stream into text.
 */
function sendsRequestStreams(): boolean {
  if (requestStreams === undefined) {
    try {
      let duplexRead = false;
      const init = {
        method: 'POST',
        body: new ReadableStream(),
        get duplex() {
          duplexRead = true;
          return 'half';
        },
      };
      const hasContentType = new Request('http://localhost/', init as RequestInit).headers.has('content-type');
      requestStreams = duplexRead && !hasContentType;
    } catch {
      requestStreams = false;
    }
  }
  return requestStreams;
}
