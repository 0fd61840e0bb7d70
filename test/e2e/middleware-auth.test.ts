/**
 * The guards on a real server: refused before the body is read (an upload is not consumed and the
 * implementation never runs), public endpoints through, 401 with WWW-Authenticate, 403 for a known
 * caller without the right, the principal in the implementation, and at the WebSocket handshake.
 */
import { type Server as HttpServer, createServer } from 'node:http';
import { type Socket, connect } from 'node:net';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { Bytes, Int, MarshalError, Void, endpoint, service, stream, unimplemented, websocket } from '@marshal/core';
import { RemoteError, closeClient, createClient } from '@marshal/client';
import { apiKeyAuth, bearerAuth, createRequestListener, currentCall, forEndpoint, forService, requirePrincipal } from '@marshal/server';
import { collectingLogger } from '../helpers/serve.js';
import { parseAnswers } from '../helpers/raw-http.js';

interface User {
  readonly id: string;
  readonly admin: boolean;
}

@service({ name: 'vault' })
class IVault {
  @endpoint({ params: [], returns: String, method: 'GET', access: 'public' })
  status(): Promise<string> { return unimplemented(); }

  @endpoint({ params: [], returns: String })
  whoami(): Promise<string> { return unimplemented(); }

  @endpoint({ params: [['data', stream(Bytes)]], returns: Int })
  store(data: AsyncIterable<Uint8Array>): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['key', String]], returns: Void })
  purge(key: string): Promise<void> { return unimplemented(); }

  @websocket({ params: [['greeting', String]], returns: String, forceJsonParams: true })
  hello(greeting: string): Promise<string> { return unimplemented(); }
}

@service({ name: 'ingest' })
class IIngest {
  @endpoint({ params: [['events', [String]]], returns: Int })
  send(events: string[]): Promise<number> { return unimplemented(); }
}

/** Counts the calls that reached it: a refused call must leave the counts alone. */
class Vault extends IVault {
  readonly reached = { status: 0, whoami: 0, store: 0, purge: 0, hello: 0 };
  override async status() { this.reached.status++; return 'open'; }
  override async whoami() { this.reached.whoami++; return (currentCall()?.principal as User).id; }
  override async store(data: AsyncIterable<Uint8Array>) {
    this.reached.store++;
    let size = 0;
    for await (const chunk of data) size += chunk.length;
    return size;
  }
  override async purge() { this.reached.purge++; }
  override async hello(greeting: string) { this.reached.hello++; return `${greeting}, ${(currentCall()?.principal as User).id}`; }
}

class Ingest extends IIngest {
  override async send(events: string[]) { return events.length; }
}

const users: Record<string, User> = { 'alice-token': { id: 'alice', admin: true }, 'bob-token': { id: 'bob', admin: false } };
const vault = new Vault();
const logger = collectingLogger();
/** The server's side of each connection, to read how many bytes it took from the client. */
const serverSockets: Socket[] = [];
let http: HttpServer;
let url = '';

beforeAll(async () => {
  const listener = createRequestListener({
    services: [vault, new Ingest()],
    middleware: [
      forService(IVault, bearerAuth({ tokens: users, realm: 'vault' })),
      forService(IIngest, apiKeyAuth({ keys: { 'ingest-key-1': 'ingester' } })),
      forEndpoint(IVault, 'purge', requirePrincipal<User>((user) => user.admin, 'only administrators may purge')),
    ],
    callContext: true,
    logger,
  });
  // As a host server mounts Marshal: upgrades for WebSocket endpoints, and requests that wait for
  // 100 Continue handed over as they come, so that Marshal sends it only for a body it will read.
  http = createServer(listener)
    .on('checkContinue', listener)
    .on('upgrade', listener.upgrade)
    .on('connection', (socket: Socket) => serverSockets.push(socket));
  http.listen(0, '127.0.0.1');
  await once(http, 'listening');
  const address = http.address();
  url = `http://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`;
});
afterAll(async () => {
  http.closeAllConnections();
  await new Promise((resolve) => http.close(resolve));
});

