/**
 * Server.stop(): in-flight calls finish and are answered in full, stop() resolves after them, the
 * port takes no new connections from the moment stop() is called, and a request that still
 * reaches the server on a busy connection gets a 503. Timing is driven by promises
 * the implementation resolves (Probe.slowEntered / slowRelease), never by sleeps.
 */
import { Server as HttpServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { Server } from '@marshal/server';
import { Probe } from '../helpers/probe-service.js';
import { call } from '../helpers/http.js';

/** Opens and closes one TCP connection; rejects with the socket error (ECONNREFUSED once the server is closed). */
function tryConnect(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve();
    });
    socket.once('error', reject);
  });
}

describe('Server.stop()', () => {
  it.each([
    ['a small', 10],
    ['an 8 MB', 8_000_000],
  ])('lets %s in-flight answer finish, resolves after it, and refuses new connections', async (_, size) => {
    const probe = new Probe();
    const server = await new Server({ services: [probe] }).start();
    const { url, port } = server;
    const events: string[] = [];
    void probe.slowReturned.promise.then(() => events.push('returned'));

    const slow = call(`${url}/probe/slow/${size}`, { method: 'POST' });
    await probe.slowEntered.promise;
    const stopped = server.stop().then(() => events.push('stopped'));

    await expect(tryConnect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    expect(events).toEqual([]);

    probe.slowRelease.resolve();
    const answer = await slow;
    await stopped;
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('x'.repeat(size));
    expect(events).toEqual(['returned', 'stopped']);
    await expect(tryConnect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(fetch(`${url}/heartbeat`)).rejects.toThrow(TypeError);
  });

  it('resolves at once when only idle keep-alive connections are open', async () => {
    const server = await new Server({ services: [new Probe()], stopTimeoutMs: 60_000 }).start();
    // global fetch keeps this connection open for reuse.
    expect((await call(`${server.url}/probe/lookup/1`)).status).toBe(200);
    const { port } = server;
    await server.stop();
    await expect(tryConnect(port)).rejects.toMatchObject({ code: 'ECONNREFUSED' });
  });

  it('cuts a call still running after stopTimeoutMs', async () => {
    const probe = new Probe();
    const server = await new Server({ services: [probe], stopTimeoutMs: 50 }).start();
    const slow = call(`${server.url}/probe/slow/1`, { method: 'POST' }).then(
      () => 'answered',
      () => 'connection cut',
    );
    await probe.slowEntered.promise;
    await server.stop();
    expect(await slow).toBe('connection cut');
    probe.slowRelease.resolve();
  });

  it('answers 503 to a request that arrives on a busy connection after stop()', async () => {
    const probe = new Probe();
    const server = await new Server({ services: [probe] }).start();
    // node:http emits 'request' as it parses each request; seeing the second one go by orders it after stop() without a sleep.
    let secondSeen!: () => void;
    const seen = new Promise<void>((resolve) => (secondSeen = resolve));
    const emit = HttpServer.prototype.emit;
    HttpServer.prototype.emit = function (this: HttpServer, event: string | symbol, ...args: unknown[]) {
      const result = (emit as (this: HttpServer, event: string | symbol, ...rest: unknown[]) => boolean).call(this, event, ...args);
      if (event === 'request' && (args[0] as { url?: string }).url === '/probe/lookup/2') secondSeen();
      return result;
    } as typeof emit;
    try {
      const socket = connect(server.port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
      const closed = new Promise((resolve) => socket.once('close', resolve));
      socket.write('POST /probe/slow/1 HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n');
      await probe.slowEntered.promise;
      const stopped = server.stop();
      // Pipelined on the same, busy connection: the server reads it while the first call still runs.
      socket.write('GET /probe/lookup/2 HTTP/1.1\r\nHost: x\r\n\r\n');
      await seen;
      probe.slowRelease.resolve();
      await Promise.all([closed, stopped]);
      const [first, second] = text.split(/(?=HTTP\/1\.1 )/);
      expect(first).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*\r\n\r\n"x"$/);
      expect(second).toMatch(/^HTTP\/1\.1 503 Service Unavailable\r\n/);
      expect(second.toLowerCase()).toContain('\r\nconnection: close\r\n');
      expect(JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4))).toEqual({ code: 'MARSHAL_ERR_UNAVAILABLE', message: 'the server is shutting down' });
    } finally {
      HttpServer.prototype.emit = emit;
    }
  });

  it('can be called again once stopped', async () => {
    const server = await new Server({ services: [new Probe()] }).start();
    await server.stop();
    await expect(server.stop()).resolves.toBeUndefined();
  });
});
