/**
 * Server.stop(): in-flight calls finish and are answered in full, stop() resolves after them, and
 * the port takes no new connections from the moment stop() is called. Timing is driven by promises
 * the implementation resolves (Probe.slowEntered / slowRelease), never by sleeps.
 */
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

  it('can be called again once stopped', async () => {
    const server = await new Server({ services: [new Probe()] }).start();
    await server.stop();
    await expect(server.stop()).resolves.toBeUndefined();
  });
});
