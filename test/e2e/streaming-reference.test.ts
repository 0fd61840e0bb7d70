/**
 * The reference's streaming examples (its README, "WebSockets and Streaming") served by Marshal
 * and called with raw WebSocket frames, as the reference's own snippet calls them with
 * websocket-client: send `args`, expect `stream`, collect binary frames or items until `end`.
 * Then what docs/protocol.md section 14 adds: output that flows while input still arrives,
 * streams of values as parameters, the handshake's refusals as ordinary HTTP answers with the
 * JSON error body, and error frames followed by the close code of their kind.
 */
import WebSocket from 'ws';
import { describe, expect, it } from 'vitest';
import { Int, optional, service, stream, unimplemented, websocket } from '@marshal/core';
import { exampleServices } from '../../examples/services.js';
import { serveForTests } from '../helpers/serve.js';
import { call, expectError, issue } from '../helpers/http.js';
import { rawExchange } from '../helpers/raw-http.js';

/** A frame from the server: a text frame's JSON object, `{ binary }` for a binary frame, or `{ close, reason }` for the close that ended the connection. */
type Frame = Readonly<Record<string, unknown>>;

/** One WebSocket call's connection: frames are sent as JSON text (objects), raw text (strings) or binary (buffers), and read in order. */
class Connection {
  private readonly arrived: Frame[] = [];
  private readonly waiting: ((frame: Frame) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data: Buffer, isBinary) => this.push(isBinary ? { binary: data } : (JSON.parse(data.toString('utf8')) as Frame)));
    socket.on('close', (code, reason) => this.push({ close: code, reason: reason.toString('utf8') }));
  }

  static open(url: string): Promise<Connection> {
    const socket = new WebSocket(url);
    const connection = new Connection(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(connection));
      socket.once('error', reject);
    });
  }

  send(frame: object | string | Buffer): void {
    if (Buffer.isBuffer(frame)) this.sendRaw(frame, true);
    else this.sendRaw(Buffer.from(typeof frame === 'string' ? frame : JSON.stringify(frame)), false);
  }

  /** Bytes in a binary frame, or in a text frame whether or not they are UTF-8. */
  sendRaw(bytes: Buffer, binary: boolean): void {
    this.socket.send(bytes, { binary });
  }

  next(): Promise<Frame> {
    const frame = this.arrived.shift();
    return frame === undefined ? new Promise((resolve) => this.waiting.push(resolve)) : Promise.resolve(frame);
  }

  /** Every frame still to come, up to and with the close. */
  async rest(): Promise<Frame[]> {
    const frames: Frame[] = [];
    for (;;) {
      const frame = await this.next();
      frames.push(frame);
      if ('close' in frame) return frames;
    }
  }

  private push(frame: Frame): void {
    const waiter = this.waiting.shift();
    if (waiter) waiter(frame);
    else this.arrived.push(frame);
  }
}

/** How the server refused a handshake: its HTTP answer. */
function refusal(url: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: unknown }> {
  const socket = new WebSocket(url, { headers });
  return new Promise((resolve, reject) => {
    socket.once('open', () => reject(new Error(`the handshake to ${url} was accepted`)));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
    });
  });
}

const item = (value: unknown) => ({ type: 'item', value });
const normalClose = { close: 1000, reason: '' };

/** The error frame of §14.3 for an error body, and the close that follows it. */
function errorFrames(close: number, status: number, body: { code: string; [key: string]: unknown }): Frame[] {
  return [{ type: 'error', status, ...body }, { close, reason: body.code }];
}

@service({ name: 'ws-faults' })
class IWsFaults {
  /** `count` lines; with `fail_after`, the implementation throws once it has yielded that many. */
  @websocket({ params: [['count', Int], ['fail_after', optional(Int)]], returns: stream(String) })
  lines(count: number, fail_after?: number | null): AsyncIterable<string> {
    return unimplemented();
  }
}

class WsFaults extends IWsFaults {
  override async *lines(count: number, failAfter?: number | null) {
    for (let i = 0; i < count; i++) {
      if (i === failAfter) throw new TypeError('the model crashed');
      yield `line:${i}`;
    }
  }
}

