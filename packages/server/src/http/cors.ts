import type { HttpExchange } from './exchange.js';

export interface CorsOptions {
  /**
   * The origins whose pages may call the server: '*' for any, a list of exact origins
   * ('https://app.example.com'), or a function deciding for each origin.
   */
  readonly origin: '*' | readonly string[] | ((origin: string) => boolean);
  /**
   * Request headers a page may send beyond the CORS-safelisted ones. By default, those the
   * browser asks for in its preflight (Content-Type for JSON, Authorization, …).
   */
  readonly allowHeaders?: readonly string[];
  /** Let pages send cookies and HTTP auth: Access-Control-Allow-Credentials. Not with origin '*'. */
  readonly credentials?: boolean;
  /** How long a browser may reuse a preflight answer, in seconds (default 600). */
  readonly maxAgeSeconds?: number;
}

/**
 * Cross-origin access for browser pages served elsewhere (the Fetch standard's CORS protocol):
 * allowed origins get Access-Control-Allow-Origin on every answer, errors included, so that a
 * page can read a 400's body; preflights (OPTIONS with Access-Control-Request-Method) are
 * answered with the methods the path takes. Built once from the options.
 */
export class CorsPolicy {
  readonly #allows: (origin: string) => boolean;
  readonly #anyOrigin: boolean;
  readonly #credentials: boolean;
  readonly #allowHeaders: string | undefined;
  readonly #maxAge: string;

  constructor(options: CorsOptions) {
    const { origin, credentials = false, maxAgeSeconds = 600, allowHeaders } = options;
    if (origin === '*' && credentials) {
      throw new TypeError("cors: credentials cannot be allowed for origin '*'; list the origins that may send them");
    }
    if (!Number.isSafeInteger(maxAgeSeconds) || maxAgeSeconds < 0) throw new TypeError(`cors: maxAgeSeconds must be a whole number ≥ 0, got ${maxAgeSeconds}`);
    if (typeof origin === 'function') this.#allows = origin;
    else if (origin === '*') this.#allows = () => true;
    else if (Array.isArray(origin)) {
      const listed = new Set(origin);
      this.#allows = (candidate) => listed.has(candidate);
    } else throw new TypeError("cors: origin must be '*', a list of origins or a function");
    this.#anyOrigin = origin === '*';
    this.#credentials = credentials;
    this.#allowHeaders = allowHeaders?.join(', ');
    this.#maxAge = String(maxAgeSeconds);
  }

  /** Whether pages of `origin` may call the server (a WebSocket handshake has no answer to mark). */
  allowsOrigin(origin: string): boolean {
    return this.#allows(origin);
  }

  /** Marks the response as readable by the request's origin, if it is allowed; true if it was. */
  allow(exchange: HttpExchange): boolean {
    const origin = exchange.header('origin');
    if (origin === undefined || !this.#allows(origin)) return false;
    if (this.#anyOrigin) {
      exchange.setHeader('access-control-allow-origin', '*');
    } else {
      exchange.setHeader('access-control-allow-origin', origin);
      // The answer depends on the Origin header: caches must keep one per origin.
      exchange.setHeader('vary', 'origin');
    }
    if (this.#credentials) exchange.setHeader('access-control-allow-credentials', 'true');
    return true;
  }

  /** A preflight is an OPTIONS request that names the method it asks for. */
  isPreflight(exchange: HttpExchange): boolean {
    return exchange.method === 'OPTIONS' && exchange.header('access-control-request-method') !== undefined;
  }

  /**
   * Answers a preflight for a path that takes `methods`: 204, with the permission if the origin is
   * allowed, and without it otherwise (the browser then refuses the call).
   */
  answerPreflight(exchange: HttpExchange, methods: string): void {
    if (this.allow(exchange)) {
      exchange.setHeader('access-control-allow-methods', methods);
      const headers = this.#allowHeaders ?? exchange.header('access-control-request-headers');
      if (headers) exchange.setHeader('access-control-allow-headers', headers);
      exchange.setHeader('access-control-max-age', this.#maxAge);
      // Reflected headers make the answer depend on the request's list too.
      if (this.#allowHeaders === undefined) exchange.setHeader('vary', this.#anyOrigin ? 'access-control-request-headers' : 'origin, access-control-request-headers');
    }
    exchange.answer(204, { allow: methods });
  }
}
