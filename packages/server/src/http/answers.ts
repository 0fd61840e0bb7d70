/** Answers written on an exchange: JSON (results and errors), raw bytes, and the heads of streamed answers. */
import { MarshalError, type ResultForm } from '@marshal/core/internal';
import { type ErrorOptions, errorResponse } from '../core/error-response.js';
import type { AnswerHeaders, HttpExchange } from './exchange.js';

const jsonType = 'application/json; charset=utf-8';
const octetStream = 'application/octet-stream';
export const streamHeaders: Partial<Record<ResultForm, AnswerHeaders>> = {
  'byte-stream': { 'content-type': octetStream },
  'text-lines': { 'content-type': 'text/plain; charset=utf-8' },
  // The reference's media type for JSON lines.
  'json-lines': { 'content-type': 'application/jsonlines+json' },
};
export const eventStreamHeaders: AnswerHeaders = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache' };

export function acceptsEventStream(exchange: HttpExchange): boolean {
  return exchange.header('accept')?.includes('text/event-stream') ?? false;
}

export function answerBytes(exchange: HttpExchange, bytes: Uint8Array): void {
  try {
    exchange.answer(200, { 'content-type': octetStream, 'content-length': bytes.length }, bytes);
  } catch {
    exchange.abort();
  }
}

/** Any error → its JSON answer (bounded, whatever was thrown: core/error-response.ts). */
export function sendError(options: ErrorOptions, exchange: HttpExchange, error: unknown, extraHeaders: AnswerHeaders | undefined): void {
  const { status, json } = errorResponse(error, options);
  const own = errorHeaders(error);
  answerJson(exchange, status, json, own === undefined ? extraHeaders : { ...extraHeaders, ...own });
}

/** The headers a MarshalError asks its answer to carry (a 401's `www-authenticate`); never throws. */
export function errorHeaders(error: unknown): Readonly<Record<string, string>> | undefined {
  try {
    return error instanceof MarshalError ? error.details.headers : undefined;
  } catch {
    return undefined;
  }
}

/** Never throws: an answer that cannot be written ends the exchange instead, so that the client sees a failure. */
export function answerJson(exchange: HttpExchange, status: number, json: string, extraHeaders?: AnswerHeaders): void {
  try {
    if (exchange.answered) {
      // Too late for a status: cut the connection so the client sees a failure, not a short body.
      exchange.abort();
      return;
    }
    // With a Content-Length, node:http writes headers and body as they are; without one it would send a
    // chunked body (size line, body, terminator): more bytes and more buffers per answer.
    const headers = { 'content-type': jsonType, 'content-length': Buffer.byteLength(json) };
    exchange.answer(status, extraHeaders ? { ...headers, ...extraHeaders } : headers, json);
  } catch {
    exchange.abort();
  }
}

