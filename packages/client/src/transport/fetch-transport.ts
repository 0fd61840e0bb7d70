import type { HttpTransport, TransportFactory, TransportRequest, TransportResponse } from './transport.js';

const defaultTimeoutMs = 300_000;

/**
 * A transport on the global `fetch`: browsers, Deno, Bun, workers, and Node too. The timeout
 * covers the whole exchange. Connections are the runtime's to pool; close() has nothing to close.
 */
export const fetchTransport: TransportFactory = (origin, options) => {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const response = await fetch(origin + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    },
    close: async () => {},
  } satisfies HttpTransport;
};
