import { createServer, type Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { type DocumentationResponse, serveDocumentation } from '../../packages/server/src/documentation-routes.js';

/**
 * A bare node:http server that answers documentation routes the way the Server is to, and 404
 * to anything else, for the tests of one file. Until the Server serves them itself.
 */
export function serveDocumentationForTests(routes: ReadonlyMap<string, DocumentationResponse>): { readonly url: string } {
  const state = { url: '' };
  let http: HttpServer | undefined;
  beforeAll(async () => {
    http = createServer((request, response) => {
      if (!serveDocumentation(routes, request, response, request.url ?? '/')) response.writeHead(404).end();
    });
    await new Promise<void>((resolve) => http!.listen(0, '127.0.0.1', resolve));
    state.url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => (http ? http.close(() => resolve()) : resolve())));
  return state;
}
