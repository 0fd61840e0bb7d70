import { createServer, type Server as HttpServer } from 'node:http';

/**
 * Serves one HTML page whose module script does its work and then POSTs a JSON report to
 * `/report` on the page's own origin; `report` settles when it arrives.
 */
export function reportingPage(script: () => string): { http: HttpServer; report: Promise<unknown> } {
  let deliver!: (value: unknown) => void;
  const report = new Promise<unknown>((resolve) => (deliver = resolve));
  const http = createServer((request, response) => {
    if (request.method === 'POST' && request.url === '/report') {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        response.end();
        deliver(JSON.parse(text));
      });
      return;
    }
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(`<!doctype html><title>a page</title><script type="module">${script()}</script>`);
  });
  return { http, report };
}
