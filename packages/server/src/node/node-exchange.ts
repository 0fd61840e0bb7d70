import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable, pipeline } from 'node:stream';
import type { AnswerHeaders, BodyLimits, HttpExchange, MultipartBody } from '../http/exchange.js';
import { admitBody, consumedBefore, discard, readBody } from './read-body.js';
import { readMultipart } from './read-multipart.js';

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

  get headers(): IncomingMessage['headers'] {
    return this.request.headers;
  }

  get remoteAddress(): string | undefined {
    return this.request.socket.remoteAddress;
  }

  get bytesRead(): number {
    return this.request.socket.bytesRead;
  }

  get bytesWritten(): number {
    return this.request.socket.bytesWritten;
  }

  watchClient(listener: () => void): void {
    this.response.once('close', () => {
      if (!this.response.writableFinished) listener();
    });
  }

  refuseBody(discardLimit: number): void {
    const request = this.request;
    if (request.complete || request.readableEnded) return;
    this.response.shouldKeepAlive = false;
    if (request.headers.expect?.toLowerCase() !== '100-continue') discard(request, discardLimit);
  }

  readBody(kind: 'json' | 'file', limits: BodyLimits, done: (failure: Error | undefined, body?: Uint8Array) => void): void {
    if (kind === 'json') readBody(this.request, this.response, limits.body, limits.discard, 'MARSHAL_ERR_MALFORMED_JSON', done);
    else readBody(this.request, this.response, limits.file, limits.discard, 'MARSHAL_ERR_MALFORMED_BODY', done);
  }

  readMultipart(limits: BodyLimits, done: (failure: Error | undefined, body?: MultipartBody) => void): void {
    readMultipart(this.request, this.response, limits, done);
  }

  bodyStream(): AsyncIterable<Uint8Array> {
    const request = this.request;
    if (request.readableEnded || request.destroyed) throw consumedBefore();
    // No size limit: a stream is for bodies of any size, handed over as they arrive.
    admitBody(request, this.response, Infinity, 0);
    return request;
  }

  setHeader(name: string, value: string): void {
    this.response.setHeader(name, value);
  }

  answer(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void {
    this.response.writeHead(status, headers);
    // node:http leaves out the body of an answer to HEAD by itself.
    this.response.end(body);
  }

  answerStream(status: number, headers: AnswerHeaders, chunks: AsyncIterable<string | Uint8Array>, done: (error?: unknown) => void): void {
    this.response.writeHead(status, headers);
    // pipeline waits for 'drain' between pieces, destroys the source (its return()) when the
    // response closes early, and destroys the response when the source throws.
    pipeline(Readable.from(chunks, { objectMode: false }), this.response, (error) => done(error ?? undefined));
  }

  get clientGone(): boolean {
    return this.request.socket.destroyed;
  }

  get answered(): boolean {
    return this.response.headersSent;
  }

  abort(): void {
    this.response.destroy();
  }
}
