/**
 * Cross-origin calls from browser pages: the CORS headers a browser checks, sent by a real server
 * and read with Node's fetch, which (unlike a browser's) lets the test set Origin itself.
 */
import { describe, expect, it } from 'vitest';
import { Server } from '@marshal/server';
import { MyService } from '../../examples/my-service/my-service.js';
import { serveForTests } from '../helpers/serve.js';

const page = 'https://app.example';
const data = JSON.stringify({ data: [{ id: 'test', text: 'example 1' }] });

async function send(url: string, method: 'GET' | 'POST' | 'OPTIONS', headers: Record<string, string>, body?: string) {
  const answer = await fetch(url, { method, headers, body });
  return { status: answer.status, headers: Object.fromEntries(answer.headers) as Record<string, string>, text: await answer.text() };
}

function corsHeaders(headers: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => name.startsWith('access-control-') || name === 'vary'));
}

const preflight = (origin: string, requestHeaders = 'content-type') => ({
  origin,
  'access-control-request-method': 'POST',
  'access-control-request-headers': requestHeaders,
});

describe('a server without a cors option', () => {
  const served = serveForTests({ services: [new MyService()] });

  it('gives no cross-origin permission, refuses the call itself (403), and answers a preflight as any OPTIONS: 405', async () => {
    const call = await send(`${served.url}/my-service/select/test`, 'POST', { origin: page, 'content-type': 'application/json' }, data);
    expect({ status: call.status, code: JSON.parse(call.text).code, cors: corsHeaders(call.headers) }).toEqual({ status: 403, code: 'MARSHAL_ERR_CROSS_SITE', cors: {} });
    const asked = await send(`${served.url}/my-service/select/test`, 'OPTIONS', preflight(page));
    expect({ status: asked.status, allow: asked.headers.allow, cors: corsHeaders(asked.headers) }).toEqual({ status: 405, allow: 'POST', cors: {} });
  });
});

describe('a server that lists the origins it allows', () => {
  const served = serveForTests({ services: [new MyService()], cors: { origin: [page] } });

  it('answers a preflight from a listed origin with the methods of the path and the headers asked for', async () => {
    const asked = await send(`${served.url}/my-service/select/test?drop_duplicates=True`, 'OPTIONS', preflight(page, 'content-type, x-trace'));
    expect(asked.status).toBe(204);
    expect(asked.text).toBe('');
    expect(corsHeaders(asked.headers)).toEqual({
      'access-control-allow-origin': page,
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type, x-trace',
      'access-control-max-age': '600',
      vary: 'origin, access-control-request-headers',
    });
  });

  it('gives no permission to an origin it does not list', async () => {
    const asked = await send(`${served.url}/my-service/select/test`, 'OPTIONS', preflight('https://evil.example'));
    expect({ status: asked.status, cors: corsHeaders(asked.headers) }).toEqual({ status: 204, cors: {} });
    const call = await send(`${served.url}/my-service/select/test`, 'POST', { origin: 'https://evil.example' }, data);
    expect(corsHeaders(call.headers)).toEqual({});
  });

  it('lets the page read answers, errors included', async () => {
    const call = await send(`${served.url}/my-service/select/test`, 'POST', { origin: page, 'content-type': 'application/json' }, data);
    expect({ status: call.status, text: call.text, cors: corsHeaders(call.headers) }).toEqual({
      status: 200,
      text: '["example 1"]',
      cors: { 'access-control-allow-origin': page, vary: 'origin' },
    });
    const bad = await send(`${served.url}/my-service/select/test?drop_duplicates=maybe`, 'POST', { origin: page }, data);
    expect({ status: bad.status, cors: corsHeaders(bad.headers) }).toEqual({ status: 400, cors: { 'access-control-allow-origin': page, vary: 'origin' } });
    const docs = await send(`${served.url}/openapi.json`, 'GET', { origin: page });
    expect({ status: docs.status, origin: docs.headers['access-control-allow-origin'] }).toEqual({ status: 200, origin: page });
  });

  it('answers preflights for the GET-only paths, and a 404 for a path that is not served', async () => {
    const heartbeat = await send(`${served.url}/heartbeat`, 'OPTIONS', { ...preflight(page), 'access-control-request-method': 'GET' });
    expect({ status: heartbeat.status, methods: heartbeat.headers['access-control-allow-methods'] }).toEqual({ status: 204, methods: 'GET, HEAD' });
    const nowhere = await send(`${served.url}/nope/nothing`, 'OPTIONS', preflight(page));
    expect(nowhere.status).toBe(404);
  });
});

describe('other cors options', () => {
  const open = serveForTests({ services: [new MyService()], cors: { origin: '*', allowHeaders: ['content-type'], maxAgeSeconds: 60 } });
  const decided = serveForTests({
    services: [new MyService()],
    cors: { origin: (origin) => origin.endsWith('.example'), credentials: true },
  });

  it("allows any origin with '*', without Vary, and states a fixed header list", async () => {
    const asked = await send(`${open.url}/my-service/select/test`, 'OPTIONS', preflight('https://anyone.test', 'content-type, x-trace'));
    expect(corsHeaders(asked.headers)).toEqual({
      'access-control-allow-origin': '*',
      'access-control-allow-methods': 'POST',
      'access-control-allow-headers': 'content-type',
      'access-control-max-age': '60',
    });
  });

  it('asks the function about each origin, and allows credentials to those it allows', async () => {
    const call = await send(`${decided.url}/my-service/select/test`, 'POST', { origin: page }, data);
    expect(corsHeaders(call.headers)).toEqual({ 'access-control-allow-origin': page, 'access-control-allow-credentials': 'true', vary: 'origin' });
    const other = await send(`${decided.url}/my-service/select/test`, 'POST', { origin: 'https://app.test' }, data);
    expect(corsHeaders(other.headers)).toEqual({});
  });

  it("refuses credentials for origin '*' when the server is built", () => {
    expect(() => new Server({ services: [new MyService()], cors: { origin: '*', credentials: true } })).toThrow(
      "cors: credentials cannot be allowed for origin '*'",
    );
  });
});

