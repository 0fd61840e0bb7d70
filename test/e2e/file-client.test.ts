/**
 * The client's half of files and streams, over both transports (undici, and fetch from
 * `@marshal/client/fetch`, in Node), against a real server on loopback hosting the example file
 * service and a probe of our own: every form of file argument for a `Bytes` parameter, multipart
 * and a `stream(Bytes)` parameter; streamed results as async iterables of typed values; upload
 * progress; aborts mid-upload and mid-download, seen from the server's side; and streams that fail
 * after their first item.
 */
import { getEventListeners } from 'node:events';
import { createReadStream } from 'node:fs';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, type CreateClient, type FileArgument, RemoteError, TransportError, closeClient, createClient, fileFrom } from '@marshal/client';
import { createClient as createFetchClient } from '@marshal/client/fetch';
import { exampleServices } from '../../examples/services.js';
import { IFileService, Token } from '../../examples/file-service/contract.js';
import { type Script, scriptedServer } from '../helpers/scripted-server.js';
import { serveForTests } from '../helpers/serve.js';
import { IStreamProbe, Latch, Reading, StreamProbe, probeRun, sha256 } from '../helpers/stream-probe.js';

const served = serveForTests({ services: [...exampleServices(), new StreamProbe()] });

/** 200 000 bytes that are not all alike, so that a misplaced chunk changes the digest. */
const content = new Uint8Array(200_000).map((_, i) => (i * 7 + (i >> 8)) % 256);
const contentDigest = `${content.length}:${sha256(content)}`;
let directory = '';
let contentPath = '';

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'marshal-file-client-'));
  contentPath = join(directory, 'content.bin');
  await writeFile(contentPath, content);
});
afterAll(() => rm(directory, { recursive: true, force: true }));

/** `bytes` in `count` pieces of about the same size. */
function pieces(bytes: Uint8Array, count: number): Uint8Array[] {
  const size = Math.ceil(bytes.length / count);
  const result: Uint8Array[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) result.push(bytes.slice(offset, offset + size));
  return result;
}

async function* generate(bytes: Uint8Array, count: number): AsyncGenerator<Uint8Array> {
  for (const piece of pieces(bytes, count)) yield piece;
}

/** Each form a file argument may take, made fresh for each call (a stream is read once). */
const forms: readonly [string, () => FileArgument | Promise<FileArgument>][] = [
  ['a Uint8Array', () => content],
  ['a Buffer', () => Buffer.from(content)],
  ['an ArrayBuffer', () => content.slice().buffer],
  ['a Blob', () => new Blob([content])],
  ['a Readable', () => Readable.from(pieces(content, 3).map((piece) => Buffer.from(piece)))],
  ['a Readable of a file', () => createReadStream(contentPath, { highWaterMark: 16 * 1024 })],
  ['an async generator', () => generate(content, 5)],
  ['a web ReadableStream', () => new Blob([content]).stream()],
  ['a file on disk (fileFrom)', () => fileFrom(contentPath)],
];

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const result: T[] = [];
  for await (const item of items) result.push(item);
  return result;
}

/** What a promise rejected with, failing the test when it resolved. */
async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    (value) => {
      throw new Error(`expected a rejection, got ${String(value)}`);
    },
    (error: unknown) => error,
  );
}

/** The items of a stream until it throws, and what it threw. */
async function itemsUntilFailure<T>(items: AsyncIterable<T>): Promise<{ items: T[]; error: unknown }> {
  const result: T[] = [];
  try {
    for await (const item of items) result.push(item);
  } catch (error) {
    return { items: result, error };
  }
  throw new Error(`the stream ended without failing, after ${JSON.stringify(result)}`);
}

function isIncreasing(values: readonly number[]): boolean {
  return values.every((value, i) => i === 0 || value > values[i - 1]);
}

const clientKinds: readonly (readonly ['undici' | 'fetch', CreateClient])[] = [
  ['undici', createClient],
  ['fetch', createFetchClient],
];

