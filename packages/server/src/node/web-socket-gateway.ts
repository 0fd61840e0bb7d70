import { type IncomingMessage, STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { MarshalError } from '@marshal/core/internal';
import { type WebSocket, WebSocketServer } from 'ws';
import { errorResponse } from '../core/error-response.js';
import type { HttpContext } from '../http/handle-call.js';
import { type HandlerOptions, timeoutOption } from '../http/http-context.js';
import { defaultLimits } from '../limits.js';
import { type AcceptedHandshake, checkHandshake } from '../ws/handshake.js';
import { type WebSocketOptions, WebSocketCall } from '../ws/web-socket-call.js';
import { CallRecord, withCall } from '../middleware/call-record.js';
import { type PendingOutcome, runChain } from '../middleware/chain.js';
import { errorHeaders } from '../http/answers.js';

export interface GatewayOptions extends WebSocketOptions {
  /** How often each connection is pinged, in ms; a peer that has not answered the last ping is dropped. 0: never. */
  readonly pingIntervalMs: number;
}

/** The gateway of a server or mounted handler, with the limits its options set. */
export function webSocketGateway(context: HttpContext, options: HandlerOptions): WebSocketGateway {
  const messageLimit = options.wsMessageLimit ?? defaultLimits.wsMessageLimit;
  if (!Number.isSafeInteger(messageLimit) || messageLimit < 1) throw new TypeError(`wsMessageLimit must be a whole number of bytes ≥ 1, got ${messageLimit}`);
  return new WebSocketGateway(context, {
    debug: context.debug,
    logger: context.logger,
    messageLimit,
    fileLimit: context.bodyLimits.file,
    idleTimeoutMs: timeoutOption('wsIdleTimeoutMs', options.wsIdleTimeoutMs ?? defaultLimits.wsIdleTimeoutMs),
    pingIntervalMs: timeoutOption('wsPingIntervalMs', options.wsPingIntervalMs ?? defaultLimits.wsPingIntervalMs),
  });
}

const callOf = Symbol('marshal.webSocketCall');
const alive = Symbol('marshal.alive');
type CallConnection = WebSocket & { [callOf]: WebSocketCall; [alive]: boolean };

/** How long a closing connection may take to finish its close handshake before it is cut. */
const closeGraceMs = 2000;
const sixteenBytesBase64 = /^[+/0-9A-Za-z]{21}[AQgw]==$/;

/**
 * WebSocket calls on a node:http server: the `upgrade` event's handler. It answers a handshake it
 * refuses with an ordinary HTTP answer and the JSON error body, hands the accepted ones to `ws`
 * (noServer: the port is the HTTP server's), and gives each connection a WebSocketCall. It keeps
 * the open calls, for pings and for stopping.
 */
export class WebSocketGateway {
  readonly #context: HttpContext;
  readonly #options: GatewayOptions;
  readonly #server: WebSocketServer;
  readonly #connections = new Set<CallConnection>();
  #refusal: MarshalError | undefined;
  #heartbeat: NodeJS.Timeout | undefined;
  #drained: (() => void) | undefined;

  constructor(context: HttpContext, options: GatewayOptions) {
    this.#context = context;
    this.#options = options;
    // Up to twice the limit a message is read, so that the call can answer it with an error frame;
    // past that `ws` closes with 1009 as soon as the frame's header arrives.
    this.#server = new WebSocketServer({ noServer: true, maxPayload: 2 * options.messageLimit, perMessageDeflate: false, clientTracking: false, skipUTF8Validation: true });
  }

  /**
   * Serves an upgrade request whose URL, relative to where Marshal is mounted, is `url`. Returns
   * false, having touched nothing, when no route matches and `unrouted` is 'pass'.
   */
  upgrade(request: IncomingMessage, socket: Duplex, head: Buffer, url: string, unrouted: 'answer' | 'pass' = 'answer'): boolean {
    const header = (name: string): string | undefined => headerOf(request, name);
    const checked = checkHandshake(this.#context, { url, header });
    if ('refusal' in checked && checked.unrouted && unrouted === 'pass') return false;
    socket.on('error', ignore);
    if (this.#refusal !== undefined) refuse(this.#context, socket, this.#refusal, undefined);
    else if ('refusal' in checked) refuse(this.#context, socket, checked.refusal, checked.headers);
    else this.#accept(request, socket, head, checked);
    return true;
  }

  #accept(request: IncomingMessage, socket: Duplex, head: Buffer, checked: AcceptedHandshake): void {
    const malformed = malformedHandshake(request);
    if (malformed !== undefined) return refuse(this.#context, socket, new MarshalError('MARSHAL_ERR_BAD_REQUEST', malformed), undefined);
    const { endpoint } = checked;
    if (endpoint.middleware.length === 0 && !endpoint.callContext) return this.#open(request, socket, head, checked, undefined, undefined, undefined);
    const call = new CallRecord(endpoint, 'websocket', {
      headers: request.headers,
      remoteAddress: request.socket.remoteAddress,
      // The call's own close aborts the signal (WebSocketCall.closed): nothing to watch here.
      watchClient: () => {},
    });
    let opened: WebSocketCall | undefined;
    const next = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        this.#open(request, socket, head, checked, call, { resolve, reject }, (webSocketCall) => (opened = webSocketCall));
      });
    const run = (): void => {
      runChain(endpoint.middleware, call, next).then(
        (value) => {
          if (opened !== undefined) opened.answer(value);
          else this.#open(request, socket, head, checked, call, undefined, (webSocketCall) => webSocketCall.answer(value));
        },
        (error: unknown) => {
          // Refused before the upgrade (a guard): an ordinary HTTP answer, with its WWW-Authenticate.
          if (opened !== undefined) opened.answerError(error);
          else refuse(this.#context, socket, error, errorHeaders(error));
        },
      );
    };
    // In the call's context, so that a streamed result's items are made in it too.
    if (endpoint.callContext) withCall(call, run);
    else run();
  }

  /** Completes the handshake and gives the connection its call; `opened` gets the call once it is open. */
  #open(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    checked: AcceptedHandshake,
    call: CallRecord | undefined,
    next: PendingOutcome | undefined,
    opened: ((webSocketCall: WebSocketCall) => void) | undefined,
  ): void {
    this.#server.handleUpgrade(request, socket, head, (connection) => {
      const open = connection as CallConnection;
      open[alive] = true;
      const webSocketCall = new WebSocketCall(this.#options, connection, checked, () => this.#closed(open), call, next, socket as Socket);
      open[callOf] = webSocketCall;
      connection.on('message', onMessage);
      connection.on('close', onClose);
      connection.on('pong', onPong);
      connection.on('error', ignore);
      this.#connections.add(open);
      if (this.#heartbeat === undefined && this.#options.pingIntervalMs > 0) {
        this.#heartbeat = setInterval(() => this.#ping(), this.#options.pingIntervalMs);
        this.#heartbeat.unref();
      }
      opened?.(webSocketCall);
    });
  }

  /** From now on, handshakes are refused with 503. */
  refuseNew(): void {
    this.#refusal = new MarshalError('MARSHAL_ERR_UNAVAILABLE', 'the server is shutting down');
  }

  /** Resolves once no call is open, or after `timeoutMs`; then the open ones get MARSHAL_ERR_UNAVAILABLE and 1001, and are cut if they do not close. */
  async drain(timeoutMs: number): Promise<void> {
    if (this.#connections.size > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#drained = undefined;
    if (this.#connections.size === 0) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        for (const connection of this.#connections) connection.terminate();
        resolve();
      }, closeGraceMs);
      timer.unref();
      this.#drained = () => {
        clearTimeout(timer);
        resolve();
      };
      for (const connection of [...this.#connections]) connection[callOf].goAway();
    });
  }

  #closed(connection: CallConnection): void {
    this.#connections.delete(connection);
    if (this.#connections.size > 0) return;
    if (this.#heartbeat !== undefined) {
      clearInterval(this.#heartbeat);
      this.#heartbeat = undefined;
    }
    this.#drained?.();
  }

  #ping(): void {
    for (const connection of this.#connections) {
      if (!connection[alive]) {
        connection.terminate();
        continue;
      }
      connection[alive] = false;
      connection.ping();
    }
  }
}