const served = serveForTests({ services: [...exampleServices(), new WsFaults()] });
const ws = (path: string) => served.url.replace(/^http/, 'ws') + path;

describe("the reference's streaming service, called as its snippet calls it", () => {
  it('binary_chunks: binary frames until end, reassembled to the payload', async () => {
    const socket = await Connection.open(ws('/streaming-service/binary-chunks'));
    socket.send({ type: 'args', json: { payload: 'hello world' } });
    expect(await socket.next()).toEqual({ type: 'stream' });
    const chunks: Buffer[] = [];
    for (let frame = await socket.next(); frame.type !== 'end'; frame = await socket.next()) {
      expect(Buffer.isBuffer(frame.binary), `a binary frame, not ${JSON.stringify(frame)}`).toBe(true);
      chunks.push(frame.binary as Buffer);
    }
    expect(Buffer.concat(chunks).toString('utf8')).toBe('hello world');
    expect(chunks.map(String)).toEqual(['hel', 'lo ', 'wor', 'ld']);
    expect(await socket.next()).toEqual(normalClose);
  });

  it('text_lines: item frames until end', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.send({ type: 'args', json: { count: 3 } });
    expect(await socket.next()).toEqual({ type: 'stream' });
    const lines: unknown[] = [];
    for (let frame = await socket.next(); frame.type !== 'end'; frame = await socket.next()) {
      expect(frame).toMatchObject({ type: 'item' });
      lines.push(frame.value);
    }
    expect(lines).toEqual(['line:0', 'line:1', 'line:2']);
    expect(await socket.next()).toEqual(normalClose);
  });

  it('token_stream: item frames of Token DTOs until end', async () => {
    const socket = await Connection.open(ws('/streaming-service/token-stream'));
    socket.send({ type: 'args', json: { prompt: 'hello world' } });
    expect(await socket.rest()).toEqual([{ type: 'stream' }, item({ text: 'hello', index: 0 }), item({ text: 'world', index: 1 }), { type: 'end' }, normalClose]);
  });

  it('an empty stream is stream, then end', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.send({ type: 'args', json: { count: 0 } });
    expect(await socket.rest()).toEqual([{ type: 'stream' }, { type: 'end' }, normalClose]);
  });
});

describe('streams in and out at once (docs/protocol.md 14.2)', () => {
  // Each answer is awaited before the next piece of input is sent: a server that held its output
  // until the client's end would leave these tests waiting until they time out.
  it('transcriber: a word comes back before the client has sent end', async () => {
    const socket = await Connection.open(ws('/transcriber/transcribe/en'));
    socket.send({ type: 'args', json: {} });
    socket.send({ type: 'stream', name: 'audio' });
    socket.send(Buffer.from('hello wo'));
    expect(await socket.next()).toEqual({ type: 'stream' });
    expect(await socket.next()).toEqual(item({ text: 'hello', index: 0 }));
    socket.send(Buffer.from('rld and '));
    expect(await socket.next()).toEqual(item({ text: 'world', index: 1 }));
    expect(await socket.next()).toEqual(item({ text: 'and', index: 2 }));
    // A character split across two frames is one character of one word.
    const word = Buffer.from('wörds');
    socket.send(word.subarray(0, 2));
    socket.send(word.subarray(2));
    socket.send({ type: 'end' });
    expect(await socket.rest()).toEqual([item({ text: 'wörds', index: 3 }), { type: 'end' }, normalClose]);
  });

  it('transcriber transcribe_file: a file in binary frames, then one result frame', async () => {
    const socket = await Connection.open(ws('/transcriber/transcribe-file/de'));
    for (const frame of [{ type: 'args' }, { type: 'file', name: 'audio' }, Buffer.from('eins zw'), Buffer.from('ei'), { type: 'file_end' }]) socket.send(frame);
    expect(await socket.rest()).toEqual([{ type: 'result', value: [{ text: 'eins', index: 0 }, { text: 'zwei', index: 1 }] }, normalClose]);
  });

  it('value-streams echo: item frames in, item frames out as they come', async () => {
    const socket = await Connection.open(ws('/value-streams/echo'));
    socket.send({ type: 'args', json: { prefix: '> ' } });
    socket.send({ type: 'stream', name: 'lines' });
    socket.send({ type: 'item', value: 'one' });
    expect(await socket.next()).toEqual({ type: 'stream' });
    expect(await socket.next()).toEqual(item('> one'));
    socket.send({ type: 'item', value: 'two' });
    expect(await socket.next()).toEqual(item('> two'));
    socket.send({ type: 'end' });
    expect(await socket.rest()).toEqual([{ type: 'end' }, normalClose]);
  });

  it('value-streams sum: a stream of values in, one result frame out', async () => {
    const socket = await Connection.open(ws('/value-streams/sum'));
    socket.send({ type: 'args' });
    socket.send({ type: 'stream', name: 'numbers' });
    for (const n of [1, 2, 3, 4]) socket.send({ type: 'item', value: n });
    socket.send({ type: 'end' });
    expect(await socket.rest()).toEqual([{ type: 'result', value: 10 }, normalClose]);
  });
});

