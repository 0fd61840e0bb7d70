/**
 * Plain node:http, handlers written by hand for the same three calls as contract.ts, the same
 * paths, the same answers:
 *
 * - POST /file-bench/count: `for await (const chunk of request)`, counting; answers the count as JSON.
 * - GET /file-bench/download/<size>: writes 64 KiB pieces with `response.write`, waiting for
 *   'drain' when it returns false (chunked, application/octet-stream, as Marshal sends it).
 * - POST /file-bench/form: busboy with Marshal's default limits; parses the `json_arguments` part,
 *   buffers the `file` part, answers its length as JSON.
 *
 * With `--marshal-loaded` the process first loads @marshal/server and builds (never starts) a
 * Server for the same contract: the same handlers in a process that carries what Marshal's does,
 * to tell costs of the process (heap, allocator) from costs of Marshal's request path.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import busboy from 'busboy';
import { announce, chunkSize, limits, patternChunk } from './common.js';

if (process.argv.includes('--marshal-loaded')) {
  const [{ Server }, { FileBench }] = await Promise.all([import('@marshal/server'), import('./contract.js')]);
  new Server({ services: [new FileBench()], port: 0 });
}

const downloadPrefix = '/file-bench/download/';

function sendJson(response: ServerResponse, status: number, json: string): void {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(json) });
  response.end(json);
}

async function count(request: IncomingMessage, response: ServerResponse): Promise<void> {
  let count = 0;
  try {
    for await (const chunk of request) count += (chunk as Buffer).length;
  } catch {
    return void response.destroy();
  }
  sendJson(response, 200, String(count));
}

function download(response: ServerResponse, size: number): void {
  response.writeHead(200, { 'content-type': 'application/octet-stream' });
  let sent = 0;
  let closed = false;
  response.once('close', () => (closed = true));
  const pump = (): void => {
    while (!closed && sent < size) {
      const piece = size - sent >= chunkSize ? patternChunk : patternChunk.subarray(0, size - sent);
      sent += piece.length;
      if (!response.write(piece)) return void response.once('drain', pump);
    }
    if (!closed) response.end();
  };
  pump();
}

function form(request: IncomingMessage, response: ServerResponse): void {
  let parser: busboy.Busboy;
  try {
    parser = busboy({ headers: request.headers, limits: { fieldSize: limits.json, fileSize: limits.file, parts: limits.parts, headerPairs: 64 } });
  } catch {
    return sendJson(response, 400, '{"error":"not multipart"}');
  }
  let name: string | undefined;
  let file: Buffer | undefined;
  let failed = false;
  const fail = (status: number, message: string): void => {
    if (failed) return;
    failed = true;
    request.unpipe(parser);
    request.resume();
    sendJson(response, status, JSON.stringify({ error: message }));
  };
  parser.on('field', (field: string, value: string, info: busboy.FieldInfo) => {
    if (field !== 'json_arguments' || info.valueTruncated) return fail(400, `bad field ${field}`);
    try {
      const args = JSON.parse(value) as { name?: unknown };
      if (typeof args.name !== 'string') return fail(400, 'name must be a string');
      name = args.name;
    } catch {
      fail(400, 'json_arguments is not JSON');
    }
  });
  parser.on('file', (field: string, stream: NodeJS.ReadableStream) => {
    if (field !== 'file') {
      stream.resume();
      return fail(400, `unknown part ${field}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      chunks.push(chunk);
    });
    stream.on('limit', () => fail(413, 'file too large'));
    stream.on('end', () => (file = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size)));
  });
  parser.on('partsLimit', () => fail(413, 'too many parts'));
  parser.on('error', () => fail(400, 'malformed multipart body'));
  parser.on('close', () => {
    if (failed) return;
    if (name === undefined || file === undefined) return fail(400, 'missing part');
    sendJson(response, 200, String(file.length));
  });
  request.pipe(parser);
}

const server = createServer((request, response) => {
  const url = request.url ?? '/';
  if (request.method === 'POST' && url === '/file-bench/count') return void count(request, response);
  if (request.method === 'POST' && url === '/file-bench/form') return form(request, response);
  if (request.method === 'GET' && url.startsWith(downloadPrefix)) {
    const size = Number(url.slice(downloadPrefix.length));
    if (Number.isSafeInteger(size) && size >= 0) return download(response, size);
    return sendJson(response, 400, '{"error":"bad size"}');
  }
  sendJson(response, 404, '{"error":"not found"}');
});
server.listen(0, '127.0.0.1', () => {
  announce((server.address() as AddressInfo).port, () => server.close(() => process.exit(0)));
});
