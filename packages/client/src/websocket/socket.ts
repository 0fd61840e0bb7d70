/**
 * What a WebSocket call needs of a WebSocket implementation: `ws` in Node, the WHATWG
 * `WebSocket` in browsers, workers, Deno and Bun. The call knows nothing else of either.
 */

/** What happens on one connection, reported to the call that opened it. Each is heard at most once, but `message`. */
export interface SocketListener {
  /** The handshake succeeded. */
  open(): void;
  /** A text frame (as a string) or a binary frame (as bytes). */
  message(data: string | Uint8Array): void;
  /** The server answered the handshake with an HTTP status instead of 101 (where the implementation can tell): its status and body text. */
  refused(status: number, body: string): void;
  /** The connection failed: no connection, a broken one, a handshake that was not WebSocket's. */
  error(error: Error): void;
  /** The connection is closed, however it ended (after `error` too). */
  close(code: number, reason: string): void;
}

/** One open (or opening) WebSocket connection. */
export interface CallSocket {
  /**
   * Sends a text frame (a string) or a binary frame (bytes). Returns undefined while little is
   * buffered: the caller may send again at once. While more than `sendBufferLimit` bytes wait to
   * be written, a promise that resolves once they have drained or the connection has closed (it
   * never rejects), so that an upload goes no faster than the network takes it.
   */
  send(data: string | Uint8Array): Promise<void> | undefined;
  /** Stops reading from the network (the server then stops sending: TCP's flow control), where the implementation can. */
  pause(): void;
  resume(): void;
  /**
   * Closes with 1000 (a normal closure, the one code every implementation may send): the
   * server stops the call. A socket still connecting is abandoned; a closed one is left alone.
   */
  close(): void;
}

/** What a connection is opened with. */
export interface SocketRequest {
  /** `ws://` or `wss://`, path and query. */
  readonly url: string;
  /** Headers for the handshake (lower-case names); empty when there are none to send. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Opens connections: `nodeWebSocket` (the `ws` package) or `globalWebSocket` (the runtime's WebSocket). */
export type WebSocketConnector = (request: SocketRequest, listener: SocketListener) => CallSocket;

/** While more than this many bytes wait to be written, a call sends no more frames. */
export const sendBufferLimit = 1024 * 1024;
