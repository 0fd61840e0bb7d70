/**
 * Marshal mounted in servers it does not own, with createRequestListener: a plain node:http
 * server, Express 5 under `app.use('/rpc', …)` and Fastify 5 from an onRequest hook, each beside
 * routes of its own. Real servers on loopback, called by both clients (undici and fetch) with a
 * base URL that includes the mount path, and by raw fetch. Paths under the mount that Marshal
 * does not serve go on to the host (Express's and Fastify's own 404s); paths Marshal serves get
 * Marshal's answers, its 404s and 400s included.
 */
import { createServer, type IncomingMessage, type Server as HttpServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JsonObject, endpoint, optional, service, unimplemented } from '@marshal/core';
import { RemoteError, TransportError, closeClient, createClient } from '@marshal/client';
import { createClient as createFetchClient } from '@marshal/client/fetch';
import { createRequestListener } from '@marshal/server';
import { IMyService } from '../../examples/my-service/contract.js';
import { MyService } from '../../examples/my-service/my-service.js';
import { IAgentServer } from '../../examples/agent-server/contract.js';
import { AgentServer } from '../../examples/agent-server/agent-server.js';
import { InjectRequest, ThreadInfo, ThreadStatus } from '../../examples/agent-server/models.js';
import { call, expectError, post } from '../helpers/http.js';

const seed = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];
const clock = new Date('2026-01-27T21:20:36.000Z');

/** IMyService as a client that is out of date might have it: drop_duplicates as free text, which the server refuses. */
@service({ name: 'my-service' })
class IStaleMyService {
  @endpoint({ params: [['id', String], ['data', [JsonObject]], ['drop_duplicates', optional(String)]], returns: [String] })
  select(id: string, data: JsonObject[], drop_duplicates?: string): Promise<string[]> {
    return unimplemented();
  }
}

/** Fresh implementations for each host, so that the agent server's thread numbers start over. */
const services = (): object[] => [new MyService(), new AgentServer(() => clock)];

const clients: object[] = [];
afterAll(() => Promise.all(clients.map(closeClient)));
function client<T extends object>(contract: abstract new () => T, baseUrl: string, transport: 'undici' | 'fetch' = 'undici'): T {
  const api = transport === 'undici' ? createClient(contract, baseUrl) : createFetchClient(contract, baseUrl);
  clients.push(api);
  return api;
}

async function listen(server: HttpServer): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function close(server: HttpServer | undefined): Promise<void> {
  if (!server?.listening) return;
  const closed = new Promise((resolve) => server.close(resolve));
  server.closeAllConnections();
  await closed;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => ({ resolved: value }),
    (error: unknown) => error,
  );
}

/**
 * Everything a caller does with Marshal at `base` (a URL that includes the mount path): JSON calls
 * with a body through both clients and raw fetch, a GET endpoint with a DTO result rebuilt as its
 * class, a 400 with Marshal's JSON body, an implementation's 404 and a 405 (Marshal's answers,
 * not the host's), and the heartbeat.
 */
