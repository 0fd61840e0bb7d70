import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { channel } from 'node:diagnostics_channel';
import { MarshalError } from '@marshal/core/internal';
import { defaultLimits } from './limits.js';
import { type HandlerOptions, buildHttpContext, timeoutOption } from './http/http-context.js';
import { answerClientError, answerConnect } from './node/client-error.js';
import { type HttpContext, handleHttpCall } from './http/handle-call.js';
import { sendError } from './http/answers.js';
import { NodeExchange } from './node/node-exchange.js';
import { type WebSocketGateway, webSocketGateway } from './node/web-socket-gateway.js';

export interface ServerOptions extends HandlerOptions {
  /** 0 (the default) picks a free port; read it back from `url` or `port` after start(). */
  readonly port?: number;
  /** Interface to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** How long stop() waits for in-flight calls, in ms (default 10 s). */
  readonly stopTimeoutMs?: number;
  /** Time to receive a request's headers, in ms (default 10 s). */
  readonly headersTimeoutMs?: number;
  /** Time to receive a whole request, body included, in ms (default 300 s). */
  readonly requestTimeoutMs?: number;
  /** How long an idle keep-alive connection is kept open, in ms (default 5 s). */
  readonly keepAliveTimeoutMs?: number;
  /** Connections served at once; more are refused (default: no cap). */
  readonly maxConnections?: number;
}

/**
 * The diagnostics channel on which a started server publishes `{ url }`: how tools that start
 * servers in other processes (Fork) learn where one listens, without the server knowing of them.
 */
export const listeningChannelName = 'marshal:server:listening';
const listeningChannel = channel(listeningChannelName);

const closeConnection = { connection: 'close' };

/** Answers on a connection not yet closed: node emits no 'close' for answers still queued behind a pipelined one when the connection goes. */
const openAnswers = Symbol('marshal.openAnswers');
type CountedSocket = Socket & { [openAnswers]?: number };

/**
 * Serves contracts over HTTP on a node:http server of its own, with graceful stopping. Everything
 * per endpoint is compiled in the constructor, so a broken contract or implementation fails here.
 * To serve on a server of your own, or under a path of an Express or Fastify app, use
 * createRequestListener instead.
 */
export class Server {
  readonly #context: HttpContext;
  readonly #http: HttpServer;
  readonly #webSockets: WebSocketGateway;
  readonly #options: ServerOptions;
  /**
   * Unfinished parts of calls: each call counts 2, one for its handler and one for its response,
   * and is done when both have settled, so 0 means no call is in flight. Shared callbacks settle
   * either part: no closure per call. A response settles when it closes, or when its connection
   * does (node emits nothing for the responses queued behind it then).
   */
  #inFlight = 0;
  #stopping = false;
  #drained: (() => void) | undefined;
  readonly #settleOne = (): void => {
    if (--this.#inFlight === 0 && this.#drained) this.#drained();
  };
  readonly #answerClosed: (this: ServerResponse) => void;

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#context = buildHttpContext(options);
    const serve = (request: IncomingMessage, response: ServerResponse) => this.#serve(request, response);
    this.#http = createServer(
      {
        headersTimeout: timeoutOption('headersTimeoutMs', options.headersTimeoutMs ?? defaultLimits.headersTimeoutMs),
        requestTimeout: timeoutOption('requestTimeoutMs', options.requestTimeoutMs ?? defaultLimits.requestTimeoutMs),
        keepAliveTimeout: timeoutOption('keepAliveTimeoutMs', options.keepAliveTimeoutMs ?? defaultLimits.keepAliveTimeoutMs),
        // Checked in #serve instead, so that the refusal has the JSON body too.
        requireHostHeader: false,
      },
      serve,
    );
    if (options.maxConnections !== undefined) this.#http.maxConnections = options.maxConnections;
    this.#webSockets = webSocketGateway(this.#context, options);
    this.#http.on('upgrade', (request: IncomingMessage, socket: Socket, head: Buffer) => this.#webSockets.upgrade(request, socket, head, request.url ?? '/'));
    // The pipeline sends 100 Continue itself, and only when it is going to read the body.
    this.#http.on('checkContinue', serve);
    // What node's parser refuses, and CONNECT, get the JSON error body too.
    this.#http.on('clientError', answerClientError);
    this.#http.on('connect', answerConnect);
    this.#http.on('connection', (socket: CountedSocket) => socket.once('close', () => this.#settleAnswers(socket, socket[openAnswers] ?? 0)));
    const server = this;
    this.#answerClosed = function (this: ServerResponse) {
      server.#settleAnswers(this.req.socket as CountedSocket, 1);
    };
  }

  /** Settles `count` of a connection's open answers, and no more than it has. */
  #settleAnswers(socket: CountedSocket, count: number): void {
    const open = socket[openAnswers] ?? 0;
    const settled = Math.min(open, count);
    if (settled === 0) return;
    socket[openAnswers] = open - settled;
    this.#inFlight -= settled;
    if (this.#inFlight === 0 && this.#drained) this.#drained();
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    const exchange = new NodeExchange(request, response, request.url ?? '/');
    if (this.#stopping) {
      sendError(this.#context, exchange, new MarshalError('MARSHAL_ERR_UNAVAILABLE', 'the server is shutting down'), closeConnection);
      return;
    }
    // HTTP/1.1 requires Host (RFC 9112, 3.2).
    if (request.headers.host === undefined && request.httpVersionMajor === 1 && request.httpVersionMinor === 1) {
      sendError(this.#context, exchange, new MarshalError('MARSHAL_ERR_BAD_REQUEST', 'the request is not well-formed HTTP (no Host header)'), closeConnection);
      return;
    }
    // A call is done when its handler has settled and its response has been handed to the OS (or the
    // connection is gone): stop() closes every connection next, which would cut a large answer short.
    this.#inFlight += 2;
    const socket = request.socket as CountedSocket;
    socket[openAnswers] = (socket[openAnswers] ?? 0) + 1;
    response.on('close', this.#answerClosed); // a response closes once
    handleHttpCall(this.#context, exchange, this.#settleOne);
  }

  /** Starts listening; resolves once the port is bound. */
  async start(): Promise<this> {
    const { port = 0, host = '127.0.0.1' } = this.#options;
    await new Promise<void>((resolve, reject) => {
      this.#http.once('error', reject);
      this.#http.listen(port, host, () => {
        this.#http.off('error', reject);
        resolve();
      });
    });
    if (listeningChannel.hasSubscribers) listeningChannel.publish({ url: this.url });
    return this;
  }

  get port(): number {
    const address = this.#http.address() as AddressInfo | null;
    if (!address) throw new Error('the server is not listening; call start() first');
    return address.port;
  }

  /** http://host:port of the running server. */
  get url(): string {
    const address = this.#http.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return `http://${host === '0.0.0.0' || host === '[::]' ? 'localhost' : host}:${this.port}`;
  }

  /**
   * Stops taking connections and calls, lets in-flight calls finish (up to stopTimeoutMs), then
   * closes every connection: WebSocket calls still open get MARSHAL_ERR_UNAVAILABLE and a close
   * with 1001. Idle keep-alive connections are closed at once.
   */
  async stop(): Promise<void> {
    if (!this.#http.listening) return;
    this.#stopping = true;
    this.#webSockets.refuseNew();
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeIdleConnections();
    const timeout = this.#options.stopTimeoutMs ?? defaultLimits.stopTimeoutMs;
    const webSocketsClosed = this.#webSockets.drain(timeout);
    if (this.#inFlight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeout);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await webSocketsClosed;
    this.#http.closeAllConnections();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
