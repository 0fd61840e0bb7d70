import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { type ErrorCode, MarshalError } from '@marshal/core/internal';

/** Status and code for the errors of node's HTTP parser (llhttp's HPE_* codes, node's ERR_HTTP_*). */
function codeOf(error: NodeJS.ErrnoException): ErrorCode {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return 'MARSHAL_ERR_HEADERS_TOO_LARGE';
    case 'ERR_HTTP_REQUEST_TIMEOUT':
    case 'HPE_HEADER_TIMEOUT':
      return 'MARSHAL_ERR_REQUEST_TIMEOUT';
    default:
      return 'MARSHAL_ERR_BAD_REQUEST';
  }
}

const messages: Partial<Record<ErrorCode, string>> = {
  MARSHAL_ERR_HEADERS_TOO_LARGE: 'the request line or headers are larger than the server allows',
  MARSHAL_ERR_REQUEST_TIMEOUT: 'the request did not arrive in time',
  MARSHAL_ERR_BAD_REQUEST: 'the request is not well-formed HTTP',
};

/**
 * node:http's 'clientError': a request its parser refused (a bad method, a bad or conflicting
 * Content-Length, a bad chunk, headers over the limit, stray bytes after a request) or one that
 * timed out. Answered with Marshal's JSON body and a closed connection, when the socket can still
 * take it; the parser's reason goes into the message, bounded.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  const code = codeOf(error);
  const reason = typeof error.code === 'string' ? ` (${error.code.slice(0, 40)})` : '';
  writeAndClose(socket, new MarshalError(code, `${messages[code]}${reason}`));
}

/** CONNECT asks for a tunnel, which Marshal does not offer. */
export function answerConnect(_request: IncomingMessage, socket: Duplex): void {
  writeAndClose(socket, new MarshalError('MARSHAL_ERR_METHOD_NOT_ALLOWED', 'CONNECT is not served here'));
}

const reasons: Record<number, string> = { 400: 'Bad Request', 405: 'Method Not Allowed', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function writeAndClose(socket: Duplex, error: MarshalError): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  // The answer to an earlier, complete request on this connection may still be on its way (node
  // keeps it as the socket's _httpMessage, and its own handler looks there too): it goes first.
  // When the fault is in that request's own body, that request cannot be answered but by this.
  const pending = (socket as { _httpMessage?: ServerResponse | null })._httpMessage;
  if (pending && !pending.writableFinished && pending.req.complete) {
    if (pending.headersSent) {
      pending.once('finish', () => socket.destroy());
    } else {
      pending.once('finish', () => writeAndClose(socket, error));
    }
    return;
  }
  const json = JSON.stringify({ code: error.code, message: error.message });
  socket.end(
    `HTTP/1.1 ${error.status} ${reasons[error.status] ?? 'Error'}\r\n` +
      'content-type: application/json; charset=utf-8\r\n' +
      `content-length: ${Buffer.byteLength(json)}\r\n` +
      'connection: close\r\n\r\n' +
      json,
  );
}