async function expectMarshalServes(base: string): Promise<void> {
  expect(await client(IMyService, base).select('test', seed, true)).toEqual(['example 1', 'example 2']);
  expect(await client(IMyService, base, 'fetch').select('test', seed, false)).toEqual(['example 1', 'example 2', 'example 1']);
  expect(await post(`${base}/my-service/select/test_1/?drop_duplicates=True`, { data: seed })).toMatchObject({ status: 200, body: ['example 3'] });

  const agents = client(IAgentServer, base);
  const reply = await agents.inject(Object.assign(new InjectRequest(), { to: 'planner', payload: { text: 'hello' } }));
  expect(reply).toEqual({ threadId: 'thread-1', messageId: 'message-1' });
  const thread = await client(IAgentServer, base, 'fetch').thread(reply.threadId);
  expect(thread).toBeInstanceOf(ThreadInfo);
  expect(thread.createdAt).toBeInstanceOf(Date);
  expect(thread.createdAt.toISOString()).toBe(clock.toISOString());
  expect(thread.status).toBe(ThreadStatus.ACTIVE);
  expect(await call(`${base}/agent-server/threads?status=active`)).toMatchObject({
    status: 200,
    body: [{ id: 'thread-1', status: 'active', participants: ['planner'], messageCount: 1, createdAt: clock.toISOString() }],
  });

  expectError(await post(`${base}/my-service/select/test?drop_duplicates=maybe`, { data: seed }), 400, {
    code: 'MARSHAL_ERR_BAD_PARAMETER',
    message: expect.stringContaining('"maybe"'),
    parameter: 'drop_duplicates',
    issues: [{ path: 'drop_duplicates', segments: ['drop_duplicates'], message: expect.stringContaining('"maybe"'), expected: 'True/true/1 or False/false/0', received: '"maybe"' }],
  });
  const badParameter = await rejection(client(IStaleMyService, base).select('test', seed, 'maybe'));
  expect(badParameter).toBeInstanceOf(RemoteError);
  expect(badParameter).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'drop_duplicates' });

  const missing = await rejection(agents.thread('missing'));
  expect(missing).toBeInstanceOf(RemoteError);
  expect(missing).toMatchObject({ status: 404, code: 'MARSHAL_ERR_NOT_FOUND', call: `GET ${new URL(base).pathname.replace(/\/$/, '')}/agent-server/thread/missing` });
  const wrongMethod = await call(`${base}/my-service/select/test`);
  expect(wrongMethod).toMatchObject({ status: 405, body: { code: 'MARSHAL_ERR_METHOD_NOT_ALLOWED' } });
  expect(wrongMethod.headers.get('allow')).toBe('POST');

  expect(await call(`${base}/heartbeat`)).toMatchObject({ status: 200, body: 'OK' });
}

describe('createRequestListener as the listener of http.createServer', () => {
  let whole: HttpServer;
  let prefixed: HttpServer;
  let shared: HttpServer;
  let wholeUrl = '';
  let prefixedUrl = '';
  let sharedUrl = '';
  /** For each request the shared server got: whether the listener had handed it on before it returned. */
  const handedOnBeforeReturn: boolean[] = [];

  beforeAll(async () => {
    whole = createServer(createRequestListener({ services: services() }));
    prefixed = createServer(createRequestListener({ services: services(), prefix: '/rpc' }));
    // A server with a route of its own: Marshal first, and what Marshal does not serve goes on to the server's routes.
    const marshal = createRequestListener({ services: services(), prefix: '/rpc' });
    const ownRoutes = (request: IncomingMessage, response: ServerResponse) => {
      const found = request.url === '/hello';
      response.writeHead(found ? 200 : 404, { 'content-type': 'text/plain' });
      response.end(found ? 'hello from the host' : `the host has no ${request.url}`);
    };
    shared = createServer((request, response) => {
      let handedOn = false;
      marshal(request, response, () => {
        handedOn = true;
        ownRoutes(request, response);
      });
      handedOnBeforeReturn.push(handedOn);
    });
    [wholeUrl, prefixedUrl, sharedUrl] = await Promise.all([listen(whole), listen(prefixed), listen(shared)]);
  });
  afterAll(() => Promise.all([close(whole), close(prefixed), close(shared)]));

  it('serves Marshal at the root of a server of its own', async () => {
    await expectMarshalServes(wholeUrl);
    expectError(await call(`${wholeUrl}/elsewhere`), 404, { code: 'MARSHAL_ERR_ROUTE_NOT_FOUND', message: 'no endpoint at "/elsewhere"' });
  });

  it('serves Marshal under the prefix, and answers paths outside it with its own 404', async () => {
    await expectMarshalServes(`${prefixedUrl}/rpc`);
    expect(await call(`${prefixedUrl}/rpc`)).toMatchObject({ status: 200, body: 'OK' });
    expect(await call(`${prefixedUrl}/rpc?x=1`)).toMatchObject({ status: 200, body: 'OK' });
    expectError(await call(`${prefixedUrl}/my-service/select/test`), 404, { code: 'MARSHAL_ERR_ROUTE_NOT_FOUND', message: 'no endpoint at "/my-service/select/test"' });
    // A path that only starts with the prefix's letters is not under it.
    expectError(await call(`${prefixedUrl}/rpcx/heartbeat`), 404, { code: 'MARSHAL_ERR_ROUTE_NOT_FOUND', message: 'no endpoint at "/rpcx/heartbeat"' });
  });

  it('hands what it does not serve to next, and decides that before it returns', async () => {
    await expectMarshalServes(`${sharedUrl}/rpc`);
    const served = handedOnBeforeReturn.length;
    expect(handedOnBeforeReturn).not.toContain(true);
    expect(await call(`${sharedUrl}/hello`)).toMatchObject({ status: 200, body: 'hello from the host' });
    expect(await call(`${sharedUrl}/rpc/no-such-service/x`)).toMatchObject({ status: 404, body: 'the host has no /rpc/no-such-service/x' });
    expect(await call(`${sharedUrl}/rpcx`)).toMatchObject({ status: 404, body: 'the host has no /rpcx' });
    // The Fastify hook below hijacks the reply only when Marshal took the request, so it needs this answer at once.
    expect(handedOnBeforeReturn.slice(served)).toEqual([true, true, true]);
  });
});

