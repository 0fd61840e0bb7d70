/**
 * Hostile bodies, generated, for every endpoint of the example file service (examples/file-service):
 * empty bodies, a declared length far larger than what comes, garbage with and without a multipart
 * Content-Type, duplicate parts, parts with odd names (`__proto__`, `constructor`, very long ones),
 * odd keys and bytes in json_arguments, over raw sockets. Every answer is a 2xx, or a 4xx with
 * Marshal's JSON error body; never a 5xx. After each, a good call to the same endpoint works.
 *
 * Bodies that once crashed the server process are sent, each, to a server of its own in a child
 * process, so that a regression cannot take the test run down with it (see "bodies that once
 * crashed the server" below).
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Fork } from '@marshal/testing';
import { FileService } from '../../examples/file-service/file-service.js';
import { type Part, type RawOutcome, type RequestShape, boundary, multipartBody, multipartType, requestBytes, sendRaw } from '../helpers/raw-stream.js';
import { serveForTests } from '../helpers/serve.js';

/** Deterministic bytes that look like nothing in particular (a linear congruential generator). */
function garbage(size: number, seed: number): Buffer {
  const bytes = Buffer.alloc(size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    bytes[i] = state >>> 16;
  }
  return bytes;
}

interface Endpoint {
  readonly path: string;
  /** A call that must work after each hostile one. */
  readonly good: RequestShape;
  readonly answer: string;
}

const json = (value: unknown): RequestShape => ({ headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });
const raw = (body: string | Buffer): RequestShape => ({ headers: { 'Content-Type': 'application/octet-stream' }, body });
const multipart = (parts: readonly Part[], close = true): RequestShape => ({ headers: { 'Content-Type': multipartType }, body: multipartBody(parts, { close }) });
const args = (text: string | Buffer, filename?: string): Part => ({ name: 'json_arguments', body: text, type: 'application/json', filename });
const file = (name = 'file', body: string | Buffer = 'hello'): Part => ({ name, body, filename: 'f.bin', type: 'application/octet-stream' });
const field = (name: string, body: string | Buffer = 'x'): Part => ({ name, body });

const endpoints: Endpoint[] = [
  { path: 'json-only', good: json({ name: 'hello' }), answer: '"hello"' },
  { path: 'single-file', good: raw('hello'), answer: '5' },
  { path: 'json-and-file', good: multipart([args('{"name":"x"}'), file()]), answer: '5' },
  { path: 'download-file', good: json({ content: 'hello' }), answer: 'hello' },
  { path: 'count-bytes', good: raw('hello'), answer: '5' },
  { path: 'text-lines/3', good: {}, answer: 'line:0\nline:1\nline:2\n' },
  { path: 'token-stream', good: json({ prompt: 'a b' }), answer: '{"text":"a","index":0}\n{"text":"b","index":1}\n' },
];

const oddNames = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'x'.repeat(10_000), 'ü 名前', 'a"b', 'json_arguments '];
const oddKeys = ['{"__proto__":{"polluted":true}}', '{"name":"x","__proto__":{"polluted":true}}', '{"constructor":{"prototype":{"polluted":true}}}', '{"name":"x","constructor":1}', '{"name":{"__proto__":1}}', '{"prompt":"a","content":"b","name":"c"}'];

interface Hostile {
  readonly label: string;
  readonly shape: RequestShape;
  /** Half-close once sent: for bodies that never complete, so that the server sees them end. */
  readonly halfClose?: boolean;
}