// Shared listeners, reading the call from the connection: no closures per connection.
function onMessage(this: WebSocket, data: Buffer, isBinary: boolean): void {
  (this as CallConnection)[callOf].receive(data, isBinary);
}

function onClose(this: WebSocket): void {
  (this as CallConnection)[callOf].closed();
}

function onPong(this: WebSocket): void {
  (this as CallConnection)[alive] = true;
}

function ignore(): void {}

function headerOf(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** What `ws` would refuse with a bare 400: said here first, with the JSON error body. */
function malformedHandshake(request: IncomingMessage): string | undefined {
  if (request.method !== 'GET') return `a WebSocket handshake is a GET request, not ${request.method}`;
  if (request.headers.upgrade?.toLowerCase() !== 'websocket') return 'this server takes only WebSocket upgrades (Upgrade: websocket)';
  const key = request.headers['sec-websocket-key'];
  if (key === undefined || !sixteenBytesBase64.test(key.trim())) return 'the Sec-WebSocket-Key header is missing or not 16 bytes in base64';
  const version = request.headers['sec-websocket-version'];
  if (version !== '13' && version !== '8') return 'the Sec-WebSocket-Version header must be 13';
  return undefined;
}

/** A refused handshake: its HTTP answer with the JSON error body, then the connection is closed. */
function refuse(context: HttpContext, socket: Duplex, error: unknown, headers: Readonly<Record<string, string>> | undefined): void {
  const { status, json } = errorResponse(error, context);
  let head = `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\ncontent-type: application/json; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(json)}\r\nconnection: close\r\n`;
  if (headers !== undefined) for (const name of Object.keys(headers)) head += `${name}: ${headers[name]}\r\n`;
  if (!socket.writable) return void socket.destroy();
  socket.end(`${head}\r\n${json}`);
  // Whatever the client still sends is read and dropped, so that it sees the answer rather than a reset.
  socket.resume();
}
