/**
 * The client's `@websocket` calls, over both connectors (`ws` from the Node entry, the WHATWG
 * WebSocket from the fetch entry: undici's, which Node 22 has as its global), against a real
 * server on loopback hosting the WebSocket probe: every result form and input form, path and
 * query parameters, full duplex, error frames, leaving early, aborts, a server killed mid-stream
 * and 500 calls at once. A scripted `ws` server shows the frames the client sends, and what it
 * makes of frames a Marshal server never sends.
 */
import { getEventListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocket as UndiciWebSocket } from 'undici';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Bytes, Int, Json, type JsonValue, service, stream, unimplemented, websocket } from '@marshal/core';
import { type Client, type CreateClient, type FileArgument, RemoteError, TransportError, type WebSocketConnector, closeClient, createClient, fileFrom } from '@marshal/client';
import { createClient as createFetchClient } from '@marshal/client/fetch';
import { Fork } from '@marshal/testing';
import { type ScriptedConnection, scriptedWebSocketServer } from '../helpers/scripted-websocket-server.js';
import { serveForTests } from '../helpers/serve.js';
import { Latch, probeRun } from '../helpers/stream-probe.js';
import { IWebSocketProbe, Sample, WebSocketProbe, digestOf } from '../helpers/websocket-probe.js';

const served = serveForTests({ services: [new WebSocketProbe()] });
const probeServer = fileURLToPath(new URL('../fixtures/websocket-probe-server.ts', import.meta.url));

/**
 * The probe's contract as a careless client has it: `times` and `tags` of any JSON, and samples
 * of any JSON, so that the server is the one to refuse them.
 */
@service({ name: 'ws-probe' })
class ICarelessProbe {
  @websocket({ params: [['name', String], ['times', String]], returns: String })
  greet(name: string, times: string): Promise<string> {
    return unimplemented();
  }

  @websocket({ params: [['label', String], ['first', Bytes], ['tags', Json]], returns: [String], forceJsonParams: true })
  digest_parts(label: string, first: Uint8Array, tags: JsonValue): Promise<string[]> {
    return unimplemented();
  }

  @websocket({ params: [['samples', stream(Json)]], returns: Json })
  merge(samples: AsyncIterable<JsonValue>): Promise<JsonValue> {
    return unimplemented();
  }

  @websocket({ params: [['count', Int]], returns: stream(String) })
  lines(count: number): AsyncIterable<string> {
    return unimplemented();
  }
}

/** 200 000 bytes that are not all alike, so that a misplaced chunk changes the digest. */
const content = new Uint8Array(200_000).map((_, i) => (i * 7 + (i >> 8)) % 256);
const contentDigest = digestOf(content);
let directory = '';
let contentPath = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'marshal-websocket-client-'));
  contentPath = join(directory, 'content.bin');
  await writeFile(contentPath, content);
  // Node 20 has no global WebSocket; Node 22's is undici's.
  if (globalThis.WebSocket === undefined) vi.stubGlobal('WebSocket', UndiciWebSocket);
});
afterAll(async () => {
  vi.unstubAllGlobals();
  await rm(directory, { recursive: true, force: true });
});

function pieces(bytes: Uint8Array, count: number): Uint8Array[] {
  const size = Math.ceil(bytes.length / count);
  const result: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) result.push(bytes.slice(offset, offset + size));
  return result;
}

async function* generate<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

/** Each form a file argument may take, made fresh for each call (a stream is read once). */
const forms: readonly [string, () => FileArgument | Promise<FileArgument>][] = [
  ['a Uint8Array', () => content],
  ['an ArrayBuffer', () => content.slice().buffer],
  ['a Blob', () => new Blob([content])],
  ['a Readable of a file', () => createReadStream(contentPath, { highWaterMark: 16 * 1024 })],
  ['an async generator', () => generate(pieces(content, 5))],
  ['a web ReadableStream', () => new Blob([content]).stream()],
  ['a file on disk (fileFrom)', () => fileFrom(contentPath)],
];

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

