import type { CompiledEndpoint } from '@marshal/core/internal';
import { type ClientAuth, authorization } from '../auth-headers.js';
import { errorAnswer } from '../error-answer.js';
import { TransportError } from '../transport-error.js';
import { IdleTimer } from '../transport/idle-timer.js';
import { uploadSourceError } from '../transport/upload-chunks.js';
import { type CallInput, inputFrames } from './input-frames.js';
import { nextTurn } from './next-turn.js';
import { OutputReader } from './output-frames.js';
import type { CallSocket, WebSocketConnector } from './socket.js';

/** A run of this many frames sent without waiting is followed by a turn of the event loop (see nextTurn). */
const framesPerTurn = 64;
/** Past this many values received and not yet read, the connection stops reading from the network… */
const queueHighWater = 64;
/** …until the caller has read down to this many. */
const queueLowWater = 16;

/** Where and how one call connects. */
export interface CallTarget {
  readonly connector: WebSocketConnector;
  /** `ws://host:port/base/service/endpoint/…?…` */
  readonly url: string;
  /** `ws://host:port`, for messages. */
  readonly origin: string;
  /** `WebSocket /base/service/endpoint/…`: which call failed, in errors. */
  readonly label: string;
  /** The handshake's headers (lower-case names). */
  readonly headers: Readonly<Record<string, string>>;
  /** Time allowed without progress (the handshake, a frame received or sent, a value read by the caller), in ms. */
  readonly timeoutMs: number;
  /** Asked for a token before the handshake, unless the call's headers have an authorization. */
  readonly auth: ClientAuth | undefined;
  readonly signal: AbortSignal | undefined;
  readonly onUploadProgress: ((sentBytes: number) => void) | undefined;
}

interface Waiting {
  resolve(step: IteratorResult<unknown>): void;
  reject(error: Error): void;
}

/**
 * One call over its own WebSocket connection: its input is sent frame by frame while its output
 * is read (full duplex), and `next()` gives the output's values in order, then its end or its
 * failure. Values received and not yet read wait in a queue; past `queueHighWater` of them the
 * connection stops reading from the network, so the server (and its implementation) slow down
 * with the caller.
 *
 * The call is over when its result is complete, when it fails (an error frame, a close before
 * the result, a broken connection, an abort, the timeout, an input that fails), or when the
 * caller leaves (`leave()`); then the input stops at once and the connection is closed with 1000.
 */
export class WebSocketCall {
  readonly #endpoint: CompiledEndpoint;
  readonly #input: CallInput;
  readonly #target: CallTarget;
  readonly #output: OutputReader;
  #socket: CallSocket | undefined;
  #opened = false;
  #over = false;
  #failure: Error | undefined;
  readonly #queue: unknown[] = [];
  #paused = false;
  #waiting: Waiting | undefined;
  /** Fires when the call is over: an input source still being read is given up and stopped. */
  readonly #inputStop = new AbortController();
  readonly #timeout = new AbortController();
  #timer: IdleTimer | undefined;
  readonly #onAbort = (): void => this.#fail(abortError(this.#target));

