import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AnswerHeaders, BodyLimits, HttpExchange } from '../http/exchange.js';
import { readBody } from './read-body.js';

/** The pipeline's exchange over node:http's request and response. */
export class NodeExchange implements HttpExchange {
  readonly request: IncomingMessage;
  readonly response: ServerResponse;
  readonly url: string;

  /** `url`: the request's path and query as the pipeline should route it (without a mount prefix). */
  constructor(request: IncomingMessage, response: ServerResponse, url: string) {
    this.request = request;
    this.response = response;
    this.url = url;
  }

  get method(): string {
    return this.request.method ?? 'GET';
  }

  header(name: string): string | undefined {
    const value = this.request.headers[name];
    return Array.isArray(value) ? value.join(', ') : value;
  }

  readBody(limits: BodyLimits, done: (failure: Error | undefined, body?: Uint8Array) => void): void {
    readBody(this.request, this.response, limits, done);
  }

  setHeader(name: string, value: string): void {
    this.response.setHeader(name, value);
  }

  answer(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void {
    this.response.writeHead(status, headers);
    // node:http leaves out the body of an answer to HEAD by itself.
    this.response.end(body);
  }

  get answered(): boolean {
    return this.response.headersSent;
  }

  abort(): void {
    this.response.destroy();
  }
}
