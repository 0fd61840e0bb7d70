/**
 * The five calls of wire.ts written by hand on ws, the peer Marshal is measured against: a
 * `WebSocketServer({ noServer: true })` on a node:http server, as Marshal's is, the same frames on
 * the wire, and what a careful hand-written server does besides, no more:
 *
 * - the handshake is routed by comparing the URL with the known paths (404 otherwise);
 * - every text frame is `JSON.parse`d and its `type` checked, in the order section 14 gives; a
 *   frame out of place gets an error frame and close 1008;
 * - results are `JSON.stringify`d whole (`{"type":"item","value":{…}}`);
 * - it never queues without bound: a sender stops at wire.ts's highWaterMark and goes on when its
 *   last frame has been written, and echo stops reading (`pause()`) while its answers wait.
 *
 * With `--marshal-loaded` the process first loads @marshal/server and builds (never starts) a
 * Server for the same contract: the same handlers in a process that carries what Marshal's does,
 * to tell costs of the process (heap size, garbage collection) from costs of Marshal's calls.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type RawData, WebSocket, WebSocketServer } from 'ws';
import { patternPieces, sendAll } from './send-all.js';
import { announce, frames, highWaterMark, messageLimit, paths, streamName } from './wire.js';

if (process.argv.includes('--marshal-loaded')) {
  const [{ Server }, { WsBench }] = await Promise.all([import('@marshal/server'), import('./contract.js')]);
  new Server({ services: [new WsBench()], port: 0 });
}

type Call = (socket: WebSocket) => void;

/** A text frame as JSON, or undefined for a binary frame or text that is not a JSON object. */
function parseFrame(data: RawData, isBinary: boolean): Record<string, unknown> | undefined {
  if (isBinary) return undefined;
  try {
    const frame: unknown = JSON.parse(String(data));
    return typeof frame === 'object' && frame !== null && !Array.isArray(frame) ? (frame as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The JSON parameters of an args frame, or undefined when the frame is not one. */
function argsOf(frame: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (frame?.type !== 'args') return undefined;
  const { json = {} } = frame;
  return typeof json === 'object' && json !== null && !Array.isArray(json) ? (json as Record<string, unknown>) : undefined;
}

const isEmpty = (json: Record<string, unknown>) => {
  for (const _ in json) return false;
  return true;
};

function refuse(socket: WebSocket, message: string): void {
  if (socket.readyState !== WebSocket.OPEN) return;
  socket.send(JSON.stringify({ type: 'error', status: 400, code: 'MARSHAL_ERR_PROTOCOL', message }));
  socket.close(1008, 'MARSHAL_ERR_PROTOCOL');
}

function finish(socket: WebSocket, frame: string): void {
  socket.send(frame);
  socket.close(1000);
}

/** A call whose client sends its args frame and nothing else; `start` gets the JSON parameters. */
function argsOnly(start: (socket: WebSocket, json: Record<string, unknown>) => void): Call {
  return (socket) => {
    let started = false;
    socket.on('message', (data, isBinary) => {
      const json = started ? undefined : argsOf(parseFrame(data, isBinary));
      if (json === undefined) return refuse(socket, started ? 'no frame may follow args' : 'expected the args frame');
      started = true;
      start(socket, json);
    });
  };
}

const items = (count: number): Call =>
  argsOnly((socket, json) => {
    if (!isEmpty(json)) return refuse(socket, 'items takes no JSON parameters');
    socket.send(frames.stream);
    let index = 0;
    sendAll(socket, () => (index < count ? frames.item(index++) : undefined), () => finish(socket, frames.end));
  });

const download = (size: number): Call =>
  argsOnly((socket, json) => {
    if (!isEmpty(json)) return refuse(socket, 'download takes no JSON parameters');
    socket.send(frames.stream);
    sendAll(socket, patternPieces(size), () => finish(socket, frames.end));
  });

const ping: Call = argsOnly((socket, json) => {
  const { text, ...rest } = json;
  if (typeof text !== 'string' || !isEmpty(rest)) return refuse(socket, 'ping takes one string, text');
  finish(socket, frames.result(text));
});

/**
 * A call with a stream(Bytes) parameter and no JSON ones: args, the stream's announcement, binary
 * frames, end. `onArgs` runs once args has come, `onChunk` for each binary frame, `onEnd` at end.
 */
function byteStream(handlers: { onArgs?(): void; onChunk(chunk: Buffer): void; onEnd(): void }): Call {
  return (socket) => {
    let state: 'args' | 'stream' | 'data' | 'done' = 'args';
    socket.on('message', (data, isBinary) => {
      if (state === 'data' && isBinary) return handlers.onChunk(data as Buffer);
      const frame = parseFrame(data, isBinary);
      if (state === 'data' && frame?.type === 'end') {
        state = 'done';
        handlers.onEnd();
      } else if (state === 'args' && isEmpty(argsOf(frame) ?? { not: 'args' })) {
        state = 'stream';
        handlers.onArgs?.();
      } else if (state === 'stream' && frame?.type === 'stream' && frame.name === streamName) {
        state = 'data';
      } else {
        refuse(socket, `a frame out of place (the call was at ${state})`);
        state = 'done';
      }
    });
  };
}

const upload: Call = (socket) => {
  let count = 0;
  byteStream({
    onChunk: (chunk) => (count += chunk.length),
    onEnd: () => finish(socket, frames.result(count)),
  })(socket);
};

const echo: Call = (socket) => {
  const resume = (error?: Error) => error || socket.resume();
  byteStream({
    onArgs: () => socket.send(frames.stream),
    onChunk(chunk) {
      if (socket.bufferedAmount < highWaterMark) return socket.send(chunk);
      // Stop reading until this answer has been written: the client then slows down (TCP).
      socket.pause();
      socket.send(chunk, resume);
    },
    onEnd: () => finish(socket, frames.end),
  })(socket);
};

/** The count or size at the end of `url` after `prefix`, or undefined. */
function numberAfter(url: string, prefix: string): number | undefined {
  if (!url.startsWith(prefix)) return undefined;
  const text = url.slice(prefix.length);
  const value = Number(text);
  return text !== '' && Number.isSafeInteger(value) && value >= 0 ? value : undefined;
}

function route(url: string): Call | undefined {
  if (url === paths.ping) return ping;
  if (url === paths.upload) return upload;
  if (url === paths.echo) return echo;
  const count = numberAfter(url, paths.items);
  if (count !== undefined) return items(count);
  const size = numberAfter(url, paths.download);
  return size === undefined ? undefined : download(size);
}

const sockets = new WebSocketServer({ noServer: true, maxPayload: messageLimit, perMessageDeflate: false, clientTracking: false });

const server = createServer((_request, response) => {
  response.writeHead(426, { upgrade: 'websocket', connection: 'close', 'content-length': 0 });
  response.end();
});
server.on('upgrade', (request, socket, head) => {
  const call = route(request.url ?? '/');
  if (call === undefined) return void socket.end('HTTP/1.1 404 Not Found\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  sockets.handleUpgrade(request, socket, head, (webSocket) => {
    // ws closes the connection itself on a frame it refuses (1002, 1009 …); the event only reports it.
    webSocket.on('error', () => {});
    call(webSocket);
  });
});
server.listen(0, '127.0.0.1', () => {
  announce((server.address() as AddressInfo).port, () => process.exit(0));
});