describe.each(clientKinds)('the %s client', (kind, create) => {
  let files: Client<IFileService>;
  let probe: Client<IStreamProbe>;
  beforeAll(() => {
    files = create(IFileService, served.url);
    probe = create(IStreamProbe, served.url);
  });
  afterAll(() => Promise.all([closeClient(files), closeClient(probe)]));
  let runs = 0;
  const runId = (what: string) => `${kind}-${what}-${runs++}`;

  describe('file arguments', () => {
    it.each(forms)('sends %s as a Bytes parameter, the raw body', async (_, make) => {
      expect(await files.single_file(await make())).toBe(content.length);
      expect(await probe.digest(await make())).toBe(contentDigest);
    });

    it.each(forms)('sends %s as a file part of multipart', async (_, make) => {
      expect(await files.json_and_file('name', await make())).toBe(content.length);
      const second = new TextEncoder().encode('second file\r\n--not-a-boundary\r\n');
      expect(await probe.digest_parts('label "quoted"', await make(), second)).toEqual(['label "quoted"', contentDigest, `${second.length}:${sha256(second)}`]);
    });

    it.each(forms)('sends %s as a stream(Bytes) parameter', async (_, make) => {
      expect(await files.count_bytes(await make())).toBe(content.length);
      expect(await probe.digest_stream(await make())).toBe(contentDigest);
    });

    it('leaves an absent optional file out of multipart, and sends empty files', async () => {
      const empty = new Uint8Array(0);
      expect(await probe.digest_parts('one', content)).toEqual(['one', contentDigest, 'absent']);
      expect(await probe.digest_parts('empty', empty, empty)).toEqual(['empty', `0:${sha256(empty)}`, `0:${sha256(empty)}`]);
      expect(await files.single_file(empty)).toBe(0);
      expect(await files.count_bytes(generate(empty, 1))).toBe(0);
    });

    it('reads no file that is not there: fileFrom rejects with the path', async () => {
      await expect(fileFrom(join(directory, 'missing.bin'))).rejects.toMatchObject({ code: 'ENOENT', path: join(directory, 'missing.bin') });
      await expect(fileFrom(directory)).rejects.toMatchObject({ code: 'EISDIR' });
    });

    it('refuses what is not a file, and a missing file, before sending', async () => {
      const notAFile = await rejection(files.single_file('text' as unknown as Uint8Array));
      expect(notAFile).toBeInstanceOf(TypeError);
      expect((notAFile as Error).message).toMatch(/^IFileService\.single_file: argument 'file' is a string, not a file/);
      const missing = await rejection(files.json_and_file('name', undefined as unknown as Uint8Array));
      expect((missing as Error).message).toBe("IFileService.json_and_file: argument 'file' is required");
    });

    it("rejects with a TransportError when an upload's own stream fails, and the server's upload iterable throws", async () => {
      const run = runId('broken-source');
      async function* broken(): AsyncGenerator<Uint8Array> {
        yield content.subarray(0, 1000);
        await probeRun(run).firstChunk.promise;
        throw new Error('the disk is on fire');
      }
      const error = await rejection(probe.held_upload(run, broken()));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/^POST \/stream-probe\/held-upload\/.*: the upload failed: a file argument's stream failed: the disk is on fire$/);
      expect(((error as Error).cause as Error).message).toBe('the disk is on fire');
      expect(await probeRun(run).uploadFailed.promise).toBeInstanceOf(Error);
    });

    it('rejects with a TransportError when a stream gives text rather than bytes', async () => {
      const text = createReadStream(contentPath, { encoding: 'latin1' });
      const error = await rejection(files.count_bytes(text as unknown as Readable));
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/the upload failed: a file argument's stream gave a string, not bytes/);
    });
  });

  describe('streamed results', () => {
    it('reassembles a stream(Bytes) result from its chunks', async () => {
      const chunks = await collect(files.download_file('hello world'));
      expect(chunks.every((chunk) => chunk instanceof Uint8Array)).toBe(true);
      expect(Buffer.concat(chunks).toString('utf8')).toBe('hello world');
    });

    it('reads a stream(String) result as its lines', async () => {
      expect(await collect(files.text_lines(3))).toEqual(['line:0', 'line:1', 'line:2']);
      expect(await collect(files.text_lines(0))).toEqual([]);
    });

    it('reads a stream(T) result as instances of T', async () => {
      const tokens = await collect(files.token_stream('streams of  words'));
      expect(tokens.every((token) => token instanceof Token)).toBe(true);
      expect(tokens.map((token) => ({ ...token }))).toEqual([
        { text: 'streams', index: 0 },
        { text: 'of', index: 1 },
        { text: 'words', index: 2 },
      ]);
    });

    it('resolves a Bytes result to its bytes', async () => {
      const bytes = await probe.bytes_of(300_000);
      expect(bytes).toBeInstanceOf(Uint8Array);
      expect(Buffer.from(bytes).equals(Buffer.from(new Uint8Array(300_000).map((_, i) => i % 251)))).toBe(true);
    });

    it('throws a RemoteError from the iteration when the stream fails before its first item', async () => {
      const { items, error } = await itemsUntilFailure(probe.failing_lines(0));
      expect(items).toEqual([]);
      expect(error).toBeInstanceOf(RemoteError);
      expect(error).toMatchObject({ status: 500, code: 'MARSHAL_ERR_HANDLER' });
    });

    it.each([
      ['lines', (count: number) => probe.failing_lines(count), ['line 0', 'line 1']],
      ['JSON lines', (count: number) => probe.failing_readings(count), [Object.assign(new Reading(), { value: 0, unit: 'mm' }), Object.assign(new Reading(), { value: 1, unit: 'mm' })]],
      ['bytes', (count: number) => probe.failing_bytes(count), [new Uint8Array([0, 0, 0]), new Uint8Array([1, 1, 1])]],
    ] as const)('throws a TransportError when a stream of %s fails after its first item', async (_, start, expected) => {
      const { items, error } = await itemsUntilFailure<unknown>(start(2));
      if (expected[0] instanceof Uint8Array) expect(new Uint8Array(Buffer.concat(items as Uint8Array[]))).toEqual(new Uint8Array([0, 0, 0, 1, 1, 1]));
      else expect(items).toEqual(expected);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).message).toMatch(/^POST \/stream-probe\/failing-\w+\/2: the stream ended before its end: the server failed mid-stream/);
    });

    it('throws a TypeError at the call for an argument that does not fit, before any request', () => {
      expect(() => files.text_lines('three' as unknown as number)).toThrow(/IFileService\.text_lines: argument 'count'/);
    });
  });

  describe('upload progress', () => {
    it('reports the bytes handed over, growing to the size of a raw body', async () => {
      const sent: number[] = [];
      expect(await files.single_file.with({ onUploadProgress: (bytes) => sent.push(bytes) })(content)).toBe(content.length);
      expect(isIncreasing(sent)).toBe(true);
      expect(sent.at(-1)).toBe(content.length);
      // undici takes a buffer in 64 KiB pieces; fetch sends bytes as one Blob and reports once.
      expect(sent.length).toBe(kind === 'undici' ? 4 : 1);
    });

    it('reports each chunk of a stream argument', async () => {
      const sent: number[] = [];
      expect(await files.count_bytes.with({ onUploadProgress: (bytes) => sent.push(bytes) })(generate(content, 5))).toBe(content.length);
      expect(sent).toEqual([40_000, 80_000, 120_000, 160_000, 200_000]);
    });

    it('counts a multipart body whole, boundaries included', async () => {
      const sent: number[] = [];
      expect(await files.json_and_file.with({ onUploadProgress: (bytes) => sent.push(bytes) })('name', await fileFrom(contentPath))).toBe(content.length);
      expect(isIncreasing(sent)).toBe(true);
      expect(sent.at(-1)).toBeGreaterThan(content.length);
      expect(sent.at(-1)).toBeLessThan(content.length + 1000);
    });
  });

  describe('aborting and leaving early', () => {
    it('aborts mid-download: the iteration throws, and the server stops its generator', async () => {
      const run = runId('abort-download');
      const controller = new AbortController();
      const items = probe.endless.with({ signal: controller.signal })(run)[Symbol.asyncIterator]();
      expect(await items.next()).toEqual({ done: false, value: 'item 0' });
      controller.abort();
      const error = await rejection(items.next());
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'ABORT_ERR', cause: controller.signal.reason });
      expect((error as Error).message).toMatch(/^POST \/stream-probe\/endless\/.*: aborted by the caller/);
      expect(await items.next()).toEqual({ done: true, value: undefined });
      // The generator waits on its gate: once that opens, it runs into the closed connection and is stopped.
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });

    it('aborts a byte stream mid-download the same way', async () => {
      const run = runId('abort-bytes');
      const controller = new AbortController();
      const items = probe.endless_bytes.with({ signal: controller.signal })(run)[Symbol.asyncIterator]();
      expect((await items.next()).value).toBeInstanceOf(Uint8Array);
      controller.abort(new Error('the user left'));
      const error = await rejection(items.next());
      expect(error).toMatchObject({ name: 'TransportError', code: 'ABORT_ERR', message: expect.stringMatching(/aborted by the caller: the user left$/) });
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });

    it('closes the request when the loop is left early, and the server stops its generator', async () => {
      const run = runId('break');
      const seen: string[] = [];
      for await (const item of probe.endless(run)) {
        seen.push(item);
        break;
      }
      expect(seen).toEqual(['item 0']);
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });

    it('aborts mid-upload: the call rejects, and the server sees its upload iterable throw', async () => {
      const run = runId('abort-upload');
      const state = probeRun(run);
      const controller = new AbortController();
      const release = new Latch();
      async function* slow(): AsyncGenerator<Uint8Array> {
        yield content.subarray(0, 1000);
        await release.promise;
      }
      const call = probe.held_upload.with({ signal: controller.signal })(run, slow());
      await state.firstChunk.promise;
      controller.abort();
      const error = await rejection(call);
      expect(error).toBeInstanceOf(TransportError);
      expect(error).toMatchObject({ code: 'ABORT_ERR', cause: controller.signal.reason });
      expect(await state.uploadFailed.promise).toBeInstanceOf(Error);
      release.resolve();
    });

    it('rejects at once for a signal aborted before the call', async () => {
      const error = await rejection(files.json_only.with({ signal: AbortSignal.abort() })('hello'));
      expect(error).toMatchObject({ name: 'TransportError', code: 'ABORT_ERR' });
      expect(await files.json_only.with({ signal: new AbortController().signal })('hello')).toBe('hello');
    });

    it("times a stalled stream out after the call's timeoutMs", async () => {
      const run = runId('timeout');
      const items = probe.endless.with({ timeoutMs: 200 })(run)[Symbol.asyncIterator]();
      expect((await items.next()).value).toBe('item 0');
      const error = await rejection(items.next());
      expect(error).toBeInstanceOf(TransportError);
      expect((error as Error).message).toMatch(/the stream ended before its end/);
      probeRun(run).gate.resolve();
      await probeRun(run).finallyRan.promise;
    });
  });

  it("leaves no listener on the caller's signal, however its calls end", async () => {
    const controller = new AbortController();
    const calls = files.json_only.with({ signal: controller.signal });
    expect(await calls('a')).toBe('a');
    expect(await files.single_file.with({ signal: controller.signal })(content)).toBe(content.length);
    expect(await collect(files.text_lines.with({ signal: controller.signal })(2))).toEqual(['line:0', 'line:1']);
    for await (const _ of probe.endless.with({ signal: controller.signal })(runId('listeners'))) break;
    await rejection(probe.failing_lines.with({ signal: controller.signal })(0)[Symbol.asyncIterator]().next());
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('keeps the JSON call as it was, with and without options', async () => {
    expect(await files.json_only('hello')).toBe('hello');
    expect(await files.json_only.with({ timeoutMs: 5000 }).with({ headers: { 'x-trace': '1' } })('hi')).toBe('hi');
  });
});

