import WebSocket from 'ws';

/** A message as a raw client received it: a text frame's JSON, or a binary frame's bytes. */
export type Received = { readonly text: Record<string, unknown> } | { readonly binary: Buffer };

/** How a raw WebSocket call went: the messages, then the close (or the refused handshake). */
export interface RawOutcome {
  readonly messages: Received[];
  readonly close: { readonly code: number; readonly reason: string } | undefined;
  /** A refused handshake's HTTP status and body. */
  readonly refused: { readonly status: number; readonly body: string } | undefined;
}

/**
 * A WebSocket call by hand, with the `ws` package and no Marshal code: `frames` are sent once the
 * handshake is done (strings as text frames, buffers as binary ones), and everything that comes
 * back is kept until the connection closes.
 */
export class RawCall {
  readonly socket: WebSocket;
  readonly messages: Received[] = [];
  readonly outcome: Promise<RawOutcome>;
  readonly opened: Promise<void>;

  constructor(url: string, frames: readonly (string | Buffer | object)[] = [], options: WebSocket.ClientOptions = {}) {
    this.socket = new WebSocket(url, options);
    this.opened = new Promise((resolve) => this.socket.once('open', () => resolve()));
    this.outcome = new Promise((resolve) => {
      this.socket.on('open', () => {
        for (const frame of frames) this.send(frame);
      });
      this.socket.on('message', (data: Buffer, isBinary) => this.messages.push(isBinary ? { binary: data } : { text: JSON.parse(data.toString()) }));
      this.socket.on('close', (code, reason) => resolve({ messages: this.messages, close: { code, reason: reason.toString() }, refused: undefined }));
      this.socket.on('unexpected-response', (_request, response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve({ messages: [], close: undefined, refused: { status: response.statusCode ?? 0, body } }));
      });
      this.socket.on('error', () => {});
    });
  }

  /** A string or buffer as is; an object as a JSON text frame. */
  send(frame: string | Buffer | object): void {
    this.socket.send(typeof frame === 'string' || Buffer.isBuffer(frame) ? frame : JSON.stringify(frame));
  }

  /** Resolves once `count` messages have arrived. */
  async received(count: number): Promise<Received[]> {
    while (this.messages.length < count) {
      await new Promise<void>((resolve, reject) => {
        const onMessage = (): void => {
          this.socket.off('close', onClose);
          resolve();
        };
        const onClose = (): void => {
          this.socket.off('message', onMessage);
          reject(new Error(`closed after ${this.messages.length} messages, before ${count}`));
        };
        this.socket.once('message', onMessage);
        this.socket.once('close', onClose);
      });
    }
    return this.messages;
  }
}

/** The base URL of a server (http://…) as ws://… */
export function webSocketUrl(httpUrl: string, path: string): string {
  return `${httpUrl.replace(/^http/, 'ws')}${path}`;
}

/** The text frames among `messages`, as their JSON. */
export function texts(messages: readonly Received[]): Record<string, unknown>[] {
  return messages.flatMap((message) => ('text' in message ? [message.text] : []));
}

/** The binary frames among `messages`, joined. */
export function bytesOf(messages: readonly Received[]): Buffer {
  return Buffer.concat(messages.flatMap((message) => ('binary' in message ? [message.binary] : [])));
}
