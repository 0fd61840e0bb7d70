import { MarshalError, type ParamModel } from '@marshal/core/internal';
import { SerializationError } from '@marshal/serialization/internal';
import { decodeJsonArgs, isDecodingFailure } from '../core/decode-args.js';
import { encodeBytesResult, encodeResult } from '../core/encode-result.js';
import { type ErrorOptions, errorResponse } from '../core/error-response.js';
import { type Outcome, invoke } from '../core/invoke.js';
import { badParameter, issueAt, missingParameter } from '../core/parameter-problem.js';
import { requestProblems } from '../core/request-problems.js';
import type { ServedEndpoint } from '../core/served-endpoint.js';
import { itemBytes, itemJson, itemsOf } from '../core/streamed-result.js';
import { type ClientFrame, closeCodeOf, endFrame, errorFrame, frameName, itemFrame, outOfOrder, readClientFrame, resultFrame, streamFrame } from './frames.js';
import { type Flow, InputStream } from './input-stream.js';
import { type CallRecord, withCall } from '../middleware/call-record.js';
import type { PendingOutcome } from '../middleware/chain.js';
import type { AcceptedHandshake } from './handshake.js';

/** The socket of one call, as the call uses it; `ws`'s WebSocket has this shape. */
export interface CallSocket {
  send(data: string | Uint8Array, callback: (error?: Error) => void): void;
  /** Bytes queued for sending and not yet handed to the OS. */
  readonly bufferedAmount: number;
  /** 1 while open (the WebSocket API's OPEN). */
  readonly readyState: number;
  pause(): void;
  resume(): void;
  close(code: number, reason: string): void;
}

/** The connection under the socket, whose writes can be held back and sent as one (a net.Socket). */
export interface Wire {
  cork(): void;
  uncork(): void;
}

/** What every WebSocket call of a server shares. */
export interface WebSocketOptions extends ErrorOptions {
  /** Largest message (text or binary frame) read, in bytes. */
  readonly messageLimit: number;
  /** Largest file (a `Bytes` parameter, all its frames), in bytes. */
  readonly fileLimit: number;
  /** How long the call waits for a frame it needs (args, a file's data, the stream's), in ms; 0 for ever. */
  readonly idleTimeoutMs: number;
}

/** Past this many bytes queued on the socket, the next frame waits until the queue has been written. */
const sendHighWater = 512 * 1024;
/** A `Bytes` result goes out in frames of this size. */
const bytesFrameSize = 64 * 1024;

type Phase = 'args' | 'files' | 'file' | 'stream-header' | 'stream' | 'input-done';

const ignoreSent = (): void => {};
/** Frames sent in a row before the event loop gets a turn. */
const framesPerTurn = 64;
const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
const open = 1;

/**
 * One call over one WebSocket connection (docs/protocol.md, section 14): frames in (args, files,
 * the stream) → the implementation's arguments; its outcome → frames out (a result, or a stream
 * of items), and a close. The implementation is called once the args and files are in, and its
 * output is sent while the stream parameter still arrives: both directions at once, each with
 * backpressure. Any failure is one error frame and a close.
 */
export class WebSocketCall implements Outcome, Flow {
  readonly #options: WebSocketOptions;
  readonly #socket: CallSocket;
  readonly #endpoint: ServedEndpoint;
  readonly #args: unknown[];
  readonly #segments: readonly string[];
  readonly #query: string;
  readonly #done: () => void;
  #phase: Phase = 'args';
  /** Files not received yet, by name; the file whose data is arriving, and its chunks. */
  #filesLeft: Map<string, ParamModel> | undefined;
  #file: ParamModel | undefined;
  #fileChunks: Buffer[] = [];
  #fileSize = 0;
  #input: InputStream | undefined;
  #itemsIn = 0;
  /** Set once the outcome is decided (a result, a stream started, an error): later outcomes are dropped. */
  #over = false;
  /** Set once the last frame is sent and the close begun. */
  #finished = false;
  /** Set once the connection is closed, by either side. */
  #gone = false;
  #idle: NodeJS.Timeout | undefined;
  /** The call as middleware see it, for endpoints with middleware or a call context. */
  readonly #call: CallRecord | undefined;
  #next: PendingOutcome | undefined;
  #bytesIn = 0;
  #bytesOut = 0;
  #status = 200;
  #code: string | undefined;
  #failure: unknown;
  readonly #wire: Wire | undefined;
  /** Set while frames are being held back to go out together at the end of this turn of the event loop. */
  #corked = false;