/** Compile-time checks: a client is its contract, takes every file form, and has .with on each endpoint. */
export function typeChecks(files: Client<IFileService>, blob: Blob, readable: Readable): void {
  const asContract: IFileService = files;
  void asContract;
  void files.single_file(blob);
  void files.count_bytes.with({ onUploadProgress: () => {} })(readable);
  const lines: AsyncIterable<string> = files.text_lines.with({ signal: AbortSignal.timeout(10) })(3);
  void lines;
  // @ts-expect-error a number is not a file
  void files.single_file(42);
  // @ts-expect-error no such option
  void files.single_file.with({ retries: 3 });
}

describe.each(clientKinds)('the %s client, on the wire', (_, create) => {
  const scripted = scriptedServer();
  let files: Client<IFileService>;
  beforeAll(() => {
    files = create(IFileService, scripted.url, { headers: { Authorization: 'client', 'X-Client': 'c' } });
  });
  afterAll(() => closeClient(files));
  const answerJson = (json: string): Script => (response) => response.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
  const lastRequest = () => scripted.requests.at(-1)!;

  it('sends a file as the raw body, with its type and length', async () => {
    scripted.script = answerJson('5');
    await files.single_file(new TextEncoder().encode('hello'));
    expect(lastRequest()).toMatchObject({ method: 'POST', url: '/file-service/single-file', headers: { 'content-type': 'application/octet-stream', 'content-length': '5' } });
    expect(lastRequest().body.toString()).toBe('hello');
  });

  it('sends a stream chunked', async () => {
    scripted.script = answerJson('5');
    await files.count_bytes(generate(new TextEncoder().encode('hello'), 2));
    expect(lastRequest().headers).toMatchObject({ 'content-type': 'application/octet-stream', 'transfer-encoding': 'chunked' });
    expect(lastRequest().body.toString()).toBe('hello');
  });

  it('writes multipart as the reference does: json_arguments, then a part per file named after it', async () => {
    scripted.script = answerJson('5');
    await files.json_and_file('x "y"', new TextEncoder().encode('hello'));
    const { headers, body } = lastRequest();
    const boundary = /^multipart\/form-data; boundary=(marshal-[0-9a-f]{32})$/.exec(headers['content-type'] ?? '')?.[1];
    expect(boundary).toBeDefined();
    expect(body.toString()).toBe(
      `--${boundary}\r\nContent-Disposition: form-data; name="json_arguments"\r\nContent-Type: application/json\r\n\r\n{"name":"x \\"y\\""}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="file"\r\nContent-Type: application/octet-stream\r\n\r\nhello\r\n` +
        `--${boundary}--\r\n`,
    );
    expect(headers['content-length']).toBe(String(body.length));
  });

  it("sends a call's headers over the client's, names compared without case", async () => {
    scripted.script = answerJson('"ok"');
    await files.json_only.with({ headers: { authorization: 'call', 'X-Call': 'd' } })('a');
    expect(lastRequest().headers).toMatchObject({ authorization: 'call', 'x-client': 'c', 'x-call': 'd', 'content-type': 'application/json' });
    expect(lastRequest().body.toString()).toBe('{"name":"a"}');
    await files.json_only('b');
    expect(lastRequest().headers).toMatchObject({ authorization: 'client', 'x-client': 'c' });
    expect(lastRequest().headers['x-call']).toBeUndefined();
  });

  it('puts lines together across chunks, with \\n or \\r\\n, and multi-byte characters split', async () => {
    const bytes = Buffer.from('line:0\r\nlíne:1\n\nline:3\r\n');
    scripted.script = (response) => {
      response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      // One byte per write: with Nagle's algorithm off, they come in many chunks.
      response.socket?.setNoDelay(true);
      for (const byte of bytes) response.write(Buffer.from([byte]));
      response.end();
    };
    expect(await collect(files.text_lines(4))).toEqual(['line:0', 'líne:1', '', 'line:3']);
  });

  it('throws a TransportError for a body that ends inside a line', async () => {
    scripted.script = (response) => response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('line:0\nline:1\nli');
    const { items, error } = await itemsUntilFailure(files.text_lines(3));
    expect(items).toEqual(['line:0', 'line:1']);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toBe('POST /file-service/text-lines/3: the stream ended before its end: the server failed mid-stream, or the connection broke (the body ended inside a line (2 characters after the last line break))');
  });

  it('throws a TransportError for JSON lines cut off without their last chunk', async () => {
    scripted.script = (response) => {
      response.writeHead(200, { 'content-type': 'application/jsonlines+json' });
      response.write('{"text":"a","index":0}\n', () => response.socket?.destroy());
    };
    const { items, error } = await itemsUntilFailure(files.token_stream('a b'));
    expect(items).toEqual([Object.assign(new Token(), { text: 'a', index: 0 })]);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as Error).message).toMatch(/^POST \/file-service\/token-stream: the stream ended before its end: the server failed mid-stream/);
  });

  it('throws a TransportError for a byte stream cut off without its last chunk', async () => {
    scripted.script = (response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' });
      response.write('hell', () => response.socket?.destroy());
    };
    const { items, error } = await itemsUntilFailure(files.download_file('hello'));
    expect(Buffer.concat(items).toString()).toBe('hell');
    expect(error).toBeInstanceOf(TransportError);
  });

  it('throws a TransportError for an item that does not fit its type', async () => {
    scripted.script = (response) => response.writeHead(200, { 'content-type': 'application/jsonlines+json' }).end('{"text":"a","index":0}\n{"text":"b","index":"one"}\n');
    const { items, error } = await itemsUntilFailure(files.token_stream('a b'));
    expect(items).toHaveLength(1);
    expect((error as Error).message).toMatch(/^POST \/file-service\/token-stream: an item of the stream does not fit IFileService\.token_stream's item type: .*index/);
  });

  it('reads an error answer to a stream as a RemoteError, and a foreign one as a TransportError', async () => {
    scripted.script = answerJsonStatus(404, '{"code":"MARSHAL_ERR_NOT_FOUND","message":"no such thing"}');
    expect(await itemsUntilFailure(files.text_lines(1))).toMatchObject({ items: [], error: { name: 'RemoteError', status: 404, code: 'MARSHAL_ERR_NOT_FOUND' } });
    scripted.script = (response) => response.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    expect(await itemsUntilFailure(files.text_lines(1))).toMatchObject({ items: [], error: { name: 'TransportError', status: 502 } });
  });
});

