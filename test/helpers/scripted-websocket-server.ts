import type { IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type WebSocket, WebSocketServer } from 'ws';

/** One connection to the scripted server: the handshake's request, the frames received so far, and how it closed. */
export class ScriptedConnection {
  /** Text frames as strings, binary frames as Buffers, in the order they came. */
  readonly frames: (string | Buffer)[] = [];
  /** The close code and reason the client sent (1005 when none, 1006 when the connection broke). */
  readonly closed: Promise<{ code: number; reason: string }>;
  #waiters: { count: number; resolve: () => void }[] = [];

  constructor(
    readonly socket: WebSocket,
    readonly request: IncomingMessage,
  ) {
    this.closed = new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      this.frames.push(isBinary ? data : data.toString());
      this.#waiters = this.#waiters.filter((waiter) => {
        if (this.frames.length < waiter.count) return true;
        waiter.resolve();
        return false;
      });
    });
  }

  /** Resolves once `count` frames have come. */
  received(count: number): Promise<void> {
    if (this.frames.length >= count) return Promise.resolve();
    return new Promise((resolve) => this.#waiters.push({ count, resolve }));
  }

  /** Sends a frame: an object as JSON text, bytes as a binary frame. */
  send(frame: object | Uint8Array): void {
    this.socket.send(frame instanceof Uint8Array ? frame : JSON.stringify(frame));
  }
}

export type WebSocketScript = (connection: ScriptedConnection) => void;

/**
 * A `ws` server on loopback whose frames a test writes (`served.script`), for what a Marshal
 * server never sends (a close without a result, frames out of order) and to see exactly what a
 * client sent (`served.connections`). Started before the file's tests, stopped after them.
 */
export function scriptedWebSocketServer(): { url: string; script: WebSocketScript; readonly connections: ScriptedConnection[] } {
  const state = {
    url: '',
    script: ((connection) => connection.socket.close(1011)) as WebSocketScript,
    connections: [] as ScriptedConnection[],
  };
  let server: WebSocketServer | undefined;
  beforeAll(async () => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    server.on('connection', (socket, request) => {
      const connection = new ScriptedConnection(socket, request);
      state.connections.push(connection);
      state.script(connection);
    });
    await new Promise<void>((resolve) => server!.once('listening', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const client of server?.clients ?? []) client.terminate();
    await new Promise((resolve) => server?.close(resolve));
  });
  return state;
}
