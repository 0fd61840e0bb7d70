/** Default limits and timeouts, in one place (docs/errors.md, "Limits and timeouts"). Each can be changed through the options. */
export const defaultLimits = {
  /** Largest request body read into memory: 1 MiB. Larger bodies get 413. */
  bodyLimit: 1024 * 1024,
  /** Largest file read into memory for a `Bytes` parameter: 64 MiB. A `stream(Bytes)` parameter has no limit. */
  fileLimit: 64 * 1024 * 1024,
  /** Most parts in a multipart body. */
  partsLimit: 64,
  /** After a 413, how much more of the body is read and thrown away so the client sees the answer, not a reset. */
  discardLimit: 4 * 1024 * 1024,
  /** Largest WebSocket message (a text frame, or one binary frame of a file or stream): 1 MiB. */
  wsMessageLimit: 1024 * 1024,
  /** How long a WebSocket call waits for a frame it needs (args, a file's data, the stream's). */
  wsIdleTimeoutMs: 60_000,
  /** How often WebSocket connections are pinged; a peer that missed the last ping is dropped. */
  wsPingIntervalMs: 30_000,
  /** How long an implementation may take before the caller gets 504; endpoints may set their own. */
  callTimeoutMs: 60_000,
  /** How long stop() waits for in-flight calls before closing their connections. */
  stopTimeoutMs: 10_000,
  /** node:http: time to receive a request's headers (node's own default is 60 s; slow senders hold sockets). */
  headersTimeoutMs: 10_000,
  /** node:http: time to receive a whole request, body included (node's default). */
  requestTimeoutMs: 300_000,
  /** node:http: how long an idle keep-alive connection is kept (node's default). */
  keepAliveTimeoutMs: 5_000,
} as const;
