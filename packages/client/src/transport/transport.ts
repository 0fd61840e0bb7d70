/** One HTTP request, as the client hands it to a transport. */
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
}

/**
 * The part of the client that speaks HTTP to one origin. It rejects only when no answer came
 * (no connection, a timeout, a broken connection); every status is an answer.
 */
export interface HttpTransport {
  send(request: TransportRequest): Promise<TransportResponse>;
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
