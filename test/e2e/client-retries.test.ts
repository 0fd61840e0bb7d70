/**
 * The client sends a call again only when the contract marks its endpoint idempotent: after a
 * connection refused or reset before any answer, and after 429, 502, 503 and 504, waiting as
 * Retry-After asks; never a call of another endpoint, nor one whose upload was a stream; an
 * abort ends the wait at once.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { type IncomingMessage, type Server as HttpServer, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Bytes, Int, MarshalError, endpoint, service, unimplemented } from '@marshal/core';
import { RemoteError, TransportError, closeClient, createClient, fetchTransport } from '@marshal/client';
import { createRequestListener } from '@marshal/server';
import { serveForTests } from '../helpers/serve.js';
import { scriptedServer } from '../helpers/scripted-server.js';

@service({ name: 'flaky' })
class IFlaky {
  @endpoint({ params: [['key', String]], returns: String, idempotent: true })
  read(key: string): Promise<string> { return unimplemented(); }

  @endpoint({ params: [['key', String]], returns: String })
  write(key: string): Promise<string> { return unimplemented(); }

  @endpoint({ params: [['file', Bytes]], returns: Int, idempotent: true })
  store(file: Uint8Array): Promise<number> { return unimplemented(); }
}

/** Each endpoint throws the errors queued in `failures`, one per call, then answers. */
class Flaky extends IFlaky {
  readonly calls = { read: 0, write: 0, store: 0 };
  failures: MarshalError[] = [];

  override async read(key: string): Promise<string> {
    this.calls.read++;
    this.#failNext();
    return `read ${key}`;
  }

  override async write(key: string): Promise<string> {
    this.calls.write++;
    this.#failNext();
    return `wrote ${key}`;
  }

  override async store(file: Uint8Array): Promise<number> {
    this.calls.store++;
    this.#failNext();
    return file.length;
  }

  reset(): void {
    this.calls.read = this.calls.write = this.calls.store = 0;
    this.failures = [];
  }

  #failNext(): void {
    const failure = this.failures.shift();
    if (failure) throw failure;
  }
}

const unavailable = (): MarshalError => new MarshalError('MARSHAL_ERR_UNAVAILABLE', 'restarting');
const tooMany = (): MarshalError => new MarshalError('MARSHAL_ERR_TOO_MANY_REQUESTS', 'slow down');
const timedOut = (): MarshalError => new MarshalError('MARSHAL_ERR_TIMEOUT', 'too slow');

/** Short waits, so that the tests take no longer than the retries they check. */
const quick = { minDelayMs: 1, maxDelayMs: 5 };

const clients: object[] = [];
function client(url: string, options: Parameters<typeof createClient>[2] = {}): ReturnType<typeof createClient<IFlaky>> {
  const api = createClient(IFlaky, url, options);
  clients.push(api);
  return api;
}
afterAll(() => Promise.all(clients.map(closeClient)));

async function failure(promise: Promise<unknown>): Promise<Error> {
  const error = await promise.then(() => undefined, (e: unknown) => e);
  expect(error).toBeInstanceOf(Error);
  return error as Error;
}

