import { Pool } from 'undici';
import type { HttpTransport, StreamingRequest, StreamingResponse, TransportFactory, TransportRequest, TransportResponse } from './transport.js';
import { uploadChunks } from './upload-chunks.js';

const ignore = (): void => {};

/**
 * The default transport in Node: a keep-alive undici Pool to the origin. An upload goes as an
 * async iterable that undici pulls chunk by chunk as the socket drains (a file on disk or a
 * stream is never read whole), with a Content-Length when its size is known; the answer's body
 * is read as it arrives. The timeout is undici's: for the response headers (once the request is
 * sent) and between body chunks, each.
 */
export const undiciTransport: TransportFactory = (origin, options) => {
  const pool = new Pool(origin, { connections: options.connections ?? 16 });
  const timeout = options.timeoutMs;
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const response = await pool.request({ ...request, headersTimeout: timeout, bodyTimeout: timeout });
      return { status: response.statusCode, text: await response.body.text(), headers: response.headers };
    },
    async open(request: StreamingRequest): Promise<StreamingResponse> {
      const { body: upload, signal, onUploadProgress } = request;
      let headers = request.headers;
      let body: string | Uint8Array | AsyncIterable<Uint8Array> | undefined;
      if (upload === undefined || typeof upload === 'string') body = upload;
      else {
        const [first] = upload.parts;
        // One buffer and no progress to report: undici writes it as it is.
        if (upload.parts.length === 1 && first instanceof Uint8Array && onUploadProgress === undefined) body = first;
        else body = uploadChunks(upload, signal, onUploadProgress);
        if (upload.length !== undefined) headers = { ...headers, 'content-length': String(upload.length) };
      }
      const callTimeout = request.timeoutMs ?? timeout;
      // undici sends any async iterable as a body, chunk by chunk; its types list only Readable.
      const requestBody = body as string | Uint8Array | undefined;
      const response = await pool.request({ method: request.method, path: request.path, headers, body: requestBody, signal, headersTimeout: callTimeout, bodyTimeout: callTimeout });
      const answer = response.body;
      return {
        status: response.statusCode,
        header: (name) => {
          const value = response.headers[name];
          return Array.isArray(value) ? value.join(', ') : value;
        },
        body: answer,
        text: () => answer.text(),
        bytes: () => answer.bytes(),
        // A body destroyed before its end aborts the request: undici closes the connection, and
        // emits the abort as the body's error, which nothing reads once the body is given up.
        cancel: () => void answer.on('error', ignore).destroy(),
      };
    },
    close: () => pool.close(),
  } satisfies HttpTransport;
};