  constructor(endpoint: CompiledEndpoint, input: CallInput, target: CallTarget) {
    this.#endpoint = endpoint;
    this.#input = input;
    this.#target = target;
    this.#output = new OutputReader(endpoint, target.label, {
      item: (value) => this.#deliver(value),
      complete: () => this.#end(),
      fail: (error) => this.#fail(error),
    });
  }

  /** Connects (once the token provider, if any, has given a token); the input is sent once the handshake succeeds. */
  start(): void {
    const target = this.#target;
    const signal = target.signal;
    if (signal?.aborted) return this.#onAbort();
    signal?.addEventListener('abort', this.#onAbort, { once: true });
    this.#timer = new IdleTimer(target.timeoutMs, this.#timeout);
    this.#timeout.signal.addEventListener('abort', () => {
      const reason = this.#timeout.signal.reason as Error;
      this.#fail(new TransportError(target.label, this.#opened ? `${reason.message} (the WebSocket call's timeout)` : `no answer from ${target.origin}: ${reason.message}`, reason));
    });
    const { auth, headers } = target;
    if (auth === undefined || headers.authorization !== undefined) return this.#connect(headers);
    authorization(auth).then(
      (value) => this.#connect({ ...headers, authorization: value }),
      (error: Error) => this.#fail(new TransportError(target.label, `no answer from ${target.origin}: ${error.message}`, error)),
    );
  }

  #connect(headers: Readonly<Record<string, string>>): void {
    // Aborted, or timed out, while the token provider was asked.
    if (this.#over) return;
    const target = this.#target;
    try {
      this.#socket = target.connector(
        { url: target.url, headers },
        {
          open: () => this.#open(),
          message: (data) => {
            if (this.#over) return;
            this.#timer!.touch();
            this.#output.read(data);
          },
          refused: (status, body) => this.#fail(errorAnswer(target.label, status, body)),
          error: (error) => this.#fail(this.#connectionFailure(error)),
          close: (code, reason) => this.#fail(this.#closedEarly(code, reason)),
        },
      );
    } catch (error) {
      this.#fail(new TransportError(target.label, `no answer from ${target.origin}: ${(error as Error)?.message ?? String(error)}`, error));
    }
  }

  /** The output's next value, its end (`done`), or its failure. */
  next(): Promise<IteratorResult<unknown>> {
    // A read is progress too: a caller slower than the server has the connection paused, not stalled.
    this.#timer?.touch();
    if (this.#queue.length > 0) {
      const value = this.#queue.shift();
      if (this.#paused && this.#queue.length <= queueLowWater) {
        this.#paused = false;
        this.#socket?.resume();
      }
      return Promise.resolve({ done: false, value });
    }
    if (this.#failure !== undefined) return Promise.reject(this.#failure);
    if (this.#over) return Promise.resolve({ done: true, value: undefined });
    return new Promise((resolve, reject) => {
      this.#waiting = { resolve, reject };
    });
  }

  /** The caller is done with the call (it read the end, or left the loop early): stop it if it is not over. */
  leave(): void {
    this.#end();
    this.#queue.length = 0;
  }

  #open(): void {
    if (this.#over) return;
    this.#opened = true;
    this.#timer!.touch();
    void this.#sendInput();
  }

  /** Sends the input, frame by frame, each once the socket has room; stops as soon as the call is over. */
  async #sendInput(): Promise<void> {
    const socket = this.#socket!;
    const progress = this.#target.onUploadProgress;
    let sent = 0;
    let sentThisTurn = 0;
    try {
      for await (const frame of inputFrames(this.#endpoint, this.#input, this.#inputStop.signal)) {
        const drained = socket.send(frame);
        if (drained !== undefined) {
          await drained;
          sentThisTurn = 0;
        } else if (++sentThisTurn === framesPerTurn) {
          await nextTurn();
          sentThisTurn = 0;
        }
        // Over while waiting: not another item is taken from the source.
        if (this.#over) return;
        this.#timer!.touch();
        if (progress !== undefined && typeof frame !== 'string') progress((sent += frame.length));
      }
    } catch (error) {
      if (this.#over) return;
      const source = uploadSourceError(error);
      this.#fail(new TransportError(this.#target.label, `the upload failed: ${source?.message ?? (error as Error)?.message ?? String(error)}`, source?.cause ?? source ?? error));
    }
  }

  #deliver(value: unknown): void {
    const waiting = this.#waiting;
    if (waiting !== undefined) {
      this.#waiting = undefined;
      waiting.resolve({ done: false, value });
      return;
    }
    this.#queue.push(value);
    if (!this.#paused && this.#queue.length > queueHighWater) {
      this.#paused = true;
      this.#socket?.pause();
    }
  }

  #fail(error: Error): void {
    if (this.#over) return;
    this.#failure = error;
    this.#end();
  }

  /** The call is over (complete, unless a failure was set): stop the input, the timer and the connection, and answer a waiting read. */
  #end(): void {
    if (this.#over) return;
    this.#over = true;
    this.#inputStop.abort();
    this.#timer?.stop();
    this.#target.signal?.removeEventListener('abort', this.#onAbort);
    this.#socket?.close();
    const waiting = this.#waiting;
    if (waiting === undefined) return;
    this.#waiting = undefined;
    if (this.#failure !== undefined) waiting.reject(this.#failure);
    else waiting.resolve({ done: true, value: undefined });
  }

  #connectionFailure(error: Error): TransportError {
    const target = this.#target;
    if (!this.#opened) return new TransportError(target.label, `no answer from ${target.origin}: ${error.message}`, error);
    return new TransportError(target.label, `the connection broke before ${this.#awaited()}: ${error.message}`, error);
  }

  #closedEarly(code: number, reason: string): TransportError {
    const target = this.#target;
    const close = `close ${code}${reason ? ` ${reason}` : ''}`;
    if (!this.#opened) return new TransportError(target.label, `no answer from ${target.origin}: the connection closed before the handshake (${close})`);
    return new TransportError(target.label, `the connection closed before ${this.#awaited()} (${close}): the server stopped or failed`);
  }

  /** What the call was waiting for, in messages. */
  #awaited(): string {
    return this.#endpoint.resultForm === 'json' ? 'the result' : "the stream's end";
  }
}

function abortError(target: CallTarget): TransportError {
  const reason = target.signal?.reason as { message?: unknown } | undefined;
  const detail = typeof reason?.message === 'string' && reason.message ? `: ${reason.message}` : '';
  return new TransportError(target.label, `aborted by the caller${detail}`, target.signal?.reason, undefined, 'ABORT_ERR');
}
