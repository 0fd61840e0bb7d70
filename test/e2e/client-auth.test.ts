/**
 * A client's token provider is asked for a token before each request, so the server sees a
 * refreshed token on the next call (and on the next attempt of a retried one); a call's own
 * authorization header is sent as given; a provider that fails fails the call unsent.
 */
import type { ServerResponse } from 'node:http';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { Bytes, Int, endpoint, service, stream, unimplemented } from '@marshal/core';
import { TransportError, closeClient, createClient } from '@marshal/client';
import { scriptedServer } from '../helpers/scripted-server.js';

@service({ name: 'vault' })
class IVault {
  @endpoint({ params: [['key', String]], returns: Int, idempotent: true })
  read(key: string): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['file', Bytes]], returns: Int })
  store(file: Uint8Array): Promise<number> { return unimplemented(); }

  @endpoint({ params: [['count', Int]], returns: stream(Int) })
  count(count: number): AsyncIterable<number> { return unimplemented(); }
}

/** A token that changes when `refresh()` is called, as a session's access token does. */
class Session {
  generation = 1;
  asked = 0;

  token = async (): Promise<string> => {
    this.asked++;
    return `token-${this.generation}`;
  };

  refresh(): void {
    this.generation++;
  }
}

describe('a client with a token provider', () => {
  const scripted = scriptedServer();
  const authorizations = (): unknown[] => scripted.requests.map((request) => request.headers.authorization);
  const clients: object[] = [];
  afterAll(() => Promise.all(clients.map(closeClient)));
  const client = (options: Parameters<typeof createClient>[2]) => {
    const api = createClient(IVault, scripted.url, options);
    clients.push(api);
    return api;
  };
  beforeEach(() => {
    scripted.requests.length = 0;
    scripted.script = (response) => response.writeHead(200, { 'content-type': 'application/json' }).end('7');
  });

  it('sends the token it gives for each request, a refreshed one from the next call on', async () => {
    const session = new Session();
    const api = client({ auth: { token: session.token } });
    await api.read('a');
    await api.read('b');
    session.refresh();
    await api.read('c');
    expect(authorizations()).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
    expect(session.asked).toBe(3);
  });

  it('sends it with uploads, streamed results and calls with options too', async () => {
    let n = 0;
    scripted.script = (response: ServerResponse, request) =>
      request.url.startsWith('/vault/count') ? response.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('1\n2\n') : response.writeHead(200, { 'content-type': 'application/json' }).end('7');
    const api = client({ auth: { token: () => `t${++n}` }, headers: { 'x-client': 'tests' } });
    await api.store(new Uint8Array(3));
    const items: number[] = [];
    for await (const item of api.count(2)) items.push(item);
    await api.read.with({ timeoutMs: 5000 })('a');
    expect(items).toEqual([1, 2]);
    expect(authorizations()).toEqual(['Bearer t1', 'Bearer t2', 'Bearer t3']);
    expect(scripted.requests.map((request) => request.headers['x-client'])).toEqual(['tests', 'tests', 'tests']);
  });

  it('asks again for each attempt of a retried call', async () => {
    const session = new Session();
    let answered = 0;
    scripted.script = (response) => {
      // The first answer says the server is restarting; the session refreshes meanwhile.
      if (answered++ === 0) {
        session.refresh();
        response.writeHead(503).end();
      } else response.writeHead(200, { 'content-type': 'application/json' }).end('7');
    };
    await expect(client({ auth: { token: session.token }, retry: { minDelayMs: 1, maxDelayMs: 5 } }).read('a')).resolves.toBe(7);
    expect(authorizations()).toEqual(['Bearer token-1', 'Bearer token-2']);
  });

  it("sends a call's own authorization header as given, without asking", async () => {
    const session = new Session();
    await client({ auth: { token: session.token } }).read.with({ headers: { Authorization: 'Bearer admin' } })('a');
    expect(authorizations()).toEqual(['Bearer admin']);
    expect(session.asked).toBe(0);
  });

  it('fails the call without sending it when the provider fails', async () => {
    const api = client({
      auth: {
        token: async () => {
          throw new Error('the refresh token has expired');
        },
      },
    });
    const error = await api.read('a').then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/^POST \/vault\/read\/a: no answer from http:\/\/127\.0\.0\.1:\d+: the token provider failed: the refresh token has expired$/);
    await expect(api.store.with({ timeoutMs: 5000 })(new Uint8Array(1))).rejects.toThrow('the token provider failed: the refresh token has expired');
    await expect(client({ auth: { token: () => '' } }).read('a')).rejects.toThrow('the token provider gave an empty string, not a token');
    expect(scripted.requests).toEqual([]);
  });

  it('refuses a provider that is not a function, and an authorization header beside it', () => {
    expect(() => client({ auth: { token: 'abc' as unknown as () => string } })).toThrow(new TypeError('auth.token must be a function that returns the bearer token'));
    expect(() => client({ auth: { token: () => 'abc' }, headers: { Authorization: 'Bearer x' } })).toThrow(
      new TypeError('give the client either auth or an authorization header in headers, not both'),
    );
  });

  it('sends no authorization without a provider', async () => {
    await client({}).read('a');
    expect(authorizations()).toEqual([undefined]);
  });
});
