/**
 * How much of a request body is read: a JSON body `body` bytes at most, a file (a `Bytes`
 * parameter, raw or in a multipart part) `file` bytes, a multipart body `parts` parts; past a
 * limit `discard` more bytes are read and thrown away, so that the client sees the 413 rather than
 * a reset connection.
 */
export interface BodyLimits {
  readonly body: number;
  readonly file: number;
  readonly parts: number;
  readonly discard: number;
}

/** A multipart body, read whole: the `json_arguments` part's bytes, and the other parts by name. */
export interface MultipartBody {
  readonly json: Uint8Array | undefined;
  readonly files: ReadonlyMap<string, Uint8Array>;
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
  /** Every request header, names in lower case (for middleware). */
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  /** The client's IP address, as the connection has it. */
  readonly remoteAddress: string | undefined;
  /** Bytes read and written on the connection so far, headers included: a call's are the difference across it. */
  readonly bytesRead: number;
  readonly bytesWritten: number;
  /** Calls `listener` once if the client goes away before the answer is complete. */
  watchClient(listener: () => void): void;
  /**
   * The call is answered without reading its body (a guard refused it): a client waiting for
   * `100 Continue` is never asked for the body; one already sending has up to `discard` bytes read
   * and dropped, so that it sees the answer; either way the connection closes after the answer.
   */
  refuseBody(discard: number): void;
  /**
   * Reads the whole body, refusing more than `limits.body` bytes for JSON, `limits.file` for a
   * file. `done` is called once: with
   * the body, or with the error that stopped it (a MarshalError when it is the caller's: too
   * large, cut short).
   */
  readBody(kind: 'json' | 'file', limits: BodyLimits, done: (failure: Error | undefined, body?: Uint8Array) => void): void;
  /**
   * Reads a multipart/form-data body within `limits` (a part's JSON within `limits.body`, a
   * file part within `limits.file`). `done` is called once; a MarshalError is the caller's fault
   * (MALFORMED_MULTIPART, BODY_TOO_LARGE).
   */
  readMultipart(limits: BodyLimits, done: (failure: Error | undefined, body?: MultipartBody) => void): void;
  /** The body as it arrives, for a byte-stream parameter. It throws when the client goes away mid-body. */
  bodyStream(): AsyncIterable<Uint8Array>;
  /** Sets a header of the answer before it is sent (CORS). */
  setHeader(name: string, value: string): void;
  /** Sends the whole answer; a HEAD request's answer goes without its body. */
  answer(status: number, headers: AnswerHeaders, body?: string | Uint8Array): void;
  /**
   * Sends an answer whose body comes in pieces. Each piece waits until the client has taken the
   * last (backpressure); when the client goes away, `chunks` is stopped (its `return()`, so an
   * implementation's `finally` runs); when `chunks` throws, the connection is cut, so the client
   * sees a failure rather than a short body. `done` is called once, with that error, if any.
   */
  answerStream(status: number, headers: AnswerHeaders, chunks: AsyncIterable<string | Uint8Array>, done: (error?: unknown) => void): void;
  /** Whether the client has closed the connection: then nobody is left to answer, nor a failure to report. */
  readonly clientGone: boolean;
  /** Whether the answer's status line has gone out: after that only `abort` can report a failure. */
  readonly answered: boolean;
  /** Ends the exchange without a proper answer, so that the client sees a failure rather than a short body. */
  abort(): void;
}