async function itemsUntilFailure<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const result: T[] = [];
  try {
    for await (const item of items) result.push(item);
  } catch (error) {
    return { items: result, error };
  }
  throw new Error(`the stream ended without failing, after ${JSON.stringify(result)}`);
}

/** A port nothing listens on: one just given up. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const clientKinds: readonly (readonly ['ws' | 'WHATWG', CreateClient])[] = [
  ['ws', createClient],
  ['WHATWG', createFetchClient],
];

describe.each(clientKinds)('the %s WebSocket client', (kind, create) => {
  let api: Client<IWebSocketProbe>;
  let careless: Client<ICarelessProbe>;
  beforeAll(() => {
    api = create(IWebSocketProbe, served.url);
    careless = create(ICarelessProbe, served.url);
  });
  afterAll(() => Promise.all([closeClient(api), closeClient(careless)]));
  let runs = 0;
  const runId = (what: string) => `ws-${kind}-${what}-${runs++}`;

  describe('results', () => {
    it('resolves a JSON result, path and query parameters percent-encoded', async () => {
      expect(await api.greet('wörld/?&#', 2, ' & more')).toBe('hello wörld/?&#, hello wörld/?&# & more');
      expect(await api.greet('x', 1)).toBe('hello x');
    });

    it('resolves a Void result to undefined, once the implementation has run', async () => {
      const run = runId('void');
      expect(await api.touch(run)).toBeUndefined();
      expect(probeRun(run).gate.settled).toBe(true);
    });

    it('resolves a Bytes result to its bytes', async () => {
      const bytes = await api.bytes_of(300_000);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(new Uint8Array(300_000).map((_, i) => i % 251)))).toBe(true);
      expect(await api.bytes_of(0)).toEqual(new Uint8Array(0));
    });

    it('reads a stream(Bytes) result as its chunks', async () => {
      const chunks = await collect(api.chunks(5, 100_000));
      expect(chunks.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
      const expected = Buffer.concat(Array.from({ length: 5 }, (_, i) => Buffer.alloc(100_000, i)));
      expect(Buffer.concat(chunks).equals(expected)).toBe(true);
    });

    it('reads a stream(String) result as its strings', async () => {
      expect(await collect(api.lines(3))).toEqual(['line 0', 'line 1', 'line 2']);
      expect(await collect(api.lines(0))).toEqual([]);
    });

    it('reads a stream(T) result as instances of T, dates as Dates', async () => {
      const start = new Date('2026-11-30T10:00:00.000Z');
      const samples = await collect(api.samples(start, 3));
      expect(samples.every((sample) => sample instanceof Sample && sample.at instanceof Date)).toBe(true);
      expect(samples.map((sample) => [sample.index, sample.at.toISOString(), sample.label])).toEqual([
        [0, '2026-11-30T10:00:00.000Z', 's0'],
        [1, '2026-11-30T10:00:01.000Z', 's1'],
        [2, '2026-11-30T10:00:02.000Z', 's2'],
      ]);
    });

    it('keeps a slow reader\'s items in order: reading pauses and resumes', async () => {
      let expected = 0;
      for await (const line of api.lines(3000)) {
        expect(line).toBe(`line ${expected++}`);
        // Slower than the network, so that hundreds of items wait at times.
        if (expected % 50 === 0) await new Promise((resolve) => setImmediate(resolve));
      }
      expect(expected).toBe(3000);
    });

    it('opens the connection only when the iteration starts', async () => {
      const run = runId('lazy');
      const items = api.endless(run);
      // A whole call later, the first has still not been made.
      await api.touch(runId('lazy-other'));
      expect(probeRun(run).yielded).toBe(0);
      for await (const item of items) {
        expect(item).toBe('item 0');
        break;
      }
      expect(probeRun(run).yielded).toBe(1);
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });
  });

  describe('inputs', () => {
    it.each(forms)('sends %s as a Bytes parameter', async (_, make) => {
      expect(await api.digest(await make())).toBe(contentDigest);
    });

    it('sends two files and JSON arguments; an absent optional file is absent, an empty one empty', async () => {
      const second = new TextEncoder().encode('second file');
      expect(await api.digest_parts('label "quoted"', content, second, ['a', 'b'])).toEqual(['label "quoted"', contentDigest, digestOf(second), 'a+b']);
      expect(await api.digest_parts('one', await fileFrom(contentPath), undefined, [])).toEqual(['one', contentDigest, 'absent', '']);
      expect(await api.digest_parts('empty', new Uint8Array(0), new Uint8Array(0), ['x'])).toEqual(['empty', digestOf(new Uint8Array(0)), digestOf(new Uint8Array(0)), 'x']);
    });

    it.each(forms)('sends %s as a stream(Bytes) parameter', async (_, make) => {
      expect(await api.digest_stream(await make())).toBe(contentDigest);
    });

    it('sends 32 MiB in chunks of 1 MiB, cut into frames the server takes', async () => {
      const chunk = new Uint8Array(1024 * 1024).map((_, i) => (i * 13) % 256);
      const chunks = Array.from({ length: 32 }, (_, i) => chunk.map((byte) => byte ^ i));
      expect(await api.digest_stream(generate(chunks))).toBe(digestOf(Buffer.concat(chunks)));
    });

    it('sends a stream(T) parameter from an async iterable or an array, each item encoded', async () => {
      const samples = [0, 1, 2].map((i) => Object.assign(new Sample(), { index: i, at: new Date(Date.UTC(2026, 0, 1 + i)), label: `<${i}>` }));
      const merged = await api.merge(generate(samples));
      expect(merged).toBeInstanceOf(Sample);
      expect({ ...merged, at: merged.at.toISOString() }).toEqual({ index: 3, at: '2026-01-03T00:00:00.000Z', label: '<0><1><2>' });
      expect((await api.merge(samples)).label).toBe('<0><1><2>');
      expect((await api.merge([])).index).toBe(0);
    });

    it('reports the bytes of files and byte streams sent so far', async () => {
      const sent: number[] = [];
      expect(await api.digest_stream.with({ onUploadProgress: (bytes) => sent.push(bytes) })(generate(pieces(content, 4)))).toBe(contentDigest);
      expect(sent).toEqual([50_000, 100_000, 150_000, 200_000]);
    });

    it('refuses an argument that does not fit, and a missing file, before connecting', async () => {
      expect(() => api.lines('three' as unknown as number)).toThrow(/^IWebSocketProbe\.lines: argument 'count'/);
      expect(() => api.echo('>', 42 as unknown as string[])).toThrow("IWebSocketProbe.echo: argument 'words' is a number, not a stream");
      const missing = await rejection(api.digest(undefined as unknown as Uint8Array));
      expect(missing).toBeInstanceOf(TypeError);
      expect((missing as Error).message).toBe("IWebSocketProbe.digest: argument 'file' is required");
    });

    it('fails the call with a TransportError when an item of a stream does not fit, and stops the input', async () => {
      const stopped = new Latch();
      async function* samples(): AsyncGenerator<Sample> {
        try {
          yield Object.assign(new Sample(), { index: 0, at: new Date(), label: 'fine' });
          yield { index: 'one' } as unknown as Sample;
          yield Object.assign(new Sample(), { index: 2, at: new Date(), label: 'never sent' });
        } finally {
          stopped.resolve();
        }
      }
      const error = await rejection(api.merge(samples()));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/^WebSocket \/ws-probe\/merge: the upload failed: item 1 of the stream argument 'samples' does not fit its type/);
      await stopped.promise;
    });
  });

  it('is full duplex: the first output item arrives before the input is all sent', async () => {
    const firstRead = new Latch();
    let sentAfterFirstRead = 0;
    async function* words(): AsyncGenerator<string> {
      yield 'one';
      // Only a client that reads while it sends gets past this.
      await firstRead.promise;
      for (const word of ['two', 'three']) {
        sentAfterFirstRead++;
        yield word;
      }
    }
    const seen: string[] = [];
    for await (const word of api.echo('> ', words())) {
      if (seen.length === 0) expect(sentAfterFirstRead).toBe(0);
      seen.push(word);
      firstRead.resolve();
    }
    expect(seen).toEqual(['> one', '> two', '> three']);
    expect(sentAfterFirstRead).toBe(2);
  });

  describe('errors', () => {
    it('rejects with a RemoteError for an error frame: a bad JSON argument, with its issues', async () => {
      const error = await rejection(careless.digest_parts('label', content, 'not a list'));
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'tags', call: 'WebSocket /ws-probe/digest-parts' });
      expect((error as RemoteError).issues).toEqual([expect.objectContaining({ path: 'tags' })]);
    });

    it('rejects a bad path parameter: a RemoteError where the handshake refusal can be read (ws), else a TransportError', async () => {
      const error = await rejection(careless.greet('x', 'three'));
      if (kind === 'ws') {
        expect(error).toBeInstanceOf(RemoteError);
        expect(error).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER', parameter: 'times' });
        expect((error as RemoteError).issues).toEqual([expect.objectContaining({ path: 'times' })]);
      } else {
        expect(error).toBeInstanceOf(TransportError);
        expect((error as Error).message).toMatch(/^WebSocket \/ws-probe\/greet\/x\/three: no answer from ws:\/\/127\.0\.0\.1:\d+/);
      }
    });

    it('stops sending once the server refuses an item, and rejects with its error', async () => {
      const stopped = new Latch();
      let sent = 0;
      async function* samples(): AsyncGenerator<JsonValue> {
        try {
          for (;;) {
            sent++;
            yield { index: 'not an int' };
          }
        } finally {
          stopped.resolve();
        }
      }
      const error = await rejection(careless.merge(samples()));
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ status: 400, code: 'MARSHAL_ERR_BAD_PARAMETER' });
      await stopped.promise;
      const sentWhenStopped = sent;
      expect(sentWhenStopped).toBeGreaterThan(0);
      // Stopped for good: another call on the same client still works.
      expect(await api.greet('after', 1)).toBe('hello after');
      expect(sent).toBe(sentWhenStopped);
    });

    it('throws a RemoteError from the iteration when the implementation fails mid-stream, after its items', async () => {
      const { items, error } = await itemsUntilFailure(api.failing(2));
      expect(items).toEqual(['line 0', 'line 1']);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ status: 500, code: 'MARSHAL_ERR_HANDLER' });
      const before = await itemsUntilFailure(api.failing(0));
      expect(before.items).toEqual([]);
      expect(before.error).toMatchObject({ name: 'RemoteError', code: 'MARSHAL_ERR_HANDLER' });
    });

    it('rejects with a TransportError when nothing listens', async () => {
      const port = await closedPort();
      const nowhere = create(IWebSocketProbe, `http://127.0.0.1:${port}`);
      const error = await rejection(nowhere.greet('x', 1));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(new RegExp(`^WebSocket /ws-probe/greet/x/1: no answer from ws://127\\.0\\.0\\.1:${port}`));
      if (kind === 'ws') expect(error).toMatchObject({ code: 'ECONNREFUSED' });
      const { error: streamError } = await itemsUntilFailure(nowhere.lines(1));
      expect(streamError).toBeInstanceOf(TransportError);
    });
  });

  describe('leaving early and aborting', () => {
    it('closes the call when the loop is left, and the server stops its generator', async () => {
      const run = runId('break');
      const seen: string[] = [];
      for await (const item of api.endless(run)) {
        seen.push(item);
        break;
      }
      expect(seen).toEqual(['item 0']);
      // The generator waits on its gate: once that opens, it runs into the closed call and is stopped.
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });

    it('aborts mid-stream: the iteration throws ABORT_ERR, and the server stops its generator', async () => {
      const run = runId('abort-stream');
      const controller = new AbortController();
      const items = api.endless.with({ signal: controller.signal })(run)[Symbol.asyncIterator]();
      expect(await items.next()).toEqual({ done: false, value: 'item 0' });
      controller.abort(new Error('the user left'));
      const error = await rejection(items.next());
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'ABORT_ERR', cause: controller.signal.reason });
      expect((error as Error).message).toMatch(/^WebSocket \/ws-probe\/endless\/.*: aborted by the caller: the user left$/);
      expect(await items.next()).toEqual({ done: true, value: undefined });
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });

    it('aborts a call waiting for its result, and rejects at once for a signal aborted before', async () => {
      const controller = new AbortController();
      const call = api.held.with({ signal: controller.signal })(runId('abort-held'));
      controller.abort();
      expect(await rejection(call)).toMatchObject({ name: 'TransportError', code: 'ABORT_ERR' });
      expect(await rejection(api.greet.with({ signal: AbortSignal.abort() })('x', 1))).toMatchObject({ name: 'TransportError', code: 'ABORT_ERR' });
      expect(await api.greet.with({ signal: new AbortController().signal })('x', 1)).toBe('hello x');
    });

    it("leaves no listener on the caller's signal, however its calls end", async () => {
      const controller = new AbortController();
      expect(await api.greet.with({ signal: controller.signal })('x', 1)).toBe('hello x');
      expect(await collect(api.lines.with({ signal: controller.signal })(2))).toEqual(['line 0', 'line 1']);
      const run = runId('listeners');
      for await (const _ of api.endless.with({ signal: controller.signal })(run)) break;
      probeRun(run).gate.resolve();
      await itemsUntilFailure(api.failing.with({ signal: controller.signal })(1));
      await rejection(careless.digest_parts.with({ signal: controller.signal })('x', content, 'not a list'));
      expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    });

    it('gives up after timeoutMs without progress', async () => {
      const error = await rejection(api.held.with({ timeoutMs: 200 })(runId('timeout')));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/no progress for 200 ms/);
    });

    it('throws a TransportError from the iteration when the server dies mid-stream', async () => {
      const fork = await Fork.start(probeServer, { execArgv: ['--conditions=source'], inheritOutput: false });
      try {
        const remote = create(IWebSocketProbe, fork.url);
        const items = remote.endless('killed')[Symbol.asyncIterator]();
        expect(await items.next()).toEqual({ done: false, value: 'item 0' });
        process.kill(fork.pid, 'SIGKILL');
        const error = await rejection(items.next());
        expect(error).toBeInstanceOf(TransportError);
        expect((error as Error).message).toMatch(/^WebSocket \/ws-probe\/endless\/killed: the connection (closed|broke) before the stream's end/);
      } finally {
        await fork.stop();
      }
    });
  });

  it('completes 500 calls at once', async () => {
    const calls = Array.from({ length: 500 }, (_, i) => {
      switch (i % 4) {
        case 0:
          return api.greet(`n${i}`, 1);
        case 1:
          return collect(api.lines(i % 7));
        case 2:
          return collect(api.echo(`${i}:`, ['a', 'b']));
        default:
          return api.bytes_of(i);
      }
    });
    const results = await Promise.all(calls);
    results.forEach((result, i) => {
      switch (i % 4) {
        case 0:
          return expect(result).toBe(`hello n${i}`);
        case 1:
          return expect(result).toEqual(Array.from({ length: i % 7 }, (_, j) => `line ${j}`));
        case 2:
          return expect(result).toEqual([`${i}:a`, `${i}:b`]);
        default:
          return expect(result).toEqual(new Uint8Array(i).map((_, j) => j % 251));
      }
    });
  });
});

describe.each(clientKinds)('the %s WebSocket client, on the wire', (kind, create) => {
  const scripted = scriptedWebSocketServer();
  let api: Client<IWebSocketProbe>;
  beforeAll(() => {
    api = create(IWebSocketProbe, `${scripted.url}/base/`, { headers: { Authorization: 'client', 'X-Client': 'c' } });
  });
  afterAll(() => closeClient(api));
  const last = (): ScriptedConnection => scripted.connections.at(-1)!;
  /** Answers a single result once `frames` frames have come. */
  const resultAfter = (frames: number, value: unknown) => (connection: ScriptedConnection) => {
    void connection.received(frames).then(() => connection.send({ type: 'result', value }));
  };

  it('sends args, each file in 64 KiB frames between file and file_end, an absent one as absent, with headers on the handshake', async () => {
    scripted.script = resultAfter(6, ['done']);
    const first = new Uint8Array(100_000).fill(7);
    expect(await api.digest_parts.with({ headers: { authorization: 'call', 'X-Call': 'd' } })('l', first, undefined, ['t'])).toEqual(['done']);
    const { request, frames } = last();
    expect(request.url).toBe('/base/ws-probe/digest-parts');
    expect(request.headers).toMatchObject({ authorization: 'call', 'x-client': 'c', 'x-call': 'd' });
    // No compression offered where the client decides (a WHATWG WebSocket always offers it; the server declines).
    if (kind === 'ws') expect(request.headers['sec-websocket-extensions']).toBeUndefined();
    expect(frames.map((frame) => (typeof frame === 'string' ? frame : frame.length))).toEqual([
      '{"type":"args","json":{"label":"l","tags":["t"]}}',
      '{"type":"file","name":"first"}',
      65_536,
      100_000 - 65_536,
      '{"type":"file_end"}',
      '{"type":"file","name":"second","absent":true}',
    ]);
    expect(Buffer.concat(frames.filter((frame): frame is Buffer => typeof frame !== 'string')).equals(Buffer.from(first))).toBe(true);
  });

  it("asks the client's token provider before each handshake; a call's own authorization goes as given", async () => {
    scripted.script = resultAfter(1, 'ok');
    let tokens = 0;
    let failing = false;
    const authed = create(IWebSocketProbe, scripted.url, {
      auth: {
        token: () => {
          if (failing) throw new Error('the refresh token has expired');
          return `token-${tokens++}`;
        },
      },
    });
    try {
      const before = scripted.connections.length;
      await authed.greet('a', 1);
      await authed.greet('b', 1);
      await authed.greet.with({ headers: { Authorization: 'Basic eDp5' } })('c', 1);
      expect(scripted.connections.slice(before).map((connection) => connection.request.headers.authorization)).toEqual(['Bearer token-0', 'Bearer token-1', 'Basic eDp5']);
      failing = true;
      const error = await rejection(authed.greet('d', 1));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/^WebSocket \/ws-probe\/greet\/d\/1: no answer from ws:\/\/127\.0\.0\.1:\d+: the token provider failed: the refresh token has expired$/);
      expect(scripted.connections.length).toBe(before + 3);
    } finally {
      await closeClient(authed);
    }
  });

  it('sends a stream of values as item frames in their JSON form, then end', async () => {
    scripted.script = resultAfter(5, { index: 2, at: '2026-01-01T00:00:00.000Z', label: 'ab' });
    const at = new Date('2026-01-01T00:00:00Z');
    const merged = await api.merge([Object.assign(new Sample(), { index: 0, at, label: 'a' }), Object.assign(new Sample(), { index: 1, at, label: 'b' })]);
    expect(merged).toBeInstanceOf(Sample);
    expect(last().frames).toEqual([
      '{"type":"args","json":{}}',
      '{"type":"stream","name":"samples"}',
      '{"type":"item","value":{"index":0,"at":"2026-01-01T00:00:00.000Z","label":"a"}}',
      '{"type":"item","value":{"index":1,"at":"2026-01-01T00:00:00.000Z","label":"b"}}',
      '{"type":"end"}',
    ]);
  });

  it('closes with 1000 when the loop is left, and stops reading the input', async () => {
    scripted.script = (connection) => {
      connection.send({ type: 'stream' });
      connection.send({ type: 'item', value: 'first' });
    };
    const stopped = new Latch();
    async function* words(): AsyncGenerator<string> {
      try {
        for (let i = 0; ; i++) {
          yield `word ${i}`;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        stopped.resolve();
      }
    }
    for await (const word of api.echo('>', words())) {
      expect(word).toBe('first');
      break;
    }
    expect(await last().closed).toEqual({ code: 1000, reason: '' });
    await stopped.promise;
  });

  it('stops sending at an error frame and rejects with its code, status and issues', async () => {
    const issues = [{ path: 'words[1]', segments: ['words', 1], message: 'too long', expected: 'short', received: '"…"' }];
    scripted.script = (connection) => {
      void connection.received(4).then(() => connection.send({ type: 'error', status: 422, code: 'MARSHAL_ERR_INVALID', message: 'words[1]: too long', parameter: 'words', issues }));
    };
    const stopped = new Latch();
    async function* words(): AsyncGenerator<string> {
      try {
        for (let i = 0; ; i++) {
          yield `word ${i}`;
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        stopped.resolve();
      }
    }
    const { items, error } = await itemsUntilFailure(api.echo('>', words()));
    expect(items).toEqual([]);
    expect(error).toBeInstanceOf(RemoteError);
    expect(error).toMatchObject({ status: 422, code: 'MARSHAL_ERR_INVALID', parameter: 'words', issues, call: 'WebSocket /base/ws-probe/echo' });
    await stopped.promise;
  });

  it.each([
    ['a normal close', (connection: ScriptedConnection) => connection.socket.close(1000), /closed before the result \(close 1000\)/],
    ['a close for a server error', (connection: ScriptedConnection) => connection.socket.close(1011, 'MARSHAL_ERR_HANDLER'), /closed before the result \(close 1011 MARSHAL_ERR_HANDLER\)/],
    ['a dropped connection', (connection: ScriptedConnection) => connection.socket.terminate(), /the connection (closed|broke) before the result/],
  ])('rejects with a TransportError for %s without a result', async (_, end, message) => {
    scripted.script = (connection) => void connection.received(1).then(() => end(connection));
    const error = await rejection(api.greet('x', 1));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(message);
  });

  it("throws a TransportError for a stream closed before its end, after the items it did send", async () => {
    scripted.script = (connection) => {
      connection.send({ type: 'stream' });
      connection.send({ type: 'item', value: 'line 0' });
      connection.socket.close(1000);
    };
    const { items, error } = await itemsUntilFailure(api.lines(2));
    expect(items).toEqual(['line 0']);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/closed before the stream's end/);
  });

  it.each([
    ['a result for a stream', [{ type: 'result', value: [] }], /a result frame where a stream was due/],
    ['an item before the stream', [{ type: 'item', value: 'x' }], /an item frame where none belongs/],
    ['bytes in a stream of strings', [{ type: 'stream' }, new Uint8Array([1])], /a binary frame where none belongs/],
    ['an item that does not fit', [{ type: 'stream' }, { type: 'item', value: 42 }], /an item of the stream does not fit IWebSocketProbe\.lines's item type/],
    ['an unknown frame', [{ type: 'progress' }], /a frame of type "progress"/],
  ] as const)('throws a TransportError for %s', async (_, frames, message) => {
    scripted.script = (connection) => {
      for (const frame of frames) connection.send(frame);
    };
    const { error } = await itemsUntilFailure(api.lines(2));
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(message);
    expect((await last().closed).code).toBe(1000);
  });
});

describe('the WebSocket URL', () => {
  it('is the base URL with ws:// for http:// and wss:// for https://, path and query as for HTTP', async () => {
    const urls: string[] = [];
    const recording: WebSocketConnector = (request) => {
      urls.push(request.url);
      throw new Error('not connecting');
    };
    const plain = createClient(IWebSocketProbe, 'http://example.test:8080/base/', { webSocket: recording });
    const secure = createClient(IWebSocketProbe, 'https://example.test/', { webSocket: recording });
    for (const call of [plain.greet('a b', 2, '?'), secure.greet('a', 1)]) {
      const error = await rejection(call);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/no answer from wss?:\/\/example\.test(:8080)?: not connecting$/);
    }
    expect(urls).toEqual(['ws://example.test:8080/base/ws-probe/greet/a%20b/2?suffix=%3F', 'wss://example.test/ws-probe/greet/a/1']);
  });
});

/** Compile-time checks: a stream of values takes an async iterable or an array; a byte stream any file form. */
export function typeChecks(api: Client<IWebSocketProbe>, readable: Readable): void {
  const asContract: IWebSocketProbe = api;
  void asContract;
  void api.echo('>', ['a', 'b']);
  void api.digest_stream(readable);
  const tokens: AsyncIterable<string> = api.echo.with({ signal: AbortSignal.timeout(10) })('>', generate(['a']));
  void tokens;
  // @ts-expect-error an array of numbers is not a stream of strings
  void api.echo('>', [1, 2]);
}