describe('Express 5: app.use("/rpc", createRequestListener(…))', () => {
  let server: HttpServer;
  let origin = '';

  beforeAll(async () => {
    const app = express();
    app.use('/rpc', createRequestListener({ services: services() }));
    // The app's body parser comes after Marshal: Marshal reads its own request bodies.
    app.use(express.json());
    app.get('/hello', (_request, response) => {
      response.json({ hello: 'from express' });
    });
    app.post('/echo', (request, response) => {
      response.json({ echoed: request.body as unknown });
    });
    server = createServer(app);
    origin = await listen(server);
  });
  afterAll(() => close(server));

  it('serves Marshal calls through the mount path', async () => {
    await expectMarshalServes(`${origin}/rpc`);
    expect(await call(`${origin}/rpc`)).toMatchObject({ status: 200, body: 'OK' });
  });

  it("leaves the app's own routes, and its JSON body parser, working", async () => {
    expect(await call(`${origin}/hello`)).toMatchObject({ status: 200, body: { hello: 'from express' } });
    expect(await post(`${origin}/echo`, { data: seed })).toMatchObject({ status: 200, body: { echoed: { data: seed } } });
  });

  it("hands paths under /rpc that Marshal does not serve to Express's own 404", async () => {
    for (const path of ['/rpc/no-such-service/select', '/rpc/my-service/no-such-endpoint', '/rpc/elsewhere']) {
      const answer = await post(`${origin}${path}`, { data: seed });
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^text\/html/);
      expect(answer.body).toContain(`Cannot POST ${path}`);
    }
  });
});