/** A call with fetch, its status, headers and JSON body. */
async function fetchJson(path: string, init: RequestInit = {}) {
  const response = await fetch(`${url}${path}`, init);
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
}

describe('bearerAuth on a real server', () => {
  it('lets a public endpoint through without credentials', async () => {
    const answer = await fetch(`${url}/vault/status`);
    expect(answer.status).toBe(200);
    expect(await answer.json()).toBe('open');
  });

  it('refuses a call without credentials with a 401 and a Bearer challenge, and never runs the implementation', async () => {
    const before = vault.reached.whoami;
    const answer = await fetchJson('/vault/whoami', { method: 'POST' });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="vault"');
    expect(answer.body).toEqual({ code: 'MARSHAL_ERR_UNAUTHORIZED', message: 'this endpoint needs a bearer token (Authorization: Bearer <token>)' });
    expect(vault.reached.whoami).toBe(before);
  });

  it('refuses a token it does not know with error="invalid_token"', async () => {
    const answer = await fetchJson('/vault/whoami', { method: 'POST', headers: { authorization: 'Bearer alice-token-forged' } });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="vault", error="invalid_token"');
    expect(answer.body.code).toBe('MARSHAL_ERR_UNAUTHORIZED');
  });

  it('hands the principal of a known token to the implementation, through Marshal’s client and its token provider', async () => {
    const api = createClient(IVault, url, { auth: { token: () => 'bob-token' } });
    try {
      await expect(api.whoami()).resolves.toBe('bob');
    } finally {
      await closeClient(api);
    }
  });

  it('lets a guard after it see the principal: 403 for a known caller without the right', async () => {
    const bob = createClient(IVault, url, { auth: { token: () => 'bob-token' } });
    const alice = createClient(IVault, url, { auth: { token: () => 'alice-token' } });
    try {
      const before = vault.reached.purge;
      const refusal = await bob.purge('k').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(RemoteError);
      expect(refusal).toMatchObject({ code: 'MARSHAL_ERR_FORBIDDEN', status: 403 });
      expect((refusal as Error).message).toContain('only administrators may purge');
      expect(vault.reached.purge).toBe(before);
      await alice.purge('k');
      expect(vault.reached.purge).toBe(before + 1);
    } finally {
      await Promise.all([closeClient(bob), closeClient(alice)]);
    }
  });

  it('is the client’s MarshalError with the same code, as an implementation’s refusal is', async () => {
    const api = createClient(IVault, url);
    try {
      const refusal = await api.whoami().catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(MarshalError);
      expect(refusal).toMatchObject({ code: 'MARSHAL_ERR_UNAUTHORIZED', status: 401 });
    } finally {
      await closeClient(api);
    }
  });
});

/**
 * Declares a 1 GiB upload without credentials and sends its headers, then body bytes for as long
 * as the connection lasts (or, with `Expect: 100-continue`, waits for an answer instead). Resolves
 * once the connection is over, with what came back and how many bytes the server read.
 */
async function uploadWithoutCredentials(headers: Record<string, string> = {}) {
  const head = Buffer.from(
    `POST /vault/store HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\nContent-Length: ${2 ** 30}\r\n${Object.entries(headers)
      .map(([name, value]) => `${name}: ${value}\r\n`)
      .join('')}\r\n`,
    'latin1',
  );
  const serversBefore = serverSockets.length;
  const socket = connect(Number(new URL(url).port), '127.0.0.1');
  const received: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => received.push(chunk));
  socket.on('error', () => undefined);
  const closed = new Promise((resolve) => socket.once('close', resolve));
  await once(socket, 'connect');
  socket.write(head);
  const sendBody = headers.Expect === undefined;
  const chunk = Buffer.alloc(64 * 1024);
  let sent = 0;
  // Without Expect, the client sends at once; with it, it waits for 100 Continue, which never comes.
  while (sendBody && !socket.destroyed && sent < 2 ** 30) {
    sent += chunk.length;
    if (!socket.write(chunk)) await new Promise((resolve) => socket.once('drain', resolve).once('close', resolve));
  }
  if (!sendBody) {
    await new Promise<void>((resolve) => socket.on('data', () => parseAnswers(Buffer.concat(received)).length > 0 && resolve()));
    socket.end();
  }
  await closed;
  const serverSide = serverSockets[serversBefore];
  if (!serverSide.destroyed) await once(serverSide, 'close');
  return { answers: parseAnswers(Buffer.concat(received)), text: Buffer.concat(received).toString('latin1'), serverRead: serverSide.bytesRead, head: head.length };
}

