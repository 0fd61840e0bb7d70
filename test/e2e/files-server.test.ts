/**
 * Files and streams over HTTP, on the server's side, with clients that are not Marshal's (curl,
 * undici, fetch, raw sockets): the reference's four seed calls; bodies over a limit (a 413 that
 * reaches the client); malformed, incomplete and unknown multipart bodies (a 400 naming the
 * problem, and no call); streamed results that fail before or after their first item; clients
 * that go away mid-download or mid-upload; a client that reads slowly (backpressure); and streamed
 * lines, JSON lines and Server-Sent Events as `curl -N` shows them, the first item before the last
 * is produced. No sleeps: every wait is for an event or a bounded condition.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Fork } from '@marshal/testing';
import { FileService } from '../../examples/file-service/file-service.js';
import { FileFaults, chunkSize } from '../helpers/file-fault-service.js';
import { type Part, type RequestShape, type StreamedAnswer, multipartBody, multipartType, requestBytes, sendRaw } from '../helpers/raw-stream.js';
import { serveForTests } from '../helpers/serve.js';
import { untilStill } from '../helpers/until-still.js';

const jsonType = 'application/json; charset=utf-8';

interface CurlOutcome {
  readonly exit: number;
  readonly stdout: Buffer;
  readonly stderr: string;
}

/** Runs curl (-sS) and resolves with its exit code and output, whatever the exit code. */
function curl(args: readonly string[]): Promise<CurlOutcome> {
  return new Promise((resolve) => {
    execFile('curl', ['-sS', ...args], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const exit = error === null ? 0 : typeof error.code === 'number' ? error.code : -1;
      resolve({ exit, stdout, stderr: stderr.toString() });
    });
  });
}

/** A curl answer written with `-i`: status, headers by lower-case name, and the body. */
function splitCurlAnswer(output: Buffer): { status: number; headers: Record<string, string>; body: Buffer } {
  let at = 0;
  for (;;) {
    const headEnd = output.indexOf('\r\n\r\n', at);
    const [statusLine, ...lines] = output.subarray(at, headEnd).toString('latin1').split('\r\n');
    const status = Number(statusLine.split(' ')[1]);
    if (status === 100) {
      at = headEnd + 4;
      continue;
    }
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    return { status, headers, body: output.subarray(headEnd + 4) };
  }
}

/** Deterministic content of `size` bytes, different at every offset within a chunk. */
function content(size: number, seed = 7): Buffer {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + seed) % 251;
  return bytes;
}

function scratchDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'marshal-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function expectJsonAnswer(answer: StreamedAnswer | undefined, status: number, body: Record<string, unknown>): void {
  expect(answer, 'no answer').toBeDefined();
  expect({ status: answer!.status, type: answer!.headers['content-type'], complete: answer!.complete }).toEqual({ status, type: jsonType, complete: true });
  expect(JSON.parse(answer!.body.toString('utf8'))).toEqual(body);
}

