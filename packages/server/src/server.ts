import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MarshalError } from '@marshal/core';
import { type DecodeLimits, defaultDecodeLimits } from '@marshal/serialization';
import { defaultLimits } from './limits.js';
import { buildRouteTable } from './route-table.js';
import { handleRequest, type RequestContext } from './handle-request.js';
import { sendError } from './send-error.js';
import { announceListening } from './fork-announce.js';
import { buildDocumentationRoutes, type DocumentationOptions } from './documentation-routes.js';
import { contractOf } from './verify-implementation.js';
import { CorsPolicy, type CorsOptions } from './cors.js';

export interface ServerOptions {
  /** Implementations: instances of classes that extend a @service contract. */
  readonly services: readonly object[];
  /** 0 (the default) picks a free port; read it back from `url` or `port` after start(). */
  readonly port?: number;
  /** Interface to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** Largest JSON body accepted, in bytes (default 1 MiB). */
  readonly bodyLimit?: number;
  /** Put stacks of implementation errors into error bodies (default false). */
  readonly debug?: boolean;
  /** Refuse implementations that do not override every endpoint (default true). */
  readonly verifyAbstract?: boolean;
  /** How long stop() waits for in-flight calls, in ms (default 10 s). */
  readonly stopTimeoutMs?: number;
  /** How deep and how large decoded values may be (default 64 levels, 100 000 entries per container). */
  readonly decodeLimits?: Partial<DecodeLimits>;
  /** Serve GET /openapi.json and GET /docs (default true); an object sets the OpenAPI title and version. */
  readonly documentation?: boolean | DocumentationOptions;
  /** Let browser pages from other origins call the server (default: none may). */
  readonly cors?: CorsOptions;
}

/**
 * Serves contracts over HTTP on node:http. Everything per endpoint (routes, decoders, encoders)
 * is compiled in the constructor, so a broken contract or implementation fails here.
 */
export class Server {
  readonly #context: RequestContext;
  readonly #http: HttpServer;
  readonly #options: ServerOptions;
  /**
   * Unfinished parts of calls: each call counts 2, one for its handler and one for its response,
   * and is done when both have settled, so 0 means no call is in flight. One shared callback
   * settles either part: no closure per call.
   */
  #inFlight = 0;
  #stopping = false;
  #drained: (() => void) | undefined;
  readonly #settleOne = (): void => {
    if (--this.#inFlight === 0 && this.#drained) this.#drained();
  };

  constructor(options: ServerOptions) {
    this.#options = options;
    this.#context = {
      routes: buildRouteTable(options.services, {
        verifyAbstract: options.verifyAbstract ?? true,
        decodeLimits: options.decodeLimits ? { ...defaultDecodeLimits, ...options.decodeLimits } : defaultDecodeLimits,
      }),
      // After the route table, so that a broken contract is reported by it first.
      documentation: buildDocumentationRoutes(options.services.map(contractOf), options.documentation ?? true),
      cors: options.cors === undefined ? undefined : new CorsPolicy(options.cors),
      bodyLimit: options.bodyLimit ?? defaultLimits.bodyLimit,
      debug: options.debug ?? false,
    };
    this.#http = createServer((request, response) => this.#serve(request, response));
  }

  #serve(request: IncomingMessage, response: ServerResponse): void {
    if (this.#stopping) {
      sendError(response, new MarshalError('MARSHAL_ERR_UNAVAILABLE', 'the server is shutting down'), this.#context, { connection: 'close' });
      return;
    }
    // A call is done when its handler has settled and its response has been handed to the OS (or the
    // connection is gone): stop() closes every connection next, which would cut a large answer short.
    this.#inFlight += 2;
    response.on('close', this.#settleOne); // a response closes once
    handleRequest(this.#context, request, response, this.#settleOne);
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
    announceListening(this.url);
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
   * closes every connection. Idle keep-alive connections are closed at once.
   */
  async stop(): Promise<void> {
    if (!this.#http.listening) return;
    this.#stopping = true;
    const closed = new Promise<void>((resolve) => this.#http.close(() => resolve()));
    this.#http.closeIdleConnections();
    if (this.#inFlight > 0) {
      const timeout = this.#options.stopTimeoutMs ?? defaultLimits.stopTimeoutMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeout);
        this.#drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    this.#http.closeAllConnections();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}
