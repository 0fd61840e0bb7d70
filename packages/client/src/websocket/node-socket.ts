import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';
import { type CallSocket, type WebSocketConnector, sendBufferLimit } from './socket.js';

/** How much of a refused handshake's body is read: Marshal's error bodies are at most 16 KiB. */
const refusalBodyLimit = 64 * 1024;

/**
 * Connections over the `ws` package, the default in Node: handshake headers, a refused
 * handshake's status and JSON error body (so a 404 or a 400 is a RemoteError, as over HTTP),
 * reading paused while the caller is behind, and sends that wait for the socket to drain.
 */
export const nodeWebSocket: WebSocketConnector = (request, listener) => {
  // No extensions: the protocol has none, and compression would hide the buffered amount.
  const socket = new WebSocket(request.url, { headers: request.headers, perMessageDeflate: false, followRedirects: false });
  socket.on('open', () => listener.open());
  // Binary frames as plain Uint8Arrays (views, not copies), as the WHATWG connector gives them.
  socket.on('message', (data: Buffer, isBinary: boolean) => listener.message(isBinary ? new Uint8Array(data.buffer, data.byteOffset, data.length) : data.toString()));
  socket.on('unexpected-response', (_request, response) => {
    readRefusal(response, (body) => {
      listener.refused(response.statusCode ?? 0, body);
      socket.terminate();
    });
  });
  socket.on('error', (error) => listener.error(error));
  // A send waiting for the buffer to drain: there is at most one, as a call sends frame by frame.
  let drained: (() => void) | undefined;
  socket.on('close', (code, reason) => {
    drained?.();
    listener.close(code, reason.toString());
  });
  return {
    send: (data) => {
      let waiting: (() => void) | undefined;
      // Called once this frame is handed to the kernel (everything before it was), or with an error when the connection closes first.
      socket.send(data, () => waiting?.());
      if (socket.bufferedAmount <= sendBufferLimit) return undefined;
      return new Promise<void>((resolve) => {
        waiting = drained = () => {
          waiting = drained = undefined;
          resolve();
        };
      });
    },
    pause: () => socket.pause(),
    resume: () => socket.resume(),
    close: () => {
      // A paused socket would not read the server's answering close frame.
      if (socket.isPaused) socket.resume();
      socket.close(1000);
    },
  } satisfies CallSocket;
};

/** The refusal's body as text (up to the limit), whether it ends, breaks off or is too long. */
function readRefusal(response: IncomingMessage, done: (body: string) => void): void {
  const chunks: Buffer[] = [];
  let length = 0;
  let finished = false;
  const finish = (): void => {
    if (finished) return;
    finished = true;
    done(Buffer.concat(chunks).toString());
  };
  response.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= refusalBodyLimit) finish();
  });
  response.on('end', finish);
  response.on('close', finish);
}