describe('the four seed calls, with curl', () => {
  const served = serveForTests({ services: [new FileService()] });
  const url = (path: string) => `${served.url}/file-service/${path}`;
  const dir = scratchDir();
  const sizes = [0, 1, 5, 4096, 65_537, 1_048_579];
  const fileOf = (size: number) => {
    const path = join(dir, `file-${size}.bin`);
    writeFileSync(path, content(size));
    return path;
  };

  it.each(['hello', '', 'é ü ✓ 名前', 'with "quotes" and \\ and\nnewline'])('json_only(%j) → the name', async (name) => {
    const { exit, stdout } = await curl(['-X', 'POST', '-H', 'content-type: application/json', '--data-binary', JSON.stringify({ name }), url('json-only')]);
    expect({ exit, answer: JSON.parse(stdout.toString('utf8')) }).toEqual({ exit: 0, answer: name });
  });

  it.each(sizes)('single_file with a fixed length, %i bytes → the length', async (size) => {
    const { exit, stdout } = await curl(['-H', 'content-type: application/octet-stream', '--data-binary', `@${fileOf(size)}`, url('single-file')]);
    expect({ exit, answer: stdout.toString() }).toEqual({ exit: 0, answer: String(size) });
  });

  it.each(sizes)('single_file chunked, %i bytes → the length', async (size) => {
    const { exit, stdout } = await curl(['-H', 'content-type: application/octet-stream', '-H', 'Transfer-Encoding: chunked', '--data-binary', `@${fileOf(size)}`, url('single-file')]);
    expect({ exit, answer: stdout.toString() }).toEqual({ exit: 0, answer: String(size) });
  });

  it.each(sizes)('json_and_file as multipart, %i bytes → the length', async (size) => {
    const args = ['-F', 'json_arguments={"name":"x"};type=application/json', '-F', `file=@${fileOf(size)}`, url('json-and-file')];
    const { exit, stdout } = await curl(args);
    expect({ exit, answer: stdout.toString() }).toEqual({ exit: 0, answer: String(size) });
  });

  it('json_and_file with json_arguments as a file part (curl -F json_arguments=@args.json)', async () => {
    const args = join(dir, 'args.json');
    writeFileSync(args, '{"name":"report"}');
    const { exit, stdout } = await curl(['-F', `json_arguments=@${args};type=application/json`, '-F', `file=@${fileOf(5)}`, url('json-and-file')]);
    expect({ exit, answer: stdout.toString() }).toEqual({ exit: 0, answer: '5' });
  });

  // Pieces of four bytes: a multi-byte character is split across two of them.
  it.each(['hello', '', 'abc', 'héllo wörld ✓ 名前', 'x'.repeat(100_000)])('download_file(%j) → the bytes of the content', async (text) => {
    const out = join(dir, 'download.bin');
    const { exit, stdout } = await curl(['-X', 'POST', '-H', 'content-type: application/json', '--data-binary', JSON.stringify({ content: text }), '-o', out, '-w', '%{http_code} %{content_type}', url('download-file')]);
    expect({ exit, outcome: stdout.toString() }).toEqual({ exit: 0, outcome: '200 application/octet-stream' });
    expect(readFileSync(out).equals(Buffer.from(text, 'utf8'))).toBe(true);
  });
});

