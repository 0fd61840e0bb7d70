/**
 * The demo: starts the example server in its own process, calls it through the TypeScript
 * client (over undici, and over fetch as in a browser) and through plain curl, mounts the same
 * services under a path of a node:http server of its own, and prints what comes back.
 */
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { closeClient, createClient } from '@marshal/client';
import { createClient as createFetchClient } from '@marshal/client/fetch';
import { MarshalError } from '@marshal/core';
import { createRequestListener } from '@marshal/server';
import { Fork } from '@marshal/testing';
import WebSocket from 'ws';
import { IAgentServer } from './agent-server/contract.js';
import { MyService } from './my-service/my-service.js';
import { IMyService } from './my-service/contract.js';
import { ITelemetry } from './telemetry/contract.js';
import { IngestBatch, RawEvent, TokenUsage } from './telemetry/models.js';
import { demoIngestKey } from './telemetry/ingest-keys.js';
import { IStreamingService, ITranscriber } from './streaming-service/contract.js';

const data = [
  { id: 'test', text: 'example 1' },
  { id: 'test', text: 'example 2' },
  { id: 'test', text: 'example 1' },
  { id: 'test_1', text: 'example 3' },
];

const fork = await Fork.start(fileURLToPath(new URL('./serve.ts', import.meta.url)), { args: ['--port', '0'] });
try {
  const api = createClient(IMyService, fork.url);
  console.log(`\nclient: api.select('test', data, true)`);
  console.log('     →', JSON.stringify(await api.select('test', data, true)));
  await closeClient(api);

  const url = `${fork.url}/my-service/select/test/?drop_duplicates=True`;
  console.log(`\ncurl -X POST '${url}' -H 'content-type: application/json' -d '{"data":[…]}'`);
  const curl = (target: string, body: string) =>
    execFileSync('curl', ['-sS', '-X', 'POST', target, '-H', 'content-type: application/json', '-d', body], { encoding: 'utf8' });
  console.log('     →', curl(url, JSON.stringify({ data })));

  const badUrl = `${fork.url}/my-service/select/test?drop_duplicates=maybe`;
  console.log(`\ncurl -X POST '${badUrl}' -d '{"data":[]}'   (a bad boolean)`);
  console.log('     →', curl(badUrl, '{"data":[]}'));

  // DTO instances with dates, enums and nested classes, written as snake_case JSON on the wire.
  const telemetry = createClient(ITelemetry, fork.url, { auth: { token: () => demoIngestKey } });
  const event = Object.assign(new RawEvent(), {
    sourceEventId: 'e1',
    ts: new Date('2026-05-01T10:00:00Z'),
    agent: 'demo',
    provider: 'openai',
    sessionId: 's1',
    model: 'gpt-x',
    tokens: Object.assign(new TokenUsage(), { input: 800, output: 120 }),
  });
  const batch = Object.assign(new IngestBatch(), { batchId: 'b1', deviceId: 'laptop', daemonVersion: 'demo/1', events: [event] });
  // Ingesting needs the bearer ingest key (examples/telemetry/ingest-keys.ts): refused before the body is read.
  const ingestUrl = `${fork.url}/telemetry/ingest`;
  console.log(`\ncurl -i -X POST '${ingestUrl}' -d '{"batch":{…}}'   (no ingest key)`);
  const refused = execFileSync('curl', ['-sS', '-i', '-X', 'POST', ingestUrl, '-H', 'content-type: application/json', '-d', '{"batch":{}}'], { encoding: 'utf8' });
  for (const line of refused.split('\r\n').filter((line) => /^(HTTP|www-authenticate|\{)/i.test(line))) console.log('     →', line);
  console.log(`\nclient with { auth: { token: () => ingestKey } }: telemetry.ingest(batch)   (an IngestBatch holding one RawEvent)`);
  console.log('     →', await telemetry.ingest(batch));
  await closeClient(telemetry);

  const usageUrl = `${fork.url}/telemetry/usage/s1`;
  console.log(`\ncurl '${usageUrl}'`);
  console.log('     →', execFileSync('curl', ['-sS', usageUrl], { encoding: 'utf8' }));

  // What a client in another language might send: no source_event_id, an unknown kind, a negative count.
  const badEvent = { ts: '2026-05-01T10:00:00Z', kind: 'llm', agent: 'demo', provider: 'openai', session_id: 's1', tokens: { input: -1, output: 0 } };
  const badBatch = JSON.stringify({ batch: { batch_id: 'b2', device_id: 'laptop', daemon_version: 'demo/1', tool_calls: [], events: [badEvent] } });
  console.log(`\ncurl -X POST '${fork.url}/telemetry/ingest' -H 'authorization: Bearer ${demoIngestKey}' -d '…'   (a batch with three problems)`);
  console.log('     →', execFileSync('curl', ['-sS', '-X', 'POST', ingestUrl, '-H', `authorization: Bearer ${demoIngestKey}`, '-H', 'content-type: application/json', '-d', badBatch], { encoding: 'utf8' }));

  // An error the implementation means to send: the client rejects with a MarshalError, as in process.
  const agents = createFetchClient(IAgentServer, fork.url);
  console.log(`\nfetch client (as in a browser): agents.thread('nope')`);
  try {
    await agents.thread('nope');
  } catch (error) {
    if (!(error instanceof MarshalError)) throw error;
    console.log(`     → ${error.name}, instanceof MarshalError, code ${error.code}, status ${error.status}: ${error.message}`);
  }

  // A page of another site posting text/plain (no preflight): refused unless CORS allows that page.
  console.log(`\ncurl -X POST '${url}' -H 'sec-fetch-site: cross-site' -H 'origin: https://elsewhere.example'   (a browser on another site)`);
  console.log(
    '     →',
    execFileSync('curl', ['-sS', '-X', 'POST', url, '-H', 'sec-fetch-site: cross-site', '-H', 'origin: https://elsewhere.example', '-H', 'content-type: text/plain', '-d', JSON.stringify({ data })], { encoding: 'utf8' }),
  );

  // Files and streams (examples/file-service): raw bytes, multipart with json_arguments, streamed results.
  const files = `${fork.url}/file-service`;
  const scratch = mkdtempSync(join(tmpdir(), 'marshal-demo-'));
  const photo = join(scratch, 'photo.bin');
  writeFileSync(photo, new Uint8Array(300_000).map((_, i) => i % 251));
  const run = (args: string[]) => execFileSync('curl', ['-sS', ...args], { encoding: 'utf8' });
  console.log(`\ncurl --data-binary @photo.bin '${files}/single-file'   (a 300 kB file as the raw body)`);
  console.log('     →', run(['--data-binary', `@${photo}`, `${files}/single-file`]));
  console.log(`\ncurl -F 'json_arguments={"name":"holiday"};type=application/json' -F file=@photo.bin '${files}/json-and-file'   (multipart)`);
  console.log('     →', run(['-F', 'json_arguments={"name":"holiday"};type=application/json', '-F', `file=@${photo}`, `${files}/json-and-file`]));
  console.log(`\ncurl -T photo.bin '${files}/count-bytes'   (a stream(Bytes) upload, handed over while it arrives)`);
  console.log('     →', run(['-X', 'POST', '-T', photo, `${files}/count-bytes`]));
  console.log(`\ncurl -X POST '${files}/download-file' -d '{"content":"hello world"}'   (a stream(Bytes) result, in pieces of four bytes)`);
  console.log('     →', run(['-X', 'POST', `${files}/download-file`, '-d', '{"content":"hello world"}']));
  console.log(`\ncurl -N -X POST '${files}/text-lines/3'   (a stream(String) result: one line per item)`);
  console.log(run(['-N', '-X', 'POST', `${files}/text-lines/3`]).trimEnd().replace(/^/gm, '     → '));
  console.log(`\ncurl -N -H 'accept: text/event-stream' -X POST '${files}/token-stream' -d '{"prompt":"stream me please"}'   (Server-Sent Events)`);
  console.log(run(['-N', '-H', 'accept: text/event-stream', '-X', 'POST', `${files}/token-stream`, '-d', '{"prompt":"stream me please"}']).trimEnd().replace(/^/gm, '     │ '));
  rmSync(scratch, { recursive: true, force: true });

  // WebSocket (examples/streaming-service): the reference's snippet with a bare WebSocket client, frame by frame.
  const wsUrl = `${fork.url.replace('http', 'ws')}/streaming-service/token-stream`;
  console.log(`\nWebSocket ${wsUrl}, sending {"type":"args","json":{"prompt":"hello world"}}   (any WebSocket client)`);
  for (const frame of await rawWebSocketCall(wsUrl, JSON.stringify({ type: 'args', json: { prompt: 'hello world' } }))) console.log('     ←', frame);

  const streaming = createClient(IStreamingService, fork.url);
  console.log(`\nclient: for await (const chunk of streaming.binary_chunks('hello world'))   (binary frames, 3 bytes each)`);
  const chunks: Uint8Array[] = [];
  for await (const chunk of streaming.binary_chunks('hello world')) chunks.push(chunk);
  console.log(`     → ${chunks.length} chunks, reassembled: ${JSON.stringify(Buffer.concat(chunks).toString())}`);
  console.log(`\nclient: streaming.text_lines(3), streaming.token_stream('hello world')`);
  const lines: string[] = [];
  for await (const line of streaming.text_lines(3)) lines.push(line);
  console.log('     →', JSON.stringify(lines));
  for await (const token of streaming.token_stream('hello world')) console.log('     →', token);
  await closeClient(streaming);

  // Full duplex: the words come back while the audio is still being sent.
  const transcriber = createClient(ITranscriber, fork.url);
  console.log(`\nclient: transcriber.transcribe('en', audio)   (audio streams in; each word comes out as soon as it is complete)`);
  let heard = 0;
  async function* audio(): AsyncGenerator<Uint8Array> {
    for (const piece of ['hel', 'lo wo', 'rld and', ' more ']) {
      console.log(`     → sent ${JSON.stringify(piece)}`);
      yield new TextEncoder().encode(piece);
      // The next piece waits for the word this one completes, when it completes one: the output flows during the input.
      const words = heard;
      if (/\s/.test(piece)) while (heard === words) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  for await (const token of transcriber.transcribe('en', audio())) {
    heard++;
    console.log(`     ← ${JSON.stringify(token)}`);
  }
  await closeClient(transcriber);
} finally {
  await fork.stop();
}

/** A WebSocket call by hand: sends one frame, prints what comes back until the server closes. */
function rawWebSocketCall(url: string, frame: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const frames: string[] = [];
    const socket = new WebSocket(url);
    socket.on('open', () => socket.send(frame));
    socket.on('message', (data: Buffer, isBinary) => frames.push(isBinary ? `<binary ${data.length} bytes>` : data.toString()));
    socket.on('close', (code) => resolve([...frames, `close ${code}`]));
    socket.on('error', reject);
  });
}

// The same services, mounted under /rpc of a node:http server that has routes of its own.
const marshal = createRequestListener({ services: [new MyService()], prefix: '/rpc' });
const host = createServer((request, response) =>
  marshal(request, response, () => {
    response.writeHead(200, { 'content-type': 'text/plain' });
    response.end(`the host's own answer for ${request.url}`);
  }),
);
await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
const hostUrl = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
try {
  console.log(`\nmounted: createRequestListener({ services, prefix: '/rpc' }) inside a node:http server of its own`);
  const mounted = createClient(IMyService, `${hostUrl}/rpc`);
  console.log(`client at ${hostUrl}/rpc: api.select('test', data, true)`);
  console.log('     →', JSON.stringify(await mounted.select('test', data, true)));
  await closeClient(mounted);
  // curl runs asynchronously here: this process is the server.
  console.log(`curl '${hostUrl}/about'   (a path of the host, not under /rpc)`);
  console.log('     →', (await promisify(execFile)('curl', ['-sS', `${hostUrl}/about`], { encoding: 'utf8' })).stdout);
} finally {
  await new Promise((resolve) => host.close(resolve));
}