  /** `handshake`: the endpoint, and the arguments its URL carried. */
  constructor(
    options: WebSocketOptions,
    socket: CallSocket,
    handshake: AcceptedHandshake,
    done: () => void,
    call?: CallRecord,
    next?: PendingOutcome,
    wire?: Wire,
  ) {
    this.#wire = wire;
    this.#call = call;
    this.#next = next;
    this.#options = options;
    this.#socket = socket;
    this.#endpoint = handshake.endpoint;
    this.#args = handshake.args;
    this.#segments = handshake.segments;
    this.#query = handshake.query;
    this.#done = done;
    if (options.idleTimeoutMs > 0) {
      this.#idle = setTimeout(() => this.#idleTimeout(), options.idleTimeoutMs);
      this.#idle.unref();
    }
  }

  /** One message from the client. */
  receive(data: Buffer, isBinary: boolean): void {
    if (this.#finished) return;
    this.#idle?.refresh();
    this.#bytesIn += data.length;
    try {
      if (data.length > this.#options.messageLimit) {
        throw new MarshalError('MARSHAL_ERR_MESSAGE_TOO_LARGE', `a WebSocket message of ${data.length} bytes is larger than the ${this.#options.messageLimit} this server takes`);
      }
      if (isBinary) this.#receiveBinary(data);
      else this.#receiveFrame(readClientFrame(data));
    } catch (error) {
      this.#refuseInput(error);
    }
  }

  /** The connection is closed, by either side: whatever is still running is stopped. */
  closed(): void {
    if (this.#gone) return;
    this.#gone = true;
    this.#over = true;
    this.#stopIdleTimer();
    this.#input?.fail(new Error('the client closed the connection'));
    const call = this.#call;
    if (call !== undefined) {
      if (!this.#finished) {
        // 499: the status proxies log for a client that closed first.
        this.#status = 499;
        call.abort();
      }
      call.end(this.#status, this.#code, this.#bytesIn, this.#bytesOut, this.#failure);
    }
    this.#done();
  }

  /** The server is stopping and the call's grace period is over. */
  goAway(): void {
    this.#fail(new MarshalError('MARSHAL_ERR_UNAVAILABLE', 'the server is shutting down'));
  }

  pause(): void {
    this.#socket.pause();
    this.#stopIdleTimer();
  }

  resume(): void {
    this.#socket.resume();
    if (this.#phase !== 'input-done' && this.#idle !== undefined) this.#idle.refresh();
  }

  #receiveBinary(data: Buffer): void {
    if (this.#phase === 'file') {
      this.#fileSize += data.length;
      if (this.#fileSize > this.#options.fileLimit) {
        throw new MarshalError('MARSHAL_ERR_BODY_TOO_LARGE', `file '${this.#file!.name}' is larger than the ${this.#options.fileLimit} bytes this server takes`, { parameter: this.#file!.name });
      }
      this.#fileChunks.push(data);
    } else if (this.#phase === 'stream' && this.#endpoint.streamItem === undefined) {
      this.#input!.push(data);
    } else {
      throw outOfOrder(this.#expected(), 'a binary frame');
    }
  }

  #receiveFrame(frame: ClientFrame): void {
    switch (this.#phase) {
      case 'args':
        if (frame.type !== 'args') throw outOfOrder(this.#expected(), frameName(frame.type));
        return this.#readArgs(frame.json);
      case 'files':
        if (frame.type === 'file') return this.#startFile(frame.name, frame.absent);
        if (frame.type === 'stream' && this.#endpoint.streamParam !== undefined) {
          this.#endFiles();
          return this.#receiveFrame(frame);
        }
        throw outOfOrder(this.#expected(), frameName(frame.type));
      case 'file':
        if (frame.type !== 'file_end') throw outOfOrder(this.#expected(), frameName(frame.type));
        return this.#endFile();
      case 'stream-header': {
        const name = this.#endpoint.streamParam!.name;
        if (frame.type !== 'stream') throw outOfOrder(this.#expected(), frameName(frame.type));
        if (frame.name !== undefined && frame.name !== name) throw outOfOrder(`the stream '${name}'`, `a stream named ${JSON.stringify(String(frame.name).slice(0, 64))}`);
        this.#phase = 'stream';
        return;
      }
      case 'stream':
        if (frame.type === 'end') {
          this.#phase = 'input-done';
          this.#stopIdleTimer();
          return this.#input!.end();
        }
        if (frame.type === 'item' && this.#endpoint.streamItem !== undefined) return this.#input!.push(this.#decodeItem(frame.value));
        throw outOfOrder(this.#expected(), frameName(frame.type));
      case 'input-done':
        // A single result may be sent before the client's input ends: what it still sends is not wanted.
        if (this.#over) return;
        throw outOfOrder('nothing after end', frameName(frame.type));
    }
  }

  #readArgs(json: unknown): void {
    if (json === undefined) json = {};
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', 'the args frame\'s "json" must be a JSON object of the parameters');
    }
    const body = json as Record<string, unknown>;
    try {
      decodeJsonArgs(this.#endpoint, body, this.#args);
    } catch (error) {
      if (!isDecodingFailure(error)) throw error;
      throw requestProblems(this.#endpoint, this.#segments, this.#query, body) ?? error;
    }
    const files = this.#endpoint.fileParams;
    if (files.length === 0) return this.#start();
    this.#filesLeft = new Map(files.map((param) => [param.name, param]));
    this.#phase = 'files';
  }

  #startFile(name: unknown, absent: unknown): void {
    const param = typeof name === 'string' ? this.#filesLeft!.get(name) : undefined;
    if (param === undefined) {
      const which = typeof name === 'string' ? `'${name.slice(0, 64)}'` : 'without a name';
      throw outOfOrder(this.#expected(), `a file ${which}`);
    }
    this.#filesLeft!.delete(param.name);
    if (absent === true) {
      if (!param.optional) throw missing(param);
      return this.#afterFile();
    }
    this.#file = param;
    this.#phase = 'file';
  }

  #endFile(): void {
    const param = this.#file!;
    this.#args[param.index] = this.#fileChunks.length === 1 ? this.#fileChunks[0] : Buffer.concat(this.#fileChunks, this.#fileSize);
    this.#file = undefined;
    this.#fileChunks = [];
    this.#fileSize = 0;
    this.#afterFile();
  }

  #afterFile(): void {
    if (this.#filesLeft!.size > 0) this.#phase = 'files';
    else this.#start();
  }

  /** The stream header came before every file: the optional ones left out are absent, a required one is missing. */
  #endFiles(): void {
    for (const param of this.#filesLeft!.values()) if (!param.optional) throw missing(param);
    this.#filesLeft!.clear();
    this.#start();
  }

  /** The arguments are in: the implementation is called, with its stream parameter still arriving. */
  #start(): void {
    const stream = this.#endpoint.streamParam;
    if (stream === undefined) {
      this.#phase = 'input-done';
      this.#stopIdleTimer();
    } else {
      this.#input = new InputStream(this);
      this.#args[stream.index] = this.#input;
      this.#phase = 'stream-header';
    }
    if (this.#call !== undefined && this.#endpoint.callContext) withCall(this.#call, invoke, this.#endpoint, this.#args, this);
    else invoke(this.#endpoint, this.#args, this);
  }

  #decodeItem(value: unknown): unknown {
    const index = this.#itemsIn++;
    try {
      return this.#endpoint.streamItem!.decode(value);
    } catch (error) {
      if (!(error instanceof SerializationError)) throw error;
      const name = this.#endpoint.streamParam!.name;
      const problem = badParameter(name, [issueAt([name, index, ...error.path], { message: error.problem, expected: error.expected, received: error.received })]);
      throw new MarshalError(problem.code, problem.message, { parameter: name, issues: problem.issues });
    }
  }

  #expected(): string {
    switch (this.#phase) {
      case 'args':
        return 'an args frame first';
      case 'files':
        return `a file frame for ${[...this.#filesLeft!.keys()].join(', ')}`;
      case 'file':
        return `the data of file '${this.#file!.name}', then file_end`;
      case 'stream-header':
        return `a stream frame for '${this.#endpoint.streamParam!.name}'`;
      case 'stream':
        return this.#endpoint.streamItem === undefined ? 'binary frames of the stream, then end' : 'item frames of the stream, then end';
      case 'input-done':
        return 'nothing after end';
    }
  }

  /** The implementation's result, or a failure on the way to it: to the middleware waiting on `next()`, or answered. */
  result(value: unknown): void {
    const next = this.#next;
    if (next === undefined) return this.answer(value);
    this.#next = undefined;
    next.resolve(value);
  }

  error(error: unknown): void {
    const next = this.#next;
    if (next === undefined) return this.answerError(error);
    this.#next = undefined;
    this.#call?.abortOnTimeout(error);
    next.reject(error);
  }

  /** Sends the result: a result frame, or a stream of items. */
  answer(value: unknown): void {
    if (this.#over) return;
    const endpoint = this.#endpoint;
    try {
      switch (endpoint.resultForm) {
        case 'json':
          return this.#finish(resultFrame(encodeResult(endpoint, value)), 1000, '');
        case 'bytes': {
          const bytes = encodeBytesResult(endpoint, value);
          this.#over = true;
          this.#socket.send(streamFrame, ignoreSent);
          void this.#sendItems(bytesFrames(bytes));
          return;
        }
        default: {
          const items = itemsOf(endpoint, value);
          this.#over = true;
          this.#socket.send(streamFrame, ignoreSent);
          void this.#sendItems(items);
        }
      }
    } catch (error) {
      this.error(error);
    }
  }

  answerError(error: unknown): void {
    if (!this.#over) this.#fail(error);
  }

  /** The client's input is at fault: the call fails even if its output has begun; middleware waiting on `next()` see it first. */
  #refuseInput(error: unknown): void {
    if (this.#next !== undefined) this.error(error);
    else this.#fail(error);
  }

  /** One error frame and a close, unless the call is over already. */
  #fail(error: unknown): void {
    // An implementation that fails because its client went away is not at fault: nothing is logged.
    if (this.#finished || this.#gone) return;
    const response = errorResponse(error, this.#options);
    this.#status = response.status;
    this.#code = response.body.code;
    this.#failure = error;
    this.#finish(errorFrame(response), closeCodeOf(response), response.body.code);
  }

  /**
   * The items of a streamed result, each sent once the socket has room. When the connection is
   * gone or the call fails, the implementation's iterator is stopped, so its `finally` runs.
   */
  async #sendItems(items: AsyncIterator<unknown> | Iterator<unknown>): Promise<void> {
    const endpoint = this.#endpoint;
    const binary = endpoint.resultForm === 'byte-stream' || endpoint.resultForm === 'bytes';
    let step: IteratorResult<unknown> | undefined;
    let unyielding = 0;
    try {
      for (;;) {
        step = await items.next();
        // A socket that is closing takes sends without waiting (it fails them): stop at once, or this loop would never yield.
        if (step.done || this.#finished || this.#gone || this.#socket.readyState !== open) break;
        const frame = binary ? itemBytes(endpoint, step.value) : itemFrame(itemJson(endpoint, step.value));
        this.#bytesOut += frame.length;
        if (this.#socket.bufferedAmount >= sendHighWater) {
          await this.#sent(frame);
          unyielding = 0;
        } else {
          // Small frames gain from going out together; a chunk of bytes is a write's worth on its own.
          if (!binary) this.#batch();
          this.#socket.send(frame, ignoreSent);
          // Writes the OS takes at once never fill the queue: without a turn now and then, a close from the client would not be read.
          if (++unyielding === framesPerTurn) {
            await nextTurn();
            unyielding = 0;
          }
        }
      }
    } catch (error) {
      this.#fail(error);
    } finally {
      if (step === undefined || !step.done) {
        try {
          await items.return?.();
        } catch {
          // its own failure while stopping: the call is over either way
        }
      }
    }
    if (step?.done && !this.#finished && !this.#gone) this.#finish(endFrame, 1000, '');
  }

  /**
   * Item frames that come in one turn of the event loop go out in one write rather than a write each:
   * the connection is corked until the turn ends, so an item that waits for I/O is not held back.
   */
  #batch(): void {
    const wire = this.#wire;
    if (this.#corked || wire === undefined) return;
    this.#corked = true;
    wire.cork();
    setImmediate(() => {
      this.#corked = false;
      wire.uncork();
    });
  }

  /** Sends a frame and waits until it is written, so that a slow reader holds the implementation back. */
  #sent(frame: string | Uint8Array): Promise<void> {
    return new Promise((resolve) => this.#socket.send(frame, () => resolve()));
  }

  /** The last frame, then the close; the input stream, if still arriving, is no longer read. */
  #finish(frame: string, code: number, reason: string): void {
    this.#over = true;
    this.#finished = true;
    this.#stopIdleTimer();
    this.#input?.fail(new MarshalError('MARSHAL_ERR_PROTOCOL', 'the call is over'));
    this.#bytesOut += frame.length;
    this.#socket.send(frame, ignoreSent);
    this.#socket.close(code, reason);
  }

  #idleTimeout(): void {
    if (this.#phase === 'input-done' || this.#finished) return;
    this.#refuseInput(new MarshalError('MARSHAL_ERR_REQUEST_TIMEOUT', `no frame arrived for ${this.#options.idleTimeoutMs} ms; expected ${this.#expected()}`));
  }

  #stopIdleTimer(): void {
    if (this.#idle !== undefined) {
      clearTimeout(this.#idle);
      this.#idle = undefined;
    }
  }
}

function missing(param: ParamModel): MarshalError {
  const problem = missingParameter(param.name, 'as a file frame');
  return new MarshalError(problem.code, problem.message, { parameter: param.name, issues: problem.issues });
}

/** A `Bytes` result in frames of bytesFrameSize, as views of it. */
function* bytesFrames(bytes: Uint8Array): Generator<Uint8Array> {
  for (let start = 0; start < bytes.length; start += bytesFrameSize) yield bytes.subarray(start, start + bytesFrameSize);
}
