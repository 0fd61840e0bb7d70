/**
 * Browser requests from pages of other sites cannot make calls that CORS does not allow, while
 * clients that are not browsers (no Sec-Fetch-Site, no Origin) are never refused. Every
 * combination of the headers a browser sends, against servers with and without a cors option;
 * a counter shows whether the call ran.
 */
import { describe, expect, it } from 'vitest';
import { Int, endpoint, service, unimplemented } from '@marshal/core';
import { serveForTests } from '../helpers/serve.js';

@service()
class ICounter {
  @endpoint({ params: [['by', Int]], returns: Int })
  add(by: number): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Int, method: 'GET' })
  read(): Promise<number> { return unimplemented(); }
}

class Counter extends ICounter {
  value = 0;
  override async add(by: number) { return (this.value += by); }
  override async read() { return this.value; }
}

const allowedPage = 'https://app.example';
const otherPage = 'https://evil.example';

type Headers = Record<string, string>;
/** What a browser sends, by where the page is; `host` stands for the server's own host:port. */
const browserRequests: [string, (host: string) => Headers, 'cross' | 'same'][] = [
  ['Sec-Fetch-Site: cross-site', () => ({ 'sec-fetch-site': 'cross-site', origin: otherPage }), 'cross'],
  ['Sec-Fetch-Site: same-site', () => ({ 'sec-fetch-site': 'same-site', origin: otherPage }), 'cross'],
  ['Sec-Fetch-Site: cross-site from the allowed origin', () => ({ 'sec-fetch-site': 'cross-site', origin: allowedPage }), 'cross'],
  ['Sec-Fetch-Site: same-origin', (host) => ({ 'sec-fetch-site': 'same-origin', origin: `http://${host}` }), 'same'],
  ['Sec-Fetch-Site: none (typed into the address bar)', () => ({ 'sec-fetch-site': 'none' }), 'same'],
  ['an Origin of another site, no Sec-Fetch-Site (older browsers)', () => ({ origin: otherPage }), 'cross'],
  ['Origin: null (a sandboxed page, a file)', () => ({ origin: 'null' }), 'cross'],
  ['its own Origin, no Sec-Fetch-Site', (host) => ({ origin: `http://${host}` }), 'same'],
  ['no browser headers at all (curl, server-side clients)', () => ({}), 'same'],
];
const contentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json'];

describe.each([
  ['without a cors option', undefined],
  ['with cors allowing one origin', { origin: [allowedPage] }],
])('a server %s', (_, cors) => {
  const counter = new Counter();
  const served = serveForTests({ services: [counter], ...(cors ? { cors } : {}) });
  const host = () => new URL(served.url).host;

  const cases = browserRequests.flatMap(([label, headers, site]) => contentTypes.map((type) => [label, type, headers, site] as const));
  it.each(cases)('POST with %s, content-type %s', async (_label, type, headers, site) => {
    const sent = headers(host());
    const allowed = site === 'same' || (cors !== undefined && sent.origin === allowedPage);
    const before = counter.value;
    const answer = await fetch(`${served.url}/counter/add/1`, { method: 'POST', headers: { ...sent, 'content-type': type }, body: '' });
    const body = (await answer.json()) as { code?: string };
    if (allowed) {
      expect({ status: answer.status, ran: counter.value - before }).toEqual({ status: 200, ran: 1 });
    } else {
      expect({ status: answer.status, code: body.code, ran: counter.value - before }).toEqual({ status: 403, code: 'MARSHAL_ERR_CROSS_SITE', ran: 0 });
    }
  });

  it('answers safe requests (GET) from any site; the browser decides what the page may read', async () => {
    const answer = await fetch(`${served.url}/counter/read`, { headers: { 'sec-fetch-site': 'cross-site', origin: otherPage } });
    expect(answer.status).toBe(200);
  });
});
