/**
 * The WebSocket server under stress, with raw `ws` clients and raw TCP sockets: backpressure both
 * ways, clients that go away, limits and timeouts, pings, stopping, the frame order, many calls
 * at once, and mounting on a server of one's own.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import { Server, createRequestListener } from '@marshal/server';
import { serveForTests } from '../helpers/serve.js';
import { RawCall, bytesOf, texts, webSocketUrl } from '../helpers/raw-web-socket.js';
import { untilStill } from '../helpers/until-still.js';
import { Pressure, chunkSize, pressureRun } from '../helpers/web-socket-pressure.js';

const args = (json: object = {}) => ({ type: 'args', json });
const end = { type: 'end' };

describe('backpressure', () => {
  const served = serveForTests({ services: [new Pressure()] });
  const url = (path: string) => webSocketUrl(served.url, `/pressure/${path}`);

  it('holds a streamed result back while the client does not read, and lets it go on when it does', async () => {
    const run = pressureRun('slow reader');
    const call = new RawCall(url('endless/slow%20reader'), [args()]);
    await call.opened;
    call.socket.pause();
    await run.started.promise;
    const stalled = await untilStill(() => run.produced);
    // The socket buffers on both sides, plus 512 KiB queued: far less than an unbounded buffer would take.
    expect(stalled * chunkSize).toBeLessThan(32 * 1024 * 1024);
    expect(await untilStill(() => run.produced)).toBe(stalled);
    call.socket.resume();
    await new Promise<void>((resolve) => {
      const check = (): void => (run.produced > stalled + 64 ? resolve() : void setImmediate(check));
      check();
    });
    call.socket.terminate();
    await run.finallyRan.promise;
  });

  it('pauses a fast uploader while the implementation does not take its chunks, and reads the rest once it does', async () => {
    const run = pressureRun('fast uploader');
    const call = new RawCall(url('slow-sink/fast%20uploader'), [args(), { type: 'stream', name: 'data' }]);
    await call.opened;
    const chunks = 400; // 25 MiB
    for (let i = 0; i < chunks; i++) call.send(Buffer.alloc(chunkSize, i));
    call.send(end);
    await run.started.promise;
    // The server stops reading: what the client sent stays in its own buffer.
    const unsent = await untilStill(() => call.socket.bufferedAmount);
    expect(unsent).toBeGreaterThan(8 * 1024 * 1024);
    expect(run.consumed).toBe(chunkSize);
    run.gate.resolve();
    const { messages, close } = await call.outcome;
    expect(texts(messages)).toEqual([{ type: 'result', value: chunks * chunkSize }]);
    expect(close?.code).toBe(1000);
  });
});

describe('a client that goes away', () => {
  const served = serveForTests({ services: [new Pressure()] });
  const url = (path: string) => webSocketUrl(served.url, `/pressure/${path}`);

  it("stops the streamed result: its generator's finally runs within a second", async () => {
    const run = pressureRun('gone mid-stream');
    const call = new RawCall(url('gated/gone%20mid-stream'), [args()]);
    await call.received(2); // stream, first item
    await run.started.promise;
    const before = performance.now();
    call.socket.terminate();
    // The generator waits on a gate the test never opens: the call's end has to reach it.
    run.gate.resolve();
    await run.finallyRan.promise;
    expect(performance.now() - before).toBeLessThan(1000);
  });

  it("fails the implementation's input stream mid-upload", async () => {
    const run = pressureRun('gone mid-upload');
    const call = new RawCall(url('echo-chunks/gone%20mid-upload'), [args(), { type: 'stream', name: 'data' }, Buffer.alloc(10)]);
    await call.received(2); // stream, "10"
    call.socket.terminate();
    expect(String(await run.inputFailed.promise)).toMatch(/closed the connection/);
    await run.finallyRan.promise;
  });
});

describe('full duplex', () => {
  const served = serveForTests({ services: [new Pressure()] });

  it('sends output items while the input is still arriving', async () => {
    const call = new RawCall(webSocketUrl(served.url, '/pressure/echo-chunks/duplex'), [args(), { type: 'stream', name: 'data' }]);
    await call.opened;
    for (let i = 1; i <= 3; i++) {
      call.send(Buffer.alloc(i));
      // Each answer arrives before the next chunk is sent, and long before `end`.
      await call.received(1 + i);
    }
    call.send(end);
    const { messages, close } = await call.outcome;
    expect(texts(messages)).toEqual([{ type: 'stream' }, ...['1', '2', '3'].map((value) => ({ type: 'item', value })), { type: 'end' }]);
    expect(close?.code).toBe(1000);
  });
});

describe('frames in order, and frames out of order', () => {
  const served = serveForTests({ services: [new Pressure()] });
  const url = (path: string) => webSocketUrl(served.url, `/pressure/${path}`);
  const call = async (path: string, frames: (string | Buffer | object)[]) => {
    const { messages, close } = await new RawCall(url(path), frames).outcome;
    return { frames: texts(messages), close: close && `${close.code} ${close.reason}` };
  };
  const error = (status: number, code: string, extra: object = {}) => expect.objectContaining({ type: 'error', status, code, message: expect.any(String), ...extra });

  it('takes files in any order, and an absent optional one', async () => {
    const both = await call('files', [args({ label: 'a' }), { type: 'file', name: 'second' }, Buffer.alloc(3), { type: 'file_end' }, { type: 'file', name: 'first' }, Buffer.alloc(2), Buffer.alloc(5), { type: 'file_end' }]);
    expect(both).toEqual({ frames: [{ type: 'result', value: [{ name: 'a', size: 7 }, { name: 'second', size: 3 }] }], close: '1000 ' });
    const one = await call('files', [args({ label: 'b' }), { type: 'file', name: 'first' }, { type: 'file_end' }, { type: 'file', name: 'second', absent: true }]);
    expect(one).toEqual({ frames: [{ type: 'result', value: [{ name: 'b', size: 0 }] }], close: '1000 ' });
  });

  it('decodes a stream of values item by item', async () => {
    const items = [1, 2, 3, 4].map((value) => ({ type: 'item', value }));
    expect(await call('sum', [args(), { type: 'stream', name: 'values' }, ...items, end])).toEqual({ frames: [{ type: 'result', value: 10 }], close: '1000 ' });
  });

  it.each([
    ['a file before args', 'files', [{ type: 'file', name: 'first' }], 'MARSHAL_ERR_PROTOCOL', /expected an args frame first, got a file frame/],
    ['a file that is not a parameter', 'files', [args({ label: 'x' }), { type: 'file', name: 'third' }], 'MARSHAL_ERR_PROTOCOL', /got a file 'third'/],
    ['a file sent twice', 'files', [args({ label: 'x' }), { type: 'file', name: 'first', absent: false }, { type: 'file_end' }, { type: 'file', name: 'first' }], 'MARSHAL_ERR_PROTOCOL', /a file frame for second, got a file 'first'/],
    ['a required file said absent', 'files', [args({ label: 'x' }), { type: 'file', name: 'first', absent: true }], 'MARSHAL_ERR_MISSING_PARAMETER', /'first' is required/],
    ['binary data outside a file', 'files', [args({ label: 'x' }), Buffer.alloc(1)], 'MARSHAL_ERR_PROTOCOL', /got a binary frame/],
    ['an item in a byte stream', 'slow-sink/x', [args(), { type: 'stream', name: 'data' }, { type: 'item', value: 1 }], 'MARSHAL_ERR_PROTOCOL', /binary frames of the stream, then end, got an item frame/],
    ['binary data in a stream of values', 'sum', [args(), { type: 'stream' }, Buffer.alloc(1)], 'MARSHAL_ERR_PROTOCOL', /item frames of the stream/],
    ['a stream under another name', 'sum', [args(), { type: 'stream', name: 'other' }], 'MARSHAL_ERR_PROTOCOL', /the stream 'values'/],
    ['a frame after end', 'sum', [args(), { type: 'stream' }, end, { type: 'item', value: 1 }], 'MARSHAL_ERR_PROTOCOL', /nothing after end/],
    ['an unknown frame type', 'sum', [{ type: 'hello' }], 'MARSHAL_ERR_PROTOCOL', /unknown frame type "hello"/],
    ['a JSON array', 'sum', ['[1,2]'], 'MARSHAL_ERR_PROTOCOL', /JSON object with a "type"/],
    ['args that are not an object', 'files', [{ type: 'args', json: [1] }], 'MARSHAL_ERR_MALFORMED_JSON', /must be a JSON object/],
    ['an unknown parameter', 'files', [args({ label: 'x', extra: 1 })], 'MARSHAL_ERR_UNKNOWN_PARAMETER', /unknown parameter 'extra'/],
    ['a prototype key', 'files', ['{"type":"args","json":{"label":"x","__proto__":{"polluted":true}}}'], 'MARSHAL_ERR_UNKNOWN_PARAMETER', /__proto__/],
  ])('%s: an error frame and a close', async (_, path, frames, code, message) => {
    const { frames: received, close } = await call(path, frames);
    expect(received).toEqual([error(400, code)]);
    expect(received[0].message).toMatch(message);
    expect(close).toBe(`${code === 'MARSHAL_ERR_MALFORMED_JSON' ? 1007 : 1008} ${code}`);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a text frame that is not UTF-8 with an error frame and 1007', async () => {
    const call = new RawCall(url('sum'));
    await call.opened;
    call.socket.send(Buffer.from([0x7b, 0xff, 0x7d]), { binary: false });
    const { messages, close } = await call.outcome;
    expect(texts(messages)).toEqual([error(400, 'MARSHAL_ERR_MALFORMED_JSON', { message: 'a text frame is not valid UTF-8' })]);
    expect(close).toEqual({ code: 1007, reason: 'MARSHAL_ERR_MALFORMED_JSON' });
  });

  it('names the item of a stream that does not fit, by its index', async () => {
    const { frames, close } = await call('sum', [args(), { type: 'stream', name: 'values' }, { type: 'item', value: 1 }, { type: 'item', value: 'two' }]);
    expect(frames).toEqual([error(400, 'MARSHAL_ERR_BAD_PARAMETER', { parameter: 'values', issues: [expect.objectContaining({ path: 'values[1]', segments: ['values', 1] })] })]);
    expect(close).toBe('1008 MARSHAL_ERR_BAD_PARAMETER');
  });

  it('reports a failure before the first item and one mid-stream, with 1011 and no stack', async () => {
    expect(await call('fails/True', [args()])).toEqual({ frames: [{ type: 'stream' }, error(500, 'MARSHAL_ERR_HANDLER')], close: '1011 MARSHAL_ERR_HANDLER' });
    expect(await call('fails/False', [args()])).toEqual({
      frames: [{ type: 'stream' }, { type: 'item', value: 'one' }, error(500, 'MARSHAL_ERR_HANDLER')],
      close: '1011 MARSHAL_ERR_HANDLER',
    });
    expect(served.log.map((entry) => String((entry.object as { err?: Error }).err?.message))).toContain('failed mid-stream');
  });

  it('times a single result out with MARSHAL_ERR_TIMEOUT', async () => {
    expect(await call('never', [args()])).toEqual({ frames: [error(504, 'MARSHAL_ERR_TIMEOUT')], close: '1011 MARSHAL_ERR_TIMEOUT' });
  });
});

describe('limits and timeouts', () => {
  const fileLimit = 100_000;
  const messageLimit = 50_000;
  const served = serveForTests({ services: [new Pressure()], fileLimit, wsMessageLimit: messageLimit, wsIdleTimeoutMs: 300 });
  const url = (path: string) => webSocketUrl(served.url, `/pressure/${path}`);

  it('answers a message over the limit with an error frame and 1009', async () => {
    const { messages, close } = await new RawCall(url('slow-sink/x'), [args(), { type: 'stream', name: 'data' }, Buffer.alloc(messageLimit + 1)]).outcome;
    expect(texts(messages)).toEqual([expect.objectContaining({ type: 'error', status: 413, code: 'MARSHAL_ERR_MESSAGE_TOO_LARGE' })]);
    expect(close).toEqual({ code: 1009, reason: 'MARSHAL_ERR_MESSAGE_TOO_LARGE' });
  });

  it('does not read a message over twice the limit: 1009 at once', async () => {
    const { messages, close } = await new RawCall(url('slow-sink/x'), [args(), { type: 'stream', name: 'data' }, Buffer.alloc(2 * messageLimit + 1)]).outcome;
    expect(messages).toEqual([]);
    expect(close?.code).toBe(1009);
  });

  it('refuses a file over fileLimit, counted over its frames', async () => {
    const frames = [args({ label: 'x' }), { type: 'file', name: 'first' }, ...Array.from({ length: 3 }, () => Buffer.alloc(40_000))];
    const { messages, close } = await new RawCall(url('files'), frames).outcome;
    expect(texts(messages)).toEqual([expect.objectContaining({ type: 'error', status: 413, code: 'MARSHAL_ERR_BODY_TOO_LARGE', parameter: 'first' })]);
    expect(close).toEqual({ code: 1009, reason: 'MARSHAL_ERR_BODY_TOO_LARGE' });
  });

  it('times out a call whose args do not come, and one whose stream stalls', async () => {
    for (const frames of [[], [args(), { type: 'stream', name: 'values' }, { type: 'item', value: 1 }]]) {
      const { messages, close } = await new RawCall(url('sum'), frames).outcome;
      expect(texts(messages)).toEqual([expect.objectContaining({ type: 'error', status: 408, code: 'MARSHAL_ERR_REQUEST_TIMEOUT' })]);
      expect(close).toEqual({ code: 1008, reason: 'MARSHAL_ERR_REQUEST_TIMEOUT' });
    }
  });
});

describe('pings', () => {
  const served = serveForTests({ services: [new Pressure()], wsPingIntervalMs: 50 });

  it('keeps a call whose client answers pings', async () => {
    const run = pressureRun('pinged');
    const call = new RawCall(webSocketUrl(served.url, '/pressure/gated/pinged'), [args()]);
    await call.received(2);
    let pings = 0;
    await new Promise<void>((resolve) => call.socket.on('ping', () => ++pings === 5 && resolve()));
    run.gate.resolve();
    const { messages, close } = await call.outcome;
    expect(texts(messages).map((frame) => frame.value ?? frame.type)).toEqual(['stream', 'first', 'last', 'end']);
    expect(close?.code).toBe(1000);
  });

  it('drops a peer that does not answer', async () => {
    const run = pressureRun('silent peer');
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    socket.write(
      'GET /pressure/gated/silent%20peer HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n',
    );
    // A masked args frame, written by hand; pings are never answered.
    const payload = Buffer.from('{"type":"args"}');
    socket.write(Buffer.concat([Buffer.from([0x81, 0x80 | payload.length, 0, 0, 0, 0]), payload]));
    await run.started.promise;
    socket.resume();
    await once(socket, 'close');
    // The generator waits on its gate; once let go, it finds its call over.
    run.gate.resolve();
    await run.finallyRan.promise;
  });
});

describe('stopping', () => {
  it('closes calls still open after the grace period with an error frame and 1001, and refuses new ones with 503', async () => {
    const server = await new Server({ services: [new Pressure()], stopTimeoutMs: 100 }).start();
    const url = server.url;
    const run = pressureRun('stopped');
    const call = new RawCall(webSocketUrl(url, '/pressure/gated/stopped'), [args()]);
    await call.received(2);
    const stopped = server.stop();
    const late = await new RawCall(webSocketUrl(url, '/pressure/gated/late'), [args()]).outcome.catch((error: Error) => error);
    const { messages, close } = await call.outcome;
    await stopped;
    expect(texts(messages).at(-1)).toEqual(expect.objectContaining({ type: 'error', status: 503, code: 'MARSHAL_ERR_UNAVAILABLE' }));
    expect(close).toEqual({ code: 1001, reason: 'MARSHAL_ERR_UNAVAILABLE' });
    run.gate.resolve();
    await run.finallyRan.promise;
    // The listener may already be closed: then the late handshake is refused by the OS instead.
    if (!(late instanceof Error) && late.refused !== undefined) expect(late.refused.status).toBe(503);
  });

  it('lets calls that finish within the grace period end normally', async () => {
    const server = await new Server({ services: [new Pressure()], stopTimeoutMs: 5000 }).start();
    const run = pressureRun('finishing');
    const call = new RawCall(webSocketUrl(server.url, '/pressure/gated/finishing'), [args()]);
    await call.received(2);
    const stopped = server.stop();
    run.gate.resolve();
    const { messages, close } = await call.outcome;
    await stopped;
    expect(texts(messages).map((frame) => frame.value ?? frame.type)).toEqual(['stream', 'first', 'last', 'end']);
    expect(close?.code).toBe(1000);
  });
});

describe('many calls at once', () => {
  const served = serveForTests({ services: [new Pressure()] });

  it('completes 500 concurrent calls, each with its own answer', async () => {
    const calls = Array.from({ length: 500 }, (_, i) => new RawCall(webSocketUrl(served.url, `/pressure/count/${i % 7}`), [args()]).outcome);
    const outcomes = await Promise.all(calls);
    outcomes.forEach(({ messages, close }, i) => {
      const n = i % 7;
      expect(texts(messages)).toEqual([{ type: 'stream' }, ...Array.from({ length: n }, (_, k) => ({ type: 'item', value: `item ${k}` })), { type: 'end' }]);
      expect(close?.code).toBe(1000);
    });
  });
});

describe('the handshake', () => {
  const served = serveForTests({ services: [new Pressure()], cors: { origin: ['https://allowed.example'] } });
  const url = (path: string) => webSocketUrl(served.url, `/pressure/${path}`);

  it('refuses a page of another site unless CORS allows its origin', async () => {
    const refused = await new RawCall(url('count/1'), [args()], { origin: 'https://evil.example' }).outcome;
    expect(refused.refused?.status).toBe(403);
    expect(JSON.parse(refused.refused!.body)).toMatchObject({ code: 'MARSHAL_ERR_CROSS_SITE' });
    const allowed = await new RawCall(url('count/1'), [args()], { origin: 'https://allowed.example' }).outcome;
    expect(texts(allowed.messages).length).toBe(3);
  });

  it('refuses a malformed handshake with the JSON error body', async () => {
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    socket.write('GET /pressure/count/1 HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n');
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString()));
    await once(socket, 'close');
    expect(answer).toMatch(/^HTTP\/1.1 400 Bad Request\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'MARSHAL_ERR_BAD_REQUEST', message: expect.stringMatching(/Sec-WebSocket-Key/) });
  });

  it('refuses an upgrade to an HTTP route with 405, and to a path without parameters it needs with 400', async () => {
    const http = await new RawCall(webSocketUrl(served.url, '/openapi.json')).outcome;
    expect(http.refused?.status).toBe(404);
    const missing = await new RawCall(url('count')).outcome;
    expect(missing.refused?.status).toBe(400);
    expect(JSON.parse(missing.refused!.body)).toMatchObject({ code: 'MARSHAL_ERR_MISSING_PARAMETER', parameter: 'n' });
  });
});

describe('mounted on a server of one’s own', () => {
  it('serves WebSocket calls under a prefix, and leaves other upgrades to the host', async () => {
    const listener = createRequestListener({ services: [new Pressure()], prefix: '/rpc' });
    const host = createServer(listener);
    const other = new WebSocketServer({ noServer: true });
    host.on('upgrade', (request, socket, head) => {
      if (listener.upgrade(request, socket, head)) return;
      other.handleUpgrade(request, socket, head, (connection) => connection.close(4000, 'the host'));
    });
    await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
    const base = `http://127.0.0.1:${(host.address() as { port: number }).port}`;
    try {
      const marshal = await new RawCall(webSocketUrl(base, '/rpc/pressure/count/2'), [args()]).outcome;
      expect(texts(marshal.messages)).toEqual([{ type: 'stream' }, { type: 'item', value: 'item 0' }, { type: 'item', value: 'item 1' }, { type: 'end' }]);
      const hosts = await new RawCall(webSocketUrl(base, '/chat')).outcome;
      expect(hosts.close).toEqual({ code: 4000, reason: 'the host' });
      const unknown = await new RawCall(webSocketUrl(base, '/rpc/pressure/nothing')).outcome;
      expect(unknown.close).toEqual({ code: 4000, reason: 'the host' });
    } finally {
      host.closeAllConnections();
      await new Promise((resolve) => host.close(resolve));
    }
  });
});

describe('bytes out', () => {
  it('sends a stream(Bytes) result as binary frames', async () => {
    const server = await new Server({ services: [new Pressure()] }).start();
    try {
      const run = pressureRun('bytes out');
      const call = new RawCall(webSocketUrl(server.url, '/pressure/endless/bytes%20out'), [args()]);
      await call.received(4);
      call.socket.close(1000);
      const { messages } = await call.outcome;
      expect(texts(messages)[0]).toEqual({ type: 'stream' });
      expect(bytesOf(messages).length % chunkSize).toBe(0);
      await run.finallyRan.promise;
    } finally {
      await server.stop();
    }
  });
});
