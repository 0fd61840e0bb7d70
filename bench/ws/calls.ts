/**
 * The client side of the calls of wire.ts, on ws directly rather than Marshal's client, so that the
 * client costs the same whichever server it calls. Each call checks every frame it receives
 * against the one section 14 says comes next, and the close code (1000), and rejects with a
 * WrongAnswer otherwise; it resolves once the server has closed the connection.
 */
import { type ClientOptions, WebSocket } from 'ws';
import { patternPieces, sendAll } from './send-all.js';
import { chunkSize, frames, messageLimit, paths, patternChunk, pingText } from './wire.js';

export class WrongAnswer extends Error {}

export interface CallOptions {
  /**
   * Mask the client's frames with random keys, as browsers do. Otherwise the key is zero, and ws
   * skips the XOR on both ends: the client's work stays small, and the servers are compared on
   * what they do beyond unmasking (which is ws's, the same code in both).
   */
  readonly mask: boolean;
  /** Compare every byte of binary frames with the pattern; otherwise they are only counted. */
  readonly checkBytes: boolean;
}

/** What one call sends and expects. */
interface Exchange {
  open(socket: WebSocket): void;
  /** A frame from the server: throws a WrongAnswer unless it is the one expected next. */
  receive(data: Buffer, isBinary: boolean): void;
  /** Whether the server's last frame (end or result) has come. */
  complete(): boolean;
}

const zeroMask = (mask: Buffer) => void mask.fill(0);

function clientOptions({ mask }: CallOptions): ClientOptions {
  return {
    perMessageDeflate: false,
    // Text frames are compared byte for byte with the expected ones, which says more than UTF-8 validity.
    skipUTF8Validation: true,
    maxPayload: 2 * messageLimit,
    ...(mask ? {} : { generateMask: zeroMask }),
  };
}

function call(url: string, path: string, options: CallOptions, exchange: Exchange): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws${url.slice('http'.length)}${path}`, clientOptions(options));
    let failure: Error | undefined;
    socket.on('open', () => exchange.open(socket));
    socket.on('message', (data, isBinary) => {
      if (failure) return;
      try {
        exchange.receive(data as Buffer, isBinary);
      } catch (error) {
        failure = error as Error;
        socket.terminate();
      }
    });
    socket.on('error', (error) => (failure ??= error));
    socket.on('close', (code, reason) => {
      if (failure) reject(failure);
      else if (code !== 1000) reject(new WrongAnswer(`${path}: closed with ${code} ${String(reason)}`));
      else if (!exchange.complete()) reject(new WrongAnswer(`${path}: closed before its last frame`));
      else resolve();
    });
  });
}

const textFrames = new Map<string, Buffer>();
/** The bytes of a text frame, kept: comparing bytes is cheaper for the load generator than decoding. */
function bytesOf(frame: string): Buffer {
  let bytes = textFrames.get(frame);
  if (bytes === undefined) textFrames.set(frame, (bytes = Buffer.from(frame)));
  return bytes;
}

const itemFrames: Buffer[] = [];
function itemFrame(index: number): Buffer {
  while (itemFrames.length <= index) itemFrames.push(Buffer.from(frames.item(itemFrames.length)));
  return itemFrames[index];
}

function expectText(path: string, data: Buffer, isBinary: boolean, expected: Buffer): void {
  if (isBinary || !data.equals(expected)) {
    throw new WrongAnswer(`${path}: expected ${expected.toString()}, got ${isBinary ? `a binary frame of ${data.length} bytes` : data.toString().slice(0, 300)}`);
  }
}

/** Whether `data` is the pattern's bytes from `offset` on, the pattern repeating every 64 KiB. */
function isPattern(data: Buffer, offset: number): boolean {
  for (let at = 0; at < data.length; ) {
    const from = (offset + at) % chunkSize;
    const length = Math.min(data.length - at, chunkSize - from);
    if (!data.subarray(at, at + length).equals(patternChunk.subarray(from, from + length))) return false;
    at += length;
  }
  return true;
}

/**
 * The binary frames of a streamed result, between `{"type":"stream"}` and `{"type":"end"}`: `size`
 * bytes of the pattern in all.
 */
function byteStreamResult(path: string, size: number, options: CallOptions) {
  let stage: 'stream' | 'data' | 'done' = 'stream';
  let received = 0;
  return {
    receive(data: Buffer, isBinary: boolean): void {
      if (stage === 'data' && isBinary) {
        if (options.checkBytes && !isPattern(data, received)) throw new WrongAnswer(`${path}: wrong bytes at ${received}`);
        received += data.length;
        if (received > size) throw new WrongAnswer(`${path}: more than the ${size} bytes expected`);
      } else if (stage === 'stream') {
        expectText(path, data, isBinary, bytesOf(frames.stream));
        stage = 'data';
      } else if (stage === 'data') {
        expectText(path, data, isBinary, bytesOf(frames.end));
        if (received !== size) throw new WrongAnswer(`${path}: expected ${size} bytes, got ${received}`);
        stage = 'done';
      } else {
        throw new WrongAnswer(`${path}: a frame after end`);
      }
    },
    complete: () => stage === 'done',
  };
}

/** Sends the args frame, the stream parameter's announcement, `size` bytes of the pattern, then end. */
function sendByteStream(socket: WebSocket, size: number): void {
  socket.send(frames.args);
  socket.send(frames.streamParameter);
  sendAll(socket, patternPieces(size), () => socket.send(frames.end));
}

/** items: the stream announcement, `count` item frames, end. */
export function items(url: string, count: number, options: CallOptions): Promise<void> {
  const path = paths.items + count;
  let next = -1; // -1: {"type":"stream"}; count: end
  return call(url, path, options, {
    open: (socket) => socket.send(frames.args),
    receive(data, isBinary) {
      if (next > count) throw new WrongAnswer(`${path}: a frame after end`);
      expectText(path, data, isBinary, next < 0 ? bytesOf(frames.stream) : next < count ? itemFrame(next) : bytesOf(frames.end));
      next++;
    },
    complete: () => next > count,
  });
}

export function download(url: string, size: number, options: CallOptions): Promise<void> {
  const path = paths.download + size;
  return call(url, path, options, { open: (socket) => socket.send(frames.args), ...byteStreamResult(path, size, options) });
}

export function upload(url: string, size: number, options: CallOptions): Promise<void> {
  let answered = false;
  return call(url, paths.upload, options, {
    open: (socket) => sendByteStream(socket, size),
    receive(data, isBinary) {
      if (answered) throw new WrongAnswer(`${paths.upload}: a frame after the result`);
      expectText(paths.upload, data, isBinary, bytesOf(frames.result(size)));
      answered = true;
    },
    complete: () => answered,
  });
}

export function ping(url: string, options: CallOptions): Promise<void> {
  let answered = false;
  return call(url, paths.ping, options, {
    open: (socket) => socket.send(bytesOf(frames.pingArgs(pingText)), { binary: false }),
    receive(data, isBinary) {
      if (answered) throw new WrongAnswer(`${paths.ping}: a frame after the result`);
      expectText(paths.ping, data, isBinary, bytesOf(frames.result(pingText)));
      answered = true;
    },
    complete: () => answered,
  });
}

/** Streams `size` bytes in while reading them back out: the answer must carry exactly what was sent. */
export function echo(url: string, size: number, options: CallOptions): Promise<void> {
  return call(url, paths.echo, options, { open: (socket) => sendByteStream(socket, size), ...byteStreamResult(paths.echo, size, options) });
}
