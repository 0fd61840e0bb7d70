/**
 * Raw HTTP/1.1 over a socket, for requests no client library sends (truncated and malformed
 * bodies, half-closed connections) and for answers a client library would hide (a chunked body
 * cut before its terminating chunk). raw-http.ts sends and reads whole exchanges on top of it.
 */
import { connect } from 'node:net';

export interface StreamedAnswer {
  readonly status: number;
  /** By lower-case name. */
  readonly headers: Readonly<Record<string, string>>;
  /** The body, decoded from its chunks for a chunked answer. */
  readonly body: Buffer;
  /** Whether the answer ended as HTTP says it ends: its Content-Length reached, or the terminating `0\r\n\r\n` chunk. */
  readonly complete: boolean;
}

/**
 * The answers in `bytes`, in order (a `100 Continue` is skipped): each complete one, then the
 * last one as far as it came (`complete: false`), if it is cut short after its head.
 */
export function parseStreamedAnswers(bytes: Buffer): StreamedAnswer[] {
  const answers: StreamedAnswer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const headEnd = bytes.indexOf('\r\n\r\n', at);
    if (headEnd < 0) break;
    const [statusLine, ...lines] = bytes.subarray(at, headEnd).toString('latin1').split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const status = Number(statusLine.split(' ')[1]);
    at = headEnd + 4;
    if (status === 100) continue;
    if (headers['transfer-encoding']?.toLowerCase() === 'chunked') {
      const chunks: Buffer[] = [];
      let complete = false;
      for (;;) {
        const lineEnd = bytes.indexOf('\r\n', at);
        if (lineEnd < 0) break;
        const size = Number.parseInt(bytes.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
        if (size === 0) {
          complete = bytes.length >= lineEnd + 4 && bytes.subarray(lineEnd + 2, lineEnd + 4).toString('latin1') === '\r\n';
          if (complete) at = lineEnd + 4;
          break;
        }
        if (bytes.length < lineEnd + 2 + size + 2) {
          chunks.push(bytes.subarray(lineEnd + 2, Math.min(bytes.length, lineEnd + 2 + size)));
          break;
        }
        chunks.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
        at = lineEnd + 2 + size + 2;
      }
      answers.push({ status, headers, body: Buffer.concat(chunks), complete });
      if (!complete) break;
    } else {
      const length = Number(headers['content-length'] ?? 0);
      const complete = at + length <= bytes.length;
      answers.push({ status, headers, body: bytes.subarray(at, Math.min(bytes.length, at + length)), complete });
      if (!complete) break;
      at += length;
    }
  }
  return answers;
}

export interface RawOptions {
  /** Half-close the connection (send FIN) once everything is written: the server sees the body end. */
  readonly halfClose?: boolean;
  /** Resolve once this many complete answers have arrived (default 1); the connection is then destroyed. */
  readonly answers?: number;
}

export interface RawOutcome {
  readonly answers: StreamedAnswer[];
  /** Whether the server closed (or reset) the connection before `answers` complete answers came. */
  readonly closed: boolean;
  readonly bytes: Buffer;
}

/** Sends `bytes` over a fresh connection and reads answers until enough are complete or the server closes. */
export function sendRaw(url: string, bytes: string | Buffer, options: RawOptions = {}): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  const wanted = options.answers ?? 1;
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    const received: Buffer[] = [];
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      const all = Buffer.concat(received);
      resolve({ answers: parseStreamedAnswers(all), closed, bytes: all });
    };
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      const answers = parseStreamedAnswers(Buffer.concat(received));
      if (answers.filter((answer) => answer.complete).length >= wanted) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNRESET' || error.code === 'EPIPE' ? finish(true) : settled || reject(error)));
    socket.write(bytes, () => {
      if (options.halfClose) socket.end();
    });
  });
}

export interface RequestShape {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string | number>>;
  readonly body?: string | Buffer;
  /** Send the body as one chunk of a chunked body instead of with a Content-Length. */
  readonly chunked?: boolean;
}

/** The bytes of an HTTP/1.1 request: a Content-Length for the body unless `chunked` or the headers name one. */
export function requestBytes(path: string, shape: RequestShape = {}): Buffer {
  const body = shape.body === undefined ? Buffer.alloc(0) : Buffer.from(shape.body);
  const headers: Record<string, string | number> = { Host: 'localhost', ...shape.headers };
  const named = Object.keys(headers).map((name) => name.toLowerCase());
  if (shape.chunked) headers['Transfer-Encoding'] = 'chunked';
  else if (!named.includes('content-length') && !named.includes('transfer-encoding')) headers['Content-Length'] = body.length;
  const head = `${shape.method ?? 'POST'} ${path} HTTP/1.1\r\n${Object.entries(headers)
    .map(([name, value]) => `${name}: ${value}`)
    .join('\r\n')}\r\n\r\n`;
  if (!shape.chunked) return Buffer.concat([Buffer.from(head, 'latin1'), body]);
  const chunk = body.length > 0 ? [Buffer.from(`${body.length.toString(16)}\r\n`), body, Buffer.from('\r\n')] : [];
  return Buffer.concat([Buffer.from(head, 'latin1'), ...chunk, Buffer.from('0\r\n\r\n')]);
}

export interface Part {
  readonly name: string;
  readonly body: string | Buffer;
  /** Makes it a file part (busboy's 'file'); without it the part is a field. */
  readonly filename?: string;
  readonly type?: string;
  /** The part's header lines as they are, instead of the ones built from the fields above. */
  readonly rawHeaders?: string;
}

export const boundary = 'marshal-test-7f3a';

/** A multipart/form-data body; `close: false` leaves out the closing boundary. */
export function multipartBody(parts: readonly Part[], options: { close?: boolean; boundary?: string } = {}): Buffer {
  const mark = options.boundary ?? boundary;
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const headers =
      part.rawHeaders ??
      `Content-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}\r\n` +
        (part.type === undefined ? '' : `Content-Type: ${part.type}\r\n`);
    pieces.push(Buffer.from(`--${mark}\r\n${headers}\r\n`, 'utf8'), Buffer.from(part.body), Buffer.from('\r\n'));
  }
  if (options.close !== false) pieces.push(Buffer.from(`--${mark}--\r\n`));
  return Buffer.concat(pieces);
}

export const multipartType = `multipart/form-data; boundary=${boundary}`;
