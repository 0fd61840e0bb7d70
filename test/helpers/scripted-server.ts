import { type IncomingHttpHeaders, type IncomingMessage, type Server as HttpServer, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';

/** A request as the scripted server got it: its whole body read. */
export interface RecordedRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

export type Script = (response: ServerResponse, request: RecordedRequest) => void;

/**
 * A plain node:http server on loopback whose answers a test writes byte by byte (`served.script`),
 * for what a Marshal server never sends (a line cut short, a connection dropped mid-answer) and
 * to see exactly what a client sent (`served.requests`). Started before the file's tests, stopped
 * after them.
 */
export function scriptedServer(): { url: string; script: Script; readonly requests: RecordedRequest[] } {
  const state = {
    url: '',
    script: ((response) => response.writeHead(500).end()) as Script,
    requests: [] as RecordedRequest[],
  };
  let server: HttpServer | undefined;
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const recorded = { method: request.method ?? '', url: request.url ?? '', headers: request.headers, body: Buffer.concat(chunks) };
        state.requests.push(recorded);
        state.script(response, recorded);
      });
    });
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
  });
  return state;
}
