import { parseErrorBody } from '@marshal/core/internal';
import { RemoteError } from './remote-error.js';
import { TransportError } from './transport-error.js';

/**
 * An answer other than 200 (or a refused WebSocket handshake): a Marshal error body is a
 * RemoteError; anything else (a proxy's page, an empty 502) a TransportError.
 */
export function errorAnswer(label: string, status: number, text: string): Error {
  const body = parseErrorBody(text);
  if (body !== undefined) return new RemoteError(status, label, body);
  const quoted = text.length > 0 ? `: ${JSON.stringify(text.slice(0, 80))}` : '';
  return new TransportError(label, `HTTP ${status} without a Marshal error body${quoted}`, undefined, status);
}
