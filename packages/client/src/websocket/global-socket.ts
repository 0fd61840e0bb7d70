import { type CallSocket, type WebSocketConnector, sendBufferLimit } from './socket.js';

/** The part of the WHATWG WebSocket this connector uses. */
interface WhatwgWebSocket {
  binaryType: string;
  readonly bufferedAmount: number;
  readonly readyState: number;
  send(data: string | Uint8Array): void;
  close(code?: number): void;
  addEventListener(type: 'open' | 'message' | 'error' | 'close', listener: (event: WhatwgEvent) => void): void;
}

interface WhatwgEvent {
  readonly data?: unknown;
  readonly code?: number;
  readonly reason?: string;
  readonly error?: unknown;
  readonly message?: string;
}

type WhatwgWebSocketClass = new (url: string, init?: { headers: Record<string, string> }) => WhatwgWebSocket;

const open = 1;
/** How often a send waiting for the buffer to drain looks again: the WHATWG WebSocket has no drain event. */
const drainPollMs = 10;

/**
 * Connections over the runtime's own `WebSocket` (browsers, workers, Deno, Bun; Node 22 and
 * later): the browser entry's default, with no Node built-in. Sends wait, polling
 * `bufferedAmount`, while more than a MiB is buffered. The WHATWG WebSocket cannot pause
 * reading, so a caller that reads slowly has the server's frames queued here; nor can it see
 * the status of a refused handshake, which is then a TransportError. Browsers send no headers
 * on a handshake (cookies go as for any request): a call with headers fails at once there, rather
 * than reach the server without them; Deno, Bun and Node's WebSocket take them.
 */
export const globalWebSocket: WebSocketConnector = (request, listener) => {
  const Class = (globalThis as { WebSocket?: WhatwgWebSocketClass }).WebSocket;
  if (Class === undefined) throw new Error('this runtime has no global WebSocket');
  const headerNames = Object.keys(request.headers);
  let socket: WhatwgWebSocket;
  if (headerNames.length === 0) socket = new Class(request.url);
  else {
    try {
      socket = new Class(request.url, { headers: { ...request.headers } });
    } catch (error) {
      // A browser reads the second argument as subprotocols, and "[object Object]" is not one.
      throw new Error(`this runtime's WebSocket cannot send headers (${headerNames.join(', ')}): browsers send none on a handshake`, { cause: error });
    }
  }
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('open', () => listener.open());
  socket.addEventListener('message', (event) => {
    const { data } = event;
    listener.message(typeof data === 'string' ? data : new Uint8Array(data as ArrayBuffer));
  });
  socket.addEventListener('error', (event) => {
    const cause = event.error instanceof Error ? event.error : undefined;
    listener.error(cause ?? new Error(event.message || 'the WebSocket connection failed'));
  });
  socket.addEventListener('close', (event) => listener.close(event.code ?? 1006, event.reason ?? ''));
  return {
    send: (data) => {
      socket.send(data);
      return socket.bufferedAmount <= sendBufferLimit ? undefined : drained(socket);
    },
    pause: () => {},
    resume: () => {},
    close: () => socket.close(1000),
  } satisfies CallSocket;
};

/** Resolves once no more than the limit is buffered, or the socket is no longer open (its close event then ends the call). */
function drained(socket: WhatwgWebSocket): Promise<void> {
  return new Promise((resolve) => {
    const look = (): void => {
      if (socket.readyState !== open || socket.bufferedAmount <= sendBufferLimit) resolve();
      else setTimeout(look, drainPollMs);
    };
    setTimeout(look, drainPollMs);
  });
}