describe('Fastify 5: an onRequest hook that hands Marshal the raw request', () => {
  let app: FastifyInstance;
  let origin = '';

  beforeAll(async () => {
    app = Fastify();
    const marshal = createRequestListener({ services: services(), prefix: '/rpc' });
    // onRequest runs before Fastify reads the body. A request Marshal serves is hijacked (Fastify
    // sends nothing for it); any other goes on through Fastify's routes and 404.
    app.addHook('onRequest', (request, reply, done) => {
      let handedOn = false;
      marshal(request.raw, reply.raw, () => {
        handedOn = true;
        done();
      });
      if (!handedOn) reply.hijack();
    });
    app.get('/hello', async () => ({ hello: 'from fastify' }));
    app.post('/echo', async (request) => ({ echoed: request.body }));
    origin = await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(() => app?.close());

  it('serves Marshal calls under the prefix', async () => {
    await expectMarshalServes(`${origin}/rpc`);
    expect(await call(`${origin}/rpc`)).toMatchObject({ status: 200, body: 'OK' });
  });

  it("leaves Fastify's own routes, and its JSON body parsing, working", async () => {
    expect(await call(`${origin}/hello`)).toMatchObject({ status: 200, body: { hello: 'from fastify' } });
    expect(await post(`${origin}/echo`, { data: seed })).toMatchObject({ status: 200, body: { echoed: { data: seed } } });
  });

  it("hands paths under /rpc that Marshal does not serve to Fastify's own 404", async () => {
    for (const path of ['/rpc/no-such-service/select', '/rpc/my-service/no-such-endpoint', '/rpcx']) {
      const answer = await post(`${origin}${path}`, { data: seed });
      expect(answer).toMatchObject({ status: 404, body: { message: `Route POST:${path} not found`, error: 'Not Found', statusCode: 404 } });
    }
  });
});

describe('Express: express.json() mounted before Marshal', () => {
  // express.json() reads the body of every JSON request before Marshal sees it; Marshal then has
  // no body to read. Users must mount Marshal first (as above), or give the parser only their own routes.
  let direct: HttpServer;
  let afterAWait: HttpServer;
  let directUrl = '';
  let afterAWaitUrl = '';

  beforeAll(async () => {
    const first = express();
    first.use(express.json());
    first.use('/rpc', createRequestListener({ services: services() }));
    direct = createServer(first);
    // An asynchronous middleware between the parser and Marshal (a session store, an auth check)
    // that goes on once the request stream, read to its end by the parser, has closed.
    const second = express();
    second.use(express.json());
    second.use((request, _response, next) => {
      if (request.closed) next();
      else request.once('close', () => next());
    });
    second.use('/rpc', createRequestListener({ services: services() }));
    afterAWait = createServer(second);
    [directUrl, afterAWaitUrl] = await Promise.all([listen(direct), listen(afterAWait)]);
  });
  afterAll(() => Promise.all([close(direct), close(afterAWait)]));

  /** A JSON call must end in an answer from Marshal (its result or a RemoteError), not in a timeout. */
  async function expectAnAnswer(base: string): Promise<void> {
    const api = createClient(IMyService, base, { timeoutMs: 2000 });
    clients.push(api);
    const outcome = await rejection(api.select('test', seed, true));
    if (outcome instanceof TransportError) throw new Error(`no answer from Marshal: ${outcome.message}`);
    if (!(outcome instanceof RemoteError)) expect(outcome).toEqual({ resolved: ['example 1', 'example 2'] });
  }

  it('still answers a call without a JSON content type (the parser skips it)', async () => {
    const response = await fetch(`${directUrl}/rpc/my-service/select/test?drop_duplicates=True`, { method: 'POST', body: JSON.stringify({ data: seed }) });
    expect({ status: response.status, body: await response.json() }).toEqual({ status: 200, body: ['example 1', 'example 2'] });
  });

  it('answers a JSON call at once when the parser ran just before it (with an error: the body is gone)', async () => {
    await expectAnAnswer(`${directUrl}/rpc`);
  });

  // A request whose body was read, and whose 'close' event fired, before Marshal got it: no event will come, so Marshal answers at once.
  it('answers a JSON call when the parser ran earlier, with an asynchronous step in between', async () => {
    await expectAnAnswer(`${afterAWaitUrl}/rpc`);
  });
});

describe('the documentation of a mounted Marshal', () => {
  let server: HttpServer;
  let origin = '';

  beforeAll(async () => {
    const app = express();
    app.use('/rpc', createRequestListener({ services: services() }));
    server = createServer(app);
    origin = await listen(server);
  });
  afterAll(() => close(server));

  it('serves /openapi.json and /docs under the mount path', async () => {
    expect(await call(`${origin}/rpc/openapi.json`)).toMatchObject({ status: 200, body: { openapi: '3.1.0' } });
    const page = await call(`${origin}/rpc/docs`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<code>/my-service/select/');
  });

  it('links the docs page to the OpenAPI document under the same mount path', async () => {
    const page = `${origin}/rpc/docs`;
    const href = /href="([^"]*)">OpenAPI document/.exec((await call(page)).body as string)?.[1];
    expect(href).toBeDefined();
    expect(await call(new URL(href!, page).href)).toMatchObject({ status: 200, body: { openapi: '3.1.0' } });
  });

  // The document's server is '.', relative to where it is read from.
  it('gives tools that read /rpc/openapi.json the URLs of the endpoints under /rpc', async () => {
    const documentUrl = `${origin}/rpc/openapi.json`;
    const document = (await call(documentUrl)).body as { servers?: { url: string }[]; paths: Record<string, unknown> };
    expect(Object.keys(document.paths)).toContain('/my-service/select/{id}');
    // OpenAPI 3.1: no servers means a server at '/'; a relative server URL is relative to the document's URL.
    const serverUrl = new URL(document.servers?.[0]?.url ?? '/', documentUrl).href.replace(/\/$/, '');
    expect(await post(`${serverUrl}/my-service/select/test?drop_duplicates=True`, { data: seed })).toMatchObject({ status: 200, body: ['example 1', 'example 2'] });
  });
});
