import { Pool } from 'undici';
import { parseErrorBody } from '@marshal/core';
import type { HttpCall } from './call-plan.js';
import { RemoteError } from './remote-error.js';

export interface TransportOptions {
  /** Keep-alive connections to the server (default 16). */
  readonly connections?: number;
  /** Headers sent with every call, e.g. authorization. */
  readonly headers?: Readonly<Record<string, string>>;
  /** Time allowed for the response headers and for the body, each, in ms (default 300 s as in undici). */
  readonly timeoutMs?: number;
}

/** The one place that speaks HTTP for the client: a keep-alive undici Pool to one origin. */
export class HttpTransport {
  readonly #pool: Pool;
  readonly #basePath: string;
  readonly #headers: Record<string, string>;
  readonly #jsonHeaders: Record<string, string>;
  readonly #timeoutMs: number | undefined;

  constructor(baseUrl: string, options: TransportOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`base URL must be http(s)://…, got ${baseUrl}`);
    this.#pool = new Pool(url.origin, { connections: options.connections ?? 16 });
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#headers = { ...options.headers };
    this.#jsonHeaders = { ...options.headers, 'content-type': 'application/json' };
    this.#timeoutMs = options.timeoutMs;
  }

  /** Sends one call; resolves with the parsed JSON of a 200, rejects with a RemoteError otherwise. */
  async send(call: HttpCall): Promise<unknown> {
    const path = this.#basePath + call.path;
    const response = await this.#pool.request({
      method: call.method,
      path,
      headers: call.body === undefined ? this.#headers : this.#jsonHeaders,
      body: call.body,
      headersTimeout: this.#timeoutMs,
      bodyTimeout: this.#timeoutMs,
    });
    const text = await response.body.text();
    if (response.statusCode !== 200) {
      throw new RemoteError(response.statusCode, `${call.method} ${path}`, parseErrorBody(text), text);
    }
    return text.length === 0 ? undefined : JSON.parse(text);
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