describe('a refused upload', () => {
  it('is answered 401 after its headers, read no further than the discard limit, and the connection closed', async () => {
    const before = vault.reached.store;
    const upload = await uploadWithoutCredentials();
    expect(upload.answers).toHaveLength(1);
    expect(upload.answers[0].status).toBe(401);
    expect(upload.answers[0].headers['www-authenticate']).toBe('Bearer realm="vault"');
    expect(upload.answers[0].headers.connection).toBe('close');
    expect(vault.reached.store).toBe(before);
    // 1 GiB declared; the server takes at most its discardLimit (4 MiB by default) and a socket read past it.
    expect(upload.serverRead).toBeLessThan(upload.head + 4 * 1024 * 1024 + 1024 * 1024);
  });

  it('is answered 401 without 100 Continue when the client waits for one: not a byte of its body is read', async () => {
    const before = vault.reached.store;
    const upload = await uploadWithoutCredentials({ Expect: '100-continue' });
    expect(upload.text).toMatch(/^HTTP\/1\.1 401 /);
    expect(upload.text).not.toContain('100 Continue');
    expect(upload.serverRead).toBe(upload.head);
    expect(vault.reached.store).toBe(before);
  });

  it('goes through with a token, the body handed to the implementation', async () => {
    const body = Buffer.alloc(3 * 1024 * 1024, 7);
    const answer = await fetch(`${url}/vault/store`, { method: 'POST', headers: { authorization: 'Bearer alice-token', 'content-type': 'application/octet-stream' }, body });
    expect(answer.status).toBe(200);
    expect(await answer.json()).toBe(body.length);
  });
});

describe('apiKeyAuth for one service', () => {
  it('refuses a call without the key, naming the header, and lets one with it through', async () => {
    const missing = await fetchJson('/ingest/send', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"events":["a"]}' });
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('ApiKey header="x-api-key"');
    const sent = await fetchJson('/ingest/send', { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'ingest-key-1' }, body: '{"events":["a","b"]}' });
    expect(sent).toMatchObject({ status: 200, body: 2 });
  });

  it('leaves the bearer-guarded service to its own guard', async () => {
    const answer = await fetchJson('/vault/whoami', { method: 'POST', headers: { 'x-api-key': 'ingest-key-1' } });
    expect(answer.headers.get('www-authenticate')).toBe('Bearer realm="vault"');
  });
});

describe('bearerAuth at the WebSocket handshake', () => {
  it('refuses the handshake with 401 and the challenge, before any frame', async () => {
    const before = vault.reached.hello;
    const socket = new WebSocket(`${url.replace('http', 'ws')}/vault/hello`);
    const [, response] = (await once(socket, 'unexpected-response')) as [unknown, import('node:http').IncomingMessage];
    expect(response.statusCode).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="vault"');
    // Abandoning a handshake that failed is an error for ws; it is the outcome wanted here.
    socket.on('error', () => undefined);
    socket.terminate();
    expect(vault.reached.hello).toBe(before);
  });

  it('accepts a handshake with a token, the principal in the implementation', async () => {
    const socket = new WebSocket(`${url.replace('http', 'ws')}/vault/hello`, { headers: { authorization: 'Bearer alice-token' } });
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'args', json: { greeting: 'hi' } }));
    const [message] = (await once(socket, 'message')) as [Buffer];
    expect(JSON.parse(message.toString())).toEqual({ type: 'result', value: 'hi, alice' });
    socket.close();
  });
});
