import { isUtf8 } from 'node:buffer';
import { MarshalError } from '@marshal/core/internal';
import { type ErrorResponse, clip } from '../core/error-response.js';

/**
 * The text frames of a WebSocket call (docs/protocol.md, section 14). The client's are read into
 * `ClientFrame`; the server's are written here, so that their JSON is spelt in one place.
 */
export type ClientFrame =
  | { readonly type: 'args'; readonly json: unknown }
  | { readonly type: 'file'; readonly name: unknown; readonly absent: unknown }
  | { readonly type: 'file_end' }
  | { readonly type: 'stream'; readonly name: unknown }
  | { readonly type: 'item'; readonly value: unknown }
  | { readonly type: 'end' };

const clientTypes = new Set(['args', 'file', 'file_end', 'stream', 'item', 'end']);

/**
 * A text frame → the client's frame; a MarshalError (MALFORMED_JSON, PROTOCOL) for anything else.
 * UTF-8 is checked here rather than by `ws`, which would close without an error frame.
 */
export function readClientFrame(data: Buffer): ClientFrame {
  if (!isUtf8(data)) throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', 'a text frame is not valid UTF-8');
  let frame: unknown;
  try {
    frame = JSON.parse(data.toString());
  } catch (error) {
    throw new MarshalError('MARSHAL_ERR_MALFORMED_JSON', `a text frame is not valid JSON: ${(error as Error).message}`);
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    throw new MarshalError('MARSHAL_ERR_PROTOCOL', 'a text frame must be a JSON object with a "type"');
  }
  const type = (frame as { type?: unknown }).type;
  if (typeof type !== 'string' || !clientTypes.has(type)) {
    const got = typeof type === 'string' ? JSON.stringify(clip(type, 40)) : 'none';
    throw new MarshalError('MARSHAL_ERR_PROTOCOL', `unknown frame type ${got}; expected args, file, file_end, stream, item or end`);
  }
  return frame as ClientFrame;
}

export const streamFrame = '{"type":"stream"}';
export const endFrame = '{"type":"end"}';

export function resultFrame(json: string): string {
  return `{"type":"result","value":${json}}`;
}

export function itemFrame(json: string): string {
  return `{"type":"item","value":${json}}`;
}

/** The HTTP error body with `type` and `status` first: `{"type":"error","status":400,"code":…,"message":…}`. */
export function errorFrame(response: ErrorResponse): string {
  return `{"type":"error","status":${response.status},${response.json.slice(1)}`;
}

/** The close code that tells a client without JSON what an error was (docs/protocol.md, 14.3). */
export function closeCodeOf(response: ErrorResponse): number {
  switch (response.body.code) {
    case 'MARSHAL_ERR_UNAVAILABLE':
      return 1001;
    case 'MARSHAL_ERR_MALFORMED_JSON':
      return 1007;
    case 'MARSHAL_ERR_MESSAGE_TOO_LARGE':
    case 'MARSHAL_ERR_BODY_TOO_LARGE':
      return 1009;
    default:
      return response.status >= 500 ? 1011 : 1008;
  }
}

/** `an args frame`, `a file frame`: a client frame's type, for messages. */
export function frameName(type: ClientFrame['type']): string {
  return `${type === 'args' || type === 'item' || type === 'end' ? 'an' : 'a'} ${type} frame`;
}

/** A frame that arrived where the call expects another. */
export function outOfOrder(expected: string, got: string): MarshalError {
  return new MarshalError('MARSHAL_ERR_PROTOCOL', `expected ${expected}, got ${got}`);
}
