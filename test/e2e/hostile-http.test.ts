/**
 * Requests no well-behaved client sends, over raw sockets and real clients: what node's HTTP parser
 * refuses, CONNECT, stray bytes after a call, oversized bodies (the 413 must reach undici, curl and
 * a raw socket, not a reset), bytes that are not UTF-8, implementations that never answer, and
 * clients that pipeline and vanish before stop(). Every error answer has Marshal's JSON body.
 */
import { execFile } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { Int, endpoint, service, unimplemented } from '@marshal/core';
import { Server } from '@marshal/server';
import { Probe } from '../helpers/probe-service.js';
import { collectingLogger, serveForTests } from '../helpers/serve.js';
import { post } from '../helpers/http.js';
import { type RawAnswer, rawExchange } from '../helpers/raw-http.js';

const run = promisify(execFile);

function expectJsonError(answer: RawAnswer | undefined, status: number, code: string): void {
  expect(answer, 'no complete answer').toBeDefined();
  expect({ status: answer!.status, type: answer!.headers['content-type'], code: (JSON.parse(answer!.body) as { code: string }).code }).toEqual({
    status,
    type: 'application/json; charset=utf-8',
    code,
  });
}

describe("what node's HTTP parser refuses, and CONNECT", () => {
  const served = serveForTests({ services: [new Probe()] });
  const head = 'Host: localhost\r\n';
  const valid = `GET /probe/lookup/1 HTTP/1.1\r\n${head}\r\n`;
  const cases: [string, string, number, string][] = [
    ['a method that is not HTTP', `FETCH!ME /probe/lookup/1 HTTP/1.1\r\n${head}\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['a Content-Length that is not a number', `POST /probe/fail/x HTTP/1.1\r\n${head}Content-Length: abc\r\n\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['two different Content-Lengths', `POST /probe/fail/x HTTP/1.1\r\n${head}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['Content-Length with chunked encoding', `POST /probe/fail/x HTTP/1.1\r\n${head}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['a chunk size that is not hexadecimal', `POST /probe/save/alice HTTP/1.1\r\n${head}Transfer-Encoding: chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['no Host header', 'GET /probe/lookup/1 HTTP/1.1\r\n\r\n', 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['a header over the size limit', `GET /probe/lookup/1 HTTP/1.1\r\n${head}X-Big: ${'a'.repeat(20_000)}\r\n\r\n`, 431, 'MARSHAL_ERR_HEADERS_TOO_LARGE'],
    ['a URL over the size limit', `GET /probe/lookup/${'1'.repeat(20_000)} HTTP/1.1\r\n${head}\r\n`, 431, 'MARSHAL_ERR_HEADERS_TOO_LARGE'],
    ['a header line without a colon', `GET /probe/lookup/1 HTTP/1.1\r\n${head}no colon here\r\n\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['a NUL in the request line', `GET /probe/lookup/1\u0000 HTTP/1.1\r\n${head}\r\n`, 400, 'MARSHAL_ERR_BAD_REQUEST'],
    ['CONNECT', `CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n`, 405, 'MARSHAL_ERR_METHOD_NOT_ALLOWED'],
  ];

  it.each(cases)('%s: its status, the JSON body with the code, and the connection closed', async (_, bytes, status, code) => {
    const answers = await rawExchange(served.url, bytes);
    expect(answers).toHaveLength(1);
    expectJsonError(answers[0], status, code);
    expect(answers[0].headers.connection).toBe('close');
  });

  it('answers a valid call followed by stray bytes: first the call, then a 400 with the JSON body', async () => {
    const answers = await rawExchange(served.url, `${valid}this is not HTTP\r\n\r\n`);
    expect(answers.map((answer) => answer.status)).toEqual([200, 400]);
    expect(JSON.parse(answers[0].body)).toBe('item 1');
    expectJsonError(answers[1], 400, 'MARSHAL_ERR_BAD_REQUEST');
  });

  it('keeps serving', async () => {
    expect((await post(`${served.url}/probe/echo/a/1/2/true/2024-01-01/GREEN`)).status).toBe(200);
  });
});

describe('a body over the limit', () => {
  const bodyLimit = 1024;
  const served = serveForTests({ services: [new Probe()], bodyLimit });
  const url = () => `${served.url}/probe/save/alice`;
  // Half a MiB: far over the limit, well under what is read and dropped after the 413.
  const big = JSON.stringify({ records: [{ text: 'x'.repeat(512 * 1024) }] });
  const attempts = Array.from({ length: 5 }, (_, i) => i + 1);

  it.each(attempts)('reaches undici as a 413 with the JSON body (attempt %i), and the connection stays usable', async () => {
    const answer = await request(url(), { method: 'POST', headers: { 'content-type': 'application/json' }, body: big });
    const body = (await answer.body.json()) as { code: string };
    expect({ status: answer.statusCode, code: body.code }).toEqual({ status: 413, code: 'MARSHAL_ERR_BODY_TOO_LARGE' });
  });

  it.each(attempts)('reaches a raw socket that sends the whole body first (attempt %i)', async () => {
    const bytes = `POST /probe/save/alice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`;
    const answers = await rawExchange(served.url, bytes, 1);
    expectJsonError(answers[0], 413, 'MARSHAL_ERR_BODY_TOO_LARGE');
  });

  it.each(attempts)('reaches a raw socket with a chunked body (attempt %i)', async () => {
    const chunk = Buffer.byteLength(big).toString(16);
    const bytes = `POST /probe/save/alice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${chunk}\r\n${big}\r\n0\r\n\r\n`;
    const answers = await rawExchange(served.url, bytes, 1);
    expectJsonError(answers[0], 413, 'MARSHAL_ERR_BODY_TOO_LARGE');
  });

  describe('with curl', () => {
    const dir = mkdtempSync(join(tmpdir(), 'marshal-413-'));
    const file = join(dir, 'big.json');
    writeFileSync(file, big);
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it.each(attempts.slice(0, 3))('reaches curl (attempt %i)', async () => {
      const { stdout } = await run('curl', ['-sS', '-H', 'content-type: application/json', '-H', 'Expect:', '--data-binary', `@${file}`, '-w', '\n%{http_code}', url()]);
      const [body, status] = stdout.split('\n');
      expect({ status, code: (JSON.parse(body) as { code: string }).code }).toEqual({ status: '413', code: 'MARSHAL_ERR_BODY_TOO_LARGE' });
    });

    it('reaches curl waiting for 100 Continue, which is never asked for the body', async () => {
      const { stdout } = await run('curl', ['-sS', '-H', 'content-type: application/json', '-H', 'Expect: 100-continue', '--data-binary', `@${file}`, '-w', '\n%{http_code} %{size_upload}', url()]);
      const [body, outcome] = stdout.split('\n');
      const [status, uploaded] = outcome.split(' ');
      expect({ status, code: (JSON.parse(body) as { code: string }).code, uploaded: Number(uploaded) }).toEqual({ status: '413', code: 'MARSHAL_ERR_BODY_TOO_LARGE', uploaded: 0 });
    });
  });

  it('sends 100 Continue and reads a body within the limit', async () => {
    const body = JSON.stringify({ item: { name: 'a', when: '2024-01-01T00:00:00Z', color: 'RED' }, items: [], records: [] });
    const bytes = `POST /probe/save/alice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nExpect: 100-continue\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { hostname, port } = new URL(served.url);
    const socket = connect(Number(port), hostname);
    const continued = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
      socket.write(bytes);
    });
    expect(continued).toBe('HTTP/1.1 100 Continue\r\n\r\n');
    const answer = await new Promise<string>((resolve) => {
      socket.once('data', (chunk: Buffer) => resolve(chunk.toString('latin1')));
      socket.write(body);
    });
    socket.destroy();
    expect(answer.split('\r\n')[0]).toBe('HTTP/1.1 200 OK');
  });
});

describe('bytes that are not UTF-8, and repeated query keys', () => {
  const served = serveForTests({ services: [new Probe()] });

  it('refuses a JSON body with bytes that are not UTF-8 instead of reading them as U+FFFD', async () => {
    const body = Buffer.concat([Buffer.from('{"records":[{"text":"'), Buffer.from([0xff, 0xfe]), Buffer.from('"}]}')]);
    const answer = await fetch(`${served.url}/probe/save/alice`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect({ status: answer.status, body: await answer.json() }).toEqual({
      status: 400,
      body: { code: 'MARSHAL_ERR_MALFORMED_JSON', message: 'the request body is not valid UTF-8' },
    });
  });

  it('reads the last of repeated query keys, as the reference does', async () => {
    const answer = await post(`${served.url}/probe/echo/a/1/2/true/2024-01-01/GREEN?limit=1&limit=2`);
    expect(answer.body).toMatchObject({ limit: 2 });
  });
});

@service({ name: 'clock' })
class IClock {
  @endpoint({ params: [], returns: Int })
  never(): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Int, timeoutMs: 50 })
  quick(): Promise<number> { return unimplemented(); }

  @endpoint({ params: [], returns: Int, timeoutMs: 0 })
  patient(): Promise<number> { return unimplemented(); }
}

class Clock extends IClock {
  release!: (value: number) => void;
  readonly released = new Promise<number>((resolve) => (this.release = resolve));
  override never() { return new Promise<number>(() => {}); }
  override quick() { return new Promise<number>(() => {}); }
  override patient() { return this.released; }
}

describe('implementations that do not answer', () => {
  const clock = new Clock();
  const served = serveForTests({ services: [clock], callTimeoutMs: 200 });

  it("answer 504 after the endpoint's own timeout", async () => {
    const answer = await post(`${served.url}/clock/quick`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 504, body: { code: 'MARSHAL_ERR_TIMEOUT', message: 'IClock.quick did not answer within 50 ms' } });
  });

  it("answer 504 after the server's callTimeoutMs when the endpoint sets none", async () => {
    const answer = await post(`${served.url}/clock/never`);
    expect({ status: answer.status, body: answer.body }).toEqual({ status: 504, body: { code: 'MARSHAL_ERR_TIMEOUT', message: 'IClock.never did not answer within 200 ms' } });
  });

  it('wait as long as it takes for an endpoint with timeoutMs: 0', async () => {
    const patient = post(`${served.url}/clock/patient`);
    // The server's timeout has passed once another call has timed out on it, started after this one.
    expect((await post(`${served.url}/clock/never`)).status).toBe(504);
    clock.release(7);
    expect(await patient).toMatchObject({ status: 200, body: 7 });
  });
});

describe('stop() after clients pipelined calls and went away without reading', () => {
  it('does not wait for answers that can never be written', async () => {
    const server = await new Server({ services: [new Probe()], stopTimeoutMs: 120_000, logger: collectingLogger() }).start();
    const body = JSON.stringify({ item: { name: 'a', when: '2024-01-01T00:00:00Z', color: 'RED' }, items: [], records: [{ text: 'x'.repeat(20_000) }] });
    const one = `POST /probe/save/alice HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
    const { hostname, port } = new URL(server.url);
    const sockets = await Promise.all(
      Array.from({ length: 4 }, async () => {
        const socket = connect(Number(port), hostname);
        await new Promise((resolve) => socket.once('connect', resolve));
        socket.pause();
        await new Promise<void>((resolve) => socket.write(one.repeat(200), () => resolve()));
        return socket;
      }),
    );
    // The server has answered on every connection: the first answers are waiting in the sockets, the rest queued behind them.
    await Promise.all(sockets.map((socket) => new Promise((resolve) => socket.once('readable', resolve))));
    for (const socket of sockets) socket.destroy();
    // With a grace period of two minutes, only settling those answers lets this finish within the test's timeout.
    await server.stop();
  });
});