describe('handshakes refused with an HTTP answer (docs/protocol.md 14.1)', () => {
  it('an unknown route: 404 with the JSON error body', async () => {
    const answer = await refusal(ws('/no-such-service/stream'));
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 404, body: { code: 'MARSHAL_ERR_ROUTE_NOT_FOUND', message: expect.any(String) } });
    expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
  });

  it('an HTTP endpoint: 405 with Allow', async () => {
    const answer = await refusal(ws('/file-service/json-only'));
    expect(answer).toMatchObject({ status: 405, headers: { allow: 'POST' }, body: { code: 'MARSHAL_ERR_METHOD_NOT_ALLOWED' } });
  });

  it.each([
    ['a missing path parameter', '/transcriber/transcribe', 'MARSHAL_ERR_MISSING_PARAMETER', 'language', [issue('language', 'missing: required in the URL path: /transcriber/transcribe/<language>')]],
    ['a path parameter of the wrong type', '/ws-faults/lines/three', 'MARSHAL_ERR_BAD_PARAMETER', 'count', [issue('count', 'expected an integer, got "three"')]],
    ['a query parameter of the wrong type', '/ws-faults/lines/3?fail_after=soon', 'MARSHAL_ERR_BAD_PARAMETER', 'fail_after', [issue('fail_after', 'expected an integer, got "soon"')]],
  ])('%s: 400 with issues', async (_, path, code, parameter, issues) => {
    const answer = await refusal(ws(path));
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 400, body: { code, message: expect.any(String), parameter, issues } });
  });

  it('a handshake without Sec-WebSocket-Key: 400 MARSHAL_ERR_BAD_REQUEST', async () => {
    const { host } = new URL(served.url);
    const request = `GET /streaming-service/text-lines HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`;
    const [answer] = await rawExchange(served.url, request, 1);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ code: 'MARSHAL_ERR_BAD_REQUEST' });
  });

  it.each(['POST', 'GET'])('a plain HTTP %s to a WebSocket endpoint: 426 with Upgrade: websocket', async (method) => {
    const answer = await call(`${served.url}/streaming-service/text-lines`, method === 'POST' ? { method, headers: { 'content-type': 'application/json' }, body: '{"count":3}' } : { method });
    expectError(answer, 426, { code: 'MARSHAL_ERR_UPGRADE_REQUIRED', message: expect.any(String) });
    expect(answer.headers.get('upgrade')).toBe('websocket');
  });
});

