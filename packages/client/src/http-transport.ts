import { Pool } from 'undici';
import { parseErrorBody } from '@marshal/core';
import type { HttpCall } from './call-plan.js';
import { RemoteError } from './remote-error.js';
import { TransportError } from './transport-error.js';

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
  readonly #origin: string;

  constructor(baseUrl: string, options: TransportOptions = {}) {
    const url = new URL(baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`base URL must be http(s)://…, got ${baseUrl}`);
    this.#origin = url.origin;
    this.#pool = new Pool(url.origin, { connections: options.connections ?? 16 });
    this.#basePath = url.pathname.replace(/\/+$/, '');
    this.#headers = { ...options.headers };
    this.#jsonHeaders = { ...options.headers, 'content-type': 'application/json' };
    this.#timeoutMs = options.timeoutMs;
  }

  /**
   * Sends one call; resolves with the parsed JSON of a 200. Rejects with a RemoteError for any
   * other answer, and with a TransportError when there is no usable answer.
   */
  async send(call: HttpCall): Promise<unknown> {
    const path = this.#basePath + call.path;
    const label = `${call.method} ${path}`;
    let status: number;
    let text: string;
    try {
      const response = await this.#pool.request({
        method: call.method,
        path,
        headers: call.body === undefined ? this.#headers : this.#jsonHeaders,
        body: call.body,
        headersTimeout: this.#timeoutMs,
        bodyTimeout: this.#timeoutMs,
      });
      status = response.statusCode;
      text = await response.body.text();
    } catch (error) {
      throw new TransportError(label, `no answer from ${this.#origin}: ${(error as Error).message}`, error);
    }
    if (status !== 200) throw new RemoteError(status, label, parseErrorBody(text), text);
    if (text.length === 0) return undefined;
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new TransportError(label, `the answer is not JSON: ${JSON.stringify(text.slice(0, 80))}`, error);
    }
  }

  close(): Promise<void> {
    return this.#pool.close();
  }
}
