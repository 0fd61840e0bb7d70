/** One HTTP request with a JSON body or none, as the client hands it to a transport. */
export interface TransportRequest {
  readonly method: 'GET' | 'POST';
  /** Path and query on the transport's origin: `/api/my-service/select/test?drop_duplicates=True`. */
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** What came back: the status and the whole body as text. */
export interface TransportResponse {
  readonly status: number;
  readonly text: string;
  /** The answer's headers by lower-case name, where the transport has them (the client reads Retry-After). */
  readonly headers?: Readonly<Record<string, string | string[] | undefined>>;
}

/**
 * A piece of an upload body: bytes, a Blob (a browser `File`, a file on disk from `fileFrom`), or
 * a stream of bytes (a Node `Readable`, an async generator) that is read only while it is sent.
 */
export type UploadPart = Uint8Array | Blob | AsyncIterable<Uint8Array>;

/**
 * A request body that is not JSON: one file, one byte stream, or multipart, as parts sent one
 * after another (a multipart body's boundaries and part headers are parts too).
 */
export interface UploadBody {
  /** `application/octet-stream`, or `multipart/form-data; boundary=…`. */
  readonly contentType: string;
  readonly parts: readonly UploadPart[];
  /** The body's size in bytes when every part's size is known (then it goes as Content-Length), else undefined. */
  readonly length: number | undefined;
}

/**
 * A request whose body or answer may stream: files, byte streams, streamed results, and any
 * call made with call options. The headers include the body's content type.
 */
export interface StreamingRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | UploadBody | undefined;
  /**
   * Fires when the call is given up: the caller aborted it, or the client stopped reading. The
   * transport then stops sending and receiving, and stops reading the upload's streams.
   */
  readonly signal: AbortSignal;
  /** This call's timeout (ms), in place of the transport's own. */
  readonly timeoutMs: number | undefined;
  /** Called with the bytes of the body handed over so far (see `CallOptions.onUploadProgress`). */
  readonly onUploadProgress: ((sentBytes: number) => void) | undefined;
}

/** An answer whose body is read as it arrives. */
export interface StreamingResponse {
  readonly status: number;
  /** A response header (lower-case name), or undefined. */
  header(name: string): string | undefined;
  /**
   * The body's chunks as they arrive. The iteration throws when the body ends before its end (the
   * connection broke, or a chunked body lacks its last chunk): it never ends quietly then.
   */
  readonly body: AsyncIterable<Uint8Array>;
  /** The whole body as UTF-8 text. */
  text(): Promise<string>;
  /** The whole body's bytes. */
  bytes(): Promise<Uint8Array>;
  /** Stops the exchange: a body not yet read to its end is dropped with its connection. */
  cancel(): void;
}

/**
 * The part of the client that speaks HTTP to one origin. It rejects only when no answer came
 * (no connection, a timeout, a broken connection); every status is an answer.
 */
export interface HttpTransport {
  /** A JSON call: the whole answer as text. This is the fast path; it takes no call options. */
  send(request: TransportRequest): Promise<TransportResponse>;
  /** Any call: uploads, streamed answers, call options. Resolves once the status and headers have come. */
  open(request: StreamingRequest): Promise<StreamingResponse>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Time allowed for the response headers and for the body, each, in ms (default 300 s). */
  readonly timeoutMs?: number;
  /** Keep-alive connections to the server, where the transport keeps a pool (undici; default 16). */
  readonly connections?: number;
}

/** Makes the transport for a client: `origin` is the base URL's `http(s)://host:port`. */
export type TransportFactory = (origin: string, options: TransportOptions) => HttpTransport;