describe('error frames and their close codes (docs/protocol.md 14.3)', () => {
  it('a bad argument: the HTTP error body with type and status, close 1008', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.send({ type: 'args', json: { count: 'three' } });
    const message = 'expected an integer, got "three"';
    expect(await socket.rest()).toEqual(
      errorFrames(1008, 400, { code: 'MARSHAL_ERR_BAD_PARAMETER', message: `parameter 'count': ${message}`, parameter: 'count', issues: [issue('count', message)] }),
    );
  });

  it('an unknown argument: 400 MARSHAL_ERR_UNKNOWN_PARAMETER, close 1008', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.send({ type: 'args', json: { count: 1, extra: true } });
    const [frame, close] = await socket.rest();
    expect(frame).toMatchObject({ type: 'error', status: 400, code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', parameter: 'extra' });
    expect(close).toEqual({ close: 1008, reason: 'MARSHAL_ERR_UNKNOWN_PARAMETER' });
  });

  it('a text frame that is not JSON: 400 MARSHAL_ERR_MALFORMED_JSON, close 1007', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.send('{"type":"args","json":{"count":3}');
    const [frame, close] = await socket.rest();
    expect(frame).toMatchObject({ type: 'error', status: 400, code: 'MARSHAL_ERR_MALFORMED_JSON', message: expect.any(String) });
    expect(close).toEqual({ close: 1007, reason: 'MARSHAL_ERR_MALFORMED_JSON' });
  });

  it('a text frame that is not UTF-8: close 1007', async () => {
    const socket = await Connection.open(ws('/streaming-service/text-lines'));
    socket.sendRaw(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), false);
    // Section 14.3 has a MALFORMED_JSON error frame come first; the ws library closes the connection
    // before Marshal sees the frame, so there is none, and no reason: only the close code is checked.
    expect((await socket.rest()).at(-1)).toMatchObject({ close: 1007 });
  });

  it.each([
    ['a binary frame before args', '/streaming-service/text-lines', [Buffer.from('hi')]],
    ['an item frame before args', '/streaming-service/text-lines', [{ type: 'item', value: 1 }]],
    ['a frame of an unknown type', '/streaming-service/text-lines', [{ type: 'hello' }]],
    ['JSON that is not an object', '/streaming-service/text-lines', ['[1]']],
    ['args twice', '/value-streams/echo', [{ type: 'args', json: { prefix: '>' } }, { type: 'args', json: { prefix: '>' } }]],
    ['a stream frame naming another parameter', '/value-streams/echo', [{ type: 'args', json: { prefix: '>' } }, { type: 'stream', name: 'prefix' }]],
    ['a binary frame in a stream of values', '/value-streams/echo', [{ type: 'args', json: { prefix: '>' } }, { type: 'stream', name: 'lines' }, Buffer.from('hi')]],
    ['an item frame in a byte stream', '/transcriber/transcribe/en', [{ type: 'args' }, { type: 'stream', name: 'audio' }, { type: 'item', value: 'hi' }]],
    ['a file frame naming a parameter that is not a file', '/transcriber/transcribe-file/en', [{ type: 'args' }, { type: 'file', name: 'language' }]],
    ['a stream frame before the files', '/transcriber/transcribe-file/en', [{ type: 'args' }, { type: 'stream', name: 'audio' }]],
    ['a text frame inside a file', '/transcriber/transcribe-file/en', [{ type: 'args' }, { type: 'file', name: 'audio' }, { type: 'end' }]],
  ])('%s: 400 MARSHAL_ERR_PROTOCOL, close 1008', async (_, path, frames) => {
    const socket = await Connection.open(ws(path));
    for (const frame of frames) socket.send(frame);
    const rest = await socket.rest();
    // Output may have started before the frame out of order; the error frame and the close end the call.
    expect(rest.slice(-2)).toEqual(errorFrames(1008, 400, { code: 'MARSHAL_ERR_PROTOCOL', message: expect.any(String) }));
    expect(rest.slice(0, -2).every((frame) => frame.type === 'stream')).toBe(true);
  });

  it('a bad item of a stream of values: 400, close 1008', async () => {
    const socket = await Connection.open(ws('/value-streams/sum'));
    for (const frame of [{ type: 'args' }, { type: 'stream', name: 'numbers' }, item(1), item('two'), { type: 'end' }]) socket.send(frame);
    const [frame, close] = await socket.rest();
    expect(frame).toMatchObject({ type: 'error', status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'numbers' });
    expect(close).toEqual({ close: 1008, reason: 'MARSHAL_ERR_BAD_PARAMETER' });
  });

  it("the implementation's refusal (a MarshalError with a 4xx code) before its stream: close 1008", async () => {
    const socket = await Connection.open(ws('/transcriber/transcribe/xx'));
    socket.send({ type: 'args' });
    expect(await socket.rest()).toEqual(
      errorFrames(1008, 422, { code: 'MARSHAL_ERR_INVALID', message: "no model for the language 'xx'", parameter: 'language', data: { languages: ['en', 'de', 'fr'] } }),
    );
  });

  it('the implementation throwing mid-stream: the items so far, then 500 MARSHAL_ERR_HANDLER, close 1011', async () => {
    const socket = await Connection.open(ws('/ws-faults/lines/5?fail_after=2'));
    socket.send({ type: 'args' });
    const frames = await socket.rest();
    expect(frames.slice(0, 3)).toEqual([{ type: 'stream' }, item('line:0'), item('line:1')]);
    expect(frames.slice(3)).toEqual(errorFrames(1011, 500, { code: 'MARSHAL_ERR_HANDLER', message: 'the implementation failed; the server has logged the error' }));
    const logged = served.log.map((entry) => (entry.object as { err?: unknown }).err).find((err) => err instanceof TypeError);
    expect((logged as Error).message).toBe('the model crashed');
  });
});