describe('a body over a limit: a 413 with a JSON body that reaches the client', () => {
  const faults = new FileFaults();
  const served = serveForTests({ services: [faults], fileLimit: 1024, partsLimit: 4, bodyLimit: 512 });
  const dir = scratchDir();
  // Far over the limits, well under what is read and dropped after the 413 (discardLimit, 4 MiB).
  const big = content(256 * 1024);
  const json = (text: string, filename?: string): Part => ({ name: 'json_arguments', body: text, type: 'application/json', filename });
  const file = (body: Buffer | string, name = 'file'): Part => ({ name, body, filename: `${name}.bin`, type: 'application/octet-stream' });
  const multipart = (parts: Part[]): RequestShape => ({ headers: { 'Content-Type': multipartType }, body: multipartBody(parts) });
  const tooLarge = (message: string, parameter?: string) => ({ code: 'MARSHAL_ERR_BODY_TOO_LARGE', message, ...(parameter && { parameter }) });
  const cases: [string, string, RequestShape, Record<string, unknown>][] = [
    ['a raw file over fileLimit, with a Content-Length', 'single', { headers: { 'Content-Type': 'application/octet-stream' }, body: big }, tooLarge('the request body is larger than the limit of 1024 bytes')],
    ['a raw file over fileLimit, chunked', 'single', { headers: { 'Content-Type': 'application/octet-stream' }, body: big, chunked: true }, tooLarge('the request body is larger than the limit of 1024 bytes')],
    ['a multipart file part over fileLimit', 'with-json', multipart([json('{"name":"x"}'), file(big)]), tooLarge("the part 'file' is larger than the limit of 1024 bytes", 'file')],
    ['a multipart body with more parts than partsLimit', 'two-files', multipart([json('{"tag":"x"}'), ...['a', 'b', 'c', 'd', 'e'].map((name) => file('x', name))]), tooLarge('the multipart body has more than 4 parts')],
    ['a json_arguments part over bodyLimit', 'with-json', multipart([json(JSON.stringify({ name: 'x'.repeat(200_000) })), file('abc')]), tooLarge("the part 'json_arguments' is larger than the limit of 512 bytes", 'json_arguments')],
    ['a json_arguments file part over bodyLimit', 'with-json', multipart([json(JSON.stringify({ name: 'x'.repeat(200_000) }), 'args.json'), file('abc')]), tooLarge("the part 'json_arguments' is larger than the limit of 512 bytes", 'json_arguments')],
  ];
  const callsBefore = { ...faults.calls };

  it.each(cases)('%s: to a raw socket that sends the whole body', async (_, path, shape, body) => {
    const { answers } = await sendRaw(served.url, requestBytes(`/file-faults/${path}`, shape));
    expectJsonAnswer(answers[0], 413, body);
  });

  it.each(cases)('%s: to undici', async (_, path, shape, body) => {
    const payload = shape.chunked ? Readable.from([shape.body as Buffer]) : shape.body;
    const answer = await request(`${served.url}/file-faults/${path}`, { method: 'POST', headers: shape.headers as Record<string, string>, body: payload });
    expect({ status: answer.statusCode, type: answer.headers['content-type'], body: await answer.body.json() }).toEqual({ status: 413, type: jsonType, body });
  });

  it.each(cases)('%s: to curl', async (_, path, shape, body) => {
    const file = join(dir, `${path}.body`);
    writeFileSync(file, shape.body as Buffer);
    const headers = Object.entries(shape.headers ?? {}).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
    const chunked = shape.chunked ? ['-H', 'Transfer-Encoding: chunked'] : [];
    const { exit, stdout } = await curl([...headers, ...chunked, '--data-binary', `@${file}`, '-w', '\n%{http_code}', `${served.url}/file-faults/${path}`]);
    const [text, status] = stdout.toString().split('\n');
    expect({ exit, status, body: JSON.parse(text) }).toEqual({ exit: 0, status: '413', body });
  });

  it.each(cases)('%s: the rest is read and dropped, and the connection serves the next call', async (_, path, shape, body) => {
    const next = requestBytes('/file-faults/single', { headers: { 'Content-Type': 'application/octet-stream' }, body: 'hello' });
    const { answers } = await sendRaw(served.url, Buffer.concat([requestBytes(`/file-faults/${path}`, shape), next]), { answers: 2 });
    expectJsonAnswer(answers[0], 413, body);
    expect({ status: answers[1]?.status, body: answers[1]?.body.toString() }).toEqual({ status: 200, body: '5' });
  });

  it('called no implementation with any of them', () => {
    expect(faults.calls).toEqual({ ...callsBefore, single: callsBefore.single + cases.length });
  });

  // A file part sent without a filename (`curl -F 'file=<f'`) is what busboy calls a field; it is
  // still a Bytes parameter, held to fileLimit, not to bodyLimit.
  it('holds a file part without a filename to fileLimit, not bodyLimit', async () => {
    const shape = multipart([json('{"name":"x"}'), { name: 'file', body: content(800) }]);
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/with-json', shape));
    expect({ status: answers[0]?.status, body: answers[0]?.body.toString() }).toEqual({ status: 200, body: '800' });
  });
});

