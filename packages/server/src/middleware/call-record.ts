import { AsyncLocalStorage } from 'node:async_hooks';
import { MarshalError } from '@marshal/core/internal';
import type { ServedEndpoint } from '../core/served-endpoint.js';
import type { Call, CallEnd } from './call.js';

/** What a transport knows of a call before its arguments: who sent it, and how to learn that they went away. */
export interface CallSource {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string | undefined;
  /** Calls `listener` if the client goes away before the call is over; asked only when someone reads the call's signal. */
  watchClient(listener: () => void): void;
}

const storage = new AsyncLocalStorage<Call>();

/**
 * The call being served, for an implementation (or anything it calls) to read: its headers, its
 * client's address, its principal, its AbortSignal. Undefined outside a call, and for servers
 * built without `callContext: true` (AsyncLocalStorage has a cost on every promise, so it is
 * entered only for servers that ask).
 */
export function currentCall(): Call | undefined {
  return storage.getStore();
}

/** Runs `fn(...args)` with `call` as the current call. */
export function withCall<A extends unknown[], R>(call: Call, fn: (...args: A) => R, ...args: A): R {
  return storage.run(call, fn, ...args);
}

/** A call as the transports make it: built only for endpoints with middleware or a call context. */
export class CallRecord implements Call {
  readonly service: string;
  readonly endpoint: string;
  readonly model: ServedEndpoint['model'];
  readonly transport: 'http' | 'websocket';
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly remoteAddress: string | undefined;
  readonly startedAt = performance.now();
  principal: unknown = undefined;
  readonly #source: CallSource;
  #controller: AbortController | undefined;
  #listeners: ((end: CallEnd) => void)[] | undefined;
  #over = false;

  constructor(endpoint: ServedEndpoint, transport: 'http' | 'websocket', source: CallSource) {
    this.model = endpoint.model;
    this.service = endpoint.model.serviceName;
    this.endpoint = endpoint.model.name;
    this.transport = transport;
    this.headers = source.headers;
    this.remoteAddress = source.remoteAddress;
    this.#source = source;
  }

  get signal(): AbortSignal {
    if (this.#controller === undefined) {
      const controller = (this.#controller = new AbortController());
      if (!this.#over) this.#source.watchClient(() => this.abort());
      else controller.abort();
    }
    return this.#controller.signal;
  }

  /** Fires the signal (the client went away, or the call timed out), if anyone listens; an AbortError unless a reason is given. */
  abort(reason?: unknown): void {
    if (this.#controller !== undefined && !this.#controller.signal.aborted) this.#controller.abort(reason);
  }

  /** A call timeout's error lets the implementation's work go: the signal fires with it. Any other failure leaves it alone. */
  abortOnTimeout(error: unknown): void {
    if (error instanceof MarshalError && error.code === 'MARSHAL_ERR_TIMEOUT') this.abort(error);
  }

  onEnd(listener: (end: CallEnd) => void): void {
    if (this.#over) throw new Error('the call is over');
    (this.#listeners ??= []).push(listener);
  }

  /** The call is over: its listeners learn how it ended; a listener that throws does not stop the others. */
  end(status: number, code: string | undefined, bytesIn: number, bytesOut: number, error: unknown): void {
    if (this.#over) return;
    this.#over = true;
    const listeners = this.#listeners;
    if (listeners === undefined) return;
    const end: CallEnd = { status, code, durationMs: performance.now() - this.startedAt, bytesIn, bytesOut, error };
    for (const listener of listeners) {
      try {
        listener(end);
      } catch {
        // one listener's failure is not the call's
      }
    }
  }
}