describe('limits (docs/protocol.md 14.4)', () => {
  const limited = serveForTests({ services: exampleServices(), wsMessageLimit: 1024, wsIdleTimeoutMs: 300 });
  const open = (path: string) => Connection.open(limited.url.replace(/^http/, 'ws') + path);
  /** An args frame of exactly `size` bytes. */
  const argsOfSize = (size: number) => {
    const frame = (payload: string) => JSON.stringify({ type: 'args', json: { payload } });
    return frame('x'.repeat(size - frame('').length));
  };

  it('a text message over wsMessageLimit: 413 MARSHAL_ERR_MESSAGE_TOO_LARGE, close 1009', async () => {
    const socket = await open('/streaming-service/binary-chunks');
    socket.send(argsOfSize(1500));
    expect(await socket.rest()).toEqual(
      errorFrames(1009, 413, { code: 'MARSHAL_ERR_MESSAGE_TOO_LARGE', message: 'a WebSocket message of 1500 bytes is larger than the 1024 this server takes' }),
    );
  });

  it('a binary message over wsMessageLimit in a byte stream: the same', async () => {
    const socket = await open('/transcriber/transcribe/en');
    for (const frame of [{ type: 'args' }, { type: 'stream', name: 'audio' }, Buffer.alloc(1025, 'a')]) socket.send(frame);
    const rest = await socket.rest();
    expect(rest.slice(-2)).toEqual(errorFrames(1009, 413, { code: 'MARSHAL_ERR_MESSAGE_TOO_LARGE', message: expect.any(String) }));
  });

  it('a message over twice the limit is not read: close 1009 without an error frame', async () => {
    const socket = await open('/streaming-service/binary-chunks');
    socket.send(argsOfSize(4096));
    const [close, ...after] = await socket.rest();
    expect(close).toMatchObject({ close: 1009 });
    expect(after).toEqual([]);
  });

  it('a message at the limit is read', async () => {
    const socket = await open('/streaming-service/binary-chunks');
    socket.send(argsOfSize(1024));
    const frames = await socket.rest();
    expect(frames.slice(-2)).toEqual([{ type: 'end' }, normalClose]);
  });

  it('no args within wsIdleTimeoutMs: 408 MARSHAL_ERR_REQUEST_TIMEOUT, close 1008', async () => {
    const socket = await open('/streaming-service/text-lines');
    const [frame, close] = await socket.rest();
    expect(frame).toMatchObject({ type: 'error', status: 408, code: 'MARSHAL_ERR_REQUEST_TIMEOUT' });
    expect(close).toEqual({ close: 1008, reason: 'MARSHAL_ERR_REQUEST_TIMEOUT' });
  });
});