describe('a malformed, incomplete or unexpected multipart body: a 400 naming the problem, and no call', () => {
  const faults = new FileFaults();
  const served = serveForTests({ services: [faults] });
  const json = (text: string | Buffer): Part => ({ name: 'json_arguments', body: text, type: 'application/json' });
  const file: Part = { name: 'file', body: 'abc', filename: 'f.bin', type: 'application/octet-stream' };
  const good = json('{"name":"x"}');
  const multipart = (parts: Part[], close = true): RequestShape => ({ headers: { 'Content-Type': multipartType }, body: multipartBody(parts, { close }) });
  const malformedBody = (reason: string) => ({ code: 'MARSHAL_ERR_MALFORMED_BODY', message: `the multipart body is malformed: ${reason}` });
  const malformedJson = (message: string) => ({ code: 'MARSHAL_ERR_MALFORMED_JSON', message });
  const notAnObject = malformedJson('the request body must be a JSON object with one key per parameter');
  const cases: [string, RequestShape, Record<string, unknown>][] = [
    ['no boundary in the Content-Type', { headers: { 'Content-Type': 'multipart/form-data' }, body: multipartBody([good, file]) }, malformedBody('Multipart: Boundary not found')],
    ['no Content-Type at all', { body: multipartBody([good, file]) }, malformedBody('Missing Content-Type')],
    ['a Content-Type that is not multipart', { headers: { 'Content-Type': 'application/json' }, body: '{"name":"x"}' }, malformedBody('Unsupported content type: application/json')],
    ['a part header line without a colon', multipart([good, { ...file, rawHeaders: 'Content-Disposition form-data; name="file"; filename="f"\r\n' }]), malformedBody('Malformed part header')],
    ['the file part twice', multipart([good, file, file]), malformedBody("the part 'file' is sent twice")],
    ['json_arguments twice', multipart([good, good, file]), malformedBody("the part 'json_arguments' is sent twice")],
    ['an empty body', { headers: { 'Content-Type': multipartType }, body: '' }, malformedBody('Unexpected end of form')],
    ['no closing boundary after a json_arguments part', multipart([file, good], false), malformedBody('Unexpected end of form')],
    ['only the closing boundary', multipart([]), { code: 'MARSHAL_ERR_MISSING_PARAMETER', message: "parameter 'file' is required (a part of the multipart body)", parameter: 'file' }],
    ['no file part', multipart([good]), { code: 'MARSHAL_ERR_MISSING_PARAMETER', message: "parameter 'file' is required (a part of the multipart body)", parameter: 'file' }],
    ['a file part without Content-Disposition (skipped)', multipart([good, { ...file, rawHeaders: 'Content-Type: application/octet-stream\r\n' }]), { code: 'MARSHAL_ERR_MISSING_PARAMETER', message: "parameter 'file' is required (a part of the multipart body)", parameter: 'file' }],
    ['an unknown part', multipart([good, file, { name: 'other', body: 'x', filename: 'o.bin' }]), { code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', message: "the multipart body has an unknown part 'other' (expected: json_arguments, file)", parameter: 'other' }],
    ['an unknown field part', multipart([good, file, { name: 'other', body: 'x' }]), { code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', message: "the multipart body has an unknown part 'other' (expected: json_arguments, file)", parameter: 'other' }],
    ['json_arguments that is not JSON', multipart([json('{name: x}'), file]), malformedJson("the request body is not valid JSON: Expected property name or '}' in JSON at position 1")],
    ['json_arguments as a file part that is not UTF-8', multipart([{ ...json(Buffer.from('{"name":"a\xff"}', 'latin1')), filename: 'args.json' }, file]), malformedJson('the request body is not valid UTF-8')],
    ...['[]', 'null', '"x"', '42', 'true', '[{"name":"x"}]'].map((text): [string, RequestShape, Record<string, unknown>] => [`json_arguments ${text}, not an object`, multipart([json(text), file]), notAnObject]),
    ['json_arguments without the required name', multipart([json('{}'), file]), { code: 'MARSHAL_ERR_MISSING_PARAMETER', message: "parameter 'name' is required (in the JSON body)", parameter: 'name', issues: [{ path: 'name', segments: ['name'], message: 'missing: required in the JSON body' }] }],
    ['no json_arguments part', multipart([file]), { code: 'MARSHAL_ERR_MISSING_PARAMETER', message: "parameter 'name' is required (in the JSON body)", parameter: 'name', issues: [{ path: 'name', segments: ['name'], message: 'missing: required in the JSON body' }] }],
    ['json_arguments with an unknown key', multipart([json('{"name":"x","extra":1}'), file]), { code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', message: "the JSON body has an unknown parameter 'extra' (expected: name)", parameter: 'extra', issues: [{ path: 'extra', segments: ['extra'], message: 'not a parameter of this endpoint (expected: name)' }] }],
    ['json_arguments naming the file parameter', multipart([json('{"name":"x","file":"abc"}'), file]), { code: 'MARSHAL_ERR_UNKNOWN_PARAMETER', message: "the JSON body has an unknown parameter 'file' (expected: name)", parameter: 'file', issues: [{ path: 'file', segments: ['file'], message: 'not a parameter of this endpoint (expected: name)' }] }],
    ['json_arguments with a name that is not a string', multipart([json('{"name":5}'), file]), { code: 'MARSHAL_ERR_BAD_PARAMETER', message: "parameter 'name': expected a string, got 5", parameter: 'name', issues: [{ path: 'name', segments: ['name'], message: 'expected a string, got 5', expected: 'a string', received: '5' }] }],
  ];

  it.each(cases)('%s', async (_, shape, body) => {
    const before = faults.calls.withJson;
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/with-json', shape));
    expectJsonAnswer(answers[0], 400, body);
    expect(faults.calls.withJson).toBe(before);
  });

  it('takes a good body after all of them, on an endpoint with an optional file left out', async () => {
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/two-files', multipart([json('{"tag":"t"}'), { ...file, name: 'a' }])));
    expectJsonAnswer(answers[0], 200, { tag: 't', a: 3, b: 'absent' } as unknown as Record<string, unknown>);
    expect(faults.calls.withJson).toBe(0);
  });

  // A json_arguments part without a filename is decoded from its exact bytes, as strictly as a JSON
  // body: bytes that are not UTF-8 are refused, not taken as U+FFFD.
  it('refuses a json_arguments field that is not UTF-8, as it refuses such a JSON body', async () => {
    const args: Part = { name: 'json_arguments', body: Buffer.from('{"tag":"a\xff"}', 'latin1') };
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/two-files', multipart([args, { ...file, name: 'a' }])));
    expectJsonAnswer(answers[0], 400, malformedJson('the request body is not valid UTF-8'));
  });

  const cutOff = multipartBody([good, file]).subarray(0, multipartBody([good]).length + 60);
  const declared = multipartBody([good, file]).length;

  it('a client that half-closes in the middle of a part: a 400 JSON answer, and no call', async () => {
    const bytes = requestBytes('/file-faults/with-json', { headers: { 'Content-Type': multipartType, 'Content-Length': declared }, body: cutOff });
    const { answers } = await sendRaw(served.url, bytes, { halfClose: true });
    expectJsonAnswer(answers[0], 400, { code: 'MARSHAL_ERR_BAD_REQUEST', message: 'the request is not well-formed HTTP (HPE_INVALID_EOF_STATE)' });
    expect(answers[0].headers.connection).toBe('close');
  });

  it('a client that closes in the middle of a part: no call, and the server keeps serving', async () => {
    const bytes = requestBytes('/file-faults/with-json', { headers: { 'Content-Type': multipartType, 'Content-Length': declared }, body: cutOff });
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    await new Promise<void>((resolve) => socket.write(bytes, () => resolve()));
    socket.destroy();
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/with-json', multipart([good, file])));
    expect(answers[0]?.body.toString()).toBe('3');
    // The cut-off body never completes: whenever the server hears of the close, there is nothing to call.
    expect(faults.calls.withJson).toBe(1);
  });

  it('a raw file cut off by a client that half-closes: a 400 JSON answer, and no call', async () => {
    const before = faults.calls.single;
    const bytes = requestBytes('/file-faults/single', { headers: { 'Content-Length': 500 }, body: 'abc' });
    const { answers } = await sendRaw(served.url, bytes, { halfClose: true });
    expectJsonAnswer(answers[0], 400, { code: 'MARSHAL_ERR_BAD_REQUEST', message: 'the request is not well-formed HTTP (HPE_INVALID_EOF_STATE)' });
    expect(faults.calls.single).toBe(before);
  });

  // A complete HTTP request whose multipart body ends inside a file part (no closing boundary):
  // busboy reports it on the part's own stream. It runs in a child process here, so that a crash
  // would not take the tests with it.
  it('a body that ends inside a file part is a 400 MALFORMED_BODY, and the server lives on', async () => {
    const fork = await Fork.start(fileURLToPath(new URL('../../examples/serve.ts', import.meta.url)), { args: ['--port', '0'], execArgv: ['--conditions=source'], inheritOutput: false });
    try {
      const body = multipartBody([good, file], { close: false }).subarray(0, -2);
      const { answers } = await sendRaw(fork.url, requestBytes('/file-service/json-and-file', { headers: { 'Content-Type': multipartType }, body }));
      expectJsonAnswer(answers[0], 400, { code: 'MARSHAL_ERR_MALFORMED_BODY', message: 'the multipart body is malformed: Unexpected end of form' });
      const heartbeat = await sendRaw(fork.url, requestBytes('/heartbeat', { method: 'GET' }));
      expect(heartbeat.answers[0]?.status).toBe(200);
    } finally {
      await fork.stop();
    }
  });
});

describe('a streamed result whose implementation fails', () => {
  const served = serveForTests({ services: [new FileFaults()] });
  const sse = { Accept: 'text/event-stream' };
  const handlerFailed = { code: 'MARSHAL_ERR_HANDLER', message: 'the implementation failed; the server has logged the error' };
  const forms: [string, string, string][] = [
    ['lines', 'failing-lines', 'one\n'],
    ['bytes', 'failing-bytes', 'one'],
    ['JSON lines', 'failing-items', '{"n":1}\n'],
  ];
  const eachAccept = forms.flatMap(([form, path]) => [
    [form, path, 'without Accept', {}],
    [form, path, 'with Accept: text/event-stream', sse],
  ]) as [string, string, string, Record<string, string>][];

  it.each(eachAccept)('%s, failing before the first item (%s): the usual JSON error answer', async (_, path, __, headers) => {
    const { answers } = await sendRaw(served.url, requestBytes(`/file-faults/${path}/before`, { headers }));
    expectJsonAnswer(answers[0], 500, handlerFailed);
  });

  it.each([{}, sse])('a MarshalError before the first item keeps its code and status (%o)', async (headers) => {
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/failing-lines/refuse', { headers }));
    expectJsonAnswer(answers[0], 404, { code: 'MARSHAL_ERR_NOT_FOUND', message: 'nothing to stream' });
  });

  it.each(forms)('%s, failing after the first item: the item, then the connection cut before the terminating chunk', async (_, path, first) => {
    const { answers, closed, bytes } = await sendRaw(served.url, requestBytes(`/file-faults/${path}/after`));
    expect({ status: answers[0]?.status, chunked: answers[0]?.headers['transfer-encoding'], complete: answers[0]?.complete, closed }).toEqual({ status: 200, chunked: 'chunked', complete: false, closed: true });
    expect(answers[0].body.toString()).toBe(first);
    expect(bytes.toString('latin1')).not.toContain('0\r\n\r\n');
  });

  it.each(forms)('%s, failing after the first item: curl sees the first item and exits with 18 (partial transfer)', async (_, path, first) => {
    const { exit, stdout, stderr } = await curl(['-N', '-X', 'POST', `${served.url}/file-faults/${path}/after`]);
    expect({ exit, stdout: stdout.toString() }).toEqual({ exit: 18, stdout: first });
    expect(stderr).toMatch(/transfer closed with outstanding read data remaining/);
  });

  it.each(forms)('%s, failing after the first item: fetch gets the 200 and the first item, then rejects while reading', async (_, path, first) => {
    const response = await fetch(`${served.url}/file-faults/${path}/after`, { method: 'POST' });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let received = Buffer.alloc(0);
    const read = async (): Promise<void> => {
      for (let step = await reader.read(); !step.done; step = await reader.read()) received = Buffer.concat([received, step.value]);
    };
    await expect(read()).rejects.toThrow(/terminated/);
    expect(received.toString()).toBe(first);
  });

  it.each([
    ['lines', 'failing-lines', 'data: one\n\n', handlerFailed],
    ['JSON lines', 'failing-items', 'data: {"n":1}\n\n', { code: 'MARSHAL_ERR_CONFLICT', message: 'the items changed under the stream' }],
  ])('%s, failing after the first item, as Server-Sent Events: the item, then an error event with the JSON error body', async (_, path, first, error) => {
    const { answers } = await sendRaw(served.url, requestBytes(`/file-faults/${path}/after`, { headers: sse }));
    expect({ status: answers[0]?.status, type: answers[0]?.headers['content-type'], complete: answers[0]?.complete }).toEqual({ status: 200, type: 'text/event-stream; charset=utf-8', complete: true });
    expect(answers[0].body.toString()).toBe(`${first}event: error\ndata: ${JSON.stringify(error)}\n\n`);
  });

  it('a stream of bytes is no Server-Sent Events stream: with Accept: text/event-stream it is cut like the others', async () => {
    const { answers } = await sendRaw(served.url, requestBytes('/file-faults/failing-bytes/after', { headers: sse }));
    expect({ type: answers[0]?.headers['content-type'], complete: answers[0]?.complete, body: answers[0]?.body.toString() }).toEqual({ type: 'application/octet-stream', complete: false, body: 'one' });
  });

  // The first item is taken and encoded before anything is sent: one that does not fit its type is
  // an ordinary 500 RESULT_ENCODING answer.
  it.each([
    ['a line with a line break', 'bad-first-line', "IFileFaults.badFirstLine yielded an item that does not fit its type: an item of a text stream cannot contain a line break; declare stream(T) of a DTO or use Json lines"],
    ['a string in a stream of bytes', 'bad-first-chunk', 'IFileFaults.badFirstChunk yielded an item that does not fit its type: expected a Uint8Array, got a string'],
  ])('a first item that does not fit its type (%s) is a 500 RESULT_ENCODING answer', async (_, path, message) => {
    const { answers } = await sendRaw(served.url, requestBytes(`/file-faults/${path}`));
    expectJsonAnswer(answers[0], 500, { code: 'MARSHAL_ERR_RESULT_ENCODING', message });
  });
});

describe('a client that goes away', () => {
  const faults = new FileFaults();
  const served = serveForTests({ services: [faults] });

  it('mid-download, a raw socket that closes: the generator is stopped and its finally runs', async () => {
    const record = faults.record('download-socket');
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    socket.write(requestBytes('/file-faults/endless/download-socket'));
    await new Promise((resolve) => socket.once('data', resolve));
    socket.destroy();
    await record.finished.promise;
    expect(record.produced).toBeGreaterThan(0);
  });

  it('mid-download, fetch with an AbortSignal: the generator is stopped and its finally runs', async () => {
    const record = faults.record('download-fetch');
    const controller = new AbortController();
    const response = await fetch(`${served.url}/file-faults/endless/download-fetch`, { method: 'POST', signal: controller.signal });
    const reader = response.body!.getReader();
    expect((await reader.read()).value!.length).toBeGreaterThan(0);
    controller.abort();
    await record.finished.promise;
  });

  it('mid-download, curl killed after its first bytes: the generator is stopped and its finally runs', async () => {
    const record = faults.record('download-curl');
    const child: ChildProcess = spawn('curl', ['-sS', '-N', '-X', 'POST', `${served.url}/file-faults/endless/download-curl`], { stdio: ['ignore', 'pipe', 'ignore'] });
    await new Promise((resolve) => child.stdout!.once('data', resolve));
    child.kill('SIGKILL');
    await record.finished.promise;
  });

  it('mid-upload, a raw socket that closes: the upload iterable the implementation reads throws', async () => {
    const record = faults.record('upload-socket');
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    socket.on('error', () => {});
    socket.write('POST /file-faults/upload/upload-socket HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n');
    await record.started.promise;
    socket.destroy();
    const error = await record.uploadEnded.promise;
    expect(error).toBeInstanceOf(Error);
    expect(record.received).toBe(5);
    // The implementation rethrew what its upload threw: no failure of its own, so nothing is logged.
    // A round trip later, its rejection has long been handled.
    expect((await fetch(`${served.url}/heartbeat`)).status).toBe(200);
    expect(served.log.map((entry) => (entry.object as { err?: unknown }).err)).not.toContain(error);
  });

  it('mid-upload, fetch with an AbortSignal: the upload iterable the implementation reads throws', async () => {
    const record = faults.record('upload-fetch');
    const controller = new AbortController();
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) });
    const answer = fetch(`${served.url}/file-faults/upload/upload-fetch`, { method: 'POST', body, signal: controller.signal, duplex: 'half' } as RequestInit);
    push.enqueue(new Uint8Array(1000));
    await record.started.promise;
    controller.abort();
    await expect(answer).rejects.toThrow();
    expect(await record.uploadEnded.promise).toBeInstanceOf(Error);
  });

  it('an upload that ends normally hands over every byte, while it arrives', async () => {
    const record = faults.record('upload-whole');
    let push!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({ start: (c) => void (push = c) });
    const answer = fetch(`${served.url}/file-faults/upload/upload-whole`, { method: 'POST', body, duplex: 'half' } as RequestInit);
    push.enqueue(content(70_000));
    // The implementation has the first bytes while the rest has not been sent.
    await record.started.promise;
    push.enqueue(content(30_000));
    push.close();
    const response = await answer;
    expect({ status: response.status, body: await response.text() }).toEqual({ status: 200, body: '100000' });
    expect(await record.uploadEnded.promise).toBeUndefined();
  });
});

describe('a client that reads slowly', () => {
  const faults = new FileFaults();
  const served = serveForTests({ services: [faults] });

  it("pauses the server's generator by backpressure, and lets it go on when the client reads", async () => {
    const record = faults.record('slow');
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    socket.pause();
    socket.write(requestBytes('/file-faults/endless/slow'));
    await record.started.promise;
    // The socket's buffers fill; then the generator is not asked for more.
    const stalled = await untilStill(() => record.produced);
    expect(stalled * chunkSize).toBeLessThan(200 * chunkSize); // 12.5 MiB
    expect(await untilStill(() => record.produced)).toBe(stalled);
    // Reading lets it go on.
    let received = 0;
    socket.on('data', (chunk: Buffer) => (received += chunk.length));
    socket.resume();
    await new Promise<void>((resolve) => {
      const check = () => (record.produced > stalled + 100 ? resolve() : setImmediate(check));
      check();
    });
    socket.destroy();
    await record.finished.promise;
    expect(received).toBeGreaterThan(0);
  });
});

describe('streamed lines, JSON lines and Server-Sent Events with curl -N', () => {
  const faults = new FileFaults();
  const served = serveForTests({ services: [new FileService(), faults] });
  const sse = ['-H', 'accept: text/event-stream'];
  const tokens = ['-H', 'content-type: application/json', '--data-binary', '{"prompt":"a b c"}'];
  const eventStream = 'text/event-stream; charset=utf-8';

  it.each([
    ['text_lines as lines', 'text-lines/3', [], 'text/plain; charset=utf-8', 'line:0\nline:1\nline:2\n'],
    ['text_lines as Server-Sent Events', 'text-lines/3', sse, eventStream, 'data: line:0\n\ndata: line:1\n\ndata: line:2\n\nevent: end\ndata:\n\n'],
    ['text_lines, none', 'text-lines/0', [], 'text/plain; charset=utf-8', ''],
    ['text_lines, none, as Server-Sent Events', 'text-lines/0', sse, eventStream, 'event: end\ndata:\n\n'],
    ['token_stream as JSON lines', 'token-stream', tokens, 'application/jsonlines+json', '{"text":"a","index":0}\n{"text":"b","index":1}\n{"text":"c","index":2}\n'],
    ['token_stream as Server-Sent Events', 'token-stream', [...tokens, ...sse], eventStream, 'data: {"text":"a","index":0}\n\ndata: {"text":"b","index":1}\n\ndata: {"text":"c","index":2}\n\nevent: end\ndata:\n\n'],
  ])('%s', async (_, path, args, type, body) => {
    const { exit, stdout } = await curl(['-N', '-i', '-X', 'POST', ...args, `${served.url}/file-service/${path}`]);
    const answer = splitCurlAnswer(stdout);
    expect({ exit, status: answer.status, type: answer.headers['content-type'], chunked: answer.headers['transfer-encoding'], body: answer.body.toString() }).toEqual({ exit: 0, status: 200, type, chunked: 'chunked', body });
  });

  it.each([
    ['lines', 'gated-lines', [], 'first\n', 'first\nlast\n'],
    ['lines as Server-Sent Events', 'gated-lines', sse, 'data: first\n\n', 'data: first\n\ndata: last\n\nevent: end\ndata:\n\n'],
    ['JSON lines', 'gated-items', [], '{"n":1}\n', '{"n":1}\n{"n":2}\n'],
    ['JSON lines as Server-Sent Events', 'gated-items', sse, 'data: {"n":1}\n\n', 'data: {"n":1}\n\ndata: {"n":2}\n\nevent: end\ndata:\n\n'],
  ])('%s: curl -N shows the first item before the last is produced', async (label, path, args, first, whole) => {
    const id = `curl ${label}`;
    const record = faults.record(id);
    const child = spawn('curl', ['-sS', '-N', '-X', 'POST', ...args, `${served.url}/file-faults/${path}/${encodeURIComponent(id)}`], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<number | null>((resolve) => child.once('close', resolve));
    await new Promise<void>((resolve) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.startsWith(first)) resolve();
      });
    });
    // The first item is out; the generator is waiting for the gate, before its last item.
    expect({ output, produced: record.produced }).toEqual({ output: first, produced: 1 });
    record.gate.resolve();
    expect(await exited).toBe(0);
    expect({ output, produced: record.produced }).toEqual({ output: whole, produced: 2 });
  });

  it('fetch reads the first JSON line before the last is produced', async () => {
    const record = faults.record('fetch');
    const response = await fetch(`${served.url}/file-faults/gated-items/fetch`, { method: 'POST' });
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
    expect((await reader.read()).value).toBe('{"n":1}\n');
    expect(record.produced).toBe(1);
    record.gate.resolve();
    let rest = '';
    for (let step = await reader.read(); !step.done; step = await reader.read()) rest += step.value;
    expect(rest).toBe('{"n":2}\n');
  });
});