const hostileBodies: Hostile[] = [
  { label: 'an empty body', shape: {} },
  { label: 'an empty body with a multipart Content-Type', shape: { headers: { 'Content-Type': multipartType } } },
  { label: 'an empty chunked body', shape: { chunked: true } },
  { label: 'a declared length of 1 TB with 3 bytes', shape: { headers: { 'Content-Length': 10 ** 12 }, body: 'abc' }, halfClose: true },
  { label: 'a declared length of 1 TB with 3 bytes, multipart', shape: { headers: { 'Content-Type': multipartType, 'Content-Length': 10 ** 12 }, body: 'abc' }, halfClose: true },
  { label: 'a declared length of 10 with 3 bytes', shape: { headers: { 'Content-Length': 10 }, body: 'abc' }, halfClose: true },
  ...[1, 2, 3].map((seed) => ({ label: `4 KiB of garbage (${seed})`, shape: raw(garbage(4096, seed)) })),
  ...[1, 2, 3].map((seed) => ({ label: `4 KiB of garbage with a multipart Content-Type (${seed})`, shape: { headers: { 'Content-Type': multipartType }, body: garbage(4096, seed) } })),
  { label: 'garbage chunked with a multipart Content-Type', shape: { headers: { 'Content-Type': multipartType }, body: garbage(70_000, 4), chunked: true } },
  { label: 'garbage for part headers', shape: { headers: { 'Content-Type': multipartType }, body: Buffer.concat([Buffer.from(`--${boundary}\r\n`), garbage(2048, 5), Buffer.from(`\r\n\r\nx\r\n--${boundary}--\r\n`)]) } },
  { label: 'garbage between boundaries', shape: { headers: { 'Content-Type': multipartType }, body: Buffer.concat([garbage(512, 6), Buffer.from(`\r\n--${boundary}--\r\n`), garbage(512, 7)]) } },
  { label: 'a boundary of 200 characters', shape: { headers: { 'Content-Type': `multipart/form-data; boundary=${'b'.repeat(200)}` }, body: multipartBody([args('{"name":"x"}'), file()], { boundary: 'b'.repeat(200) }) } },
  { label: 'a multipart Content-Type with two boundaries', shape: { headers: { 'Content-Type': `${multipartType}; boundary=other` }, body: multipartBody([args('{"name":"x"}'), file()]) } },
  { label: 'multipart/mixed', shape: { headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` }, body: multipartBody([args('{"name":"x"}'), file()]) } },
  { label: 'json_arguments twice', shape: multipart([args('{"name":"x"}'), args('{"name":"y"}'), file()]) },
  { label: 'the file part twice', shape: multipart([args('{"name":"x"}'), file(), file()]) },
  { label: 'json_arguments as a field and as a file', shape: multipart([args('{"name":"x"}'), args('{"name":"y"}', 'a.json'), file()]) },
  ...oddNames.flatMap((name) => [
    { label: `a file part named ${JSON.stringify(name.slice(0, 20))} (${name.length})`, shape: multipart([args('{"name":"x"}'), file(), file(name)]) },
    { label: `a field named ${JSON.stringify(name.slice(0, 20))} (${name.length})`, shape: multipart([args('{"name":"x"}'), file(), field(name)]) },
    { label: `only a part named ${JSON.stringify(name.slice(0, 20))} (${name.length})`, shape: multipart([file(name)]) },
  ]),
  ...oddKeys.map((text) => ({ label: `json_arguments ${text}`, shape: multipart([args(text), file()]) })),
  ...oddKeys.map((text) => ({ label: `a JSON body ${text}`, shape: { headers: { 'Content-Type': 'application/json' }, body: text } })),
  ...[1, 2].map((seed) => ({ label: `binary json_arguments (${seed})`, shape: multipart([args(garbage(300, seed)), file()]) })),
  ...[1, 2].map((seed) => ({ label: `binary json_arguments as a file part (${seed})`, shape: multipart([args(garbage(300, seed), 'a.json'), file()]) })),
  { label: 'json_arguments with a byte-order mark', shape: multipart([args(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"name":"x"}')])), file()]) },
  { label: 'json_arguments with NUL bytes', shape: multipart([args('{"name":"x\u0000"}\u0000'), file()]) },
  { label: 'json_arguments nested 10 000 deep', shape: multipart([args(`{"name":${'['.repeat(10_000)}${']'.repeat(10_000)}}`), file()]) },
  { label: 'a part with a charset of UTF-16', shape: multipart([{ ...args('{"name":"x"}'), type: 'application/json; charset=utf-16le' }, file()]) },
  { label: 'a part with 100 headers', shape: multipart([args('{"name":"x"}'), { ...file(), rawHeaders: `Content-Disposition: form-data; name="file"; filename="f"\r\n${Array.from({ length: 100 }, (_, i) => `X-H${i}: ${i}\r\n`).join('')}` }]) },
  { label: 'a Content-Disposition with filename*', shape: multipart([args('{"name":"x"}'), { ...file(), rawHeaders: `Content-Disposition: form-data; name="file"; filename*=UTF-8''%e2%82%ac.bin\r\n` }]) },
  { label: 'a Content-Disposition that is not form-data', shape: multipart([args('{"name":"x"}'), { ...file(), rawHeaders: 'Content-Disposition: attachment; name="file"\r\n' }]) },
  { label: 'a JSON body for a file', shape: json({ file: 'hello' }) },
  { label: 'a JSON body that is not JSON', shape: { headers: { 'Content-Type': 'application/json' }, body: '{"name":' } },
  { label: 'Content-Encoding: gzip on plain bytes', shape: { headers: { 'Content-Type': 'application/octet-stream', 'Content-Encoding': 'gzip' }, body: 'hello' } },
];

function expectNoServerFault(outcome: RawOutcome, label: string): void {
  expect(outcome.answers.length, `${label}: no answer at all`).toBeGreaterThan(0);
  for (const answer of outcome.answers) {
    expect(answer.status, `${label}: ${answer.body.toString().slice(0, 300)}`).toBeLessThan(500);
    if (answer.status >= 400) {
      expect(answer.headers['content-type']).toBe('application/json; charset=utf-8');
      const body = JSON.parse(answer.body.toString('utf8')) as { code: unknown; message: unknown };
      expect(body.code).toMatch(/^MARSHAL_ERR_[A-Z_]+$/);
      expect(typeof body.message).toBe('string');
    } else {
      expect(answer.complete, `${label}: a 2xx cut short`).toBe(true);
    }
  }
}

describe('hostile bodies for every file-service endpoint', () => {
  const served = serveForTests({ services: [new FileService()] });
  const cases = endpoints.flatMap((endpoint) => hostileBodies.map((hostile) => [endpoint.path, hostile.label, endpoint, hostile] as const));

  it.each(cases)('%s: %s → a 2xx or a JSON 4xx, then a good call works', async (_, __, endpoint, hostile) => {
    const path = `/file-service/${endpoint.path}`;
    const outcome = await sendRaw(served.url, requestBytes(path, hostile.shape), { halfClose: hostile.halfClose });
    expectNoServerFault(outcome, hostile.label);
    const good = await sendRaw(served.url, requestBytes(path, endpoint.good));
    expect({ status: good.answers[0]?.status, body: good.answers[0]?.body.toString() }).toEqual({ status: 200, body: endpoint.answer });
  });

  it('has tried every endpoint of the contract', () => {
    expect(new Set(endpoints.map((endpoint) => endpoint.path.split('/')[0]))).toEqual(
      new Set(['json-only', 'single-file', 'json-and-file', 'download-file', 'count-bytes', 'text-lines', 'token-stream']),
    );
  });
});

// Each of these once crashed the server process: a part without a name (`name=""`, or no name at
// all) reached the part checks with its name undefined, and a body that ends inside a file part
// made busboy emit 'error' on the part's stream. Each is sent to a server of its own, in a child process.
const crashing: Hostile[] = [
  { label: 'a file part named ""', shape: multipart([args('{"name":"x"}'), file(), file('')]) },
  { label: 'a field named ""', shape: multipart([args('{"name":"x"}'), file(), field('')]) },
  { label: 'a part without a name', shape: multipart([args('{"name":"x"}'), file(), { ...file(), rawHeaders: 'Content-Disposition: form-data; filename="f.bin"\r\n' }]) },
  { label: 'two parts without a name', shape: multipart([args('{"name":"x"}'), file(), field(''), field('')]) },
  { label: 'a body that ends inside a file part', shape: { headers: { 'Content-Type': multipartType }, body: multipartBody([args('{"name":"x"}'), file()], { close: false }).subarray(0, -2) } },
];

describe('bodies that once crashed the server', () => {
  const serveScript = fileURLToPath(new URL('../../examples/serve.ts', import.meta.url));
  const endpoint = endpoints.find((each) => each.path === 'json-and-file')!;

  it.each(crashing.map((hostile) => [hostile.label, hostile] as const))('json-and-file: %s → a JSON 4xx, then a good call works', async (_, hostile) => {
    const fork = await Fork.start(serveScript, { args: ['--port', '0'], execArgv: ['--conditions=source'], inheritOutput: false });
    try {
      const path = `/file-service/${endpoint.path}`;
      expectNoServerFault(await sendRaw(fork.url, requestBytes(path, hostile.shape)), hostile.label);
      const good = await sendRaw(fork.url, requestBytes(path, endpoint.good));
      expect({ status: good.answers[0]?.status, body: good.answers[0]?.body.toString() }).toEqual({ status: 200, body: endpoint.answer });
    } finally {
      await fork.stop();
    }
  });
});
