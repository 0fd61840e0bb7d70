import type { MarshalError } from '@marshal/core';

/** How much of a request body is read: `body` bytes at most; after that `discard` more are read and thrown away, so that the client sees the 413 rather than a reset connection. */
export interface BodyLimits {
  readonly body: number;
  readonly discard: number;
}

/** Headers of an answer, by lower-case name. */
export type AnswerHeaders = Readonly<Record<string, string | number>>;

/**
 * One HTTP request and its answer, as the transport-neutral pipeline sees them. An adapter
 * implements it over its server's objects (node:http's request and response in ../node); the
 * pipeline never touches those objects itself.
 */
export interface HttpExchange {
  readonly method: string;
  /** Path and query, relative to where Marshal is mounted: `/my-service/select/test?x=1`. */
  readonly url: string;
  /** A request header by lower-case name; repeated headers joined as HTTP joins them. */
  header(name: string): string | undefined;
  /**
   * Reads the whole body, refusing more than `limits.body` bytes. `done` is called once: with
   * the body, or with the error that stopped it (a MarshalError when it is the caller's: too
   * large, cut short).
   */
  readBody(limits: BodyLimits, done: (failure: Error | undefined, body?: Uint8Array) => void): void;
  /** Sets a header of the answer before it is sent (CORS). */
  setHeader(name: string, value: string): void;
  /** Sends the whole answer; a HEAD request's answer goes without its body. */
  answer(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void;
  /** Whether the answer's status line has gone out: after that only `abort` can report a failure. */
  readonly answered: boolean;
  /** Ends the exchange without a proper answer, so that the client sees a failure rather than a short body. */
  abort(): void;
}
