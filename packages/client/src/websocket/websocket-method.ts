import type { CompiledEndpoint } from '@marshal/core/internal';
import type { ClientAuth } from '../auth-headers.js';
import type { CallOptions } from '../create-client.js';
import { encodeUrl } from '../encode-call.js';
import { callInput } from './input-frames.js';
import type { WebSocketConnector } from './socket.js';
import { type CallTarget, WebSocketCall } from './websocket-call.js';

/** What the WebSocket calls of one client read from it. */
export interface WebSocketLink {
  /** The base URL's `http(s)://host:port`: calls go to `ws(s)://host:port`. */
  readonly origin: string;
  readonly basePath: string;
  /** The client's headers with lower-case names, sent on every handshake. */
  readonly lowerCaseHeaders: Readonly<Record<string, string>>;
  readonly webSocket: WebSocketConnector;
  /** The client's `timeoutMs`, if it has one. */
  readonly timeoutMs: number | undefined;
  /** The client's token provider: each handshake carries a token just asked for. */
  readonly auth: ClientAuth | undefined;
}

/** As for HTTP calls: the time a call may go without progress. */
const defaultTimeoutMs = 300_000;

/**
 * A `@websocket` endpoint's method, each call over a connection of its own (docs/protocol.md 14):
 * a promise of the decoded result for a JSON result, of a Uint8Array for `Bytes`; an async
 * iterable of the decoded items for `stream(…)`, whose connection opens when the iteration
 * starts. Arguments are checked when the method is called, as for HTTP calls.
 */
export function webSocketMethod(link: WebSocketLink, endpoint: CompiledEndpoint, options: CallOptions): (...args: unknown[]) => unknown {
  const name = endpoint.model.methodName;
  const form = endpoint.resultForm;
  // Named methods, so stack traces read IMyService.transcribe.
  if (form === 'json' || form === 'bytes') return { [name]: (...args: unknown[]) => wholeResult(link, endpoint, args, options) }[name];
  return { [name]: (...args: unknown[]) => streamedResult(new WebSocketCall(endpoint, callInput(endpoint, args), callTarget(link, endpoint, args, options))) }[name];
}

async function wholeResult(link: WebSocketLink, endpoint: CompiledEndpoint, args: readonly unknown[], options: CallOptions): Promise<unknown> {
  const call = new WebSocketCall(endpoint, callInput(endpoint, args), callTarget(link, endpoint, args, options));
  call.start();
  try {
    return (await call.next()).value;
  } finally {
    call.leave();
  }
}

/** The items as they arrive; leaving the loop early closes the connection, and the server stops the call. */
async function* streamedResult(call: WebSocketCall): AsyncGenerator<unknown> {
  call.start();
  try {
    for (;;) {
      const step = await call.next();
      if (step.done) return;
      yield step.value;
    }
  } finally {
    call.leave();
  }
}

function callTarget(link: WebSocketLink, endpoint: CompiledEndpoint, args: readonly unknown[], options: CallOptions): CallTarget {
  const path = link.basePath + encodeUrl(endpoint, args);
  const origin = link.origin.replace(/^http/, 'ws');
  let headers = link.lowerCaseHeaders;
  if (options.headers !== undefined) {
    const merged: Record<string, string> = { ...headers };
    for (const name of Object.keys(options.headers)) merged[name.toLowerCase()] = options.headers[name];
    headers = merged;
  }
  return {
    connector: link.webSocket,
    url: origin + path,
    origin,
    label: `WebSocket ${path}`,
    headers,
    timeoutMs: options.timeoutMs ?? link.timeoutMs ?? defaultTimeoutMs,
    auth: link.auth,
    signal: options.signal,
    onUploadProgress: options.onUploadProgress,
  };
}
