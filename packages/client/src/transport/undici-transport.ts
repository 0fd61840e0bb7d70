import { Pool } from 'undici';
import type { HttpTransport, TransportFactory, TransportRequest, TransportResponse } from './transport.js';

/** The default transport in Node: a keep-alive undici Pool to the origin. */
export const undiciTransport: TransportFactory = (origin, options) => {
  const pool = new Pool(origin, { connections: options.connections ?? 16 });
  const timeout = options.timeoutMs;
  return {
    async send(request: TransportRequest): Promise<TransportResponse> {
      const response = await pool.request({ ...request, headersTimeout: timeout, bodyTimeout: timeout });
      return { status: response.statusCode, text: await response.body.text() };
    },
    close: () => pool.close(),
  } satisfies HttpTransport;
};