/** A node:http server in front of the Flaky service that drops the first `drops` requests' connections before answering. */
function droppingServer(flaky: Flaky): { url: string; drops: number; requests: number } {
  const state = { url: '', drops: 0, requests: 0 };
  const listener = createRequestListener({ services: [flaky] });
  let server: HttpServer | undefined;
  beforeAll(async () => {
    server = createServer((request: IncomingMessage, response: ServerResponse) => {
      state.requests++;
      if (state.drops > 0) {
        state.drops--;
        request.socket.destroy();
        return;
      }
      listener(request, response);
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

describe('retried answers', () => {
  const flaky = new Flaky();
  const served = serveForTests({ services: [flaky] });
  afterEach(() => flaky.reset());

  it('sends an idempotent call again after 503, 429 and 504, until it succeeds', async () => {
    flaky.failures = [unavailable(), tooMany(), timedOut()];
    await expect(client(served.url, { retry: { attempts: 4, ...quick } }).read('a')).resolves.toBe('read a');
    expect(flaky.calls.read).toBe(4);
  });

  it('gives up after its attempts (3 by default) with the last answer', async () => {
    flaky.failures = [unavailable(), unavailable(), tooMany(), unavailable()];
    const error = await failure(client(served.url, { retry: quick }).read('a'));
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ status: 429, code: 'MARSHAL_ERR_TOO_MANY_REQUESTS' });
    expect(flaky.calls.read).toBe(3);
  });

  it('never sends a call of an endpoint that is not idempotent twice', async () => {
    flaky.failures = [unavailable()];
    const error = await failure(client(served.url, { retry: quick }).write('a'));
    expect(error).toMatchObject({ status: 503, code: 'MARSHAL_ERR_UNAVAILABLE' });
    expect(flaky.calls.write).toBe(1);
    // Asking for retries in the call changes nothing.
    flaky.failures = [unavailable()];
    await expect(client(served.url).write.with({ retry: { attempts: 5, ...quick } })('b')).rejects.toMatchObject({ status: 503 });
    expect(flaky.calls.write).toBe(2);
  });

  it('does not retry other errors', async () => {
    flaky.failures = [new MarshalError('MARSHAL_ERR_CONFLICT', 'taken')];
    await expect(client(served.url, { retry: quick }).read('a')).rejects.toMatchObject({ status: 409 });
    expect(flaky.calls.read).toBe(1);
  });

  it('follows retry: false on the client, and a call’s own retry over it', async () => {
    flaky.failures = [unavailable(), unavailable()];
    const api = client(served.url, { retry: false });
    await expect(api.read('a')).rejects.toMatchObject({ status: 503 });
    expect(flaky.calls.read).toBe(1);
    await expect(api.read.with({ retry: { attempts: 2, ...quick } })('b')).resolves.toBe('read b');
    expect(flaky.calls.read).toBe(3);
    flaky.failures = [unavailable()];
    await expect(client(served.url, { retry: quick }).read.with({ retry: false })('c')).rejects.toMatchObject({ status: 503 });
    expect(flaky.calls.read).toBe(4);
  });

  it('retries a call with call options, and a bytes upload, which can be sent again', async () => {
    flaky.failures = [unavailable(), unavailable()];
    const api = client(served.url, { retry: quick });
    await expect(api.read.with({ timeoutMs: 5000 })('a')).resolves.toBe('read a');
    expect(flaky.calls.read).toBe(3);
    flaky.failures = [unavailable()];
    await expect(api.store(new Uint8Array(1000))).resolves.toBe(1000);
    expect(flaky.calls.store).toBe(2);
  });

  it('refuses retry options that cannot work', () => {
    expect(() => client(served.url, { retry: { attempts: 0 } })).toThrow(new TypeError('retry.attempts must be a whole number ≥ 1, got 0'));
    expect(() => client(served.url, { retry: { minDelayMs: 500, maxDelayMs: 100 } })).toThrow(new TypeError('retry.minDelayMs (500) is more than retry.maxDelayMs (100)'));
    expect(() => client(served.url).read.with({ retry: { maxDelayMs: -1 } })).toThrow(new TypeError('retry.maxDelayMs must be a number of milliseconds ≥ 0, got -1'));
  });
});

describe('connections that fail before any answer', () => {
  const flaky = new Flaky();
  const served = droppingServer(flaky);
  afterEach(() => {
    flaky.reset();
    served.requests = 0;
  });

  it('sends an idempotent call again after its connection was closed before the answer', async () => {
    served.drops = 2;
    await expect(client(served.url, { retry: quick }).read('a')).resolves.toBe('read a');
    expect([served.requests, flaky.calls.read]).toEqual([3, 1]);
    served.drops = 2;
    await expect(client(served.url, { retry: quick }).read.with({ headers: { 'x-call': '1' } })('b')).resolves.toBe('read b');
    expect([served.requests, flaky.calls.read]).toEqual([6, 2]);
  });

  it('does the same over fetch', async () => {
    served.drops = 2;
    await expect(client(served.url, { retry: quick, transport: fetchTransport }).read('a')).resolves.toBe('read a');
    expect([served.requests, flaky.calls.read]).toEqual([3, 1]);
  });

  it('does not send a call of an endpoint that is not idempotent again', async () => {
    served.drops = 1;
    const error = await failure(client(served.url, { retry: quick }).write('a'));
    expect(error).toBeInstanceOf(TransportError);
    expect(error.message).toMatch(/^POST \/flaky\/write\/a: no answer from/);
    expect([served.requests, flaky.calls.write]).toEqual([1, 0]);
  });

  it('does not send an upload again whose stream has been read', async () => {
    served.drops = 1;
    const chunks = Readable.from([new Uint8Array(10), new Uint8Array(20)]);
    await expect(client(served.url, { retry: quick }).store(chunks)).rejects.toBeInstanceOf(TransportError);
    expect([served.requests, flaky.calls.store]).toEqual([1, 0]);
    served.drops = 1;
    await expect(client(served.url, { retry: quick }).store(new Uint8Array(30))).resolves.toBe(30);
    expect([served.requests, flaky.calls.store]).toEqual([3, 1]);
  });

  it('sends an idempotent call again after its connection was refused', async () => {
    // A port nobody listens on; the server starts listening there when the first connection is refused.
    const flakyAgain = new Flaky();
    const server = createServer(createRequestListener({ services: [flakyAgain] }));
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const refusals: string[] = [];
    const onConnectError = (message: unknown): void => {
      const { connectParams, error } = message as { connectParams: { port: string | number }; error: { code?: string } };
      if (Number(connectParams.port) !== port) return;
      refusals.push(error.code ?? '');
      // Listening without a host binds at once, before the client's retry.
      if (!server.listening) server.listen(port);
    };
    subscribe('undici:client:connectError', onConnectError);
    const retrying = { retry: { minDelayMs: 20, maxDelayMs: 40 } };
    try {
      await expect(client(`http://127.0.0.1:${port}`, retrying).read('a')).resolves.toBe('read a');
      expect(refusals).toEqual(['ECONNREFUSED']);
      expect(flakyAgain.calls.read).toBe(1);
    } finally {
      unsubscribe('undici:client:connectError', onConnectError);
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
    // Not idempotent: refused once, failed once.
    await expect(client(`http://127.0.0.1:${port}`, retrying).write('b')).rejects.toMatchObject({ name: 'TransportError', code: 'ECONNREFUSED' });
    expect(flakyAgain.calls.write).toBe(0);
  });
});

describe('Retry-After and aborts', () => {
  const scripted = scriptedServer();
  const ok = (response: ServerResponse): void => {
    response.writeHead(200, { 'content-type': 'application/json' }).end('"done"');
  };

  it('waits as long as Retry-After asks, up to maxDelayMs', async () => {
    let answered = 0;
    scripted.script = (response) => {
      if (answered++ === 0) response.writeHead(503, { 'retry-after': '1' }).end();
      else ok(response);
    };
    const started = performance.now();
    await expect(client(scripted.url, { retry: { minDelayMs: 1, maxDelayMs: 10_000 } }).read('a')).resolves.toBe('done');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(answered).toBe(2);

    // An hour is more than maxDelayMs: the wait is maxDelayMs (the test would time out otherwise).
    answered = 0;
    scripted.script = (response) => {
      if (answered++ === 0) response.writeHead(429, { 'retry-after': '3600' }).end();
      else ok(response);
    };
    await expect(client(scripted.url, { retry: { minDelayMs: 1, maxDelayMs: 10 } }).read('b')).resolves.toBe('done');
    expect(answered).toBe(2);
  });

  it('reads Retry-After over fetch too', async () => {
    let answered = 0;
    scripted.script = (response) => {
      if (answered++ === 0) response.writeHead(503, { 'retry-after': '1' }).end();
      else ok(response);
    };
    const started = performance.now();
    await expect(client(scripted.url, { retry: { minDelayMs: 1, maxDelayMs: 10_000 }, transport: fetchTransport }).read('a')).resolves.toBe('done');
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
    expect(answered).toBe(2);
  });

  it('retries a 502 from a proxy (no Marshal error body), on the fast path and with options', async () => {
    let answered = 0;
    scripted.script = (response) => {
      if (answered++ % 2 === 0) response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad Gateway</h1>');
      else ok(response);
    };
    const api = client(scripted.url, { retry: quick });
    await expect(api.read('a')).resolves.toBe('done');
    await expect(api.read.with({ timeoutMs: 5000 })('b')).resolves.toBe('done');
    expect(answered).toBe(4);
  });

  it('stops waiting at once when the call is aborted', async () => {
    let answered = 0;
    const controller = new AbortController();
    scripted.script = (response, request) => {
      answered++;
      // The client lets go of a retryable answer by closing its connection, and then waits an hour.
      response.writeHead(503, { 'retry-after': '3600' });
      response.write('{');
      response.socket!.once('close', () => controller.abort(new Error('user left')));
      void request;
    };
    const started = performance.now();
    const error = await failure(client(scripted.url, { retry: { minDelayMs: 1, maxDelayMs: 3_600_000 } }).read.with({ signal: controller.signal })('a'));
    expect(error).toBeInstanceOf(TransportError);
    expect(error).toMatchObject({ code: 'ABORT_ERR', message: 'POST /flaky/read/a: aborted by the caller: user left' });
    expect(performance.now() - started).toBeLessThan(10_000);
    expect(answered).toBe(1);
  });
});
