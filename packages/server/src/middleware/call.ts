import type { EndpointModel } from '@marshal/core/internal';

/**
 * One call as middleware and implementations see it: which endpoint, who sent it, and how it
 * ends. The transport fills it in; nothing here depends on node's request objects.
 */
export interface Call {
  /** The service's URL name: `my-service`. */
  readonly service: string;
  /** The endpoint's URL name: `select`. */
  readonly endpoint: string;
  /** The endpoint as its contract declares it (class, method, parameters, `access`, `idempotent`). */
  readonly model: EndpointModel;
  readonly transport: 'http' | 'websocket';
  /** The request's headers (the WebSocket handshake's), names in lower case. */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's IP address, as the socket has it (no proxy headers are read). */
  readonly remoteAddress: string | undefined;
  /** Who is calling, as a guard established it; undefined until one does. */
  principal: unknown;
  /** Fires when the client goes away before the call is over, or the call times out. */
  readonly signal: AbortSignal;
  /** `performance.now()` when the call arrived. */
  readonly startedAt: number;
  /** Runs `listener` once the call is over: its answer sent (a streamed one to its end), or failed. */
  onEnd(listener: (end: CallEnd) => void): void;
}

/** How a call ended. */
export interface CallEnd {
  /** The HTTP status answered (200, or the error's); for WebSocket, the status of the error frame, or 200. */
  readonly status: number;
  /** The error code, for a failed call. */
  readonly code: string | undefined;
  readonly durationMs: number;
  /** HTTP: the request body's bytes; WebSocket: the bytes of the messages received. */
  readonly bytesIn: number;
  /** HTTP: bytes written on the connection for the answer, its head included; WebSocket: the bytes of the messages sent. */
  readonly bytesOut: number;
  /** What the call failed with, if it did (an unexpected error, before it became a 500). */
  readonly error: unknown;
}

/**
 * Code that runs around a call: after its headers, before its body is read. It may refuse the
 * call by throwing (a guard: the body is then never read), set `call.principal`, time the call,
 * or map its errors. `next()` reads the arguments, runs the rest of the chain and the
 * implementation, and resolves with the implementation's result (a streamed result's iterable,
 * before its items are sent); what the middleware resolves with is what is answered.
 */
export type Middleware = (call: Call, next: () => Promise<unknown>) => Promise<unknown>;