function answerJsonStatus(status: number, json: string): Script {
  return (response) => response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json) }).end(json);
}

describe.each(clientKinds)('the %s client against a server with small limits', (_, create) => {
  const limited = serveForTests({ services: exampleServices(), fileLimit: 1024 });
  let files: Client<IFileService>;
  beforeAll(() => {
    files = create(IFileService, limited.url);
  });
  afterAll(() => closeClient(files));

  it.each([
    ['bytes, with their length', () => content],
    ['a stream, chunked', () => generate(content, 20)],
  ] as const)('reads the 413 for a file over the limit, sent as %s', async (_, make) => {
    const tooLarge = { name: 'RemoteError', status: 413, code: 'MARSHAL_ERR_BODY_TOO_LARGE' };
    expect(await rejection(files.single_file(make()))).toMatchObject(tooLarge);
    expect(await rejection(files.json_and_file('x', make()))).toMatchObject(tooLarge);
    expect(await files.single_file(content.subarray(0, 1024))).toBe(1024);
  });
});

describe.each(clientKinds)('the %s client sending a large file', (_, create) => {
  const large = serveForTests({ services: exampleServices() });
  const size = 256 * 1024 * 1024;
  let path = '';
  beforeAll(async () => {
    path = join(directory, 'large.bin');
    // A sparse file: 256 MiB of zeros on disk at once.
    await writeFile(path, '');
    await truncate(path, size);
  });

  it('streams it from disk, never holding it whole', async () => {
    const files = create(IFileService, large.url);
    try {
      const before = process.memoryUsage().rss;
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
      try {
        expect(await files.count_bytes(await fileFrom(path))).toBe(size);
      } finally {
        clearInterval(sampler);
      }
      expect(peak - before).toBeLessThan(96 * 1024 * 1024);
    } finally {
      await closeClient(files);
    }
  });
});
